"""Reconciliation finds every planted difference, of every kind, and flags nothing else."""

from __future__ import annotations

import csv
import dataclasses
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from jointfund.errors import InputError
from jointfund.fund import report_data, transparency_data
from jointfund.intake.treasury_licence_file import TREASURY_COLUMNS, TreasuryReceipt, read_treasury
from jointfund.money import FxRate, RateTable, convert, format_amount
from jointfund.reports.reconciliation import Cause, FundReceipt, reconcile, reconciliation_tables
from jointfund.reports.transparency import FiledPayment
from jointfund.store import Database

from .report_fixtures import demo_db

__all__ = ["demo_db"]

RATES = RateTable(
    [
        FxRate(date(2026, 2, 10), "USD", "UAH", Decimal("41.0")),
        FxRate(date(2026, 2, 12), "USD", "UAH", Decimal("42.0")),
        FxRate(date(2026, 2, 15), "USD", "UAH", Decimal("41.5")),
    ]
)


def _filed(licence: str, ccy: str, gross: int, received: date, fund: int = 0) -> FiledPayment:
    usd = convert(fund, ccy, "USD", received, RATES) if fund else 0
    return FiledPayment(
        licence, "2026-01", "royalty", ccy, gross, fund, gross - fund, usd, received, bool(fund)
    )


def _paid(licence: str, ccy: str, amount: int, received: date) -> TreasuryReceipt:
    return TreasuryReceipt(licence, "2026-01", "royalty", ccy, amount, received, f"T-{licence}")


def _receipt(
    f: FiledPayment, key: str | None, cash: int | None, expected: int, stale: int = 0
) -> FundReceipt:
    return FundReceipt(
        f.licence_id,
        f.period,
        f.stream,
        f.currency,
        f.fund_minor,
        f.reporting_minor,
        key,
        cash,
        expected,
        stale,
    )


ON_TIME = date(2026, 2, 15)
FILED = [
    _filed("L-match", "UAH", 100_000, ON_TIME, fund=50_000),
    _filed("L-no-treasury", "USD", 20_000, ON_TIME),
    _filed("L-late", "USD", 30_000, ON_TIME),
    _filed("L-amount", "USD", 40_000, ON_TIME),
    _filed("L-fx", "UAH", 100_000, date(2026, 2, 10), fund=50_000),
    _filed("L-no-entry", "UAH", 10_000, ON_TIME, fund=5_000),
    _filed("L-entry-short", "UAH", 10_000, ON_TIME, fund=5_000),
    _filed("L-stale", "UAH", 10_000, ON_TIME, fund=5_000),
]
TREASURY = [
    _paid("L-match", "UAH", 100_000, ON_TIME),
    _paid("L-no-filing", "UAH", 70_000, ON_TIME),
    _paid("L-late", "USD", 30_000, date(2026, 3, 9)),  # due 2 Mar: 20 + 10 days after January
    _paid("L-amount", "USD", 39_999, ON_TIME),
    _paid("L-fx", "UAH", 100_000, date(2026, 2, 12)),
    _paid("L-no-entry", "UAH", 10_000, ON_TIME),
    _paid("L-entry-short", "UAH", 10_000, ON_TIME),
    _paid("L-stale", "UAH", 10_000, ON_TIME),
]
by_licence = {f.licence_id: f for f in FILED}
FUND = [
    _receipt(by_licence["L-match"], "e1", 50_000, 50_000),
    _receipt(by_licence["L-fx"], "e2", 50_000, 50_000),
    _receipt(by_licence["L-no-entry"], "e-gone", None, 5_000),
    _receipt(by_licence["L-entry-short"], "e3", 4_000, 5_000),
    _receipt(by_licence["L-stale"], "e4", 5_000, 5_000, stale=3_000),
]
PLANTED = {
    (Cause.MISSING_IN_TREASURY, "L-no-treasury"),
    (Cause.MISSING_IN_FILINGS, "L-no-filing"),
    (Cause.LATE, "L-late"),
    (Cause.AMOUNT_DIFFERS, "L-amount"),
    (Cause.FX_DIFFERENCE, "L-fx"),
    (Cause.NOT_IN_FUND, "L-no-entry"),
    (Cause.NOT_IN_FUND, "L-entry-short"),
    (Cause.NOT_IN_FUND, "L-stale"),
}


def test_every_planted_difference_and_nothing_else() -> None:
    result = reconcile(FILED, TREASURY, FUND, RATES)
    assert {(d.cause, d.licence_id) for d in result.differences} == PLANTED
    assert len(result.differences) == len(PLANTED)
    sizes = {(d.cause, d.licence_id): d.size_minor for d in result.differences}
    assert sizes[(Cause.AMOUNT_DIFFERS, "L-amount")] == -1
    assert sizes[(Cause.MISSING_IN_FILINGS, "L-no-filing")] == 70_000
    assert sizes[(Cause.NOT_IN_FUND, "L-entry-short")] == 1_000
    assert sizes[(Cause.NOT_IN_FUND, "L-stale")] == -3_000
    fx = sizes[(Cause.FX_DIFFERENCE, "L-fx")]
    assert (
        fx
        == convert(50_000, "UAH", "USD", date(2026, 2, 12), RATES)
        - by_licence["L-fx"].reporting_minor
        != 0
    )


