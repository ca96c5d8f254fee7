"""Money values: validation, currency-safe arithmetic and ordering, rendering."""

import dataclasses
from decimal import Decimal

import pytest

from jointfund.errors import InputError, JointfundError
from jointfund.money import AmountError, CurrencyMismatchError, Money

MAX = 2**63 - 1


def usd(minor: int) -> Money:
    return Money(minor, "USD")


def test_arithmetic_within_one_currency() -> None:
    assert usd(150) + usd(75) == usd(225)
    assert usd(150) - usd(175) == usd(-25)
    assert -usd(5) == usd(-5)
    assert abs(usd(-5)) == usd(5)
    assert +usd(5) == usd(5)


def test_ordering_within_one_currency() -> None:
    assert usd(1) < usd(2) <= usd(2) < usd(3)
    assert usd(3) > usd(2) >= usd(2)
    assert sorted([usd(3), usd(-1), usd(2)]) == [usd(-1), usd(2), usd(3)]
    assert max(usd(3), usd(7)) == usd(7)


@pytest.mark.parametrize(
    "operation",
    [
        lambda a, b: a + b,
        lambda a, b: a - b,
        lambda a, b: a < b,
        lambda a, b: a <= b,
        lambda a, b: a > b,
        lambda a, b: a >= b,
    ],
)
def test_mixing_currencies_is_refused(operation: object) -> None:
    with pytest.raises(CurrencyMismatchError, match="USD and UAH") as caught:
        operation(usd(1), Money(1, "UAH"))  # type: ignore[operator]
    assert isinstance(caught.value, JointfundError)
    assert caught.value.code == "currency_mismatch"


def test_equal_numbers_in_different_currencies_are_unequal() -> None:
    assert usd(100) != Money(100, "EUR")
    assert len({usd(100), Money(100, "EUR"), usd(100)}) == 2


def test_adding_a_plain_number_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        usd(1) + 1


@pytest.mark.parametrize("minor", [1.0, True, Decimal("1"), "1"])
def test_minor_units_must_be_int(minor: object) -> None:
    with pytest.raises(TypeError, match="minor units must be int"):
        Money(minor, "USD")  # type: ignore[arg-type]


@pytest.mark.parametrize("code", ["usd", "ZZZ", "XAU", ""])
def test_currency_must_be_bookable(code: str) -> None:
    with pytest.raises(InputError):
        Money(1, code)


def test_values_beyond_64_bits_are_refused() -> None:
    assert Money(MAX, "USD").minor == MAX
    with pytest.raises(AmountError, match="out of range"):
        Money(MAX + 1, "USD")
    with pytest.raises(AmountError, match="out of range"):
        usd(MAX) + usd(1)


def test_money_is_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        usd(1).minor = 2  # type: ignore[misc]


def test_parse_and_zero() -> None:
    assert Money.parse("1234.56", "USD") == usd(123456)
    assert Money.parse("7", "JPY") == Money(7, "JPY")
    assert Money.zero("UAH") == Money(0, "UAH")
    with pytest.raises(AmountError, match="negative"):
        Money.parse("-1", "USD", allow_negative=False)


def test_rendering() -> None:
    assert str(usd(123456)) == "1234.56 USD"
    assert usd(123456).format(grouping=True) == "1,234.56 USD"
    assert str(Money(-1234, "JPY")) == "-1234 JPY"


def test_to_decimal_is_exact() -> None:
    assert usd(123456).to_decimal() == Decimal("1234.56")
    assert usd(MAX).to_decimal() == Decimal("92233720368547758.07")
    assert Money(5, "KWD").to_decimal() == Decimal("0.005")


def test_allocate_gives_money_in_the_same_currency() -> None:
    assert Money(100, "UAH").allocate([1, 1, 1]) == [
        Money(34, "UAH"),
        Money(33, "UAH"),
        Money(33, "UAH"),
    ]
