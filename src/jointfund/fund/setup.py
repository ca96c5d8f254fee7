"""Setting a fund up from a term sheet, and the one answer to "which terms apply"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from jointfund import store
from jointfund.errors import ConflictError, NotFoundError
from jointfund.fund import door
from jointfund.governance import Interface, User
from jointfund.i18n.message import Message
from jointfund.ledger import Account, chart
from jointfund.store import Database, Tx
from jointfund.terms import STREAMS, TermSheet, load_terms, parse_terms_yaml, terms_to_yaml

FUND_CURRENCIES = ("USD", "UAH")


@dataclass(frozen=True, slots=True)
class SetupResult:
    """What setting the fund up did."""

    terms_id: str
    adopted: bool
    accounts_opened: int


def fund_accounts(terms: TermSheet) -> list[Account]:
    """The accounts a fund under `terms` books to from its first day."""
    opened = terms.entry_into_force
    rc = terms.reporting_currency
    found = [Account(chart.cash(c), c, opened, non_negative=True) for c in FUND_CURRENCIES]
    found += [Account(chart.conversion(c), c, opened) for c in FUND_CURRENCIES]
    for partner in terms.partner_ids:
        found += [
            Account(chart.capital_contributions(partner), rc, opened, partner=partner),
            Account(chart.capital_income(partner), rc, opened, partner=partner),
            Account(chart.capital_distributions(partner), rc, opened, partner=partner),
            Account(chart.in_kind_offset(partner), rc, opened, partner=partner),
        ]
    found += [Account(chart.inflow_income(s.value), rc, opened) for s in STREAMS]
    found += [
        Account(chart.investment_income(k), rc, opened)
        for k in ("realised", "unrealised", "income")
    ]
    found += [
        Account(chart.fx_result(), rc, opened),
        Account(chart.operating_expenses(), rc, opened),
    ]
    return found


def _set_up(act: door.Act, terms: TermSheet) -> SetupResult:
    current = store.term_sheets.current_terms_row(act.tx)
    if current is not None and current.terms_id != terms.id:
        raise ConflictError(
            Message(
                "the fund already runs under {terms_id}; changing terms is a proposal",
                terms_id=current.terms_id,
            )
        )
    who = act.actor.name if act.actor is not None else "(bootstrap)"
    adopted = store.term_sheets.adopt_terms(act.tx, terms.id, terms_to_yaml(terms), who)
    opened = sum(store.accounts.open_account(act.tx, a) for a in fund_accounts(terms))
    act.note("fund.setup", f"terms:{terms.id}", {"adopted": adopted, "accounts": opened})
    return SetupResult(terms.id, adopted, opened)


def set_up_fund(
    db: Database,
    terms_source: str | Path,
    actor: User | None = None,
    *,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> SetupResult:
    """Adopt a term sheet and open the fund's accounts; safe to run again with the same terms.

    Before anyone has signed up the books take it without an actor (the set-up of a new
    fund); afterwards only an administrator may.
    """
    terms = load_terms(terms_source)
    if actor is None:
        with door.bootstrap(db, interface=interface, now=now) as act:
            return _set_up(act, terms)
    with door.act(db, actor, "fund.setup", interface=interface, now=now) as act:
        return _set_up(act, terms)


def terms_in_force(tx: Tx, on: date | None = None) -> TermSheet:
    """The one answer to "which terms apply": the board's latest term change in force by `on`,
    else the sheet the fund was set up with; a fund never set up has none (NotFoundError)."""
    found = store.term_sheets.terms_in_force_row(tx, on)
    if found is None:
        raise NotFoundError(
            Message("the fund has no term sheet; run `jointfund init --terms PRESET`")
        )
    if found.changed:
        return parse_terms_yaml(found.yaml, file="term_changes")
    return parse_terms_yaml(found.yaml, file=f"adopted term sheet {found.terms_id}")


def fund_terms(db: Database, on: date | None = None) -> TermSheet:
    """The term sheet the fund runs under (set up by `init`, changed by the board)."""
    with db.read() as tx:
        return terms_in_force(tx, on)
