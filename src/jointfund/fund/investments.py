"""Investments: board commitments, disbursements, valuation marks and write-downs, proceeds.

Proceeds stay in the fund as cash; splitting them into return of capital and gain keeps the
cost account equal to what is still invested.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from jointfund import store
from jointfund.errors import GovernanceError, InputError, NotFoundError, Problem
from jointfund.fund import door
from jointfund.fund.setup import terms_in_force
from jointfund.governance import Interface, Proposal, User, payloads, require
from jointfund.i18n.message import Message
from jointfund.ledger import Entry, Posting, chart
from jointfund.money import format_amount
from jointfund.store import Database, Tx
from jointfund.store.accounts import open_accounts_for
from jointfund.store.investments import (
    InvestmentRow,
    MarkRow,
    get_investment,
    insert_investment,
    insert_mark,
    list_investments,
)
from jointfund.store.journal import entry_exists
from jointfund.store.posting import post_batch
from jointfund.terms import TermSheet

USD = chart.REPORTING_CURRENCY


@dataclass(frozen=True, slots=True)
class Holding:
    """An investment's position: committed, at cost, unrealised change, carrying value."""

    investment: InvestmentRow
    cost: int
    valuation: int

    @property
    def carrying(self) -> int:
        """Cost plus unrealised change: the fair value the books carry."""
        return self.cost + self.valuation

    @property
    def undrawn(self) -> int:
        """Commitment not yet disbursed (never below zero after a return of capital)."""
        return max(self.investment.committed - self.cost, 0)


def _balance(conn: Tx, account: str, as_of: date | None) -> int:
    try:
        return store.balances.balance(conn, account, as_of)
    except NotFoundError:
        return 0


def holding(conn: Tx, investment_id: str, as_of: date | None = None) -> Holding:
    """An investment's cost and valuation balances on `as_of` (or now)."""
    row = get_investment(conn, investment_id)
    return Holding(
        row,
        _balance(conn, chart.investment_cost(row.id), as_of),
        _balance(conn, chart.investment_valuation(row.id), as_of),
    )


def holdings(db: Database, actor: User, as_of: date | None = None) -> list[Holding]:
    """Every investment's position."""
    require(actor, "investments.read")
    with db.read() as conn:
        return [holding(conn, i.id, as_of) for i in list_investments(conn)]


def position(db: Database, actor: User, investment_id: str) -> Holding:
    """One investment's position now (a NotFoundError names an unknown investment)."""
    require(actor, "investments.read")
    with db.read() as conn:
        return holding(conn, investment_id)


# --- proposals ---------------------------------------------------------------------------


def validate_commitment(conn: Tx, payload: Mapping[str, Any], terms: TermSheet) -> None:
    """Check an investment payload, and that its id is new."""
    parsed = payloads.investment(payload)
    try:
        get_investment(conn, parsed.investment_id)
    except NotFoundError:
        return
    raise GovernanceError(
        Message("investment {investment_id} exists already", investment_id=parsed.investment_id)
    )


def execute_commitment(conn: Tx, proposal: Proposal, terms: TermSheet) -> list[Entry]:
    """Record the commitment; money moves only with each disbursement, so no entry yet."""
    parsed = payloads.investment(proposal.payload)
    insert_investment(
        conn,
        InvestmentRow(
            parsed.investment_id,
            parsed.name,
            parsed.currency,
            parsed.amount_minor,
            parsed.on,
            proposal.id,
        ),
    )
    return []


def _mark_entry(
    conn: Tx, proposal: Proposal, mark: payloads.MarkPayload, *, kind: str
) -> list[Entry]:
    position = holding(conn, mark.investment_id, mark.on)
    delta = mark.fair_value_minor - position.carrying
    insert_mark(
        conn, MarkRow(mark.investment_id, mark.on, mark.fair_value_minor, mark.method, proposal.id)
    )
    if delta == 0:
        return []
    return [
        Entry(
            key=f"proposal:{proposal.id}",
            effective_date=mark.on,
            kind=kind,
            postings=(
                Posting(chart.investment_valuation(mark.investment_id), delta, USD),
                Posting(chart.investment_income("unrealised"), -delta, USD),
            ),
            memo=f"{mark.investment_id} carried at fair value by {mark.method}",
            metadata={
                "investment": mark.investment_id,
                "fair_value": mark.fair_value_minor,
                "method": mark.method,
                "proposal_id": proposal.id,
            },
        )
    ]


def _funded_mark(conn: Tx, payload: Mapping[str, Any]) -> payloads.MarkPayload:
    """A valuation mark of a known investment that has money in it on the mark's date.

    A commitment with nothing disbursed has no cost to mark up from: marking it to fair value
    would put an asset in NAV that the fund never paid for.
    """
    mark = payloads.mark(payload, default_method="fair value")
    position = holding(conn, mark.investment_id, mark.on)
    if position.cost <= 0:
        disbursed = format_amount(position.cost, position.investment.currency, grouping=True)
        committed = format_amount(
            position.investment.committed, position.investment.currency, grouping=True
        )
        raise InputError(
            [
                Problem(
                    Message(
                        "investment {investment_id} has {disbursed} {currency} disbursed on {on} "
                        "(committed {committed}): a valuation mark needs money invested; disburse "
                        "first",
                        investment_id=mark.investment_id,
                        disbursed=disbursed,
                        currency=position.investment.currency,
                        on=mark.on,
                        committed=committed,
                    ),
                    field="investment_id",
                    expected=Message("an investment with a disbursed amount above zero"),
                )
            ]
        )
    return mark


def validate_mark(conn: Tx, payload: Mapping[str, Any], terms: TermSheet) -> None:
    """Check a valuation_mark payload names a known investment with money disbursed."""
    _funded_mark(conn, payload)


