"""The shadow book flags exactly the planted differences, within the stated tolerances."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from jointfund.errors import InputError
from jointfund.fund import report_data
from jointfund.money import format_amount
from jointfund.reports.administrator_file import ADMIN_COLUMNS, read_administrator
from jointfund.reports.periods import parse_period
from jointfund.reports.shadow_book import our_fields, shadow_check, shadow_table
from jointfund.reports.statement import CapitalRow
from jointfund.store import Database

from .report_fixtures import demo_db

__all__ = ["demo_db"]

PERIOD = "2026Q1"


def _line(row: CapitalRow) -> dict[str, str]:
    fields = {k: format_amount(v, "USD") for k, v in our_fields(row).items()}
    pct = Decimal(row.share_closing.numerator) / Decimal(row.share_closing.denominator) * 100
    return {"partner": row.partner, "period": PERIOD, **fields, "ownership_pct": f"{pct:.4f}"}


def _write(path: Path, lines: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, ADMIN_COLUMNS)
        writer.writeheader()
        writer.writerows(lines)
    return path


def _ours(db: Database) -> tuple[CapitalRow, ...]:
    return report_data.capital_rows(db, parse_period(PERIOD))


def test_a_statement_copied_from_our_books_agrees(demo_db: Database, tmp_path: Path) -> None:
    ours = _ours(demo_db)
    assert {r.partner for r in ours} == {"US", "UA"}
    assert all(r.contributions for r in ours if r.partner == "UA")
    path = _write(tmp_path / "admin.csv", [_line(r) for r in ours])
    check = shadow_check(PERIOD, read_administrator(path), ours)
    assert check.agrees, check.differences
    assert check.compared_fields == 14


def test_every_planted_difference_and_nothing_else(demo_db: Database, tmp_path: Path) -> None:
    ours = _ours(demo_db)
    us, ua = (_line(r) for r in sorted(ours, key=lambda r: r.partner != "US"))
    # US: income one cent higher, closing too (so the line still foots).
    us["income"] = format_amount(int(Decimal(us["income"]) * 100) + 1, "USD")
    us["closing"] = format_amount(int(Decimal(us["closing"]) * 100) + 1, "USD")
    # UA: ownership off by 0.001 points, and a closing that does not foot.
    ua["ownership_pct"] = str(Decimal(ua["ownership_pct"]) + Decimal("0.001"))
    ua["closing"] = format_amount(int(Decimal(ua["closing"]) * 100) + 500, "USD")
    extra = dict(us, partner="EU")
    path = _write(tmp_path / "admin.csv", [us, ua, extra])
    check = shadow_check(PERIOD, read_administrator(path), ours)
    got = {(d.partner, d.field, d.note) for d in check.differences}
    assert got == {
        ("US", "income", ""),
        ("US", "closing", ""),
        ("UA", "ownership_pct", ""),
        ("UA", "closing", "the administrator's line does not foot"),
        ("UA", "closing", ""),
        ("EU", "partner", ""),
    }
    by = {(d.partner, d.field, d.note): d for d in check.differences}
    assert by[("US", "income", "")].difference == "0.01"
    assert by[("UA", "closing", "")].difference == "5.00"
    assert len(shadow_table(check).rows) == len(got)

    loose = shadow_check(
        PERIOD, read_administrator(path), ours, money_tolerance=1, pct_tolerance=Decimal("0.01")
    )
    assert {(d.partner, d.field, d.note) for d in loose.differences} == {
        ("UA", "closing", "the administrator's line does not foot"),
        ("UA", "closing", ""),
        ("EU", "partner", ""),
    }


def test_a_partner_the_administrator_left_out_is_flagged(demo_db: Database, tmp_path: Path) -> None:
    ours = _ours(demo_db)
    path = _write(tmp_path / "admin.csv", [_line(r) for r in ours if r.partner == "US"])
    check = shadow_check(PERIOD, read_administrator(path), ours)
    assert [(d.partner, d.field, d.theirs) for d in check.differences] == [
        ("UA", "partner", "absent")
    ]


def test_a_bad_statement_file_names_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "admin.csv"
    path.write_text(
        ",".join(ADMIN_COLUMNS) + "\n,2026Q5,1.00,x,0,0,0,1.00,abc\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        read_administrator(path)
    assert {p.field for p in caught.value.problems} == {
        "partner",
        "period",
        "contributions",
        "ownership_pct",
    }