def test_totals_partition_the_money() -> None:
    result = reconcile(FILED, TREASURY, FUND, RATES)
    for t in result.totals:
        assert t.filed == t.matched + t.only_filed + t.differing_filed
        assert t.treasury == t.matched + t.only_treasury + t.differing_treasury
    uah = next(t for t in result.totals if t.currency == "UAH")
    assert uah.only_treasury == 70_000 and uah.matched_keys == 5
    assert result.matched_keys == 6 and result.keys == 9
    differences, totals = reconciliation_tables(result)
    assert len(differences.rows) == len(PLANTED) and len(totals.rows) == 2


def test_tolerances_are_options() -> None:
    result = reconcile(FILED, TREASURY, FUND, RATES, amount_tolerance=1, fx_tolerance=10**9)
    causes = {(d.cause, d.licence_id) for d in result.differences}
    assert causes == PLANTED - {(Cause.AMOUNT_DIFFERS, "L-amount"), (Cause.FX_DIFFERENCE, "L-fx")}


def _write_treasury(path: Path, rows: list[TreasuryReceipt]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(TREASURY_COLUMNS)
        for r in rows:
            writer.writerow(
                [
                    r.licence_id,
                    r.period,
                    r.stream,
                    r.currency,
                    format_amount(r.amount_minor, r.currency),
                    r.received_on.isoformat(),
                    r.treasury_reference,
                ]
            )
    return path


def test_the_treasury_file_reports_every_bad_row(tmp_path: Path) -> None:
    path = tmp_path / "treasury.csv"
    path.write_text(
        ",".join(TREASURY_COLUMNS) + "\n"
        "L1,2026-13,royalty,UAH,1.00,2026-02-15,T1\n"
        "L1,2026-01,gift,XXX,1.00,2026-02-31,T1\n"
        "L1,2026-01,royalty,USD,1.001,2026-02-15,T1\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        read_treasury(path)
    where = {(p.row, p.field) for p in caught.value.problems}
    assert where == {
        (2, "period"),
        (3, "stream"),
        (3, "currency"),
        (3, "received_on"),
        (3, "treasury_reference"),
        (4, "amount"),
        (4, "treasury_reference"),
    }


def test_the_example_fund_against_a_treasury_file_with_planted_differences(
    demo_db: Database, tmp_path: Path
) -> None:
    filed = transparency_data.latest_filings(demo_db, 2026)
    fund = report_data.fund_receipts(demo_db, 2026)
    rates = report_data.fund_rates(demo_db)
    clean = [
        TreasuryReceipt(
            f.licence_id, f.period, f.stream, f.currency, f.gross_minor, f.received_on, f"T{i}"
        )
        for i, f in enumerate(filed)
    ]
    baseline = reconcile(
        filed, read_treasury(_write_treasury(tmp_path / "t0.csv", clean)), fund, rates
    )
    # The example's corrected filing: its version 2 was paid on 14 Sep for 2026-Q2 (due 19 Aug).
    known = {(d.cause, d.licence_id, d.period) for d in baseline.differences}
    assert known == {(Cause.LATE, "UA-SP-2025-0711", "2026-Q2")}

    rows = list(clean)
    dropped = rows.pop(0)
    usd = next(i for i, r in enumerate(rows) if r.currency == "USD")
    rows[usd] = dataclasses.replace(rows[usd], received_on=date(2026, 12, 1))
    uah_fund = {
        (f.licence_id, f.period, f.stream) for f in filed if f.fund_minor and f.currency == "UAH"
    }
    booked = {(f.licence_id, f.period, f.stream): f for f in filed}

    def moved_day(r: TreasuryReceipt) -> date | None:
        """An earlier day (so not late) whose rate values the fund share differently."""
        f = booked[(r.licence_id, r.period, r.stream)]
        for back in range(1, 6):
            day = r.received_on - timedelta(days=back)
            if convert(f.fund_minor, "UAH", "USD", day, rates) != f.reporting_minor:
                return day
        return None

    fx = next(
        i
        for i, r in enumerate(rows)
        if (r.licence_id, r.period, r.stream) in uah_fund and i != usd and moved_day(r)
    )
    rows[fx] = dataclasses.replace(rows[fx], received_on=moved_day(rows[fx]) or date.min)
    changed = next(i for i in range(len(rows)) if i not in (usd, fx))
    rows[changed] = dataclasses.replace(rows[changed], amount_minor=rows[changed].amount_minor + 1)
    rows.append(
        TreasuryReceipt(
            "UA-SP-UNFILED", "2026-03", "royalty", "UAH", 12_345, date(2026, 4, 15), "T-extra"
        )
    )
    result = reconcile(
        filed, read_treasury(_write_treasury(tmp_path / "t1.csv", rows)), fund, rates
    )
    found = {(d.cause, d.licence_id, d.period) for d in result.differences}
    want = known | {
        (Cause.MISSING_IN_TREASURY, dropped.licence_id, dropped.period),
        (Cause.LATE, rows[usd].licence_id, rows[usd].period),
        (Cause.FX_DIFFERENCE, rows[fx].licence_id, rows[fx].period),
        (Cause.AMOUNT_DIFFERS, rows[changed].licence_id, rows[changed].period),
        (Cause.MISSING_IN_FILINGS, "UA-SP-UNFILED", "2026-03"),
    }
    assert found == want
    assert len(result.differences) == len(want)
