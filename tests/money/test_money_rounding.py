"""Rounding modes: their decimal twins, tie behaviour, and exact integer rounding of rationals."""

import decimal
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jointfund.money import Rounding
from jointfund.money.rounding import DEFAULT_ROUNDING, round_fraction


def test_default_policy_is_bankers_rounding() -> None:
    assert DEFAULT_ROUNDING is Rounding.HALF_EVEN


@pytest.mark.parametrize(
    ("mode", "constant"),
    [
        (Rounding.HALF_EVEN, decimal.ROUND_HALF_EVEN),
        (Rounding.HALF_UP, decimal.ROUND_HALF_UP),
        (Rounding.HALF_DOWN, decimal.ROUND_HALF_DOWN),
        (Rounding.DOWN, decimal.ROUND_DOWN),
        (Rounding.UP, decimal.ROUND_UP),
        (Rounding.FLOOR, decimal.ROUND_FLOOR),
        (Rounding.CEILING, decimal.ROUND_CEILING),
    ],
)
def test_each_mode_maps_to_its_decimal_constant(mode: Rounding, constant: str) -> None:
    assert mode.decimal_mode == constant


def test_modes_parse_from_their_term_sheet_names() -> None:
    assert Rounding("half_even") is Rounding.HALF_EVEN
    assert str(Rounding.CEILING) == "ceiling"


@pytest.mark.parametrize(
    ("value", "mode", "expected"),
    [
        ("2.5", Rounding.HALF_EVEN, 2),
        ("3.5", Rounding.HALF_EVEN, 4),
        ("-2.5", Rounding.HALF_EVEN, -2),
        ("2.5", Rounding.HALF_UP, 3),
        ("-2.5", Rounding.HALF_UP, -3),
        ("2.5", Rounding.HALF_DOWN, 2),
        ("-2.5", Rounding.HALF_DOWN, -2),
        ("2.6", Rounding.HALF_DOWN, 3),
        ("-1.7", Rounding.DOWN, -1),
        ("-1.2", Rounding.UP, -2),
        ("-1.2", Rounding.FLOOR, -2),
        ("1.2", Rounding.CEILING, 2),
        ("7", Rounding.UP, 7),
    ],
)
def test_round_fraction_examples(value: str, mode: Rounding, expected: int) -> None:
    assert round_fraction(Fraction(value), mode) == expected


@given(
    numerator=st.integers(min_value=-(10**30), max_value=10**30),
    places=st.integers(min_value=0, max_value=6),
    mode=st.sampled_from(Rounding),
)
def test_round_fraction_agrees_with_decimal(numerator: int, places: int, mode: Rounding) -> None:
    exact = Decimal(numerator).scaleb(-places, decimal.Context(prec=100))
    expected = int(exact.to_integral_value(rounding=mode.decimal_mode))
    assert round_fraction(Fraction(numerator, 10**places), mode) == expected


@given(
    numerator=st.integers(min_value=-(10**12), max_value=10**12),
    denominator=st.integers(min_value=1, max_value=10**6),
    mode=st.sampled_from(Rounding),
)
def test_round_fraction_is_within_one(numerator: int, denominator: int, mode: Rounding) -> None:
    value = Fraction(numerator, denominator)
    assert abs(round_fraction(value, mode) - value) < 1
