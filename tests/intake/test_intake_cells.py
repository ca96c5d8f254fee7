"""The shared cell parsers: what each accepts, and the message each refusal carries."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jointfund.errors import InputError, Problem
from jointfund.intake.cells import Cells, check_header


def _cells() -> Cells:
    return Cells("f.csv", 7, [])


@pytest.mark.parametrize(
    "text", ["=cmd|' /C calc'!A0", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "  =1"]
)
def test_formula_like_text_is_refused(text: str) -> None:
    at = _cells()
    assert at.text("holder", text) is None
    assert at.problems == [
        Problem(
            "looks like a spreadsheet formula",
            "f.csv",
            7,
            "holder",
            "text not starting with =, +, -, @, tab or carriage return",
        )
    ]


def test_text_is_trimmed_and_blank_is_missing_unless_optional() -> None:
    at = _cells()
    assert at.text("holder", "  Dobra LLC ") == "Dobra LLC"
    assert at.text("memo", "  ", required=False) == ""
    assert at.text("holder", " ") is None
    assert [p.message for p in at.problems] == ["missing value"]


@pytest.mark.parametrize(
    ("text", "value", "message"),
    [
        ("2025-06-30", date(2025, 6, 30), None),
        ("2025-6-30", None, "not a date: '2025-6-30'"),
        ("20250630", None, "not a date: '20250630'"),
        ("2025-06-31", None, "no such date: '2025-06-31'"),
        ("२०२५-०६-३०", None, "not a date: '२०२५-०६-३०'"),
        ("", None, "missing date"),
    ],
)
def test_iso_dates(text: str, value: date | None, message: str | None) -> None:
    at = _cells()
    assert at.iso_date("issued_on", text) == value
    assert [p.message for p in at.problems] == ([] if message is None else [message])


@pytest.mark.parametrize(
    ("text", "value", "message"),
    [
        ("2025-02", date(2025, 2, 1), None),
        ("2025-00", None, "no such month: '2025-00'"),
        ("0000-01", None, "0000-01 is outside 1991–2100"),
        ("2025/02", None, "not a month: '2025/02'"),
        ("2025-2", None, "not a month: '2025-2'"),
    ],
)
def test_months(text: str, value: date | None, message: str | None) -> None:
    at = _cells()
    assert at.month("period", text) == value
    assert [p.message for p in at.problems] == ([] if message is None else [message])


def test_choice_lists_the_choices_and_hints_at_case() -> None:
    at = _cells()
    assert at.choice("status", "active", ("active", "expired")) == "active"
    assert at.choice("status", "Active", ("active", "expired")) is None
    assert at.choice("status", "gone", ("active", "expired")) is None
    assert [(p.message, p.expected) for p in at.problems] == [
        ("'Active' must be written in lower case", "one of active, expired"),
        ("unknown status 'gone'", "one of active, expired"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-1.00", "negative amount not allowed"),
        ("1,000.00", "thousands separators are not allowed"),
        ("1.005", "more than 2 decimals for USD"),
        ("1e5", "exponent notation is not allowed"),
        ("abc", "not a number"),
        ("99999999999999999999", "amount out of range"),
    ],
)
def test_amount_refusals_each_have_their_own_message(text: str, message: str) -> None:
    at = _cells()
    assert at.amount("gross_amount", text, "USD") is None
    (problem,) = at.problems
    assert problem.message.startswith(message)
    assert problem.expected == "an amount in USD such as 1500.00"


def test_positive_amounts_refuse_zero() -> None:
    at = _cells()
    assert at.amount("gross_amount", "0.00", "USD") == 0
    assert at.amount("gross_amount", "0.00", "USD", positive=True) is None
    assert [p.message for p in at.problems] == ["amount must be more than zero"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "missing rate"),
        ("-41.5", "rate must be positive"),
        ("+41.5", "rate must not carry a sign"),
        ("0.000", "rate must be more than zero"),
        ("Infinity", "not a finite number"),
        ("4.15E1", "exponent notation is not allowed"),
        ("41,5", "not a number: '41,5'"),
        (".5", "not a number: '.5'"),
        ("1" * 31, "more than 30 significant digits"),
    ],
)
def test_rate_refusals(text: str, message: str) -> None:
    at = _cells()
    assert at.rate("rate", text) is None
    assert [p.message for p in at.problems] == [message]


@given(st.decimals(min_value=Decimal("0.000001"), max_value=Decimal(10**9), places=6))
def test_plain_decimal_rates_read_back_exactly(value: Decimal) -> None:
    at = _cells()
    assert at.rate("rate", str(value)) == value
    assert at.rate("rate", str(value).replace(".", ","), decimal_comma=True) == value
    assert at.problems == []


def test_integers_are_ascii_digits_within_bounds() -> None:
    at = _cells()
    assert at.integer("version", "007", minimum=1) == 7
    assert at.integer("version", "0", minimum=1) is None
    assert at.integer("version", "-1", minimum=1) is None
    assert at.integer("version", "٣", minimum=1) is None
    assert [p.message for p in at.problems] == [
        "out of range: 0",
        "not a whole number: '-1'",
        "not a whole number: '٣'",
    ]


def test_flags_are_true_false_or_blank() -> None:
    at = _cells()
    assert [at.flag("is_new", t) for t in ("true", "false", "", "yes")] == [
        True,
        False,
        None,
        None,
    ]
    assert [p.message for p in at.problems] == ["not true or false: 'yes'"]


def test_header_check_names_missing_unknown_and_repeated_columns() -> None:
    assert check_header([" a ", "b"], "f.csv", ("a",), ("b", "c")) == {"a": 0, "b": 1}
    with pytest.raises(InputError) as caught:
        check_header(["a", "x", "a"], "f.csv", ("a", "b"))
    assert [(p.row, p.field, p.message) for p in caught.value.problems] == [
        (1, "b", "missing column 'b'"),
        (1, "x", "unknown column 'x'"),
        (1, "a", "column 'a' appears more than once"),
    ]
