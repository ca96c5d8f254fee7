"""The quarterly statement: NAV bridge sums exactly, sections agree with the ledger, PDF renders."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from jointfund import store
from jointfund.fund import report_data
from jointfund.fund.position import translate_line
from jointfund.ledger import Account, Entry, Posting
from jointfund.money import FxRate, RateTable, convert
from jointfund.reports.ledger_exports import BalanceLine
from jointfund.reports.performance import performance
from jointfund.reports.periods import parse_period
from jointfund.reports.rendering import money
from jointfund.reports.statement import FundStatement, build_statement
from jointfund.reports.statement_data import CashMove, StatementInput, TranslatedLine
from jointfund.reports.statement_render import statement_html, statement_pdf
from jointfund.store import Database
from jointfund.store.books import Books

from ..conftest import require_pdf
from .report_fixtures import built_demo, demo_db

__all__ = ["demo_db"]

QUARTERS = ("2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3")


def _statement(db: Database, label: str) -> FundStatement:
    return build_statement(report_data.statement_input(db, parse_period(label)))


def _nav_from_assets(db: Database, day: date) -> int:
    rates = report_data.fund_rates(db)
    total = 0
    for row in Books(db).balances(as_of=day):
        if row.account.startswith(("Assets:", "Liabilities:")) and row.amount:
            total += convert(row.amount, row.currency, "USD", day, rates)
    return total


def _check(s: FundStatement, db: Database) -> None:
    period = s.source.period
    assert s.bridge.explained == s.bridge.closing
    assert s.bridge.opening + sum(a for _, _, a in s.bridge.steps) == s.nav_closing
    assert s.nav_closing == _nav_from_assets(db, period.end)
    assert s.nav_opening == _nav_from_assets(db, period.opening_day)
    for row in s.capital:
        assert (
            row.opening + row.contributions + row.income + row.unrealised - row.distributions
            == row.closing
        )
    assert dict(s.capital_to_nav)["Other"] == 0
    assert sum(v for _, v in s.capital_to_nav) == s.nav_closing
    for cash in s.cash:
        assert cash.opening + sum(m.amount for m in cash.moves) == cash.closing
        assert cash.closing == Books(db).balance(f"Assets:Cash:{cash.currency}", period.end)
    shares = [r.share_closing for r in s.capital]
    assert sum(shares) in (Fraction(0), Fraction(1))


def test_every_quarter_of_the_example_bridges_exactly(demo_db: Database) -> None:
    previous = None
    for label in QUARTERS:
        s = _statement(demo_db, label)
        _check(s, demo_db)
        if previous is not None:
            assert s.nav_opening == previous.nav_closing
        previous = s
    # The first UAH reaches the fund with the 1 April 2026 transfer of the 2025 accruals: the
    # quarter has a contribution and a currency effect on the UAH it holds.
    steps = dict((k, a) for k, _, a in _statement(demo_db, "2026Q2").bridge.steps)
    assert steps["contributions"] > 0 and steps["currency"] != 0


def test_investments_marks_expenses_and_distributions_each_find_their_step(
    sqlite_url: str,
) -> None:
    db = built_demo(sqlite_url)
    books = Books(db)
    opened = date(2026, 4, 1)
    for name in ("Assets:Investments:dobra:Cost", "Assets:Investments:dobra:Valuation"):
        books.open_account(Account(name, "USD", opened))

    def move(key: str, on: date, debit: str, credit: str, amount: int) -> None:
        books.post(
            Entry(
                key,
                on,
                key.split("-")[0],
                (Posting(debit, amount, "USD"), Posting(credit, -amount, "USD")),
            )
        )

    move(
        "investment-1",
        date(2026, 4, 10),
        "Assets:Investments:dobra:Cost",
        "Assets:Cash:USD",
        1_000_000_000,
    )
    move(
        "mark-1",
        date(2026, 5, 20),
        "Assets:Investments:dobra:Valuation",
        "Income:Investment:unrealised",
        200_000_000,
    )
    move("expense-1", date(2026, 6, 1), "Expenses:Operating", "Assets:Cash:USD", 1_000_000)
    move(
        "distribution-1",
        date(2026, 6, 15),
        "Equity:Capital:US:Distributions",
        "Assets:Cash:USD",
        100_000_000,
    )
    s = _statement(db, "2026Q2")
    _check(s, db)
    steps = {k: a for k, _, a in s.bridge.steps}
    assert steps["valuation"] == 200_000_000
    assert steps["distributions"] == -100_000_000
    assert steps["income"] == -1_000_000
    (line,) = s.schedule
    assert (line.cost, line.valuation, line.fair_value) == (
        1_000_000_000,
        200_000_000,
        1_200_000_000,
    )
    assert line.share_of_nav == Fraction(1_200_000_000, s.nav_closing)
    moves = {(m.kind, m.currency): m.amount for c in s.cash for m in c.moves}
    assert moves[("investment", "USD")] == -1_000_000_000
    us = next(r for r in s.capital if r.partner == "US")
    assert us.distributions == 100_000_000
    assert sum(r.unrealised for r in s.capital) == 200_000_000
    assert s.performance.distributed == 100_000_000
    assert s.performance.dpi is not None and s.performance.dpi > 0
    assert s.performance.tvpi == Fraction(
        s.performance.distributed + s.nav_closing, s.performance.paid_in
    )
    db.dispose()


def test_pdf_renders_with_extractable_text(demo_db: Database) -> None:
    require_pdf()
    s = _statement(demo_db, "2026Q1")
    html = statement_html(s, generated=date(2026, 11, 22))
    assert html.count("data:image/png;base64,") == 2
    reader = PdfReader(io.BytesIO(statement_pdf(s, generated=date(2026, 11, 22))))
    assert len(reader.pages) > 0
    text = " ".join(page.extract_text() for page in reader.pages)
    for heading in (
        "NAV bridge",
        "Balance sheet",
        "Schedule of investments",
        "Statement of operations",
        "Statement of cash flows",
        "Partners' capital",
        "TVPI",
    ):
        assert heading in text
    assert money(s.nav_closing) in text


# --- the bridge identity on arbitrary balanced books -------------------------------------

ACCOUNTS = (
    "Equity:Capital:US:Contributions",
    "Equity:Capital:UA:Contributions",
    "Equity:Capital:US:Distributions",
    "Equity:InKind:US",
    "Income:Inflow:royalty",
    "Income:Investment:unrealised",
    "Income:FX",
    "Expenses:Operating",
    "Liabilities:Payable",
    "Assets:Investments:x:Cost",
)
START = date(2026, 1, 1)


@st.composite
def books(draw: st.DrawFn) -> list[tuple[date, list[BalanceLine]]]:
    """Dated balanced entries: USD between any two accounts, UAH receipts via conversion."""
    found = []
    for _ in range(draw(st.integers(1, 12))):
        on = START + timedelta(days=draw(st.integers(0, 180)))
        amount = draw(st.integers(1, 10**9))
        if draw(st.booleans()):
            other = draw(st.sampled_from(ACCOUNTS))
            lines = [
                BalanceLine("Assets:Cash:USD", "USD", amount),
                BalanceLine(other, "USD", -amount),
            ]
        else:
            value = draw(st.integers(1, 10**8))
            lines = [
                BalanceLine("Assets:Cash:UAH", "UAH", amount),
                BalanceLine("Equity:Conversion:UAH", "UAH", -amount),
                BalanceLine("Equity:Conversion:USD", "USD", value),
                BalanceLine(draw(st.sampled_from(ACCOUNTS[:2])), "USD", -value),
            ]
        found.append((on, lines))
    return found


def _as_of(entries: list[tuple[date, list[BalanceLine]]], day: date) -> tuple[BalanceLine, ...]:
    sums: dict[tuple[str, str], int] = defaultdict(int)
    for on, lines in entries:
        if on <= day:
            for line in lines:
                sums[(line.account, line.currency)] += line.amount
    return tuple(BalanceLine(a, c, v) for (a, c), v in sorted(sums.items()) if v)


@settings(max_examples=60, deadline=None)
@given(books(), st.lists(st.decimals("30", "50", places=4), min_size=2, max_size=2))
def test_bridge_sums_exactly_for_any_balanced_books(
    entries: list[tuple[date, list[BalanceLine]]], rates: list[Decimal]
) -> None:
    period = parse_period("2026Q2")
    table = RateTable(
        [
            FxRate(period.opening_day, "USD", "UAH", rates[0]),
            FxRate(period.end, "USD", "UAH", rates[1]),
        ]
    )
    moves: dict[str, int] = defaultdict(int)
    for on, lines in entries:
        if period.start <= on <= period.end:
            for line in lines:
                if line.account.startswith("Assets:Cash:"):
                    moves[line.currency] += line.amount
    opening, closing = _as_of(entries, period.opening_day), _as_of(entries, period.end)

    def nav(lines: tuple[BalanceLine, ...], day: date) -> tuple[TranslatedLine, ...]:
        return tuple(
            translate_line(x.account, x.currency, x.amount, day, table, 7)
            for x in lines
            if x.account.startswith(("Assets:", "Liabilities:"))
        )

    data = StatementInput(
        "fund",
        "terms",
        period,
        "USD",
        opening,
        closing,
        nav(opening, period.opening_day),
        nav(closing, period.end),
        (),
        (),
        (),
        (),
        tuple(CashMove("entry", c, v) for c, v in moves.items() if v),
        performance((), 0, period.end),
    )
    s = build_statement(data)
    assert s.bridge.explained == s.bridge.closing == s.nav_closing
    assert s.nav_closing == sum(x.closing_usd for x in s.balance_sheet)


def test_a_period_end_with_a_stale_fx_rate_is_marked_not_dropped(demo_db: Database) -> None:
    s = _statement(demo_db, "2026Q4")
    with demo_db.read() as conn:
        last = max(r.on for r in store.fx_rates.rate_table(conn) if r.quote == "UAH").isoformat()
    assert f"UAH rate stale as of {last}" in s.source.warnings
    uah = next(x for x in s.balance_sheet if x.currency == "UAH")
    assert uah.closing_usd > 0 and uah.closing_status == "stale"
    html = statement_html(s, generated=date(2026, 12, 6))
    assert f"Note: UAH rate stale as of {last}." in html
