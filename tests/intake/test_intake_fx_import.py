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
