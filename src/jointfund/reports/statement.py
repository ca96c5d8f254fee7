"""The quarterly fund statement (ILPA-style sections) and its NAV bridge, from plain inputs.

NAV is net assets in the reporting currency: USD asset and liability balances plus every other
currency's balances translated at the rate in force on the day. Because every entry balances
per currency, the change in USD assets equals minus the change in all other USD accounts, so
the bridge is built from those accounts by group and sums to the closing NAV exactly; the
currency effect adds the change in translated foreign holdings less their booked USD value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from jointfund.errors import IntegrityError
from jointfund.i18n import N_, gettext
from jointfund.i18n.message import Message
from jointfund.ledger import chart
from jointfund.reports.ledger_exports import BalanceLine
from jointfund.reports.performance import Performance
from jointfund.reports.statement_data import CapitalPosition, CashMove, StatementInput

# Step labels stay English in the data; a report says them in its language (`report_words`).
BRIDGE_STEPS = (
    ("contributions", N_("Contributions")),
    ("income", N_("Income less expenses")),
    ("valuation", N_("Valuation change")),
    ("currency", N_("Currency effect")),
    ("distributions", N_("Distributions")),
    ("other", N_("Other equity movements")),
)
_UNREALISED = chart.investment_income("unrealised")
_FX = chart.fx_result()
_CAPITAL_LEAVES = {
    "Contributions": "contributions",
    "Income": "income",
    "Distributions": "distributions",
}


def bridge_group(account: str) -> str:
    """Which NAV-bridge step a non-asset USD account's movement belongs to."""
    parts = account.split(":")
    if parts[0] == "Equity" and len(parts) >= 3 and parts[1] == "Capital":
        leaf = parts[3] if len(parts) > 3 else "Contributions"
        return _CAPITAL_LEAVES.get(leaf, "other")
    if parts[0] == "Equity" and parts[1] == "InKind":
        return "contributions"
    if account == _UNREALISED:
        return "valuation"
    if account == _FX or (parts[0] == "Equity" and parts[1] == "Conversion"):
        return "currency"
    if parts[0] in ("Income", "Expenses"):
        return "income"
    return "other"


def is_net_asset(account: str) -> bool:
    """Assets and liabilities make up NAV; everything else explains it."""
    return account.startswith(("Assets:", "Liabilities:"))


@dataclass(frozen=True, slots=True)
class BalanceSheetLine:
    """An asset or liability account at both ends of the period, local and translated (a
    balance without any rate counts 0 and is named in the statement's warnings)."""

    account: str
    currency: str
    opening: int
    closing: int
    opening_usd: int
    closing_usd: int
    closing_rate: Decimal | None = None
    closing_rate_date: date | None = None
    closing_status: str = "base"


@dataclass(frozen=True, slots=True)
class OperationsLine:
    """An income or expense account's result for the period (positive raises net assets)."""

    account: str
    amount: int


@dataclass(frozen=True, slots=True)
class CashSummary:
    """One currency's cash: opening, movements by entry kind, closing."""

    currency: str
    opening: int
    moves: tuple[CashMove, ...]
    closing: int


@dataclass(frozen=True, slots=True)
class CapitalRow:
    """A partner's capital account movement over the period (USD minor units)."""

    partner: str
    opening: int
    contributions: int
    income: int
    unrealised: int
    distributions: int
    closing: int
    share_opening: Fraction
    share_closing: Fraction


@dataclass(frozen=True, slots=True)
class ScheduleLine:
    """One investment at period end: cost, unrealised change, fair value and weight in NAV."""

    id: str
    name: str
    currency: str
    committed: int
    cost: int
    valuation: int
    fair_value: int
    fair_value_usd: int
    share_of_nav: Fraction


@dataclass(frozen=True, slots=True)
class NavBridge:
    """Opening NAV, its movements by cause, closing NAV; the steps sum exactly."""

    opening: int
    steps: tuple[tuple[str, str, int], ...]
    closing: int

    @property
    def explained(self) -> int:
        """Opening plus every step: equals `closing` by construction."""
        return self.opening + sum(amount for _, _, amount in self.steps)


