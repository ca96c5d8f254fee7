"""A key written twice in one JSON object or one YAML mapping is refused where it stands: JSON and
PyYAML both keep the last one silently, so a filing, licence or scenario would carry a value its
author did not see. Real file shapes: the samples beside these tests, edited in one place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jointfund.errors import InputError
from jointfund.forecast import load_scenario
from jointfund.intake.filings import read_filings
from jointfund.intake.licences import read_licences
from jointfund.intake.subsoil_auctions import read_subsoil_auctions

SAMPLES = Path(__file__).parent / "samples"


def _problem(raised: pytest.ExceptionInfo[InputError]) -> tuple[str, str | None]:
    problem = raised.value.problems[0]
    return problem.message, problem.field


def test_a_filing_line_with_its_amount_twice_is_refused(tmp_path: Path) -> None:
    lines = (SAMPLES / "filings.jsonl").read_text(encoding="utf-8").splitlines()
    first = lines[0].replace('"currency"', '"gross_amount": "1.00", "currency"', 1)
    assert first != lines[0]
    path = tmp_path / "filings.jsonl"
    path.write_text("\n".join([first, *lines[1:]]) + "\n", encoding="utf-8")
    assert read_filings(SAMPLES / "filings.jsonl").items  # the sample itself reads
    with pytest.raises(InputError) as raised:
        read_filings(path)
    message, field = _problem(raised)
    assert "'gross_amount' appears twice" in message and field == "gross_amount"
    assert raised.value.problems[0].file == str(path)


def test_a_licence_with_its_holder_twice_is_refused(tmp_path: Path) -> None:
    text = (SAMPLES / "licences.json").read_text(encoding="utf-8")
    path = tmp_path / "licences.json"
    path.write_text(
        text.replace('"deposit": "Dobra"', '"holder": "Someone Else", "deposit": "Dobra"', 1)
    )
    assert read_licences(SAMPLES / "licences.json").items
    with pytest.raises(InputError) as raised:
        read_licences(path)
    assert _problem(raised) == ("key 'holder' appears twice in one object", "holder")


def test_an_auction_procedure_with_its_status_twice_is_refused(tmp_path: Path) -> None:
    procedures = json.loads((SAMPLES / "prozorro_sale_procedures.json").read_text("utf-8"))
    one = json.dumps(procedures[0], ensure_ascii=False, indent=2)
    twice = one.replace('"status": ', '"status": "cancelled",\n  "status": ', 1)
    for name, text in (("one.json", twice), ("array.json", f"[{twice}]")):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(InputError) as raised:
            read_subsoil_auctions(path)
        assert _problem(raised) == ("key 'status' appears twice in one object", "status")


def test_a_scenario_with_a_key_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "twice.yaml"
    path.write_text("extends: base\nname: twice\nname: other\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_scenario(str(path))
    message, _ = _problem(raised)
    assert "found duplicate key 'name'" in message
    assert raised.value.problems[0].file == str(path)
    once = tmp_path / "once.yaml"
    once.write_text("extends: base\nname: once\n", encoding="utf-8")
    assert load_scenario(str(once)).name == "once"
