"""Gathering what the reports need from the books, as the reports' plain input records.

Each function reads through store modules and returns frozen dataclasses; `jointfund.reports`
builds and renders from those without touching the database. Capital accounts and partners'
flows come from `fund.capital` and `fund.metrics`, so statements and metrics agree.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date
from itertools import pairwise
from typing import Any

from jointfund.fund import door
from jointfund.fund.capital import CapitalTable, capital_table
from jointfund.fund.kept_reads import kept_read
from jointfund.fund.position import BRIDGE_LABELS, FX_STALE_DAYS, compute_position
from jointfund.fund.setup import fund_terms
from jointfund.governance import Interface, Role, User, require
from jointfund.ledger import PostedEntry
from jointfund.ledger.chart import REPORTING_CURRENCY
from jointfund.money import RateTable, to_decimal
from jointfund.reports.gapp import GovernanceFacts, Produced
from jointfund.reports.ledger_exports import BalanceLine
from jointfund.reports.periods import Period
from jointfund.reports.reconciliation import FundReceipt
from jointfund.reports.statement import CapitalRow, capital_movements
from jointfund.reports.statement_data import (
    CapitalPosition,
    CashMove,
    InvestmentFacts,
    StatementInput,
)
from jointfund.store import Database
from jointfund.store.balances import BalanceRow, balances_as_of
from jointfund.store.closes import checkpoints, closed_through
from jointfund.store.filing_reads import filing_rows
from jointfund.store.filing_totals import inflows_by_month
from jointfund.store.fx_rates import rate_table
from jointfund.store.investments import list_investments
from jointfund.store.journal import (
    cash_moves,
    entry_cash,
    iter_journal,
    postings_before,
)
from jointfund.store.known import (
    balances_known,
    cash_moves_known,
    investments_known,
)
from jointfund.store.report_log import append_report, latest_reports, reports_of
from jointfund.store.users import active_users_with_role
from jointfund.store.verification import verify_books
from jointfund.terms import lock_end

Progress = Callable[[int], None]
_CAPITAL_PREFIXES = ("Equity:Capital", "Income", "Expenses")


def newest_versions(rows: list[Any]) -> list[Any]:
    """The latest version of each payer reference, in stored order."""
    newest: dict[str, Any] = {}
    for row in rows:
        have = newest.get(row.payer_reference)
        if have is None or row.version > have.version:
            newest[row.payer_reference] = row
    return list(newest.values())


def fund_rates(db: Database) -> RateTable:
    """Every stored FX rate."""
    with db.read() as conn:
        return rate_table(conn)


def _undo_key(reference: str, version: int) -> str:
    """The key `fund.booking` gives the entry undoing the version before `version`."""
    return f"filing:{reference}:v{version}:undo-earlier"


def _stale_shares(rows: list[Any], undone: set[str]) -> dict[str, int]:
    """Per payer reference, the booked share of earlier versions no correction undid."""
    versions: dict[str, list[Any]] = {}
    for r in rows:
        versions.setdefault(r.payer_reference, []).append(r)
    stale: dict[str, int] = {}
    for ref, found in versions.items():
        found.sort(key=lambda r: r.version)
        for older, newer in pairwise(found):
            if older.entry_key and _undo_key(ref, newer.version) not in undone:
                stale[ref] = stale.get(ref, 0) + int(older.fund_minor)
    return stale


def fund_receipts(db: Database, year: int | None = None) -> list[FundReceipt]:
    """What reached the fund for each latest filing: its share and the ledger entry holding it.

    A summary entry carries the shares of several filings (and of versions a correction later
    undid), so its cash is compared with the sum of every version booked into it.
    """
    with db.read() as conn:
        rows = filing_rows(conn, year=year)
        undo = {_undo_key(r.payer_reference, r.version) for r in rows if r.version > 1}
        cash = entry_cash(conn, {r.entry_key for r in rows if r.entry_key} | undo)
    stale = _stale_shares(rows, set(cash))
    expected: dict[str, int] = {}
    for r in rows:
        if r.entry_key:
            expected[r.entry_key] = expected.get(r.entry_key, 0) + int(r.fund_minor)
    return [
        FundReceipt(
            licence_id=r.licence_id,
            period=r.period,
            stream=r.stream,
            currency=r.currency,
            fund_minor=int(r.fund_minor) if r.eligible else 0,
            reporting_minor=int(r.reporting_minor),
            entry_key=r.entry_key,
            entry_cash=cash.get(r.entry_key) if r.entry_key else None,
            entry_expected=expected.get(r.entry_key, 0) if r.entry_key else 0,
            superseded_still_booked=stale.get(r.payer_reference, 0),
            accrued=r.entry_key is None and r.credit_account is not None,
        )
        for r in newest_versions(rows)
    ]


def _positions(table: CapitalTable) -> tuple[CapitalPosition, ...]:
    return tuple(
        CapitalPosition(
            a.partner, a.contributions, a.income, a.unrealised, a.distributions, a.share
        )
        for a in table.accounts.values()
    )


def _balances(conn: Any, as_of: date) -> tuple[BalanceLine, ...]:
    return tuple(
        BalanceLine(b.account, b.currency, b.amount, b.partner) for b in balances_as_of(conn, as_of)
    )


def statement_input(
    db: Database,
    period: Period,
    *,
    stale_after_days: int = FX_STALE_DAYS,
    known_at: str | None = None,
    restated: tuple[str, ...] = (),
) -> StatementInput:
    """Everything the quarterly statement of `period` needs, read in one transaction from the
    fund's positions at both ends of the period; with `known_at`, the books as known then
    (entries booked and commitments executed by that moment)."""
    terms = fund_terms(db)
    partners = terms.partner_ids
    with db.read() as conn:
        before = compute_position(
            conn,
            partners,
            period.opening_day,
            stale_after_days=stale_after_days,
            known_at=known_at,
        )
        after = compute_position(
            conn, partners, period.end, stale_after_days=stale_after_days, known_at=known_at
        )
        if known_at is None:
            opening = balances_as_of(conn, period.opening_day)
            closing = balances_as_of(conn, period.end)
            moves = cash_moves(conn, period.start, period.end)
            committed = [i for i in list_investments(conn) if i.committed_on <= period.end]
        else:
            opening = balances_known(conn, period.opening_day, known_at)
            closing = balances_known(conn, period.end, known_at)
            moves = cash_moves_known(conn, period.start, period.end, known_at)
            committed = investments_known(conn, period.end, known_at)
        return StatementInput(
            fund_name=terms.metadata.title,
            fund_name_uk=terms.metadata.title_uk,
            terms_id=terms.id,
            period=period,
            reporting_currency=terms.reporting_currency,
            opening=_lines(opening),
            closing=_lines(closing),
            nav_opening=before.nav.lines,
            nav_closing=after.nav.lines,
            capital_opening=_positions(before.capital),
            capital_closing=_positions(after.capital),
            capital_to_nav=tuple((BRIDGE_LABELS[k], v) for k, v in after.bridge),
            investments=tuple(
                InvestmentFacts(i.id, i.name, i.currency, i.committed) for i in committed
            ),
            cash_moves=tuple(CashMove(kind, ccy, amount) for kind, ccy, amount in moves),
            performance=after.fund,
            partner_performance=tuple((p, x.performance) for p, x in after.partners.items()),
            warnings=after.warnings,
            complete=after.nav.complete,
            known_at=known_at,
            restated=restated,
        )


def _lines(rows: list[BalanceRow]) -> tuple[BalanceLine, ...]:
    return tuple(BalanceLine(b.account, b.currency, b.amount, b.partner) for b in rows)


def capital_rows(db: Database, period: Period) -> tuple[CapitalRow, ...]:
    """Each partner's capital movement over `period`, as the shadow book compares it."""
    partners = fund_terms(db).partner_ids
    with db.read() as conn:
        before = capital_table(conn, partners, period.opening_day)
        after = capital_table(conn, partners, period.end)
    return capital_movements(_positions(before), _positions(after))


