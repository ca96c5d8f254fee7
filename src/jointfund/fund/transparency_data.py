"""What the transparency reports read from the books: the latest version of each filing, the
public licence register, and the totals by payer, licence and stream (pre-aggregated where the
books keep them), for the page, the API and the CSV/XLSX/EITI files."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from jointfund.fund.kept_reads import kept_read
from jointfund.fund.report_data import newest_versions
from jointfund.reports.transparency import (
    FiledPayment,
    PublicLicence,
    TransparencyReport,
    build_transparency,
)
from jointfund.reports.transparency_sums import (
    SummedPayments,
    totals_from_marginals,
    totals_from_sums,
)
from jointfund.store import Database, Tx
from jointfund.store.filing_reads import (
    FilingRow,
    filing_rows,
    iter_latest_filings,
    latest_filing_page,
)
from jointfund.store.filing_totals import all_years_marginals, filing_totals, filing_years
from jointfund.store.licences import licences_by_id


def _filed(r: FilingRow) -> FiledPayment:
    """A stored filing as the transparency report reads it."""
    return FiledPayment(
        licence_id=r.licence_id,
        period=r.period,
        stream=r.stream,
        currency=r.currency,
        gross_minor=int(r.gross_minor),
        fund_minor=int(r.fund_minor),
        budget_minor=int(r.budget_minor),
        reporting_minor=int(r.reporting_minor),
        received_on=r.received_on,
        eligible=bool(r.eligible),
    )


def latest_filings(db: Database, year: int | None = None) -> list[FiledPayment]:
    """The latest version of every stored filing (of one year's periods when given)."""
    with db.read() as conn:
        rows = newest_versions(filing_rows(conn, year=year))
    return [_filed(r) for r in rows]


def public_licences(db: Database) -> dict[str, PublicLicence]:
    """The register's public facts for every licence."""
    with db.read() as conn:
        found = licences_by_id(conn)
    return {
        k: PublicLicence(
            v.licence_id, v.holder, v.holder_registry_id, v.deposit, v.resources, v.oblast
        )
        for k, v in found.items()
    }


@contextmanager
def streamed_payments(
    db: Database, year: int | None
) -> Iterator[tuple[Iterator[FiledPayment], dict[str, PublicLicence]]]:
    """The latest filed payments in the transparency data's order, streamed from one snapshot
    (iterate inside the block), and the register's public facts."""
    with db.read() as conn:
        found = licences_by_id(conn)
        licences = {
            k: PublicLicence(
                v.licence_id, v.holder, v.holder_registry_id, v.deposit, v.resources, v.oblast
            )
            for k, v in found.items()
        }
        payments = iter_latest_filings(conn, FiledPayment, year=year)
        yield payments, licences


def transparency_report(db: Database, year: int | None) -> TransparencyReport:
    """The EITI summary data for a fiscal year (every year when None)."""
    return build_transparency(latest_filings(db, year), public_licences(db), year)


def transparency_totals(db: Database, year: int | None) -> tuple[TransparencyReport, list[int]]:
    """The totals of `transparency_report` (no rows) from the sums the books keep, and every
    fiscal year with a filing, newest first: what the public page shows, at a cost that does
    not grow with the number of filings; read once per version of the books."""
    with db.read() as conn:
        return kept_read(conn, db, ("transparency_totals", year), lambda tx: totals_in(tx, year))


def totals_in(conn: Tx, year: int | None) -> tuple[TransparencyReport, list[int]]:
    """`transparency_totals` read afresh in the caller's transaction: every year's from the
    all-years sums per licence and the yearly sums without the register, one year's from
    that year's sums per licence."""
    years = filing_years(conn)
    if year is None:
        places, periods = all_years_marginals(conn)
        return totals_from_marginals(
            (_summed(0, resources, oblast, "", rest) for resources, oblast, *rest in places),
            (_summed(int(y), "[]", "", stream, rest) for y, stream, *rest in periods),
        ), years
    sums = []
    for t in filing_totals(conn, year):
        five = (t.payments, t.gross_minor, t.fund_minor, t.budget_minor, t.reporting_minor)
        sums.append(
            _summed(int(t.fiscal_year), t.resources, t.oblast, t.stream, (t.currency, *five))
        )
    return totals_from_sums(sums, year), years


def _summed(
    year: int, resources: str, oblast: str, stream: str, rest: Sequence[Any]
) -> SummedPayments:
    """Kept sums as the report adds them: `rest` is the currency and the five sums."""
    currency, payments, gross, fund, budget, usd = rest
    return SummedPayments(
        year, tuple(json.loads(resources)), oblast, stream, str(currency), int(payments),
        int(gross), int(fund), int(budget), int(usd),
    )  # fmt: skip


def transparency_page(
    db: Database, year: int | None, after_id: int, limit: int
) -> tuple[TransparencyReport, int | None]:
    """One page of the summary data (the latest filings after filing `after_id`, in period
    order) with the full-year totals from the kept sums, and the cursor of the next page (None
    on the last): a public answer bounded in size whatever the books hold."""
    with db.read() as conn:
        rows = latest_filing_page(conn, year=year, after_id=after_id, limit=limit + 1)
        found = licences_by_id(conn, {r.licence_id for r in rows})
    following = int(rows[limit - 1].id) if len(rows) > limit else None
    shown = rows[:limit]
    licences = {
        k: PublicLicence(
            v.licence_id, v.holder, v.holder_registry_id, v.deposit, v.resources, v.oblast
        )
        for k, v in found.items()
    }
    payments = [_filed(r) for r in shown]
    totals, _ = transparency_totals(db, year)
    page = build_transparency(payments, licences, year, ordered=False)
    return TransparencyReport(year, page.reporting_currency, page.rows, totals.totals), following
