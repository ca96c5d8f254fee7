"""ISO 4217 currencies and their minor-unit exponents, loaded once from the bundled list."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

from jointfund.errors import InputError, Problem
from jointfund.i18n.message import Message

# iso4217.csv is ISO 4217 List One (active codes, as published 1 January 2026): code, numeric,
# exponent, name. "N.A." marks units without a minor unit (metals, SDR, bond units, XTS, XXX);
# they cannot be booked as integer minor units, so they are known but not usable here.
_DATA_FILE = "iso4217.csv"
_NO_MINOR_UNIT = "N.A."
_EXPECTED = Message("an ISO 4217 code such as USD")


@dataclass(frozen=True, slots=True)
class Currency:
    """One ISO 4217 currency: alphabetic code, numeric code, minor-unit exponent and name."""

    code: str
    numeric: str
    exponent: int
    name: str


def _load() -> tuple[dict[str, Currency], dict[str, str]]:
    """Read the bundled list into bookable currencies and units that have no minor unit."""
    text = resources.files(__package__).joinpath(_DATA_FILE).read_text(encoding="utf-8")
    bookable: dict[str, Currency] = {}
    unbookable: dict[str, str] = {}
    for row in csv.DictReader(text.splitlines()):
        if row["exponent"] == _NO_MINOR_UNIT:
            unbookable[row["code"]] = row["name"]
        else:
            bookable[row["code"]] = Currency(
                row["code"], row["numeric"], int(row["exponent"]), row["name"]
            )
    return bookable, unbookable


_CURRENCIES, _UNBOOKABLE = _load()
# Looked up once per row on bulk imports, so it is a plain dict rather than a call chain.
EXPONENTS: Mapping[str, int] = {code: c.exponent for code, c in _CURRENCIES.items()}


def _unknown(code: object) -> InputError:
    """Build the error for a code that cannot carry booked amounts, saying why."""
    if isinstance(code, str) and code in _UNBOOKABLE:
        message = Message(
            "{code} ({name}) has no minor unit in ISO 4217, so it cannot be booked",
            code=code,
            name=_UNBOOKABLE[code],
        )
    elif isinstance(code, str) and code.upper() in _CURRENCIES:
        message = Message("currency codes are upper case: {code!r}", code=code)
    else:
        message = Message("unknown currency {code!r}", code=code)
    return InputError([Problem(message, field="currency", expected=_EXPECTED)])


def currency(code: str) -> Currency:
    """Return the ISO 4217 currency for an upper-case code, or raise InputError naming the code."""
    try:
        return _CURRENCIES[code]
    except (KeyError, TypeError):
        raise _unknown(code) from None


def is_currency(code: str) -> bool:
    """Tell whether amounts can be booked in `code` (an active ISO 4217 code with a minor unit)."""
    try:
        return code in _CURRENCIES
    except TypeError:
        return False


def exponent(code: str) -> int:
    """Return the number of decimals of `code`'s minor unit (USD 2, JPY 0, KWD 3)."""
    try:
        return EXPONENTS[code]
    except (KeyError, TypeError):
        raise _unknown(code) from None


def all_currencies() -> tuple[Currency, ...]:
    """List every bookable currency, sorted by code, for pickers and documentation."""
    return tuple(_CURRENCIES[code] for code in sorted(_CURRENCIES))