@dataclass(frozen=True, slots=True)
class FundStatement:
    """Every section of the quarterly report."""

    source: StatementInput
    balance_sheet: tuple[BalanceSheetLine, ...]
    nav_opening: int
    nav_closing: int
    schedule: tuple[ScheduleLine, ...]
    operations: tuple[OperationsLine, ...]
    translation: int
    cash: tuple[CashSummary, ...]
    capital: tuple[CapitalRow, ...]
    capital_to_nav: tuple[tuple[str, int], ...]
    performance: Performance
    bridge: NavBridge

    @property
    def title(self) -> str:
        """The statement's title, in the language in force: says so when NAV is incomplete or
        the statement restated."""
        period = self.source.period.label
        title = gettext(N_("Quarterly report {period}")).format(period=period)
        if not self.source.complete:
            title += " " + gettext(N_("(NAV incomplete: a balance has no FX rate)"))
        if self.source.restated:
            title += " " + gettext(N_("(restated)"))
        return title

    @property
    def net_operations(self) -> int:
        """Net increase in net assets from operations, translation included."""
        return sum(line.amount for line in self.operations) + self.translation


def _by_key(lines: Iterable[BalanceLine]) -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], int] = defaultdict(int)
    for line in lines:
        found[(line.account, line.currency)] += line.amount
    return found


def _balance_sheet(data: StatementInput) -> tuple[BalanceSheetLine, ...]:
    opening = {(x.account, x.currency): x for x in data.nav_opening}
    closing = {(x.account, x.currency): x for x in data.nav_closing}
    lines = []
    for key in sorted(set(opening) | set(closing)):
        o, c = opening.get(key), closing.get(key)
        lines.append(
            BalanceSheetLine(
                key[0],
                key[1],
                o.amount if o else 0,
                c.amount if c else 0,
                (o.usd or 0) if o else 0,
                (c.usd or 0) if c else 0,
                c.rate if c else None,
                c.rate_date if c else None,
                c.status if c else "base",
            )
        )
    return tuple(lines)


def _non_asset_usd(lines: Iterable[BalanceLine], usd: str) -> dict[str, int]:
    found: dict[str, int] = defaultdict(int)
    for line in lines:
        if line.currency == usd and not is_net_asset(line.account):
            found[line.account] += line.amount
    return found


def _bridge(data: StatementInput, sheet: tuple[BalanceSheetLine, ...]) -> NavBridge:
    usd = data.reporting_currency
    before, after = _non_asset_usd(data.opening, usd), _non_asset_usd(data.closing, usd)
    steps: dict[str, int] = dict.fromkeys((k for k, _ in BRIDGE_STEPS), 0)
    for account in set(before) | set(after):
        steps[bridge_group(account)] -= after.get(account, 0) - before.get(account, 0)
    foreign = [line for line in sheet if line.currency != usd]
    steps["currency"] += sum(x.closing_usd - x.opening_usd for x in foreign)
    opening = sum(x.opening_usd for x in sheet)
    closing = sum(x.closing_usd for x in sheet)
    bridge = NavBridge(opening, tuple((k, label, steps[k]) for k, label in BRIDGE_STEPS), closing)
    if bridge.explained != closing:
        # Only a ledger that does not balance per currency can get here.
        raise IntegrityError(
            Message(
                "NAV bridge does not close: {explained} explained, {closing} reported",
                explained=bridge.explained,
                closing=closing,
            )
        )
    return bridge


def _operations(data: StatementInput) -> tuple[OperationsLine, ...]:
    usd = data.reporting_currency
    before, after = _non_asset_usd(data.opening, usd), _non_asset_usd(data.closing, usd)
    lines = []
    for account in sorted(set(before) | set(after)):
        if account.startswith(("Income:", "Expenses:")):
            change = -(after.get(account, 0) - before.get(account, 0))
            if change or account in after:
                lines.append(OperationsLine(account, change))
    return tuple(lines)


