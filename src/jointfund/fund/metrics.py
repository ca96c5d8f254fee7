"""Fund and partner performance: NAV, IRR (XIRR), TVPI, DPI, RVPI, and comparison lines.

Cash flows are seen from each partner: contributions paid in (cash, and in kind at the approved
value) are negative, distributions positive, and the partner's share of NAV is the terminal
value. During the reinvestment lock DPI is 0, so TVPI equals RVPI and rests on NAV alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from fractions import Fraction

import pyxirr

from jointfund import store
from jointfund.fund.capital import PREFIXES, CapitalTable, compute_capital
from jointfund.fund.setup import terms_in_force
from jointfund.governance import User, require
from jointfund.ledger import chart, in_subtree
from jointfund.money import MissingRateError, allocate, convert
from jointfund.store import Database, Tx
from jointfund.store.fx_rates import rate_table
from jointfund.store.journal import JournalLine, journal_lines

USD = chart.REPORTING_CURRENCY


@dataclass(frozen=True, slots=True)
class Nav:
    """Net asset value in USD minor units: cash + investments at carrying value − liabilities."""

    cash: int
    investments: int
    other_assets: int
    liabilities: int
    untranslated: Mapping[str, int]

    @property
    def total(self) -> int:
        """Assets less liabilities (liabilities are stored as credits, so they add negatively)."""
        return self.cash + self.investments + self.other_assets + self.liabilities


@dataclass(frozen=True, slots=True)
class Performance:
    """Multiples as exact fractions (None before anything is paid in) and IRR as a float."""

    paid_in: int
    distributed: int
    nav: int
    irr: float | None
    tvpi: Fraction | None
    dpi: Fraction | None
    rvpi: Fraction | None


COMPARISON_LINE = "comparison line, not a debt"


@dataclass(frozen=True, slots=True)
class RecoupmentTarget:
    """A comparison line: a published sum a partner's receipts and value are set against.

    Not a debt: the signed Agreement creates no debt and counts no aid given before it
    (fund-facts-2026.md D9); the lines only say how the fund compares with figures in the
    public debate.
    """

    id: str
    partner: str
    amount_minor: int
    label: str
    source: str
    nature: str = COMPARISON_LINE


# fund-facts.md §5 "U.S. government (USD)": State Department, $66.9 bn of military assistance
# since 24 Feb 2022; §1.1-1.2: the "$500 bn" of the February 2025 draft Ukraine rejected.
TARGETS: tuple[RecoupmentTarget, ...] = (
    RecoupmentTarget(
        "us-military-aid-since-2022",
        "US",
        66_900_000_000_00,
        "Comparison line: U.S. military assistance to Ukraine since 24 Feb 2022 ($66.9 bn, "
        "State Department); past aid the Agreement does not count, not a debt",
        "https://factually.co/fact-checks/military/us-military-aid-to-ukraine-annual-cumulative-2014-2025-bea8e3",
    ),
    RecoupmentTarget(
        "demanded-500bn",
        "US",
        500_000_000_000_00,
        "Comparison line: the $500 bn of the rejected February 2025 draft; not in the signed "
        "Agreement, not a debt",
        "https://www.pravda.com.ua/eng/news/2025/02/24/7499900/",
    ),
)


@dataclass(frozen=True, slots=True)
class Recoupment:
    """How far a partner has got toward a target: in cash received, and counting its NAV share."""

    target: RecoupmentTarget
    received: int
    value: int

    @property
    def received_share(self) -> Fraction:
        """Distributions received over the target."""
        return Fraction(self.received, self.target.amount_minor)

    @property
    def value_share(self) -> Fraction:
        """Distributions plus NAV share over the target."""
        return Fraction(self.value, self.target.amount_minor)


@dataclass(frozen=True, slots=True)
class FundMetrics:
    """Everything `jointfund metrics` reports on one date."""

    as_of: date
    nav: Nav
    capital: CapitalTable
    fund: Performance
    partners: Mapping[str, Performance]
    partner_nav: Mapping[str, int]
    recoupment: Sequence[Recoupment]


def nav_on(conn: Tx, as_of: date | None) -> Nav:
    """The fund's NAV on `as_of` in USD: other currencies translated at the latest central-bank
    rate on or before that day (within a month); a balance with no such rate stays untranslated."""
    cash = investments = other = liabilities = 0
    untranslated: dict[str, int] = {}
    rates = rate_table(conn)
    day = as_of or datetime.now(UTC).date()
    for row in store.balances.balances_as_of(conn, as_of):
        root = row.account.split(":", 1)[0]
        if root not in ("Assets", "Liabilities"):
            continue
        amount = row.amount
        if row.currency != USD:
            try:
                amount = convert(amount, row.currency, USD, day, rates, max_age_days=31)
            except MissingRateError:
                untranslated[row.account] = row.amount
                continue
        if root == "Liabilities":
            liabilities += amount
        elif in_subtree(row.account, "Assets:Cash"):
            cash += amount
        elif in_subtree(row.account, "Assets:Investments"):
            investments += amount
        else:
            other += amount
    return Nav(cash, investments, other, liabilities, untranslated)


def flows_of(
    lines: Iterable[JournalLine], partners: Sequence[str]
) -> dict[str, list[tuple[date, int]]]:
    """Each partner's dated cash flows as it sees them: paid in < 0, distributions > 0."""
    flows: dict[str, list[tuple[date, int]]] = {p: [] for p in partners}
    for line in lines:
        if line.currency != USD:
            continue
        for p in partners:
            if line.account in (
                chart.capital_contributions(p),
                chart.capital_root(p),
            ) or line.account == chart.capital_distributions(p):
                flows[p].append((line.effective_date, line.amount))
    return flows


