"""Money in and out of jointfund: currencies, exact amounts in minor units, rounding, splits, FX."""

from jointfund.money.allocation import allocate, split_share
from jointfund.money.amount import format_amount, from_decimal, parse_amount, to_decimal
from jointfund.money.currency import Currency, currency, exponent, is_currency
from jointfund.money.errors import AmountError, CurrencyMismatchError, MissingRateError
from jointfund.money.fx import FxRate, RateTable, convert
from jointfund.money.money import Money
from jointfund.money.rounding import Rounding

__all__ = [
    "AmountError",
    "Currency",
    "CurrencyMismatchError",
    "FxRate",
    "MissingRateError",
    "Money",
    "RateTable",
    "Rounding",
    "allocate",
    "convert",
    "currency",
    "exponent",
    "format_amount",
    "from_decimal",
    "is_currency",
    "parse_amount",
    "split_share",
    "to_decimal",
]
