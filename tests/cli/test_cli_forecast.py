"""`jointfund forecast` as an analyst runs it: run, show, compare, charts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jointfund.cli.app import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


def test_run_save_show_compare_and_draw(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base, alt = tmp_path / "base", tmp_path / "frozen"
    code, out = run(
        capsys,
        "forecast",
        "run",
        "base",
        "--paths",
        "400",
        "--seed",
        "11",
        "--years",
        "20",
        "--out",
        str(base),
        "--json",
    )
    assert code == 0
    summary = json.loads(out)
    assert summary["run"] == str(base)
    assert summary["manifest"]["seed_entropy"] == 11
    assert len(summary["calendar_years"]) == 20
    assert (base / "results.json").is_file()

    code, out = run(capsys, "forecast", "show", str(base), "--json")
    shown = json.loads(out)
    assert shown["fans"] == summary["fans"]
    code, out = run(capsys, "forecast", "show", str(base))
    assert code == 0 and "95% upper bound" in out

    code, _ = run(
        capsys,
        "forecast",
        "run",
        "frozen-line",
        "--paths",
        "400",
        "--seed",
        "11",
        "--years",
        "20",
        "--out",
        str(alt),
        "--json",
    )
    assert code == 0
    code, out = run(capsys, "forecast", "compare", str(base), str(alt), "--json")
    compared = json.loads(out)
    assert compared["paired"] is True
    assert compared["deltas"]

    code, out = run(
        capsys, "forecast", "charts", str(base), "--out", str(tmp_path / "charts"), "--json"
    )
    files = [Path(p) for p in json.loads(out)]
    assert {p.suffix for p in files} == {".png", ".svg"}
    assert all(p.stat().st_size > 1000 for p in files)


def test_unknown_scenario_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["forecast", "run", "no-such-scenario", "--paths", "10"])
    assert code != 0
    assert "no-such-scenario" in capsys.readouterr().err
