"""What verify finds is said in the reader's language: a balance edited behind the books' back
is named in Ukrainian by `jointfund verify` and on the verification page, in English as before
without a language, and the JSON keeps the English."""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

import httpx
import pytest

from jointfund.cli.app import main
from jointfund.config import Settings
from jointfund.fund import open_books
from jointfund.fund.demo import build_demo
from tests.http.pages.web_site import Server, free_port, make_app


@pytest.fixture
def tampered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    path = tmp_path / "books.db"
    db = open_books(str(path))
    token = next(x.token for x in build_demo(db).logins if x.name == "auditor")
    db.dispose()
    with sqlite3.connect(path) as raw:  # behind the software's back
        raw.execute("UPDATE balances SET amount = amount + 1 WHERE account_id = 1")
    monkeypatch.setenv("JOINTFUND_TOKEN", token)
    monkeypatch.setenv("COLUMNS", "200")
    return str(path)


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, lang: str,
        *args: str) -> tuple[int, str]:  # fmt: skip
    monkeypatch.setenv("JOINTFUND_LANG", lang)
    code = main(list(args))
    return code, capsys.readouterr().err


def test_verify_names_an_edited_balance_in_ukrainian(
    tampered: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, said = run(capsys, monkeypatch, "uk", "verify", "--db", tampered)
    assert code != 0
    assert said.strip() == (
        "помилка: перевірка не пройшла на Assets:Cash:USD: збережений залишок 15000000001 USD "
        "відрізняється від підсумку журналу 15000000000; знахідок: 1"
    )
    assert "differs from journal total" not in said
    code, english = run(capsys, monkeypatch, "en", "verify", "--db", tampered)
    assert code != 0
    assert "differs from journal total" in english


def test_the_verification_page_names_the_edit_in_ukrainian(tampered: str, tmp_path: Path) -> None:
    token = os.environ["JOINTFUND_TOKEN"]
    app = make_app(Settings(database_url=tampered, runs_dir=tmp_path / "runs"))
    port = free_port()
    with Server(app, port), httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
        form = client.get("/signin", params={"format": "json"}).json()
        signed = client.post(
            "/signin",
            params={"format": "json"},
            data={"csrf_token": form["csrf_token"], "name": "auditor", "token": token},
        )
        assert signed.status_code == 200, signed.text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/ledger/verify").text)
        assert csrf is not None
        run = {"csrf_token": csrf.group(1)}
        page = client.post("/ledger/verify", data=run, headers={"Accept-Language": "uk"}).text
        twin = client.post("/ledger/verify", data=run, params={"format": "json"}).json()
    assert "збережений залишок 15000000001 USD відрізняється від підсумку журналу" in page
    assert "differs from journal total" not in page
    assert "differs from journal total" in str(twin), "the JSON twin keeps the English"
