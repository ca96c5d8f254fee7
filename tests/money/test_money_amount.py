"""Parsing and formatting amounts: what is accepted, every rejection, and exact round trips."""

from decimal import Context, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jointfund.errors import InputError
from jointfund.money import AmountError, Rounding, format_amount, from_decimal, parse_amount

MAX = 2**63 - 1
# Every minor-unit exponent that an active ISO 4217 currency has (none has exactly 1).
BY_EXPONENT = {0: "JPY", 2: "USD", 3: "KWD", 4: "CLF"}


@pytest.mark.parametrize(
    ("text", "code", "minor"),
    [
        ("1234", "USD", 123400),
        ("1234.5", "USD", 123450),
        ("1234.56", "USD", 123456),
        ("-0.01", "USD", -1),
        ("+3", "USD", 300),
        ("  12.34\t", "USD", 1234),
        ("0001.50", "USD", 150),
        ("1.230", "USD", 123),
        ("-0", "USD", 0),
        ("1234", "JPY", 1234),
        ("1.000", "JPY", 1),
        ("1.234", "KWD", 1234),
        ("0.0001", "CLF", 1),
        ("92233720368547758.07", "USD", MAX),
        ("-92233720368547758.07", "USD", -MAX),
    ],
)
def test_accepted_amounts(text: str, code: str, minor: int) -> None:
    assert parse_amount(text, code) == minor


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("", "USD", "empty amount"),
        ("   ", "USD", "empty amount"),
        ("abc", "USD", "not a number"),
        ("12a", "USD", "not a number"),
        ("--1", "USD", "not a number"),
        ("0x10", "USD", "not a number"),
        ("\u0661\u0662\u0663", "USD", "not a number"),
        ("NaN", "USD", "not a finite number"),
        ("Infinity", "USD", "not a finite number"),
        ("-inf", "USD", "not a finite number"),
        ("1e3", "USD", "exponent notation"),
        ("1.5E-2", "USD", "exponent notation"),
        ("1,234", "USD", "thousands separators"),
        ("1,234,567.89", "USD", "thousands separators"),
        ("1 234.50", "USD", "thousands separators"),
        ("1_000", "USD", "thousands separators"),
        (".5", "USD", "both sides of the decimal point"),
        ("5.", "USD", "both sides of the decimal point"),
        ("1.234", "USD", "more than 2 decimals for USD"),
        ("1.2345", "KWD", "more than 3 decimals for KWD"),
        ("1.5", "JPY", "no decimals allowed for JPY"),
        ("92233720368547758.08", "USD", "out of range"),
        ("-92233720368547758.08", "USD", "out of range"),
        ("9223372036854775808", "JPY", "out of range"),
        ("9" * 5000, "USD", "out of range"),
    ],
)
def test_rejected_amounts(text: str, code: str, message: str) -> None:
    with pytest.raises(AmountError) as caught:
        parse_amount(text, code)
    assert str(caught.value) == message or message in str(caught.value)


def test_rejection_messages_are_short_and_exact() -> None:
    with pytest.raises(AmountError) as caught:
        parse_amount("1.234", "USD")
    assert str(caught.value) == "more than 2 decimals for USD"
    with pytest.raises(AmountError) as caught:
        parse_amount("x", "USD")
    assert str(caught.value) == "not a number"


def test_amount_error_is_an_input_error_so_it_never_escapes_as_a_traceback() -> None:
    assert issubclass(AmountError, InputError)
    with pytest.raises(AmountError) as caught:
        parse_amount("1.234", "USD")
    assert caught.value.code == "invalid_input"
    assert [p.message for p in caught.value.problems] == ["more than 2 decimals for USD"]


def test_negatives_can_be_refused() -> None:
    with pytest.raises(AmountError, match="negative amount not allowed"):
        parse_amount("-0.01", "USD", allow_negative=False)
    assert parse_amount("0.01", "USD", allow_negative=False) == 1
    assert parse_amount("-0.00", "USD", allow_negative=False) == 0


@pytest.mark.parametrize("value", [1.5, 3, Decimal("1"), None, b"1"])
def test_non_strings_are_a_type_error_naming_the_type(value: object) -> None:
    with pytest.raises(TypeError, match=type(value).__name__):
        parse_amount(value, "USD")  # type: ignore[arg-type]


def test_unknown_currency_is_an_input_error() -> None:
    with pytest.raises(InputError):
        parse_amount("1", "ZZZ")


@pytest.mark.parametrize(
    ("minor", "code", "grouping", "text"),
    [
        (123456, "USD", False, "1234.56"),
        (-1, "USD", False, "-0.01"),
        (0, "USD", False, "0.00"),
        (123456, "USD", True, "1,234.56"),
        (-123456789, "USD", True, "-1,234,567.89"),
        (12, "USD", True, "0.12"),
        (1234, "JPY", False, "1234"),
        (1234567, "JPY", True, "1,234,567"),
        (5, "KWD", False, "0.005"),
        (0, "CLF", False, "0.0000"),
    ],
)
def test_format_amount(minor: int, code: str, grouping: bool, text: str) -> None:
    assert format_amount(minor, code, grouping=grouping) == text


