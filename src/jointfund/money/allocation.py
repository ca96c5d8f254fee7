"""Exact splitting of minor units by weights or shares, giving out every unit."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from math import lcm

from jointfund.money.rounding import DEFAULT_ROUNDING, Rounding, round_ratio

Weight = int | Fraction | Decimal


def _as_fraction(value: object, what: str) -> Fraction:
    """Turn an int, Fraction or finite Decimal into an exact Fraction; refuse floats."""
    if isinstance(value, bool) or not isinstance(value, int | Fraction | Decimal):
        raise TypeError(f"{what} must be int, Fraction or Decimal, not {type(value).__name__}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{what} must be finite, not {value}")
    return Fraction(value)


def _check_amount(amount: object) -> int:
    """Accept only a true int number of minor units."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"amount must be int minor units, not {type(amount).__name__}")
    return amount


def allocate(amount: int, weights: Sequence[Weight]) -> list[int]:
    """Split `amount` minor units in proportion to non-negative weights; parts sum exactly.

    Each part is its exact share rounded down, and the units left over go one each to the
    largest remainders, earlier index first on ties. A negative amount is split as its
    absolute value and negated, so -1 by [1, 1] gives [-1, 0].
    """
    magnitude = abs(_check_amount(amount))
    shares = [_as_fraction(w, "weight") for w in weights]
    if not shares:
        raise ValueError("no weights to allocate by")
    if any(s < 0 for s in shares):
        raise ValueError("weights must not be negative")
    scale = lcm(*(s.denominator for s in shares))
    integral = [s.numerator * (scale // s.denominator) for s in shares]
    total = sum(integral)
    if total == 0:
        raise ValueError("weights must not all be zero")
    parts: list[int] = []
    remainders: list[int] = []
    for weight in integral:
        part, remainder = divmod(magnitude * weight, total)
        parts.append(part)
        remainders.append(remainder)
    leftover = magnitude - sum(parts)
    # Fewer leftover units than positive remainders, so a zero weight never receives one.
    for index in sorted(range(len(parts)), key=lambda i: -remainders[i])[:leftover]:
        parts[index] += 1
    return [-p for p in parts] if amount < 0 else parts


def split_share(
    amount: int, share: Fraction | Decimal, rounding: Rounding = DEFAULT_ROUNDING
) -> tuple[int, int]:
    """Split `amount` into (part, rest): part is amount × share, rounded; rest is the remainder.

    Used for rules such as "the fund gets 50% of gross, the budget the rest"; share is in [0, 1].
    """
    _check_amount(amount)
    numerator, denominator = _share_ratio(share)
    part = round_ratio(amount * numerator, denominator, rounding)
    return part, amount - part


@lru_cache(maxsize=1024, typed=True)
def _share_ratio(share: Fraction | Decimal) -> tuple[int, int]:
    """A share as an exact (numerator, denominator), checked once per distinct share."""
    exact_share = _as_fraction(share, "share")
    if not 0 <= exact_share <= 1:
        raise ValueError(f"share must lie between 0 and 1, not {share}")
    return exact_share.numerator, exact_share.denominator
