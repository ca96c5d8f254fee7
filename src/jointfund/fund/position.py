"""The fund's position on a date: the one place its numbers are computed.

NAV by line (cash per currency with the rate used and its date, investments at cost and at
mark, other assets, liabilities), every partner's capital account and ownership share, each
partner's share of NAV, paid-in, distributed, IRR and multiples, and the bridge from partners'
capital to NAV. `metrics` (CLI and API), the overview, the statements (page and PDF) and
recoupment all read this result; none computes its own.

FX honesty: a foreign balance is translated at the latest rate on or before the date, however
old; a rate older than `stale_after_days` marks the figure "stale as of <rate date>", and a
balance with no rate at all is kept as a line without a USD value and marks the NAV
incomplete. A balance is never dropped silently: each case becomes a warning every surface
shows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from jointfund import store
from jointfund.fund.capital import PREFIXES, CapitalTable, compute_capital
from jointfund.fund.kept_reads import kept_read
from jointfund.fund.setup import terms_in_force
from jointfund.governance import User, require
from jointfund.ledger import chart, in_subtree
from jointfund.ledger.capital import CapitalAccount
from jointfund.money import MissingRateError, RateTable, allocate
from jointfund.money.rounding import DEFAULT_ROUNDING, round_ratio
from jointfund.reports.performance import Performance, performance
from jointfund.reports.statement_data import PartnerFlow, TranslatedLine
from jointfund.store import Database, Tx
from jointfund.store.balances import BalanceRow
from jointfund.store.fx_rates import rates_in_force
from jointfund.store.journal import JournalLine, journal_lines
from jointfund.store.known import balances_known

USD = chart.REPORTING_CURRENCY
FX_STALE_DAYS = 7
# Any rate on or before the day is used; its age only decides the "stale" mark.
_ANY_AGE = 100 * 366

BRIDGE_LABELS = {
    "partners_capital": "Partners' capital",
    "unallocated_results": "Results not yet allocated",
    "in_kind_outside": "In-kind aid held outside the fund",
    "unrealised_translation": "Unrealised currency translation",
    "other": "Other",
}


@dataclass(frozen=True, slots=True)
class Nav:
    """Net asset value in USD minor units, line by line, and whether every line has a value."""

    lines: tuple[TranslatedLine, ...]

    def _sum(self, *kinds: str) -> int:
        return sum(line.usd or 0 for line in self.lines if _kind(line.account) in kinds)

    @property
    def cash_lines(self) -> tuple[TranslatedLine, ...]:
        """Cash per account and currency, with the rate used and its date."""
        return tuple(line for line in self.lines if _kind(line.account) == "cash")

    @property
    def cash(self) -> int:
        """Cash in USD (lines without a rate count nothing and make the NAV incomplete)."""
        return self._sum("cash")

    @property
    def investments_cost(self) -> int:
        """Investments at cost, in USD."""
        return self._sum("cost")

    @property
    def investments_mark(self) -> int:
        """Valuation marks over cost, in USD."""
        return self._sum("mark")

    @property
    def investments(self) -> int:
        """Investments at carrying value (cost plus marks), in USD."""
        return self._sum("cost", "mark")

    @property
    def other_assets(self) -> int:
        """Assets that are neither cash nor investments, in USD."""
        return self._sum("other")

    @property
    def liabilities(self) -> int:
        """Liabilities in USD (credits, so negative)."""
        return self._sum("liability")

    @property
    def total(self) -> int:
        """Assets less liabilities: every line that has a USD value."""
        return sum(line.usd or 0 for line in self.lines)

    @property
    def complete(self) -> bool:
        """True when every balance could be translated."""
        return all(line.usd is not None for line in self.lines)

    @property
    def untranslated(self) -> Mapping[str, int]:
        """Balances with no rate at all, by account (local minor units)."""
        return {line.account: line.amount for line in self.lines if line.usd is None}


@dataclass(frozen=True, slots=True)
class PartnerPosition:
    """One partner on the date: capital account, share of NAV and performance."""

    capital: CapitalAccount
    nav_share: int
    performance: Performance
    in_kind: int
    inflows: int

    @property
    def cash_contributions(self) -> int:
        """Contributed capital paid in cash (neither in kind nor credited from inflows)."""
        return self.capital.contributions - self.in_kind - self.inflows

    @property
    def partner(self) -> str:
        """The partner's id."""
        return self.capital.partner

    @property
    def closing(self) -> int:
        """Closing capital."""
        return self.capital.closing

    @property
    def share(self) -> Fraction:
        """Ownership share."""
        return self.capital.share

    @property
    def nav_difference(self) -> int:
        """Share of NAV less closing capital: its part of the bridge items beyond capital."""
        return self.nav_share - self.capital.closing


