"""ISO 4217 lookups: exponents, codes that cannot be booked, and the bundled list itself."""

import csv
from importlib import resources

import pytest

from jointfund.errors import InputError
from jointfund.money import Currency, currency, exponent, is_currency
from jointfund.money.currency import all_currencies


@pytest.mark.parametrize(
    ("code", "places"),
    [("USD", 2), ("UAH", 2), ("EUR", 2), ("JPY", 0), ("KWD", 3), ("BHD", 3), ("CLF", 4)],
)
def test_exponent_matches_iso_4217(code: str, places: int) -> None:
    assert exponent(code) == places
    assert currency(code).exponent == places


def test_currency_record_carries_numeric_code_and_name() -> None:
    assert currency("UAH") == Currency("UAH", "980", 2, "Hryvnia")
    assert currency("USD").numeric == "840"


def test_unknown_code_is_an_input_error_saying_what_is_expected() -> None:
    with pytest.raises(InputError) as caught:
        currency("ABC")
    (problem,) = caught.value.problems
    assert problem.field == "currency"
    assert problem.expected is not None
    assert "an ISO 4217 code such as USD" in problem.expected
    assert "ABC" in problem.message


def test_codes_are_case_sensitive() -> None:
    assert not is_currency("usd")
    with pytest.raises(InputError, match="upper case"):
        exponent("usd")


@pytest.mark.parametrize("code", ["XAU", "XDR", "XXX", "XTS"])
def test_units_without_minor_unit_cannot_be_booked(code: str) -> None:
    assert not is_currency(code)
    with pytest.raises(InputError, match="no minor unit"):
        currency(code)


@pytest.mark.parametrize("code", ["HRK", "BGN", "SLL", "ZWL", "ANG", "CUC", "LTL"])
def test_withdrawn_codes_are_not_currencies(code: str) -> None:
    assert not is_currency(code)


@pytest.mark.parametrize("code", ["XCG", "ZWG", "SLE", "VED", "VES", "XAD", "UYW"])
def test_recent_codes_are_currencies(code: str) -> None:
    assert is_currency(code)


@pytest.mark.parametrize("value", [None, 840, b"USD", ""])
def test_non_codes_are_rejected(value: object) -> None:
    assert not is_currency(value)  # type: ignore[arg-type]
    with pytest.raises(InputError):
        exponent(value)  # type: ignore[arg-type]


def test_bundled_list_is_well_formed() -> None:
    text = resources.files("jointfund.money").joinpath("iso4217.csv").read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert list(rows[0]) == ["code", "numeric", "exponent", "name"]
    codes = [r["code"] for r in rows]
    numerics = [r["numeric"] for r in rows]
    assert len(rows) == 178
    assert len(set(codes)) == len(codes)
    assert len(set(numerics)) == len(numerics)
    for row in rows:
        assert len(row["code"]) == 3
        assert row["code"].isascii()
        assert row["code"].isupper()
        assert len(row["numeric"]) == 3
        assert row["numeric"].isdigit()
        assert row["exponent"] in {"0", "2", "3", "4", "N.A."}
        assert row["name"]


def test_all_currencies_lists_the_bookable_ones_sorted() -> None:
    listed = all_currencies()
    codes = [c.code for c in listed]
    assert codes == sorted(codes)
    assert len(codes) == 178 - 13  # thirteen List One units have no minor unit
    assert currency("UAH") in listed
    assert "XAU" not in codes
