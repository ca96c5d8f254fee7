"""Allocation by weights and share splits: every minor unit given out, each within one of fair."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jointfund.money import Rounding, allocate, split_share
from jointfund.money.rounding import round_fraction

amounts = st.integers(min_value=-(10**18), max_value=10**18)
int_weights = st.integers(min_value=0, max_value=10**9)
fraction_weights = st.fractions(min_value=0, max_value=1000, max_denominator=10**6)
decimal_weights = st.decimals(min_value=0, max_value=1000, places=6)
weights_lists = st.lists(
    st.one_of(int_weights, fraction_weights, decimal_weights), min_size=1, max_size=12
).filter(any)
shares = st.one_of(
    st.fractions(min_value=0, max_value=1, max_denominator=10**6),
    st.decimals(min_value=0, max_value=1, places=8),
)


@given(amount=amounts, weights=weights_lists)
def test_parts_sum_exactly_and_each_is_within_one_unit_of_its_share(
    amount: int, weights: list[int | Fraction | Decimal]
) -> None:
    parts = allocate(amount, weights)
    assert len(parts) == len(weights)
    assert sum(parts) == amount
    exact = [Fraction(w) for w in weights]
    total = sum(exact)
    for part, weight in zip(parts, exact, strict=True):
        assert abs(part - amount * weight / total) < 1
        if weight == 0:
            assert part == 0


@given(amount=amounts, weights=weights_lists)
def test_negative_amounts_mirror_positive_ones(
    amount: int, weights: list[int | Fraction | Decimal]
) -> None:
    assert allocate(-amount, weights) == [-p for p in allocate(amount, weights)]


@pytest.mark.parametrize(
    ("amount", "weights", "parts"),
    [
        (100, [1, 1, 1], [34, 33, 33]),
        (2, [1, 1, 1], [1, 1, 0]),
        (-1, [1, 1], [-1, 0]),
        (-100, [1, 1, 1], [-34, -33, -33]),
        (0, [1, 2], [0, 0]),
        (10, [0, 3, 0], [0, 10, 0]),
        (101, [Decimal("0.5"), Fraction(1, 2)], [51, 50]),
        (7, [Fraction(1, 3), Decimal("0.5"), 0], [3, 4, 0]),
        (5, [1, 3], [1, 4]),
    ],
)
def test_allocation_examples(
    amount: int, weights: list[int | Fraction | Decimal], parts: list[int]
) -> None:
    assert allocate(amount, weights) == parts


@pytest.mark.parametrize(
    ("weights", "error"),
    [
        ([], ValueError),
        ([0, 0], ValueError),
        ([1, -1], ValueError),
        ([Decimal("-0.1"), 2], ValueError),
        ([Decimal("NaN")], ValueError),
        ([1.0], TypeError),
        ([True], TypeError),
        (["1"], TypeError),
    ],
)
def test_bad_weights_are_refused(weights: list[object], error: type[Exception]) -> None:
    with pytest.raises(error):
        allocate(100, weights)  # type: ignore[arg-type]


@pytest.mark.parametrize("amount", [1.5, True, Decimal("1")])
def test_amount_must_be_int(amount: object) -> None:
    with pytest.raises(TypeError):
        allocate(amount, [1])  # type: ignore[arg-type]


@given(amount=amounts, share=shares, mode=st.sampled_from(Rounding))
def test_split_share_parts_sum_to_the_amount(
    amount: int, share: Fraction | Decimal, mode: Rounding
) -> None:
    part, rest = split_share(amount, share, mode)
    assert part + rest == amount
    assert part == round_fraction(amount * Fraction(share), mode)


@pytest.mark.parametrize(
    ("amount", "share", "mode", "expected"),
    [
        (101, Decimal("0.5"), Rounding.HALF_EVEN, (50, 51)),
        (103, Decimal("0.5"), Rounding.HALF_EVEN, (52, 51)),
        (101, Decimal("0.5"), Rounding.HALF_UP, (51, 50)),
        (-101, Decimal("0.5"), Rounding.HALF_UP, (-51, -50)),
        (100, Fraction(1, 3), Rounding.HALF_EVEN, (33, 67)),
        (100, Fraction(1, 3), Rounding.CEILING, (34, 66)),
        (100, Decimal(0), Rounding.HALF_EVEN, (0, 100)),
        (100, Decimal(1), Rounding.HALF_EVEN, (100, 0)),
    ],
)
def test_split_share_examples(
    amount: int, share: Fraction | Decimal, mode: Rounding, expected: tuple[int, int]
) -> None:
    assert split_share(amount, share, mode) == expected


def test_split_share_defaults_to_bankers_rounding() -> None:
    assert split_share(101, Decimal("0.5")) == (50, 51)


@pytest.mark.parametrize(
    ("share", "error"),
    [
        (Decimal("1.01"), ValueError),
        (Fraction(-1, 2), ValueError),
        (Decimal("Infinity"), ValueError),
        (0.5, TypeError),
    ],
)
def test_split_share_refuses_bad_shares(share: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        split_share(100, share)  # type: ignore[arg-type]
