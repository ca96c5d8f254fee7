"""Rounding modes for money, and exact rounding of rationals to whole minor units.

The default policy is HALF_EVEN (banker's rounding): ties go to the even neighbour, so
rounding many amounts carries no systematic upward bias.
"""

from __future__ import annotations

import decimal
from enum import StrEnum
from fractions import Fraction


class Rounding(StrEnum):
    """How to round an exact value to whole minor units; values are the term-sheet names."""

    HALF_EVEN = "half_even"
    HALF_UP = "half_up"
    HALF_DOWN = "half_down"
    DOWN = "down"
    UP = "up"
    FLOOR = "floor"
    CEILING = "ceiling"

    @property
    def decimal_mode(self) -> str:
        """The matching `decimal` module constant, for Decimal.quantize and contexts."""
        return _DECIMAL_MODES[self]


_DECIMAL_MODES: dict[Rounding, str] = {
    Rounding.HALF_EVEN: decimal.ROUND_HALF_EVEN,
    Rounding.HALF_UP: decimal.ROUND_HALF_UP,
    Rounding.HALF_DOWN: decimal.ROUND_HALF_DOWN,
    Rounding.DOWN: decimal.ROUND_DOWN,
    Rounding.UP: decimal.ROUND_UP,
    Rounding.FLOOR: decimal.ROUND_FLOOR,
    Rounding.CEILING: decimal.ROUND_CEILING,
}

DEFAULT_ROUNDING = Rounding.HALF_EVEN


def round_ratio(numerator: int, denominator: int, mode: Rounding = DEFAULT_ROUNDING) -> int:
    """Round numerator/denominator (denominator > 0) to an integer by `mode`, integers only."""
    if denominator <= 0:
        raise ValueError(f"denominator must be positive, not {denominator}")
    floor, remainder = divmod(numerator, denominator)
    if remainder == 0:
        return floor
    ceiling = floor + 1
    positive = numerator > 0
    if mode is Rounding.FLOOR:
        return floor
    if mode is Rounding.CEILING:
        return ceiling
    if mode is Rounding.DOWN:
        return floor if positive else ceiling
    if mode is Rounding.UP:
        return ceiling if positive else floor
    twice = 2 * remainder
    if twice < denominator:
        return floor
    if twice > denominator:
        return ceiling
    if mode is Rounding.HALF_UP:
        return ceiling if positive else floor
    if mode is Rounding.HALF_DOWN:
        return floor if positive else ceiling
    return floor if floor % 2 == 0 else ceiling


def round_fraction(value: Fraction, mode: Rounding = DEFAULT_ROUNDING) -> int:
    """Round an exact rational to an integer by `mode`, with integer arithmetic only."""
    return round_ratio(value.numerator, value.denominator, mode)