@dataclass(frozen=True, slots=True)
class Position:
    """Everything the fund's numbers on one date are read from."""

    as_of: date
    stale_after_days: int
    nav: Nav
    capital: CapitalTable
    partners: Mapping[str, PartnerPosition]
    fund: Performance
    flows: tuple[PartnerFlow, ...]
    bridge: tuple[tuple[str, int], ...]
    warnings: tuple[str, ...]

    @property
    def partner_nav(self) -> dict[str, int]:
        """Each partner's share of NAV."""
        return {p: x.nav_share for p, x in self.partners.items()}


def _kind(account: str) -> str:
    if account.startswith("Liabilities"):
        return "liability"
    if in_subtree(account, "Assets:Cash"):
        return "cash"
    if in_subtree(account, "Assets:Investments"):
        return "mark" if account.endswith(":Valuation") else "cost"
    return "other"


def translate_line(
    account: str, currency: str, amount: int, on: date, rates: RateTable, stale_after_days: int
) -> TranslatedLine:
    """One balance in USD at the latest rate on or before `on`, marked stale or missing."""
    if currency == USD:
        return TranslatedLine(account, currency, amount, amount, None, None, "base")
    try:
        numerator, denominator, used = rates.factor(currency, USD, on, max_age_days=_ANY_AGE)
    except MissingRateError:
        return TranslatedLine(account, currency, amount, None, None, None, "missing")
    usd = round_ratio(amount * numerator, denominator, DEFAULT_ROUNDING)
    stale = (on - used.on).days > stale_after_days
    # The rate as published (the NBU quotes UAH per USD), with the day it was published.
    return TranslatedLine(
        account, currency, amount, usd, used.rate, used.on, "stale" if stale else "current"
    )


def nav_lines(
    conn: Tx, as_of: date, rates: RateTable, stale_after_days: int = FX_STALE_DAYS
) -> Nav:
    """Every asset and liability balance at the end of `as_of`, translated to USD."""
    return nav_of(store.balances.balances_as_of(conn, as_of), as_of, rates, stale_after_days)


def nav_of(rows: Sequence[BalanceRow], as_of: date, rates: RateTable, stale_after_days: int) -> Nav:
    """NAV from balance rows: every asset and liability line, translated to USD."""
    lines = [
        translate_line(row.account, row.currency, row.amount, as_of, rates, stale_after_days)
        for row in rows
        if row.account.split(":", 1)[0] in ("Assets", "Liabilities")
    ]
    return Nav(tuple(lines))


def fx_warnings(nav: Nav) -> tuple[str, ...]:
    """One line per currency whose rate is stale or missing, as every surface prints it."""
    found: dict[str, str] = {}
    for line in nav.lines:
        if line.status == "stale" and line.rate_date is not None:
            found.setdefault(line.currency, f"{line.currency} rate stale as of {line.rate_date}")
        elif line.status == "missing":
            found[line.currency] = (
                f"{line.currency} has no rate on or before the date: NAV is incomplete "
                f"({line.account} not translated)"
            )
    return tuple(found[c] for c in sorted(found))


