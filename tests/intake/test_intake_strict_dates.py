"""One strict reading of days: YYYY-MM-DD only, 1991–2100, in every reader that takes a date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from jointfund.dates import parse_day
from jointfund.errors import InputError
from jointfund.fund.statements import parse_quarter
from jointfund.intake.filings import read_filings
from jointfund.intake.fx_rates import read_fx_rates
from jointfund.intake.journal_file import read_journal
from jointfund.intake.licences import read_licences
from jointfund.reports.periods import parse_period

FILING_HEADER = (
    "licence_id,period,stream,gross_amount,currency,payer_reference,version,costs,received_on"
)
LICENCE_HEADER = (
    "licence_id,holder,holder_registry_id,deposit,resources,oblast,instrument,issued_on,status"
)


@pytest.mark.parametrize(
    "text",
    [
        "20261125",
        "2026-W48-3",
        "2026-11-25T00:00",
        " 2026-1-5",
        "0001-01-01",
        "9999-12-31",
        "1990-12-31",
        "2101-01-01",
        "2025-02-30",
        "٢٠٢٦-١١-٢٥",
        "",
    ],
)
def test_only_plain_days_in_range_are_read(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_day(text, field="date", file="f.csv", row=4)
    problem = caught.value.problems[0]
    assert (problem.file, problem.row, problem.field) == ("f.csv", 4, "date")
    assert problem.expected is not None and "YYYY-MM-DD" in problem.expected


def test_edges_of_the_range_and_the_day_of_submission() -> None:
    assert parse_day("1991-01-01", field="d") == date(1991, 1, 1)
    assert parse_day("2100-12-31", field="d") == date(2100, 12, 31)
    assert parse_day("2026-12-06", field="d", not_after=date(2026, 12, 6)) == date(2026, 12, 6)
    with pytest.raises(InputError, match="in the future"):
        parse_day("2026-12-07", field="d", not_after=date(2026, 12, 6))


@pytest.mark.parametrize("text", ["9999Q4", "0001Q1", "2101Q1", "1990-Q4"])
def test_quarters_and_periods_outside_the_range_are_refused(text: str) -> None:
    with pytest.raises(InputError):
        parse_quarter(text)
    with pytest.raises(InputError):
        parse_period(text)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("cells", "field"),
    [
        ("UA-1,9999-12,royalty,1.00,USD,R1,1,0.00,", "period"),
        ("UA-1,0001-01,royalty,1.00,USD,R1,1,0.00,", "period"),
        ("UA-1,2026-10,royalty,1.00,USD,R1,1,0.00,0001-01-01", "received_on"),
        ("UA-1,2026-10,royalty,1.00,USD,R1,1,0.00,9999-12-31", "received_on"),
    ],
)
def test_filings_refuse_years_outside_the_range(tmp_path: Path, cells: str, field: str) -> None:
    path = _write(tmp_path, "f.csv", f"{FILING_HEADER}\n{cells}\n")
    with pytest.raises(InputError) as caught:
        read_filings(path)
    assert [(p.row, p.field) for p in caught.value.problems] == [(2, field)]


@pytest.mark.parametrize("day", ["20261125", "2026-W48-3", "2101-01-01", "0001-01-01"])
def test_journal_files_read_days_strictly(tmp_path: Path, day: str) -> None:
    text = (
        f'[{{"key":"k1","date":"{day}","kind":"adjustment","postings":['
        '{"account":"Assets:Cash:USD","amount":"1.00","currency":"USD"},'
        '{"account":"Income:Other","amount":"-1.00","currency":"USD"}]}]'
    )
    with pytest.raises(InputError) as caught:
        read_journal(_write(tmp_path, "j.json", text))
    assert [(p.row, p.field) for p in caught.value.problems] == [(1, "date")]


@pytest.mark.parametrize("day", ["2101-01-01", "0001-01-01", "1990-12-31"])
def test_fx_rates_outside_the_range_are_refused(tmp_path: Path, day: str) -> None:
    path = _write(tmp_path, "fx.csv", f"date,base,quote,rate\n{day},USD,UAH,41.5\n")
    with pytest.raises(InputError) as caught:
        read_fx_rates(path)
    assert [(p.row, p.field) for p in caught.value.problems] == [(2, "date")]


@pytest.mark.parametrize("day", ["2101-05-01", "0001-01-01"])
def test_licences_issued_outside_the_range_are_refused(tmp_path: Path, day: str) -> None:
    row = f"UA-1,Holder,123,Deposit,titanium,Kyiv,special_permit,{day},active"
    path = _write(tmp_path, "l.csv", f"{LICENCE_HEADER}\n{row}\n")
    with pytest.raises(InputError) as caught:
        read_licences(path)
    assert [(p.row, p.field) for p in caught.value.problems] == [(2, "issued_on")]