def performance(flows: Sequence[tuple[date, int]], nav: int, as_of: date) -> Performance:
    """IRR and multiples of dated flows (paid in < 0) with `nav` as the value on `as_of`."""
    paid_in = -sum(a for _, a in flows if a < 0)
    distributed = sum(a for _, a in flows if a > 0)
    if not paid_in:
        return Performance(0, distributed, nav, None, None, None, None)
    dates = [d for d, _ in flows] + [as_of]
    amounts = [a / 100 for _, a in flows] + [nav / 100]
    try:
        irr = pyxirr.xirr(dates, amounts)
    except (pyxirr.InvalidPaymentsError, ValueError):
        irr = None
    return Performance(
        paid_in,
        distributed,
        nav,
        None if irr is None else float(irr),
        Fraction(distributed + nav, paid_in),
        Fraction(distributed, paid_in),
        Fraction(nav, paid_in),
    )


def compute_metrics(conn: Tx, partners: Sequence[str], as_of: date) -> FundMetrics:
    """Metrics on `as_of` inside an open transaction."""
    lines = journal_lines(conn, PREFIXES, as_of)
    table = compute_capital(lines, partners, as_of)
    nav = nav_on(conn, as_of)
    shares = [table.accounts[p].share for p in partners]
    parts = allocate(nav.total, shares) if any(shares) else [0] * len(partners)
    partner_nav = dict(zip(partners, parts, strict=True))
    flows = flows_of(lines, partners)
    per_partner = {p: performance(flows[p], partner_nav[p], as_of) for p in partners}
    fund = performance(sorted(f for p in partners for f in flows[p]), nav.total, as_of)
    recoupment = [
        Recoupment(
            t,
            per_partner[t.partner].distributed,
            per_partner[t.partner].distributed + partner_nav[t.partner],
        )
        for t in TARGETS
        if t.partner in per_partner
    ]
    return FundMetrics(as_of, nav, table, fund, per_partner, partner_nav, recoupment)


def fund_metrics(db: Database, actor: User, *, as_of: date) -> FundMetrics:
    """NAV, capital, IRR/TVPI/DPI/RVPI for the fund and each partner, and recoupment, on `as_of`."""
    require(actor, "metrics.read")
    with db.read() as conn:
        return compute_metrics(conn, terms_in_force(conn, as_of).partner_ids, as_of)
