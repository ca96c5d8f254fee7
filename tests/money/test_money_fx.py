"""Dated FX rates: lookups (exact day, weekend, too old, inverse pair, conflicts) and conversion."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jointfund.errors import InputError, NotFoundError
from jointfund.money import FxRate, MissingRateError, RateTable, Rounding, convert

# Illustrative official-style rates: UAH per 1 USD, published on working days only.
FRI = date(2025, 5, 2)
SAT = date(2025, 5, 3)
MON = date(2025, 5, 5)
NBU = [
    FxRate(date(2025, 5, 1), "USD", "UAH", Decimal("41.5138")),
    FxRate(FRI, "USD", "UAH", Decimal("41.4929")),
    FxRate(MON, "USD", "UAH", Decimal("41.6247")),
]


@pytest.fixture
def table() -> RateTable:
    return RateTable(NBU)


def test_rate_on_a_published_day(table: RateTable) -> None:
    assert table.rate("USD", "UAH", FRI) == NBU[1]


def test_weekend_falls_back_to_the_last_published_day(table: RateTable) -> None:
    found = table.rate("USD", "UAH", SAT)
    assert found.on == FRI
    assert found.rate == Decimal("41.4929")
    assert table.rate("USD", "UAH", date(2025, 5, 4)).on == FRI


def test_rate_older_than_the_limit_is_missing(table: RateTable) -> None:
    assert table.rate("USD", "UAH", date(2025, 5, 12)).on == MON
    with pytest.raises(MissingRateError) as caught:
        table.rate("USD", "UAH", date(2025, 5, 13))
    assert isinstance(caught.value, NotFoundError)
    assert "USD/UAH" in str(caught.value)
    assert "2025-05-13" in str(caught.value)
    assert table.rate("USD", "UAH", date(2025, 5, 20), max_age_days=15).on == MON


def test_zero_max_age_needs_a_rate_on_the_day(table: RateTable) -> None:
    assert table.rate("USD", "UAH", MON, max_age_days=0).on == MON
    with pytest.raises(MissingRateError):
        table.rate("USD", "UAH", SAT, max_age_days=0)


def test_no_rate_before_the_first_one(table: RateTable) -> None:
    with pytest.raises(MissingRateError):
        table.rate("USD", "UAH", date(2025, 4, 30))


def test_unknown_pair_is_missing(table: RateTable) -> None:
    with pytest.raises(MissingRateError, match="EUR/UAH"):
        table.rate("EUR", "UAH", FRI)


def test_inverse_pair_is_derived_from_the_stored_one(table: RateTable) -> None:
    found = table.rate("UAH", "USD", SAT)
    assert (found.base, found.quote, found.on) == ("UAH", "USD", FRI)
    assert abs(found.rate * Decimal("41.4929") - 1) < Decimal("1e-48")


def test_most_recent_of_direct_and_opposite_wins_direct_on_a_tie() -> None:
    table = RateTable(
        [
            FxRate(FRI, "USD", "EUR", Decimal("0.9")),
            FxRate(MON, "EUR", "USD", Decimal("1.25")),
            FxRate(MON, "USD", "EUR", Decimal("0.8")),
            FxRate(date(2025, 5, 6), "EUR", "USD", Decimal("1.2")),
        ]
    )
    assert table.rate("USD", "EUR", SAT).rate == Decimal("0.9")
    assert table.rate("USD", "EUR", MON).rate == Decimal("0.8")
    assert table.rate("EUR", "USD", MON).rate == Decimal("1.25")
    latest = table.rate("USD", "EUR", date(2025, 5, 6))
    assert (latest.base, latest.on) == ("USD", date(2025, 5, 6))
    assert latest.rate == Decimal("0.8" + "3" * 49)  # 1 / 1.2 to 50 significant digits


def test_conflicting_duplicates_are_all_reported_at_once() -> None:
    with pytest.raises(InputError) as caught:
        RateTable(
            [
                *NBU,
                FxRate(FRI, "USD", "UAH", Decimal("41.50")),
                FxRate(MON, "USD", "UAH", Decimal("41.00")),
            ]
        )
    problems = caught.value.problems
    assert len(problems) == 2
    assert "2025-05-02" in problems[0].message
    assert "41.4929" in problems[0].message
    assert "41.50" in problems[0].message


def test_identical_duplicates_are_harmless() -> None:
    table = RateTable([*NBU, NBU[1], FxRate(FRI, "USD", "UAH", Decimal("41.49290"))])
    assert len(table) == 3
    assert list(table) == NBU


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ((datetime(2025, 5, 2, 12, 0), "USD", "UAH", Decimal(41)), TypeError),  # noqa: DTZ001
        ((FRI, "USD", "UAH", 41.49), TypeError),
        ((FRI, "USD", "UAH", Decimal(0)), ValueError),
        ((FRI, "USD", "UAH", Decimal(-1)), ValueError),
        ((FRI, "USD", "UAH", Decimal("NaN")), ValueError),
        ((FRI, "USD", "USD", Decimal(1)), ValueError),
        ((FRI, "USD", "ZZZ", Decimal(1)), InputError),
    ],
)
def test_bad_rates_are_refused(args: tuple[object, ...], error: type[Exception]) -> None:
    with pytest.raises(error):
        FxRate(*args)  # type: ignore[arg-type]


def test_bad_max_age_is_refused(table: RateTable) -> None:
    with pytest.raises(ValueError, match="negative"):
        table.rate("USD", "UAH", FRI, max_age_days=-1)
    with pytest.raises(ValueError, match="itself"):
        table.rate("USD", "USD", FRI)


def test_convert_direct_and_inverse(table: RateTable) -> None:
    assert convert(10_000, "USD", "UAH", SAT, table) == 414_929
    assert convert(414_929, "UAH", "USD", SAT, table) == 10_000
    # 1000.00 UAH / 41.4929 = 24.1004... USD
    assert convert(100_000, "UAH", "USD", FRI, table) == 2410


def test_convert_between_exponents() -> None:
    table = RateTable(
        [
            FxRate(FRI, "USD", "JPY", Decimal("150.25")),
            FxRate(FRI, "KWD", "USD", Decimal("3.2573")),
        ]
    )
    assert convert(100, "USD", "JPY", FRI, table) == 150  # 150.25 yen
    assert convert(150, "JPY", "USD", FRI, table) == 100  # 99.83 cents
    assert convert(1_000, "KWD", "USD", FRI, table) == 326  # 3.2573 USD for 1.000 KWD


def test_convert_rounds_once_by_the_given_mode() -> None:
    table = RateTable([FxRate(FRI, "USD", "EUR", Decimal("0.5"))])
    assert convert(1, "USD", "EUR", FRI, table) == 0
    assert convert(3, "USD", "EUR", FRI, table) == 2
    assert convert(1, "USD", "EUR", FRI, table, Rounding.HALF_UP) == 1
    assert convert(-1, "USD", "EUR", FRI, table, Rounding.FLOOR) == -1
    assert convert(1, "EUR", "USD", FRI, table) == 2


def test_convert_same_currency_passes_through(table: RateTable) -> None:
    assert convert(123, "EUR", "EUR", date(1999, 1, 1), table) == 123


def test_convert_without_a_rate_raises(table: RateTable) -> None:
    with pytest.raises(MissingRateError):
        convert(100, "USD", "UAH", date(2025, 6, 1), table)
    assert convert(100, "USD", "UAH", date(2025, 6, 1), table, max_age_days=30) == 4162


def test_convert_refuses_non_int_amounts(table: RateTable) -> None:
    with pytest.raises(TypeError):
        convert(1.5, "USD", "UAH", FRI, table)  # type: ignore[arg-type]


rates = st.decimals(min_value=1, max_value=1000, places=4)


@given(minor=st.integers(min_value=-(10**15), max_value=10**15), rate=rates)
def test_round_trip_through_a_finer_currency_is_within_one_unit(minor: int, rate: Decimal) -> None:
    table = RateTable([FxRate(FRI, "USD", "UAH", rate)])
    there = convert(minor, "USD", "UAH", FRI, table)
    back = convert(there, "UAH", "USD", FRI, table)
    assert abs(back - minor) <= 1


@given(minor=st.integers(min_value=-(10**15), max_value=10**15), rate=rates)
def test_round_trip_using_only_the_opposite_pair(minor: int, rate: Decimal) -> None:
    table = RateTable([FxRate(FRI, "EUR", "UAH", rate)])
    there = convert(minor, "EUR", "UAH", FRI, table)
    back = convert(there, "UAH", "EUR", FRI, table)
    assert abs(back - minor) <= 1