def flows_of(lines: Sequence[JournalLine], partners: Sequence[str]) -> tuple[PartnerFlow, ...]:
    """Each partner's dated flows: postings to its contributions (paid in; corrections of
    contributions net against them) and to its distributions; nothing else is a flow."""
    found: list[PartnerFlow] = []
    for line in lines:
        if line.currency != USD:
            continue
        for p in partners:
            if line.account in (chart.capital_contributions(p), chart.capital_root(p)):
                found.append(PartnerFlow(line.effective_date, p, line.amount, "paid_in", line.kind))
            elif line.account == chart.capital_distributions(p):
                found.append(
                    PartnerFlow(line.effective_date, p, line.amount, "distribution", line.kind)
                )
    return tuple(sorted(found, key=lambda f: (f.on, f.partner)))


def _usd_equity(rows: Sequence[BalanceRow]) -> dict[str, int]:
    found: dict[str, int] = {}
    for row in rows:
        if row.currency == USD and row.account.startswith("Equity:"):
            found[row.account] = found.get(row.account, 0) + row.amount
    return found


def _bridge(
    equity: Mapping[str, int], nav: Nav, table: CapitalTable
) -> tuple[tuple[str, int], ...]:
    """From partners' capital to NAV: what NAV holds beyond the capital accounts."""
    in_kind = -sum(v for a, v in equity.items() if a.startswith("Equity:InKind:"))
    booked_foreign = sum(v for a, v in equity.items() if a.startswith("Equity:Conversion:"))
    translated_foreign = sum(line.usd or 0 for line in nav.lines if line.currency != USD)
    items = [
        ("partners_capital", sum(a.closing for a in table.accounts.values())),
        ("unallocated_results", table.unallocated),
        ("in_kind_outside", in_kind),
        ("unrealised_translation", translated_foreign - booked_foreign),
    ]
    items.append(("other", nav.total - sum(v for _, v in items)))
    return tuple(items)


def compute_position(
    conn: Tx,
    partners: Sequence[str],
    as_of: date,
    *,
    stale_after_days: int = FX_STALE_DAYS,
    known_at: str | None = None,
) -> Position:
    """The position on `as_of` (end of day) inside an open read transaction; with `known_at`
    (a stored timestamp), only entries booked by then count (the books as known then)."""
    lines = journal_lines(conn, PREFIXES, as_of, known_at)
    if known_at is None:
        balances = store.balances.balances_as_of(conn, as_of)
    else:
        balances = balances_known(conn, as_of, known_at)
    table = compute_capital(lines, partners, as_of)
    nav = nav_of(balances, as_of, rates_in_force(conn, as_of), stale_after_days)
    shares = [table.accounts[p].share for p in partners]
    parts = allocate(nav.total, shares) if any(shares) else [0] * len(partners)
    flows = flows_of(lines, partners)
    equity = _usd_equity(balances)
    by_partner = {
        p: PartnerPosition(
            table.accounts[p],
            part,
            performance([f for f in flows if f.partner == p], part, as_of),
            in_kind=equity.get(chart.in_kind_offset(p), 0),
            inflows=-sum(
                f.amount for f in flows if f.partner == p and f.entry_kind.startswith("inflow")
            ),
        )
        for p, part in zip(partners, parts, strict=True)
    }
    return Position(
        as_of=as_of,
        stale_after_days=stale_after_days,
        nav=nav,
        capital=table,
        partners=by_partner,
        fund=performance(flows, nav.total, as_of),
        flows=flows,
        bridge=_bridge(equity, nav, table),
        warnings=fx_warnings(nav),
    )


def position_in(conn: Tx, as_of: date, *, stale_after_days: int = FX_STALE_DAYS) -> Position:
    """The position on `as_of` for the partners of the terms in force then."""
    partners = terms_in_force(conn, as_of).partner_ids
    return compute_position(conn, partners, as_of, stale_after_days=stale_after_days)


def fund_position(
    db: Database, actor: User, *, as_of: date, stale_after_days: int = FX_STALE_DAYS
) -> Position:
    """The fund's position on `as_of`: NAV by line, capital, shares, performance, bridge."""
    require(actor, "metrics.read")
    with db.read() as conn:  # the whole journal's capital lines: kept until the books move
        return kept_read(
            conn,
            db,
            ("position", as_of, stale_after_days),
            lambda tx: position_in(tx, as_of, stale_after_days=stale_after_days),
        )
