"""Exact shares, rates and money amounts as a term sheet writes them; YAML floats are refused.

YAML reads `0.5` as a binary float, which cannot hold most decimal fractions exactly, so
a term sheet writes every share, rate and amount as a string: a decimal ("0.5"), a
percentage ("50%") or a fraction with an exact decimal value ("1/2"). Whole numbers may be
written bare (`share: 1`, `total: 500000000000`) since YAML reads them as exact integers.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Annotated

from pydantic import PlainSerializer, PlainValidator

from jointfund.i18n import N_
from jointfund.i18n.message import Message
from jointfund.terms.said_errors import said_error

_FRACTION = re.compile(r"\s*([0-9]+)\s*/\s*([0-9]+)\s*")
_PERCENT = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*%\s*")
_DECIMAL = re.compile(r"\s*[0-9]+(?:\.[0-9]+)?\s*")
_WRITE_AS = Message('a quoted string such as "0.5", "50%" or "1/2"')


def _exact_decimal(fraction: Fraction, text: str) -> Decimal:
    """The Decimal equal to `fraction`, or an error if it has no finite decimal expansion."""
    denominator = fraction.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator != 1:
        raise said_error(
            "inexact_fraction",
            N_("{text} has no exact decimal value; write the decimal the text uses"),
            {"text": text, "expected": _WRITE_AS},
        )
    # Exact: the loop above proved the expansion terminates, so quantising loses nothing.
    places = 0
    while (fraction * 10**places).denominator != 1:
        places += 1
    scaled = fraction.numerator * 10**places // fraction.denominator
    return Decimal(scaled).scaleb(-places)


def _number(value: object, what: str) -> Decimal:
    """Parse an int or a decimal/percent/fraction string into an exact non-negative Decimal."""
    if isinstance(value, bool | float):
        raise said_error(
            "float_not_allowed",
            N_("{what} must be written as a string, not a YAML {kind} ({value} is inexact)"),
            {
                "what": what,
                "kind": type(value).__name__,
                "value": str(value),
                "expected": _WRITE_AS,
            },
        )
    if isinstance(value, Decimal):
        if not value.is_finite() or value < 0:
            raise said_error(
                "not_a_number", N_("{what} must be a finite number >= 0"), {"what": what}
            )
        return value
    if isinstance(value, int):
        if value < 0:
            raise said_error("negative", N_("{what} must not be negative"), {"what": what})
        return Decimal(value)
    if not isinstance(value, str):
        raise said_error(
            "not_a_number",
            N_('{what} must be a string such as "0.5", not {kind}'),
            {"what": what, "kind": type(value).__name__, "expected": _WRITE_AS},
        )
    if match := _FRACTION.fullmatch(value):
        numerator, denominator = int(match[1]), int(match[2])
        if denominator == 0:
            raise said_error("not_a_number", N_("{text} divides by zero"), {"text": value.strip()})
        return _exact_decimal(Fraction(numerator, denominator), value.strip())
    if match := _PERCENT.fullmatch(value):
        return Decimal(match[1]).scaleb(-2)
    if _DECIMAL.fullmatch(value):
        try:
            return Decimal(value.strip())
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
            pass
    raise said_error(
        "not_a_number",
        N_("'{value}' is not a number"),
        {"value": value, "expected": _WRITE_AS},
    )


def parse_share(value: object) -> Decimal:
    """Validate a share of a whole: an exact Decimal between 0 and 1 inclusive."""
    number = _number(value, Message("a share"))
    if number > 1:
        raise said_error(
            "share_range",
            N_("must be between 0 and 1, not {value}"),
            {"value": str(number), "expected": Message('a share between 0 and 1, e.g. "0.5"')},
        )
    return number.normalize() if number else Decimal(0)


def parse_multiple(value: object) -> Decimal:
    """Validate a non-negative multiplier such as Ukraine's 2x matching of U.S. contributions."""
    return _number(value, Message("a multiple")).normalize()


def parse_money(value: object) -> Decimal:
    """Validate an amount in major units of the reporting currency (e.g. "500000000000")."""
    number = _number(value, Message("an amount"))
    if _PERCENT.fullmatch(str(value)) or _FRACTION.fullmatch(str(value)):
        raise said_error(
            "not_an_amount",
            N_('an amount is a plain decimal such as "1000000.00", not {value}'),
            {"value": value},
        )
    return number


def _as_text(value: Decimal) -> str:
    """Render an exact Decimal without exponent notation, so dumps read like the YAML."""
    return format(value, "f")


Share = Annotated[Decimal, PlainValidator(parse_share), PlainSerializer(_as_text)]
Multiple = Annotated[Decimal, PlainValidator(parse_multiple), PlainSerializer(_as_text)]
MoneyAmount = Annotated[Decimal, PlainValidator(parse_money), PlainSerializer(_as_text)]
