"""The corpus of bad input files: each one is refused with the exact file, row, field and reason."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jointfund.errors import InputError, Problem
from jointfund.intake.filings import read_filings
from jointfund.intake.fx_rates import read_fx_rates
from jointfund.intake.licences import read_licences

CORPUS = Path(__file__).parent / "corpus"
READERS: dict[str, Callable[[Path], Any]] = {
    "filings": read_filings,
    "licences": read_licences,
    "fx": read_fx_rates,
}

# file, row, field, fragment of the message, fragment of `expected` (or None)
CASES = [
    ("filings_negative_amount.csv", 3, "gross_amount", "negative amount not allowed", "UAH"),
    ("filings_not_a_number.csv", 2, "gross_amount", "not a number", "1500.00"),
    ("filings_too_precise.csv", 2, "gross_amount", "more than 2 decimals for UAH", None),
    ("filings_unknown_currency.csv", 3, "currency", "unknown currency 'XYZ'", "ISO 4217"),
    (
        "filings_unknown_stream.csv",
        2,
        "stream",
        "unknown stream 'royalties'",
        "royalty, permit_fee",
    ),
    (
        "licences_unknown_resource.csv",
        2,
        "resources",
        "unknown resource 'grafite'; did you mean 'graphite'?",
        "graphite",
    ),
    ("licences_bad_date.csv", 2, "issued_on", "no such date: '2025-02-30'", "YYYY-MM-DD"),
    ("filings_bad_month.csv", 2, "period", "no such month: '2025-13'", "YYYY-MM"),
    (
        "filings_duplicate_reference.csv",
        4,
        "payer_reference",
        "payer reference 'PAY-0001' version 1 is already on row 2 with other content",
        "new version",
    ),
    ("filings_repeated_row.csv", 3, "payer_reference", "row repeats row 2", None),
    ("filings_costs_over_gross.csv", 2, "costs", "costs exceed the gross amount", None),
    ("filings_empty.csv", None, None, "file is empty", None),
    ("filings_header_only.csv", None, None, "file has no filings", None),
    ("filings_latin1.csv", 3, None, "file is not valid UTF-8", "UTF-8"),
    ("filings_huge_number.csv", 2, "gross_amount", "amount out of range", None),
    ("filings_formula.csv", 2, "payer_reference", "looks like a spreadsheet formula", "="),
    ("licences_formula.csv", 2, "holder", "looks like a spreadsheet formula", None),
    ("filings_too_many_cells.csv", 3, None, "row has more cells than the header (7, not 6)", None),
    (
        "licences_duplicate_id.csv",
        4,
        "licence_id",
        "licence id 'UA-0001' is already on row 2",
        None,
    ),
    ("fx_exponent_rate.csv", 3, "rate", "exponent notation is not allowed", None),
    ("fx_unknown_header.csv", 1, None, "not a known FX rate header", "date,base,quote,rate"),
]


def _problems(name: str) -> list[Problem]:
    reader = READERS[name.split("_", 1)[0]]
    path = CORPUS / name
    with pytest.raises(InputError) as caught:
        reader(path)
    assert all(p.file == str(path) for p in caught.value.problems)
    return list(caught.value.problems)


@pytest.mark.parametrize(("name", "row", "field", "message", "expected"), CASES)
def test_each_bad_file_is_refused_with_one_located_problem(
    name: str, row: int | None, field: str | None, message: str, expected: str | None
) -> None:
    problems = _problems(name)
    assert len(problems) == 1, problems
    (problem,) = problems
    assert (problem.row, problem.field) == (row, field)
    assert message in problem.message
    if expected is not None:
        assert problem.expected is not None and expected in problem.expected


def test_every_corpus_file_has_a_case() -> None:
    covered = {case[0] for case in CASES} | {"filings_wrong_header.csv"}
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(covered)


def test_wrong_header_names_the_missing_and_the_unknown_column() -> None:
    problems = _problems("filings_wrong_header.csv")
    assert [(p.row, p.field, p.message) for p in problems] == [
        (1, "licence_id", "missing column 'licence_id'"),
        (1, "licence", "unknown column 'licence'"),
    ]
    assert problems[0].expected is not None and "payer_reference" in problems[0].expected


def test_every_problem_in_a_file_is_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    path.write_text(
        "licence_id,period,stream,gross_amount,currency,payer_reference,costs\n"
        "UA-1,2025-06,royalty,-5,UAH,PAY-1,\n"
        "UA-1,25-06,bonus,1.00,UAH,PAY-2,\n"
        "UA-1,2025-06,royalty,10.00,uah,@SUM(A1),\n"
        "UA-1,2025-06,royalty,10.00,UAH,PAY-4,11\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        read_filings(path)
    found = [(p.row, p.field) for p in caught.value.problems]
    assert found == [
        (2, "gross_amount"),
        (3, "period"),
        (3, "stream"),
        (4, "currency"),
        (4, "payer_reference"),
        (5, "costs"),
    ]
    lower = caught.value.problems[3]
    assert lower.message == "currency codes are upper case: 'uah'"
