"""`jointfund forecast run|provenance` with what-if levers: the analyst's view of a negotiator's
what-if, with its census and its levers in the saved run's name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jointfund.cli.app import main

LEVERS = ["--price-factor", "1.2", "--licence-shift", "2", "--territory", "frozen"]


def test_the_census_of_a_what_if_has_no_uncovered_number(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["forecast", "provenance", "terms-2025-03", *LEVERS, "--in-kind", "none", "--json"])
    census = json.loads(capsys.readouterr().out)
    assert code == 0
    assert census["counts"]["uncovered"] == 0
    assert census["scenario"].startswith("terms-2025-03~what-if~prices-x1.2~licences+2y")
    moved = {n["path"]: n for n in census["numbers"]}
    assert moved["prices.commodities.lithium.s0"]["status"] == "assumed"
    assert "what-if lever price level x1.2" in moved["prices.commodities.lithium.s0"]["label"]


def test_a_what_if_run_is_saved_with_its_levers_in_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "whatif"
    args = ["forecast", "run", "terms-2025-03", *LEVERS, "--paths", "300", "--years", "15"]
    code = main([*args, "--seed", "3", "--out", str(out), "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["scenario"] == summary["manifest"]["scenario"]
    assert manifest["scenario"].endswith("~territory-frozen")
    assert manifest["census"]["uncovered"] == 0


def test_a_lever_out_of_range_is_refused_with_its_name(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["forecast", "provenance", "terms-2025-03", "--price-factor", "9"])
    said = capsys.readouterr().err
    assert code != 0
    assert "price_factor" in said and "0.25..4" in said
    code = main(["forecast", "provenance", "base", "--licence-shift", "1"])
    assert code != 0 and "unknown term sheet" in capsys.readouterr().err