def governance_facts(
    db: Database, actor: User, as_of: date, *, verify: bool = True
) -> GovernanceFacts:
    """What the books and the report log show about reporting and audit on `as_of`.

    With `verify`, the books are re-verified now and the run is written to the report log.
    """
    terms = fund_terms(db)
    end = lock_end(terms)
    findings: int | None = None
    if verify:
        with db.read() as conn:
            findings = len(verify_books(conn).findings)
        digest = hashlib.sha256(str(findings).encode()).hexdigest()
        with door.act(db, actor, "reports.produce", interface=Interface.CLI) as act:
            append_report(act.tx, "verify", as_of.isoformat(), "-", digest, str(findings))
            act.note("reports.produce", f"report:verify:{as_of}", {"findings": findings})
    with db.read() as conn:
        latest = latest_reports(conn)
        statements = tuple(Produced(r.period, r.produced_at) for r in reports_of(conn, "statement"))
        published = tuple(r.period for r in reports_of(conn, "transparency"))
        rows = newest_versions(filing_rows(conn))
        auditors = active_users_with_role(conn, Role.AUDITOR.value)
        in_lock = postings_before(conn, "Equity:Capital:%:Distributions", end) if end else 0
        closed = closed_through(conn)
        kept = len(checkpoints(conn))
    verified = latest.get("verify")
    if not verify and verified is not None and verified.detail.isdigit():
        findings = int(verified.detail)
    return GovernanceFacts(
        as_of=as_of,
        closed_through=closed,
        checkpoints=kept,
        verify_findings=findings,
        verified_at=verified.produced_at if verified else None,
        latest={k: Produced(r.period, r.produced_at) for k, r in latest.items()},
        statement_periods=statements,
        transparency_periods=published,
        auditors=auditors,
        filings=len(rows),
        filings_under_other_terms=sum(1 for r in rows if r.terms_id != terms.id),
        distributions_in_lock=in_lock,
        lock_end=end,
    )