def execute_mark(conn: Tx, proposal: Proposal, terms: TermSheet) -> list[Entry]:
    """Move the valuation account so cost + valuation equals the fair value marked."""
    mark = _funded_mark(conn, proposal.payload)
    return _mark_entry(conn, proposal, mark, kind="valuation_mark")


def _write_down(conn: Tx, payload: Mapping[str, Any]) -> payloads.MarkPayload:
    mark = payloads.mark(payload, default_method="write-down")
    position = holding(conn, mark.investment_id, mark.on)
    if mark.fair_value_minor >= position.carrying:
        raise GovernanceError(
            Message(
                "a write-down must lower {investment_id} below its carrying value {carrying} "
                "(minor units); propose a valuation_mark instead",
                investment_id=mark.investment_id,
                carrying=position.carrying,
            )
        )
    return mark


def validate_write_down(conn: Tx, payload: Mapping[str, Any], terms: TermSheet) -> None:
    """Check a write_down payload lowers a known investment's carrying value."""
    _write_down(conn, payload)


def execute_write_down(conn: Tx, proposal: Proposal, terms: TermSheet) -> list[Entry]:
    """Carry the investment at the lower value written down to."""
    return _mark_entry(conn, proposal, _write_down(conn, proposal.payload), kind="write_down")


# --- money moving in and out -------------------------------------------------------------


def _post(conn: Tx, entry: Entry, terms: TermSheet) -> bool:
    open_accounts_for(conn, [entry], min(terms.entry_into_force, entry.effective_date))
    return post_batch(conn, [entry])[0].created


def _check_amount(amount_minor: int, reference: str) -> None:
    problems = []
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int) or amount_minor <= 0:
        problems.append(Problem(Message("must be a positive amount"), field="amount"))
    if not reference.strip():
        problems.append(Problem(Message("a payment reference is required"), field="reference"))
    if problems:
        raise InputError(problems)


def disburse(
    db: Database,
    actor: User,
    investment_id: str,
    *,
    amount_minor: int,
    on: date,
    reference: str,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> bool:
    """Pay cash into a committed investment (idempotent by reference); True when booked now."""
    _check_amount(amount_minor, reference)
    key = f"disbursement:{investment_id}:{reference.strip()}"
    with door.act(db, actor, "investments.record", interface=interface, now=now) as act:
        conn = act.tx
        if entry_exists(conn, key):
            act.unchanged()
            return False
        position = holding(conn, investment_id)
        if amount_minor > position.undrawn:
            raise GovernanceError(
                Message(
                    "{investment_id} has {undrawn} minor units of its commitment undrawn; a "
                    "disbursement of {amount_minor} needs a new commitment",
                    investment_id=investment_id,
                    undrawn=position.undrawn,
                    amount_minor=amount_minor,
                )
            )
        entry = Entry(
            key=key,
            effective_date=on,
            kind="disbursement",
            postings=(
                Posting(chart.investment_cost(investment_id), amount_minor, USD),
                Posting(chart.cash(USD), -amount_minor, USD),
            ),
            memo=f"disbursement to {investment_id}, ref {reference}",
            metadata={"investment": investment_id, "reference": reference.strip()},
        )
        created = _post(conn, entry, terms_in_force(conn))
        act.note(
            "investments.disburse",
            f"investment:{investment_id}",
            {"amount": amount_minor, "key": key},
        )
    return created


def record_proceeds(
    db: Database,
    actor: User,
    investment_id: str,
    *,
    amount_minor: int,
    on: date,
    reference: str,
    exit: bool = False,
    return_of_capital: int | None = None,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> bool:
    """Book cash received from an investment; it stays in the fund.

    Income (`exit=False`, dividends or interest) is Cr investment income. Exit proceeds return
    capital first (by default up to the remaining cost) and the rest is realised gain (or loss);
    when the whole cost comes back, the unrealised change is reversed, being realised now.
    """
    _check_amount(amount_minor, reference)
    key = f"proceeds:{investment_id}:{reference.strip()}"
    with door.act(db, actor, "investments.record", interface=interface, now=now) as act:
        conn = act.tx
        # Exit proceeds depend on the position, which the first booking changed: a retry
        # finds its key and stops here rather than recomputing the split.
        if entry_exists(conn, key):
            act.unchanged()
            return False
        position = holding(conn, investment_id)
        lines = [Posting(chart.cash(USD), amount_minor, USD)]
        if not exit:
            lines.append(Posting(chart.investment_income("income"), -amount_minor, USD))
        else:
            roc = (
                min(amount_minor, position.cost) if return_of_capital is None else return_of_capital
            )
            if not 0 <= roc <= position.cost:
                raise InputError(
                    [
                        Problem(
                            Message("return of capital must lie in 0..{cost}", cost=position.cost),
                            field="return_of_capital",
                        )
                    ]
                )
            gain = amount_minor - roc
            if roc:
                lines.append(Posting(chart.investment_cost(investment_id), -roc, USD))
            if gain:
                lines.append(Posting(chart.investment_income("realised"), -gain, USD))
            if roc == position.cost and position.valuation:
                lines.append(
                    Posting(chart.investment_valuation(investment_id), -position.valuation, USD)
                )
                lines.append(
                    Posting(chart.investment_income("unrealised"), position.valuation, USD)
                )
        entry = Entry(
            key=key,
            effective_date=on,
            kind="proceeds",
            postings=tuple(lines),
            memo=f"{'exit proceeds' if exit else 'income'} from {investment_id}, ref {reference}",
            metadata={"investment": investment_id, "reference": reference.strip(), "exit": exit},
        )
        created = _post(conn, entry, terms_in_force(conn))
        act.note(
            "investments.proceeds",
            f"investment:{investment_id}",
            {"amount": amount_minor, "key": key},
        )
    return created