def _translation(data: StatementInput, sheet: tuple[BalanceSheetLine, ...]) -> int:
    usd = data.reporting_currency
    before, after = _non_asset_usd(data.opening, usd), _non_asset_usd(data.closing, usd)
    booked = sum(
        after.get(a, 0) - before.get(a, 0)
        for a in set(before) | set(after)
        if a.startswith("Equity:Conversion:")
    )
    moved = sum(x.closing_usd - x.opening_usd for x in sheet if x.currency != usd)
    return moved - booked


def _cash(data: StatementInput) -> tuple[CashSummary, ...]:
    opening, closing = _by_key(data.opening), _by_key(data.closing)
    currencies = sorted(
        {c for (a, c) in (*opening, *closing) if a.startswith("Assets:Cash:")}
        | {m.currency for m in data.cash_moves}
    )
    found = []
    for ccy in currencies:
        o = sum(v for (a, c), v in opening.items() if c == ccy and a.startswith("Assets:Cash:"))
        c_ = sum(v for (a, c), v in closing.items() if c == ccy and a.startswith("Assets:Cash:"))
        moves = tuple(
            sorted((m for m in data.cash_moves if m.currency == ccy), key=lambda m: m.kind)
        )
        if o + sum(m.amount for m in moves) != c_:
            raise IntegrityError(
                Message("{currency} cash movements do not explain the change in cash", currency=ccy)
            )
        found.append(CashSummary(ccy, o, moves, c_))
    return tuple(found)


def capital_movements(
    opening: Iterable[CapitalPosition], closing: Iterable[CapitalPosition]
) -> tuple[CapitalRow, ...]:
    """Each partner's capital movement between two positions."""
    before: Mapping[str, CapitalPosition] = {c.partner: c for c in opening}
    rows = []
    for after in closing:
        zero = CapitalPosition(after.partner, 0, 0, 0, 0, Fraction(0))
        b = before.get(after.partner, zero)
        rows.append(
            CapitalRow(
                after.partner,
                b.closing,
                after.contributions - b.contributions,
                after.income - b.income,
                after.unrealised - b.unrealised,
                after.distributions - b.distributions,
                after.closing,
                b.share,
                after.share,
            )
        )
    return tuple(rows)


def build_statement(data: StatementInput) -> FundStatement:
    """Every section of the quarterly statement from the gathered inputs."""
    usd = data.reporting_currency
    sheet = _balance_sheet(data)
    bridge = _bridge(data, sheet)
    capital = capital_movements(data.capital_opening, data.capital_closing)
    investments = {i.id: i for i in data.investments}
    closing = _by_key(data.closing)
    ids = sorted(
        {a.split(":")[2] for (a, _) in closing if a.startswith("Assets:Investments:")}
        | set(investments)
    )
    schedule = []
    for inv_id in ids:
        facts = investments.get(inv_id)
        ccy = facts.currency if facts else usd
        cost = closing.get((chart.investment_cost(inv_id), ccy), 0)
        valuation = closing.get((chart.investment_valuation(inv_id), ccy), 0)
        fair_usd = sum(
            x.closing_usd
            for x in sheet
            if x.currency == ccy
            and x.account in (chart.investment_cost(inv_id), chart.investment_valuation(inv_id))
        )
        schedule.append(
            ScheduleLine(
                inv_id,
                facts.name if facts else inv_id,
                ccy,
                facts.committed if facts else 0,
                cost,
                valuation,
                cost + valuation,
                fair_usd,
                Fraction(fair_usd, bridge.closing) if bridge.closing else Fraction(0),
            )
        )
    return FundStatement(
        source=data,
        balance_sheet=sheet,
        nav_opening=bridge.opening,
        nav_closing=bridge.closing,
        schedule=tuple(schedule),
        operations=_operations(data),
        translation=_translation(data, sheet),
        cash=_cash(data),
        capital=capital,
        capital_to_nav=data.capital_to_nav,
        performance=data.performance,
        bridge=bridge,
    )