def all_entries(db: Database, progress: Progress | None = None) -> Iterator[PostedEntry]:
    """The whole journal in chain order, a page at a time."""
    done = 0
    with db.read() as conn:
        for page in iter_journal(conn):
            yield from page.entries
            done += len(page.entries)
            if progress is not None:
                progress(done)


def balance_lines(db: Database, as_of: date | None = None) -> list[BalanceLine]:
    """Every account's balance, now or at the end of `as_of`."""
    with db.read() as conn:
        return [
            BalanceLine(b.account, b.currency, b.amount, b.partner)
            for b in balances_as_of(conn, as_of)
        ]


def fund_title(db: Database) -> str:
    """The fund's name, from its adopted term sheet."""
    return fund_terms(db).metadata.title


def fund_title_uk(db: Database) -> str:
    """The fund's name in Ukrainian, as its adopted term sheet gives it ("" when it does not)."""
    return fund_terms(db).metadata.title_uk


def inflow_series(db: Database, actor: User) -> tuple[dict[str, dict[str, float]], list[str]]:
    """The fund's share of eligible filings in USD millions (for a chart), by licence resource
    and month, from the monthly sums the books keep (`store.filing_totals.inflows_by_month`)."""
    require(actor, "filings.read")
    with db.read() as conn:  # licences times months of sums: kept until the books move
        kept = kept_read(conn, db, "inflows_by_month", inflows_by_month)
    series: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for period, resources, usd_minor in kept:
        if not usd_minor:
            continue
        listed = json.loads(resources)
        resource = listed[0] if listed else "unspecified"
        usd = to_decimal(usd_minor, REPORTING_CURRENCY)
        series[resource][period] += float(usd) / 1e6
    months = sorted({m for by_month in series.values() for m in by_month})
    return {k: dict(v) for k, v in series.items()}, months
