"""Dated FX rates (e.g. the National Bank of Ukraine's UAH per USD) and exact conversion."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, localcontext
from fractions import Fraction

from jointfund.errors import InputError, Problem
from jointfund.i18n.message import Message
from jointfund.money.amount import MAX_MINOR
from jointfund.money.currency import currency as lookup_currency
from jointfund.money.currency import exponent
from jointfund.money.errors import AmountError, MissingRateError
from jointfund.money.rounding import DEFAULT_ROUNDING, Rounding, round_ratio

DEFAULT_MAX_AGE_DAYS = 7
# Precision for the inverse of a stored rate, which is rarely a finite decimal.
_INVERSE_PRECISION = 50


@dataclass(frozen=True, slots=True)
class FxRate:
    """On day `on`, 1 unit of `base` is worth `rate` units of `quote` (NBU: base USD, quote UAH)."""

    on: date
    base: str
    quote: str
    rate: Decimal

    def __post_init__(self) -> None:
        """Refuse datetimes, unknown or equal currencies, and rates that are not positive."""
        if isinstance(self.on, datetime) or not isinstance(self.on, date):
            raise TypeError(f"on must be a date, not {type(self.on).__name__}")
        lookup_currency(self.base)
        lookup_currency(self.quote)
        if self.base == self.quote:
            raise ValueError(
                f"an FX rate needs two different currencies, not {self.base}/{self.quote}"
            )
        if not isinstance(self.rate, Decimal):
            raise TypeError(f"rate must be Decimal, not {type(self.rate).__name__}")
        if not self.rate.is_finite() or self.rate <= 0:
            raise ValueError(f"rate must be a positive finite number, not {self.rate}")

    def inverse(self) -> FxRate:
        """The same rate seen from the other side (quote per base becomes base per quote)."""
        with localcontext() as context:
            context.prec = _INVERSE_PRECISION
            return FxRate(self.on, self.quote, self.base, 1 / self.rate)


@dataclass(frozen=True, slots=True)
class _Found:
    """A stored rate chosen for a lookup, and whether it is read the other way round."""

    stored: FxRate
    inverted: bool


class RateTable:
    """Rates by currency pair and day; answers "the rate in force on a date", within an age."""

    def __init__(self, rates: Iterable[FxRate]) -> None:
        """Index the rates; the same pair and day with two different rates is an InputError."""
        by_pair: dict[tuple[str, str], dict[date, FxRate]] = {}
        problems: list[Problem] = []
        for rate in rates:
            if not isinstance(rate, FxRate):
                raise TypeError(f"expected FxRate, not {type(rate).__name__}")
            days = by_pair.setdefault((rate.base, rate.quote), {})
            known = days.get(rate.on)
            if known is None:
                days[rate.on] = rate
            elif known.rate != rate.rate:
                problems.append(
                    Problem(
                        Message(
                            "two {base}/{quote} rates on {on}: {known} and {rate}",
                            base=rate.base,
                            quote=rate.quote,
                            on=rate.on,
                            known=known.rate,
                            rate=rate.rate,
                        ),
                        field="rate",
                        expected=Message("one rate per currency pair and day"),
                    )
                )
        if problems:
            raise InputError(problems)
        self._dates = {pair: sorted(days) for pair, days in by_pair.items()}
        self._rates = by_pair
        self._factors: dict[tuple[str, str, date, int], tuple[int, int, FxRate]] = {}

    def __len__(self) -> int:
        return sum(len(days) for days in self._rates.values())

    def __iter__(self) -> Iterator[FxRate]:
        for pair in sorted(self._rates):
            days = self._rates[pair]
            yield from (days[d] for d in self._dates[pair])

    def _latest(self, base: str, quote: str, on: date, oldest: date) -> FxRate | None:
        """The stored base/quote rate with the latest day in [oldest, on], if any."""
        days = self._dates.get((base, quote))
        if not days:
            return None
        index = bisect_right(days, on)
        if index == 0 or days[index - 1] < oldest:
            return None
        return self._rates[(base, quote)][days[index - 1]]

    def _find(self, base: str, quote: str, on: date, max_age_days: int) -> _Found:
        """Pick the most recent direct or opposite rate within the age limit (direct on a tie)."""
        if isinstance(max_age_days, bool) or not isinstance(max_age_days, int):
            raise TypeError(f"max_age_days must be int, not {type(max_age_days).__name__}")
        if max_age_days < 0:
            raise ValueError(f"max_age_days must not be negative, not {max_age_days}")
        oldest = on - timedelta(days=max_age_days)
        direct = self._latest(base, quote, on, oldest)
        opposite = self._latest(quote, base, on, oldest)
        if direct is not None and (opposite is None or direct.on >= opposite.on):
            return _Found(direct, inverted=False)
        if opposite is not None:
            return _Found(opposite, inverted=True)
        raise MissingRateError(base, quote, on, max_age_days)

    def factor(
        self, from_ccy: str, to_ccy: str, on: date, *, max_age_days: int = DEFAULT_MAX_AGE_DAYS
    ) -> tuple[int, int, FxRate]:
        """Exact minor-to-minor conversion ratio (numerator, denominator) and the stored rate used.

        Cached per pair and day: imports convert thousands of amounts on the same few days.
        """
        key = (from_ccy, to_ccy, on, max_age_days)
        cached = self._factors.get(key)
        if cached is not None:
            return cached
        found = self._find(from_ccy, to_ccy, on, max_age_days)
        rate = Fraction(found.stored.rate)
        if found.inverted:
            rate = 1 / rate
        exact = rate * Fraction(10) ** (exponent(to_ccy) - exponent(from_ccy))
        cached = (exact.numerator, exact.denominator, found.stored)
        self._factors[key] = cached
        return cached

    def rate(
        self, base: str, quote: str, on: date, *, max_age_days: int = DEFAULT_MAX_AGE_DAYS
    ) -> FxRate:
        """Return the latest base/quote rate on or before `on`, at most `max_age_days` old.

        Weekends and holidays fall back to the last published day. When only quote/base is
        stored, its inverse (to 50 significant digits) is returned. The result's `on` is the
        day the rate was published, so callers can record which rate they used.
        """
        lookup_currency(base)
        lookup_currency(quote)
        if base == quote:
            raise ValueError(f"no FX rate between {base} and itself; convert() passes it through")
        found = self._find(base, quote, on, max_age_days)
        return found.stored.inverse() if found.inverted else found.stored


def convert(
    minor: int,
    from_ccy: str,
    to_ccy: str,
    on: date,
    table: RateTable,
    rounding: Rounding = DEFAULT_ROUNDING,
    *,
    max_age_days: int = DEFAULT_MAX_AGE_DAYS,
) -> int:
    """Convert minor units of `from_ccy` to minor units of `to_ccy` at the rate in force on `on`.

    The rate is looked up as in RateTable.rate. The arithmetic is exact (rationals, so an
    inverse rate is divided by, not approximated) and the result is rounded once, by
    `rounding`, to the target currency's minor unit.
    """
    if isinstance(minor, bool) or not isinstance(minor, int):
        raise TypeError(f"minor units must be int, not {type(minor).__name__}")
    exponent(from_ccy)  # validates both codes, even when no conversion is needed
    exponent(to_ccy)
    if from_ccy == to_ccy:
        return minor
    numerator, denominator, _ = table.factor(from_ccy, to_ccy, on, max_age_days=max_age_days)
    result = round_ratio(minor * numerator, denominator, rounding)
    if abs(result) > MAX_MINOR:
        raise AmountError(
            Message(
                "converted amount out of range: {result} minor units of {currency}",
                result=result,
                currency=to_ccy,
            )
        )
    return result
