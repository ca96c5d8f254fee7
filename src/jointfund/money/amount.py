"""Decimal strings and Decimals to integer minor units and back: the one door for amounts."""

from __future__ import annotations

import re
from decimal import Context, Decimal

from jointfund.i18n.message import Message
from jointfund.money.currency import EXPONENTS, exponent
from jointfund.money.errors import AmountError
from jointfund.money.rounding import Rounding

# Amounts are stored as signed 64-bit integers (BIGINT) downstream.
MAX_MINOR = 2**63 - 1
_MAX_DIGITS = len(str(MAX_MINOR))

# ASCII digits only: int() would also accept other scripts' digits and underscores.
_AMOUNT = re.compile(r"\s*([+-]?)([0-9]+)(?:\.([0-9]+))?\s*")
_SEPARATED = re.compile(r"[+-]?[0-9]{1,3}(?:[,' _\u00a0\u202f][0-9]{3})+(?:\.[0-9]*)?")
_EXPONENT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+")
_BARE_POINT = re.compile(r"[+-]?(?:\.[0-9]+|[0-9]+\.)")
_NON_FINITE = frozenset({"nan", "snan", "inf", "infinity"})
# Bound once: parse_amount runs per row on bulk imports and these are its hot lookups.
_match_amount = _AMOUNT.fullmatch
_exponent_of = EXPONENTS.get
# Whole digits the fast path takes: with up to 4 places still inside MAX_MINOR (19 digits).
_FAST_DIGITS = 14


def _diagnose(text: str) -> AmountError:
    """Explain why text that failed the amount pattern is not an amount."""
    body = text.strip()
    if not body:
        return AmountError(Message("empty amount"))
    if body.lstrip("+-").lower() in _NON_FINITE:
        return AmountError(Message("not a finite number"))
    if _EXPONENT.fullmatch(body):
        return AmountError(Message("exponent notation is not allowed"))
    if _BARE_POINT.fullmatch(body):
        return AmountError(Message("digits are needed on both sides of the decimal point"))
    if _SEPARATED.fullmatch(body):
        return AmountError(Message("thousands separators are not allowed"))
    return AmountError(Message("not a number"))


def _decimals_error(currency: str, places: int) -> AmountError:
    """Say that a value has finer precision than the currency's minor unit."""
    if places == 0:
        return AmountError(Message("no decimals allowed for {currency}", currency=currency))
    return AmountError(
        Message("more than {places} decimals for {currency}", places=places, currency=currency)
    )


def _range_error(currency: str) -> AmountError:
    """Say that a value does not fit the signed 64-bit minor-unit range."""
    # The bound as a Decimal, so each language writes it its way.
    return AmountError(
        Message("amount out of range: beyond {limit}", limit=to_decimal(MAX_MINOR, currency))
    )


def parse_amount(text: str, currency: str, *, allow_negative: bool = True) -> int:
    """Parse a plain decimal string such as "-1234.5" into minor units of `currency`.

    Trailing zeros past the minor unit ("1.230" USD) are accepted since the value is exact.
    """
    if not isinstance(text, str):
        raise TypeError(f"amount must be str, not {type(text).__name__}")
    # The usual shape, "1234.56" with exactly the currency's places or none, without the
    # regex: a bulk import parses two amounts a row. Anything else takes the full path.
    places = _exponent_of(currency)
    if places is not None:
        whole, point, fraction = text.partition(".")
        if whole.isascii() and whole.isdigit() and len(whole) <= _FAST_DIGITS:
            if not point:
                return int(whole + "0" * places)
            if len(fraction) == places and fraction.isascii() and fraction.isdigit():
                return int(whole + fraction)
    match = _match_amount(text)
    if match is None:
        raise _diagnose(text)
    sign, whole, fraction = match.groups()
    if places is None:
        places = exponent(currency)
    if fraction is None:
        digits = whole + "0" * places
    else:
        missing = places - len(fraction)
        if missing >= 0:
            digits = whole + fraction + "0" * missing
        elif fraction[places:].strip("0"):
            raise _decimals_error(currency, places)
        else:
            digits = whole + fraction[:places]
    # Guard before int(): a huge digit string would be slow or hit int's digit limit.
    if len(digits) > _MAX_DIGITS and len(digits.lstrip("0")) > _MAX_DIGITS:
        raise _range_error(currency)
    minor = int(digits)
    if minor > MAX_MINOR:
        raise _range_error(currency)
    if sign == "-" and minor:
        if not allow_negative:
            raise AmountError(Message("negative amount not allowed"))
        return -minor
    return minor


def from_decimal(value: Decimal, currency: str, rounding: Rounding | None = None) -> int:
    """Convert a Decimal in major units to minor units; exact, unless a rounding mode is given."""
    if not isinstance(value, Decimal):
        raise TypeError(f"value must be Decimal, not {type(value).__name__}")
    if not value.is_finite():
        raise AmountError(Message("not a finite number"))
    places = exponent(currency)
    # Enough precision that moving the decimal point never rounds.
    context = Context(prec=max(50, len(value.as_tuple().digits) + places + 1))
    scaled = value.scaleb(places, context)
    if abs(scaled) > MAX_MINOR + 1:
        raise _range_error(currency)
    if rounding is None:
        whole = scaled.to_integral_value(context=context)
        if whole != scaled:
            raise _decimals_error(currency, places)
    else:
        whole = scaled.to_integral_value(rounding=rounding.decimal_mode, context=context)
    minor = int(whole)
    if abs(minor) > MAX_MINOR:
        raise _range_error(currency)
    return minor


def to_decimal(minor: int, currency: str) -> Decimal:
    """Minor units as the exact amount in major units (12345 USD -> Decimal("123.45"))."""
    return Decimal(minor).scaleb(-exponent(currency))


def format_amount(minor: int, currency: str, *, grouping: bool = False) -> str:
    """Render minor units as a plain decimal string ("-1234.56"; "1,234.56" with grouping)."""
    if type(minor) is not int:
        raise TypeError(f"minor units must be int, not {type(minor).__name__}")
    places = EXPONENTS.get(currency)
    if places is None:
        places = exponent(currency)
    sign = "-" if minor < 0 else ""
    digits = str(-minor if minor < 0 else minor)
    if places:
        digits = digits.rjust(places + 1, "0")
        whole, fraction = digits[:-places], digits[-places:]
    else:
        whole, fraction = digits, ""
    if grouping:
        whole = f"{int(whole):,}"
    return f"{sign}{whole}.{fraction}" if places else f"{sign}{whole}"
