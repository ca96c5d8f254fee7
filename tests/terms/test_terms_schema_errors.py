"""Invalid term sheets fail with an InputError whose problems name the file and key path."""

from __future__ import annotations

import copy
from collections.abc import Callable
from importlib import resources
from typing import Any

import pytest
import yaml

from jointfund.errors import InputError, Problem
from jointfund.terms import parse_terms, parse_terms_yaml

FILE = "sheet.yaml"


def _preset_text(preset_id: str) -> str:
    return (
        resources.files("jointfund.terms")
        .joinpath("presets", f"{preset_id}.yaml")
        .read_text(encoding="utf-8")
    )


AGREEMENT = _preset_text("ua-us-2025-04-30-agreement")
MARCH = _preset_text("ua-us-2025-03-us-draft")
FEB21 = _preset_text("ua-us-2025-02-21-draft")


def _problems_from_data(text: str, mutate: Callable[[dict[str, Any]], None]) -> list[Problem]:
    data = copy.deepcopy(yaml.safe_load(text))
    mutate(data)
    with pytest.raises(InputError) as caught:
        parse_terms(data, file=FILE)
    return list(caught.value.problems)


def _problems_from_text(text: str) -> list[Problem]:
    with pytest.raises(InputError) as caught:
        parse_terms_yaml(text, file=FILE)
    return list(caught.value.problems)


def _one(problems: list[Problem], field: str) -> Problem:
    matching = [p for p in problems if p.field == field]
    assert matching, f"no problem at {field}: {problems}"
    assert all(p.file == FILE for p in problems)
    return matching[0]


def _set(path: str, value: object) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        node[int(last) if last.isdigit() else last] = value

    return mutate


def _delete(path: str) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        del node[last]

    return mutate


@pytest.mark.parametrize(
    ("text", "mutate", "field", "fragment"),
    [
        (AGREEMENT, _set("inflow.0.share", "1.5"), "inflow[0].share", "between 0 and 1"),
        (AGREEMENT, _set("inflow.0.share", "1/3"), "inflow[0].share", "no exact decimal"),
        (AGREEMENT, _set("inflow.0.share", "half"), "inflow[0].share", "not a number"),
        (
            AGREEMENT,
            _set("inflow.0.streams", ["royalty", "royalties"]),
            "inflow[0].streams[1]",
            "Input should be",
        ),
        (AGREEMENT, _delete("inflow.0.basis"), "inflow[0].basis", "Field required"),
        (AGREEMENT, _set("inflow.0.sharee", "1/2"), "inflow[0].sharee", "Extra inputs"),
        (AGREEMENT, _set("inflow.0.credit_partner", "EU"), "inflow[0].credit_partner", "unknown"),
        (AGREEMENT, _set("metadata.status", "signed"), "metadata.status", "Input should be"),
        (AGREEMENT, _set("lock.years", 0), "lock.years", "greater than or equal to 1"),
        (
            AGREEMENT,
            _delete("governance.approvals.other"),
            "governance.approvals.other",
            "required",
        ),
        (
            AGREEMENT,
            _set("governance.approvals.investmnt", {"rule": "unanimous"}),
            "governance.approvals.investmnt",
            "Input should be",
        ),
        (AGREEMENT, _set("governance.seats", {"US": 3}), "governance.seats", "each partner"),
        (AGREEMENT, _set("reporting_currency", "XYZ"), "reporting_currency", "unknown currency"),
        (AGREEMENT, _set("reporting_currency", "EUR"), "reporting_currency", "books report in USD"),
        (
            MARCH,
            _set("contribution.past_aid.amount", 1.0e11),
            "contribution.past_aid.amount",
            "string",
        ),
        (
            MARCH,
            _set("contribution.past_aid.amount", "100.001"),
            "contribution.past_aid.amount",
            "decimals",
        ),
        (MARCH, _delete("contribution.past_aid"), "priority.senior_partner", "past aid"),
        (
            FEB21,
            _set("distribution.shares", {"US": "0.9", "UA": "0"}),
            "distribution.shares",
            "add up to 1",
        ),
    ],
)
def test_invalid_field_names_its_key_path(
    text: str, mutate: Callable[[dict[str, Any]], None], field: str, fragment: str
) -> None:
    problem = _one(_problems_from_data(text, mutate), field)
    assert fragment in problem.message


def test_yaml_float_share_is_refused_with_how_to_write_it() -> None:
    problem = _one(
        _problems_from_text(AGREEMENT.replace('share: "50%"', "share: 0.5", 1)),
        "inflow[0].share",
    )
    assert "not a YAML float" in problem.message
    assert problem.expected is not None and '"1/2"' in problem.expected


def test_unknown_resource_suggests_the_closest_match() -> None:
    problem = _one(
        _problems_from_data(AGREEMENT, _set("inflow.0.resources", ["lithium", "grafite"])),
        "inflow[0].resources",
    )
    assert "grafite" in problem.message
    assert problem.expected == "graphite"


def test_bad_date_is_reported_at_its_key_not_by_the_yaml_parser() -> None:
    text = AGREEMENT.replace("entry_into_force: 2025-05-23", "entry_into_force: 2025-13-01")
    problem = _one(_problems_from_text(text), "entry_into_force")
    assert "date" in problem.message


def test_duplicate_yaml_key_is_refused_with_its_line() -> None:
    text = AGREEMENT.replace("lock:\n  years: 10\n", "lock:\n  years: 10\n  years: 5\n")
    problems = _problems_from_text(text)
    assert "duplicate key 'years'" in problems[0].message
    assert problems[0].row == text.splitlines().index("  years: 5") + 1


def test_every_problem_is_reported_at_once() -> None:
    def two_errors(data: dict[str, Any]) -> None:
        data["inflow"][0]["share"] = "2"
        data["inflow"][1]["basis"] = "netto"

    fields = {p.field for p in _problems_from_data(AGREEMENT, two_errors)}
    assert fields == {"inflow[0].share", "inflow[1].basis"}


def test_a_sheet_that_is_not_a_mapping_is_refused() -> None:
    assert "mapping" in _problems_from_text("- just\n- a list\n")[0].message
