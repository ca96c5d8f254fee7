"""One direction per currency pair, inverse quotes checked against each other, plausible rates.

A rate table may quote a pair either way round: USD/UAH 42.9465 and UAH/USD 0.0232847 are one
fact. Readers turn every rate into the pair's canonical direction, so a table (and a store
keyed by date, base and quote) never holds both sides of one day, and an inverse that
disagrees with the direct quote is refused instead of silently winning a lookup.

Canonical direction: the hryvnia is always the quote (every NBU rate is "UAH per unit");
otherwise the base is the currency that comes first in the usual market order (EUR, GBP,
AUD, NZD, USD, CAD, CHF, JPY), then alphabetically. So USD/UAH, EUR/USD, USD/JPY, USD/PLN.

Two quotes agree when the product of one and the other is 1 within the rounding each was
printed with: |r x r' - 1| <= ulp(r)/r + ulp(r')/r', a whole unit in the last place so that
truncated as well as rounded figures pass. Rates are also bounded to a plausible range
(`MIN_RATE`..`MAX_RATE` units of quote per unit of base): no two currencies a fund books in
are further apart, and absurd figures would overflow conversions downstream.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal, localcontext

from jointfund.i18n.message import Message
from jointfund.intake.records import FxRecord

HOME_QUOTE = "UAH"
MARKET_ORDER = ("EUR", "GBP", "AUD", "NZD", "USD", "CAD", "CHF", "JPY")
MIN_RATE = Decimal("0.000001")
MAX_RATE = Decimal("10000000")
RANGE_EXPECTED = Message(
    "a rate from {low} to {high} units of quote per unit of base", low=MIN_RATE, high=MAX_RATE
)
# Significant digits kept for the inverse of a printed rate (rarely a finite decimal); as
# many as Decimal's default context, well inside the store's 48-character rate column.
INVERSE_DIGITS = 28
_RANK = {code: n for n, code in enumerate(MARKET_ORDER)}


def is_canonical(base: str, quote: str) -> bool:
    """Tell whether base/quote is the direction this pair is kept in."""
    if quote == HOME_QUOTE:
        return True
    if base == HOME_QUOTE:
        return False
    unranked = len(MARKET_ORDER)
    return (_RANK.get(base, unranked), base) < (_RANK.get(quote, unranked), quote)


def inverse(rate: Decimal) -> Decimal:
    """1 / rate to `INVERSE_DIGITS` significant digits, trailing zeros dropped."""
    with localcontext() as context:
        context.prec = INVERSE_DIGITS
        # Written out in positional form: normalize() alone turns 20 into 2E+1.
        return Decimal(format((1 / rate).normalize(), "f"))


def rounded(rate: Decimal, digits: int = 8) -> Decimal:
    """`rate` to a few significant digits, for messages a person reads."""
    with localcontext() as context:
        context.prec = digits
        return Decimal(format(+rate, "f"))


def canonical(record: FxRecord) -> FxRecord:
    """The record in its pair's canonical direction; an inverted one keeps the printed rate."""
    if is_canonical(record.base, record.quote):
        return record
    return replace(
        record,
        base=record.quote,
        quote=record.base,
        rate=inverse(record.rate),
        inverted_from=record.rate,
    )


def printed(record: FxRecord) -> Decimal:
    """The figure the file printed for this record (the inverse's own, if it was inverted)."""
    return record.rate if record.inverted_from is None else record.inverted_from


def agree(direct: Decimal, opposite: Decimal) -> bool:
    """Tell whether `opposite` is 1/`direct` within the rounding both were printed with."""
    with localcontext() as context:
        context.prec = 60
        product = direct * opposite
        slack = _ulp(direct) / direct + _ulp(opposite) / opposite
        return abs(product - 1) <= slack


def same_fact(first: FxRecord, second: FxRecord) -> bool:
    """Tell whether two canonical records of one pair and day state the same rate.

    Two quotes printed the same way round must be equal; a direct and an inverse quote must
    agree within their printed rounding.
    """
    if (first.inverted_from is None) == (second.inverted_from is None):
        return printed(first) == printed(second)
    direct, opposite = (first, second) if first.inverted_from is None else (second, first)
    return agree(direct.rate, printed(opposite))


def plausible(rate: Decimal) -> bool:
    """Tell whether a canonical rate lies in the plausible range."""
    return MIN_RATE <= rate <= MAX_RATE


def _ulp(value: Decimal) -> Decimal:
    """One unit in the last printed place of `value` (1 for a whole number)."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite by construction: callers pass parsed rates
    return Decimal(1).scaleb(exponent)
