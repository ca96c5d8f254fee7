"""Bounds on free-form input in journal files: metadata depth, members, text, NUL, integers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from jointfund.bounds import MAX_DEPTH, value_problems
from jointfund.errors import InputError
from jointfund.intake.journal_file import read_journal


def _deep(levels: int) -> Any:
    value: Any = 1
    for _ in range(levels):
        value = {"d": value}
    return value


def _entry(**changes: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "key": "k1",
        "date": "2026-11-20",
        "kind": "adjustment",
        "metadata": {},
        "postings": [
            {"account": "Assets:Cash:USD", "amount": "1.00", "currency": "USD"},
            {"account": "Income:Other", "amount": "-1.00", "currency": "USD"},
        ],
    }
    return {**entry, **changes}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"metadata": _deep(900)}, "metadata"),
        ({"metadata": {"note": "x" * 5000}}, "metadata.note"),
        ({"metadata": {"note": "a\u0000b"}}, "metadata.note"),
        ({"metadata": {"big": 2**70}}, "metadata.big"),
        ({"metadata": {"list": list(range(1001))}}, "metadata.list"),
        ({"kind": "k" * 65}, "kind"),
        ({"kind": "a\u0000b"}, "kind"),
        ({"memo": "m" * 5000}, "memo"),
        ({"links": ["l\u0000"]}, "links[0]"),
    ],
)
def test_metadata_and_text_past_the_bounds_are_located(
    tmp_path: Path, changes: dict[str, Any], field: str
) -> None:
    path = tmp_path / "j.json"
    path.write_text(json.dumps([_entry(**changes)]), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_journal(path)
    found = [(p.file, p.row, p.field) for p in caught.value.problems]
    assert (str(path), 1, field) in [(f, r, (x or "").split(".d")[0]) for f, r, x in found]


@pytest.mark.parametrize(
    "text", ["[" * 200_000, '[{"key": ' + "9" * 5000 + "}]", '[{"metadata": {"x": NaN}}]']
)
def test_json_the_reader_cannot_hold_is_a_located_refusal(tmp_path: Path, text: str) -> None:
    path = tmp_path / "j.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_journal(path)
    assert caught.value.problems[0].file == str(path)


def test_checking_a_deep_value_does_not_recurse() -> None:
    value: Any = 1
    for _ in range(100_000):
        value = [value]
    assert value_problems(value, "v") == [
        ("v" + ".0" * MAX_DEPTH, f"nested deeper than {MAX_DEPTH} levels")
    ]
