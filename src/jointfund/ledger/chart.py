"""The fund's chart of accounts: the names every feature books to, in one place.

Capital accounts are kept in the reporting currency (USD) so ownership shares compare like with
like; receipts in other currencies are translated at the dated rate through the
`Equity:Conversion:<CCY>` trading accounts, which keep every currency balanced on its own and
hold the fund's open currency position.
"""

from __future__ import annotations

REPORTING_CURRENCY = "USD"


def cash(currency: str) -> str:
    """Bank cash in one currency (never below zero)."""
    return f"Assets:Cash:{currency}"


def investment_cost(investment: str) -> str:
    """Amount disbursed into an investment, at cost."""
    return f"Assets:Investments:{investment}:Cost"


def investment_valuation(investment: str) -> str:
    """Unrealised change in an investment's fair value since cost."""
    return f"Assets:Investments:{investment}:Valuation"


def capital_root(partner: str) -> str:
    """A partner's whole capital account (the subtree of its components)."""
    return f"Equity:Capital:{partner}"


def capital_contributions(partner: str) -> str:
    """Contributions credited to a partner: cash, approved in-kind value, credited inflows."""
    return f"Equity:Capital:{partner}:Contributions"


def capital_income(partner: str) -> str:
    """Fund income and gains allocated to a partner at period ends."""
    return f"Equity:Capital:{partner}:Income"


def capital_distributions(partner: str) -> str:
    """Distributions paid to a partner (a debit to its capital)."""
    return f"Equity:Capital:{partner}:Distributions"


def in_kind_offset(partner: str) -> str:
    """Contra-equity for in-kind aid delivered to Ukraine, not to the fund: it raises the
    partner's capital (and so its share) without adding fund assets or NAV."""
    return f"Equity:InKind:{partner}"


def conversion(currency: str) -> str:
    """Trading account that balances a currency translated into another."""
    return f"Equity:Conversion:{currency}"


def inflow_income(stream: str) -> str:
    """Revenue-stream inflows the terms credit to the fund's income, not a partner's capital."""
    return f"Income:Inflow:{stream}"


def investment_income(kind: str) -> str:
    """Investment results: `realised`, `unrealised`, `income` (dividends, interest)."""
    return f"Income:Investment:{kind}"


def fx_result() -> str:
    """Realised and revaluation currency gains (credit) and losses (debit)."""
    return "Income:FX"


def operating_expenses(kind: str = "Operating") -> str:
    """Fund operating costs, netted before reinvestment."""
    return f"Expenses:{kind}"
