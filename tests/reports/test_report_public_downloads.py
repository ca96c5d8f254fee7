"""The public tables and files from the books: company and project sums equal to the filings,
and the EITI workbook of a year in hryvnias that reads back with the same totals."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest

from jointfund.errors import InputError
from jointfund.fund import public_reports, transparency_data
from jointfund.reports.csv_out import csv_text
from jointfund.reports.eiti_books import sector
from jointfund.reports.eiti_workbook_reader import read_eiti_workbook
from jointfund.reports.transparency import transparency_json, transparency_tables
from jointfund.reports.transparency_json import dumped_rows, json_chunks
from jointfund.store import Database

from .report_fixtures import demo_db

__all__ = ["demo_db"]


def test_the_eiti_workbook_of_a_year_reads_back_in_hryvnias(
    demo_db: Database, tmp_path: Path
) -> None:
    year = 2025
    report = transparency_data.transparency_report(demo_db, year)
    assert report.rows and all(r.currency == "UAH" for r in report.rows)
    path = tmp_path / "eiti.xlsx"
    path.write_bytes(public_reports.eiti_workbook(demo_db, year))
    summary = read_eiti_workbook(path)
    assert summary.about.reporting_currency == "UAH"
    assert (summary.about.start, summary.about.end) == (date(year, 1, 1), date(year, 12, 31))
    assert summary.about.usd_rate > 0
    total = sum(r.amount_minor for r in report.rows)
    assert sum(p.amount_minor for p in summary.payments) == total
    assert sum(r.amount_minor for r in summary.revenues) == total
    assert {c.name for c in summary.companies} == {r.company for r in report.rows}


def test_a_year_the_books_hold_no_rate_for_is_refused_with_its_field(demo_db: Database) -> None:
    with pytest.raises(InputError) as refused:
        public_reports.eiti_workbook(demo_db, 1990)
    assert refused.value.problems[0].field == "year"


def test_the_csv_streams_the_same_rows_as_the_whole_file(demo_db: Database) -> None:
    streamed = b"".join(public_reports.transparency_csv(demo_db, None))
    report = transparency_data.transparency_report(demo_db, None)
    whole = csv_text(transparency_tables(report)[0]).encode("utf-8")
    assert streamed == whole
    assert len(io.StringIO(whole.decode()).readlines()) > 1


def test_a_licence_is_of_one_sector_by_the_catalogue() -> None:
    assert sector(["natural_gas", "gas_condensate"]) == "Oil & Gas"
    assert sector(["titanium", "zirconium"]) == "Mining"
    assert sector(["oil", "titanium"]) == "Other"


@pytest.mark.parametrize("year", [None, 2025, 2026, 1990])
def test_the_json_streams_the_same_bytes_as_the_whole_document(
    demo_db: Database, year: int | None
) -> None:
    report = transparency_data.transparency_report(demo_db, year)
    whole = json.dumps(transparency_json(report), indent=2, ensure_ascii=False) + "\n"
    streamed = b"".join(public_reports.transparency_json_stream(demo_db, year))
    assert streamed.decode("utf-8") == whole, "rows read a chunk at a time, totals kept"
    assert len(json.loads(streamed)["rows"]) == len(report.rows)


@pytest.mark.parametrize("count", [0, 1, 2, 1999, 2000, 2001, 4500])
def test_json_chunks_write_what_json_dumps_writes_at_every_chunk_boundary(count: int) -> None:
    head = {"standard": "EITI", "fiscal_year": None, "unit": "грн"}
    rows = [
        {"id": i, "name": f"Компанія {i}", "amount": f"{i}.50", "ok": i % 2 == 0}
        for i in range(count)
    ]
    totals = {"by company": [{"key": "a", "n": 1}], "by year": []}
    whole = json.dumps({**head, "rows": rows, "totals": totals}, indent=2, ensure_ascii=False)
    assert "".join(json_chunks(head, dumped_rows(rows), totals)) == whole + "\n"
