"""`jointfund fx import FILE` as a user runs it, on a real SQLite file, for every NBU shape."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from jointfund.cli.app import main
from jointfund.fund import open_books
from jointfund.fund.setup import set_up_fund
from jointfund.fund.users import bootstrap_admin

from .test_intake_nbu_rates import PUBLISHED, SAMPLES, published_xlsx


def _import(capsys: pytest.CaptureFixture[str], file: Path, db: Path) -> tuple[int, str]:
    code = main(["fx", "import", str(file), "--db", f"sqlite:///{db}", "--json"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A new fund on a SQLite file, its administrator's token in JOINTFUND_TOKEN."""
    path = tmp_path / "fund.db"
    books = open_books(f"sqlite:///{path}")
    set_up_fund(books, "ua-us-2025-04-30-agreement")
    _, token = bootstrap_admin(books, "admin")
    books.dispose()
    monkeypatch.setenv("JOINTFUND_TOKEN", token.secret)
    return path


def _stored(db: Path) -> dict[tuple[str, str, str], Decimal]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute('SELECT "on", base, quote, rate FROM fx_rates').fetchall()
    return {(on, base, quote): Decimal(rate) for on, base, quote, rate in rows}


def test_each_published_shape_imports_and_a_second_shape_of_the_same_days_is_unchanged(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _import(capsys, published_xlsx(tmp_path), db)
    assert code == 0
    assert json.loads(out) == {"created": 5, "unchanged": 0}
    expected = {(on.isoformat(), "USD", "UAH"): rate for on, rate in PUBLISHED.items()}
    assert _stored(db) == expected
    for sample in (
        "nbu_website_usd_cp1251.csv",
        "nbu_website_usd.json",
        "nbu_api_usd_20250113.json",
    ):
        code, out = _import(capsys, SAMPLES / sample, db)
        assert code == 0, out
        assert json.loads(out)["created"] == 0
    assert _stored(db) == expected


def test_a_contradicting_inverse_in_one_file_writes_nothing(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fx = tmp_path / "fx.csv"
    fx.write_text(
        "date,base,quote,rate\n2026-11-20,USD,UAH,42.9465\n2026-11-20,UAH,USD,1.0\n",
        encoding="utf-8",
    )
    code, out = _import(capsys, fx, db)
    assert code != 0
    assert "contradicts row 2" in out
    assert _stored(db) == {}


def _rates(tmp_path: Path, name: str, rows: str) -> Path:
    path = tmp_path / name
    path.write_text("date,base,quote,rate\n" + rows, encoding="utf-8")
    return path


def test_a_rate_far_from_the_previous_one_needs_confirmation(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _import(capsys, _rates(tmp_path, "a.csv", "2026-11-02,USD,UAH,41.50\n"), db)[0] == 0
    jump = _rates(tmp_path, "b.csv", "2026-11-03,USD,UAH,41.60\n2026-11-04,USD,UAH,4.16\n")
    code, out = _import(capsys, jump, db)
    assert code == 3, out
    problem = json.loads(out)["error"]["problems"][0]
    assert (problem["row"], problem["field"]) == (3, "rate")
    assert "41.60" in problem["message"] and "2026-11-03" in problem["message"]
    assert len(_stored(db)) == 1  # nothing of the file was stored
    # An inverse quote far from the stored direct one is a jump too.
    inverse = _rates(tmp_path, "c.csv", "2026-11-05,UAH,USD,1.0\n")
    assert _import(capsys, inverse, db)[0] == 3
    code = main(["fx", "import", str(jump), "--db", f"sqlite:///{db}", "--confirm-jumps", "--json"])
    capsys.readouterr()
    assert code == 0
    assert len(_stored(db)) == 3


def test_the_bound_on_a_jump_is_a_setting(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _import(capsys, _rates(tmp_path, "a.csv", "2026-11-02,USD,UAH,40.00\n"), db)[0] == 0
    monkeypatch.setenv("JOINTFUND_FX_MAX_JUMP", "0.01")
    assert _import(capsys, _rates(tmp_path, "b.csv", "2026-11-03,USD,UAH,40.50\n"), db)[0] == 3
    monkeypatch.setenv("JOINTFUND_FX_MAX_JUMP", "0.05")
    assert _import(capsys, _rates(tmp_path, "b.csv", "2026-11-03,USD,UAH,40.50\n"), db)[0] == 0
