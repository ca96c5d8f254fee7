"""The filing sums the books keep (per year, licence, stream and currency; per month and
resources; per licence over every year; per year and stream): equal to summing every latest filing, moved by a
later correction in the import's transaction, recomputed by `verify`, and rebuilt by the
migration."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from sqlalchemy import text

from jointfund.fund import report_data, transparency_data
from jointfund.fund.books import verify
from jointfund.fund.filings import import_filings
from jointfund.intake.filings import COLUMNS
from jointfund.store import Database
from jointfund.store.filing_totals import rebuild_filing_totals
from tests.operator import operator
from tests.reports.report_fixtures import built_demo

YEARS = (None, 2024, 2025, 2026, 1999)


def _inflows_from_every_filing(db: Database) -> dict[tuple[str, str], int]:
    """USD minor units of eligible latest filings per (resource, month), summed row by row."""
    licences = transparency_data.public_licences(db)
    sums: dict[tuple[str, str], int] = defaultdict(int)
    for f in transparency_data.latest_filings(db):
        if f.eligible and f.reporting_minor:
            resources = licences[f.licence_id].resources
            sums[(resources[0] if resources else "unspecified", f.period)] += f.reporting_minor
    return dict(sums)


def _same_as_every_filing(db: Database) -> None:
    for year in YEARS:
        kept, years = transparency_data.transparency_totals(db, year)
        assert kept.totals == transparency_data.transparency_report(db, year).totals, year
        assert years == [2026, 2025, 2024]
    series, months = report_data.inflow_series(db, operator(db))
    want = _inflows_from_every_filing(db)
    got = {(r, m): round(v * 1e8) for r, by_month in series.items() for m, v in by_month.items()}
    assert got == want
    assert months == sorted({m for _, m in want})


def test_kept_totals_equal_the_sums_of_every_latest_filing(db_url: str) -> None:
    db = built_demo(db_url)
    try:
        _same_as_every_filing(db)
    finally:
        db.dispose()


def test_a_later_correction_moves_the_totals_in_its_import(db_url: str, tmp_path: Path) -> None:
    db = built_demo(db_url)
    try:
        with db.read() as conn:
            ref, licence, period, stream, received = conn.execute(
                text(
                    "SELECT payer_reference, licence_id, period, stream, received_on FROM filings "
                    "WHERE version = 1 AND currency = 'UAH' AND period LIKE '2026-%' "
                    "ORDER BY id LIMIT 1"
                )
            ).one()
        before, _ = transparency_data.transparency_totals(db, 2026)
        path = tmp_path / "correction.csv"
        path.write_text(
            ",".join(COLUMNS)
            + f"\n{licence},{period},{stream},123.45,UAH,{ref},7,0.00,{received}\n"
            + f"{licence},{period},{stream},99.00,UAH,NEW-{ref},1,0.00,{received}\n"
        )
        done = import_filings(db, operator(db), path)
        assert done.corrected == 1 and done.booked == 1
        _same_as_every_filing(db)
        after, _ = transparency_data.transparency_totals(db, 2026)
        assert sum(t.payments for t in after.totals["stream"]) == 1 + sum(
            t.payments for t in before.totals["stream"]
        )
        assert verify(db, operator(db)).ok
    finally:
        db.dispose()


def test_verify_names_kept_totals_that_differ_and_the_rebuild_restores_them(
    db_url: str,
) -> None:
    db = built_demo(db_url)
    try:
        with db.write() as conn:
            conn.execute(
                text(
                    "UPDATE filing_totals SET payments = payments + 1 WHERE licence_id = "
                    "(SELECT min(licence_id) FROM filing_totals)"
                )
            )
            conn.execute(
                text(
                    "UPDATE filing_months SET eligible_usd_minor = eligible_usd_minor + 1 "
                    "WHERE period = (SELECT max(period) FROM filing_months)"
                )
            )
            conn.execute(
                text(
                    "UPDATE filing_licences SET reporting_minor = reporting_minor - 1 "
                    "WHERE licence_id = (SELECT max(licence_id) FROM filing_licences)"
                )
            )
            conn.execute(
                text(
                    "UPDATE filing_year_streams SET fund_minor = fund_minor + 5 "
                    "WHERE fiscal_year = (SELECT min(fiscal_year) FROM filing_year_streams)"
                )
            )
        report = verify(db, operator(db))
        assert not report.ok
        assert any("filing_totals row" in f.what for f in report.findings)
        assert any("filing_months row" in f.what for f in report.findings)
        assert any("filing_licences row" in f.what for f in report.findings)
        assert any("filing_year_streams row" in f.what for f in report.findings)
        with db.write() as conn:
            rebuild_filing_totals(conn)
        assert verify(db, operator(db)).ok
        _same_as_every_filing(db)
    finally:
        db.dispose()