@pytest.mark.parametrize("value", [1.0, True, Decimal("1"), "1"])
def test_format_amount_takes_only_int(value: object) -> None:
    with pytest.raises(TypeError):
        format_amount(value, "USD")  # type: ignore[arg-type]


@given(
    minor=st.integers(min_value=-MAX, max_value=MAX), places=st.sampled_from(sorted(BY_EXPONENT))
)
def test_parse_inverts_format(minor: int, places: int) -> None:
    code = BY_EXPONENT[places]
    assert parse_amount(format_amount(minor, code), code) == minor


@given(
    minor=st.integers(min_value=-(10**15), max_value=10**15),
    places=st.sampled_from(sorted(BY_EXPONENT)),
    sign=st.sampled_from(["", "+"]),
)
def test_parse_agrees_with_decimal(minor: int, places: int, sign: str) -> None:
    code = BY_EXPONENT[places]
    text = format(Decimal(minor).scaleb(-places, Context(prec=60)), "f")
    if minor >= 0:
        text = sign + text
    assert parse_amount(text, code) == minor


@pytest.mark.parametrize(
    ("value", "code", "rounding", "minor"),
    [
        (Decimal("12.34"), "USD", None, 1234),
        (Decimal("12.340000"), "USD", None, 1234),
        (Decimal("1E+2"), "USD", None, 10000),
        (Decimal("-0.5"), "JPY", Rounding.HALF_EVEN, 0),
        (Decimal("12.345"), "USD", Rounding.HALF_EVEN, 1234),
        (Decimal("12.345"), "USD", Rounding.HALF_UP, 1235),
        (Decimal("12.341"), "USD", Rounding.CEILING, 1235),
        (Decimal("-12.349"), "USD", Rounding.DOWN, -1234),
        (Decimal("1E-40"), "USD", Rounding.UP, 1),
    ],
)
def test_from_decimal(value: Decimal, code: str, rounding: Rounding | None, minor: int) -> None:
    assert from_decimal(value, code, rounding) == minor


def test_from_decimal_refuses_inexact_values_without_a_rounding_mode() -> None:
    with pytest.raises(AmountError, match="more than 2 decimals for USD"):
        from_decimal(Decimal("12.345"), "USD")
    with pytest.raises(AmountError, match="no decimals allowed for JPY"):
        from_decimal(Decimal("1.5"), "JPY")


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("-Infinity"), Decimal("sNaN")])
def test_from_decimal_refuses_non_finite(value: Decimal) -> None:
    with pytest.raises(AmountError, match="not a finite number"):
        from_decimal(value, "USD")


@pytest.mark.parametrize("value", [Decimal("92233720368547758.08"), Decimal("1E+30")])
def test_from_decimal_refuses_out_of_range(value: Decimal) -> None:
    with pytest.raises(AmountError, match="out of range"):
        from_decimal(value, "USD")
    with pytest.raises(AmountError, match="out of range"):
        from_decimal(-value, "USD", Rounding.HALF_EVEN)


@pytest.mark.parametrize("value", [1.5, 1, "1.5"])
def test_from_decimal_takes_only_decimal(value: object) -> None:
    with pytest.raises(TypeError, match=type(value).__name__):
        from_decimal(value, "USD")  # type: ignore[arg-type]


@given(
    minor=st.integers(min_value=-MAX, max_value=MAX), places=st.sampled_from(sorted(BY_EXPONENT))
)
def test_from_decimal_inverts_format(minor: int, places: int) -> None:
    code = BY_EXPONENT[places]
    assert from_decimal(Decimal(format_amount(minor, code)), code) == minor


def _exact(text: str, places: int) -> int | None:
    """What an amount is worth in minor units, worked out with Decimal (None: not an amount)."""
    body = text.strip()
    digits = body[1:] if body[:1] in ("+", "-") else body
    whole, point, fraction = digits.partition(".")
    parts = (whole, fraction) if point else (whole,)
    if not all(part and all(c in "0123456789" for c in part) for part in parts):
        return None
    scaled = Decimal(body).scaleb(places, Context(prec=80))
    if scaled != scaled.to_integral_value() or abs(scaled) > MAX:
        return None
    return int(scaled)


@given(
    text=st.text(alphabet="0123456789.+- \u0663\u00b2", max_size=24),
    places=st.sampled_from(sorted(BY_EXPONENT)),
)
def test_every_shape_of_amount_text_parses_to_its_exact_worth_or_is_refused(
    text: str, places: int
) -> None:
    # Plain "1234.56" takes a fast path; signs, spaces, other places and other scripts' digits
    # the full one: both must agree with Decimal to the minor unit, or refuse.
    code = BY_EXPONENT[places]
    expected = _exact(text, places)
    if expected is None:
        with pytest.raises(AmountError):
            parse_amount(text, code)
    else:
        assert parse_amount(text, code) == expected
