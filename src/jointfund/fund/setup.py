"""Setting a fund up from a term sheet: adopt the terms, open the chart of accounts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jointfund.errors import ConflictError
from jointfund.ledger import Account, chart
from jointfund.store import Database
from jointfund.store.accounts_repo import open_account
from jointfund.store.governance_repo import terms_in_force
from jointfund.store.registry_repo import adopt_terms, current_terms_row, require_terms_yaml
from jointfund.terms import STREAMS, TermSheet, load_terms, terms_to_yaml

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


def set_up_fund(db: Database, terms_source: str | Path, *, actor: str = "cli") -> SetupResult:
    """Adopt a term sheet and open the fund's accounts; safe to run again with the same terms."""
    terms = load_terms(terms_source)
    text = terms_to_yaml(terms)
    with db.write() as conn:
        current = current_terms_row(conn)
        if current is not None and current.terms_id != terms.id:
            raise ConflictError(
                f"the fund already runs under {current.terms_id}; changing terms is a proposal"
            )
        adopted = adopt_terms(conn, terms.id, text, actor)
        opened = sum(open_account(conn, account) for account in fund_accounts(terms))
    return SetupResult(terms.id, adopted, opened)


def fund_terms(db: Database) -> TermSheet:
    """The term sheet the fund currently runs under (set up by `init`, changed by the board)."""
    with db.read() as conn:
        require_terms_yaml(conn)  # a fund that was never set up has no terms to book by
        return terms_in_force(conn)
