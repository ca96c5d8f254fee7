"""`jointfund forecast run --as-of` and `forecast backtest` on the example fund's books."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jointfund.cli.app import main


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """The example fund's database and an auditor's token (an insider who only reads)."""
    folder = tmp_path_factory.mktemp("demo")
    db, logins = folder / "fund.db", folder / "logins.txt"
    assert main(["demo", "--db", str(db), "--logins", str(logins)]) == 0
    token = next(
        line.split("\t")[2]
        for line in logins.read_text().splitlines()
        if line.startswith("auditor")
    )
    return str(db), token


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, object]]:
    code = main(list(args))
    out = capsys.readouterr().out
    return code, json.loads(out) if code == 0 else {}


def test_backtest_json_shape(
    demo: tuple[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, token = demo
    monkeypatch.setenv("JOINTFUND_TOKEN", token)
    capsys.readouterr()
    code, found = _json(
        capsys,
        "forecast", "backtest", "base", "--from", "2025-12-31",
        "--paths", "500", "--seed", "3", "--db", db, "--json",
    )  # fmt: skip
    assert code == 0
    assert found["scenario"] == "base" and found["as_of"] == "2025-12-31"
    assert found["first_year"] == 2026 and found["paths"] == 500
    assert found["bands"] == {"band_50": [25.0, 75.0], "band_90": [5.0, 95.0]}
    series = found["series"]
    assert isinstance(series, dict)
    assert set(series) == {"receipts", "inflow", "nav", "capital_ua"}
    for item in series.values():
        assert set(item["coverage"]) == {"years", "band_50", "band_90"}
        (year,) = item["years"]
        assert set(year) == {
            "year", "observed_usd", "percentile", "in_band_50", "in_band_90", "fan_usd",
        }  # fmt: skip
        assert year["year"] == 2026 and 0.0 <= year["percentile"] <= 100.0
        assert set(year["fan_usd"]) == {"p5", "p25", "p50", "p75", "p95"}
    assert series["inflow"]["years"][0]["observed_usd"] == 1732886.02


def test_run_as_of_starts_from_the_books(
    demo: tuple[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db, token = demo
    monkeypatch.setenv("JOINTFUND_TOKEN", token)
    capsys.readouterr()
    code, found = _json(
        capsys,
        "forecast", "run", "base", "--as-of", "2025-12-31", "--db", db,
        "--paths", "300", "--years", "5", "--seed", "4", "--out", str(tmp_path / "r"), "--json",
    )  # fmt: skip
    assert code == 0
    manifest = found["manifest"]
    assert isinstance(manifest, dict)
    assert manifest["as_of"] == "2025-12-31" and manifest["start_year"] == 2026
    assert found["calendar_years"] == [2026, 2027, 2028, 2029, 2030]
    assert manifest["start"]["capital"] == [75_000_000.0, 37_500_000.0]
    # the run replays from the start its manifest keeps: the export re-simulates it and agrees
    code = main(
        ["forecast", "export", str(tmp_path / "r"), "--format", "csv", "--out", str(tmp_path / "x")]
    )
    assert code == 0, capsys.readouterr().err


def test_as_of_without_a_token_is_refused_with_one_line(
    demo: tuple[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JOINTFUND_TOKEN", raising=False)
    code = main(["forecast", "backtest", "base", "--from", "2025-12-31", "--db", demo[0]])
    captured = capsys.readouterr()
    assert code != 0 and "Traceback" not in captured.err
    assert "token" in captured.err
