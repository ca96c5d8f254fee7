"""`jointfund serve`: the app factory by import string, `--workers N` passed to uvicorn, and
several worker processes answering over HTTP on the same books."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from jointfund.cli.app import main
from jointfund.fund.demo import build_demo
from jointfund.store import open_database
from tests.api.conftest import free_port

LAUNCH = "from jointfund.cli.app import main; raise SystemExit(main())"


def test_several_workers_without_one_session_key_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JOINTFUND_SESSION_SECRET", raising=False)
    db = str(tmp_path / "books.db")
    assert main(["serve", "--workers", "2", "--port", str(free_port()), "--db", db]) == 9
    assert "JOINTFUND_SESSION_SECRET" in capsys.readouterr().err


def _wait_until_serving(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(f"{base}/openapi.json", timeout=2)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("jointfund serve did not start") from None
            time.sleep(0.1)


def test_two_workers_serve_the_same_books(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'books.db'}"
    db = open_database(url)
    token = build_demo(db).logins[0].token
    db.dispose()
    port = free_port()
    command = [sys.executable, "-c", LAUNCH, "serve", "--db", url, "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "JOINTFUND_SESSION_SECRET": "one key for every worker"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(base, server)
        headers = {"Authorization": f"Bearer {token}"}
        for _ in range(20):  # a fresh connection each time, so both workers get some
            me = httpx.get(f"{base}/api/me", headers=headers, timeout=30)
            assert me.status_code == 200, me.text
            balances = httpx.get(f"{base}/api/ledger/balances", headers=headers, timeout=30)
            assert balances.status_code == 200, balances.text
        assert httpx.get(f"{base}/api/me", timeout=30).status_code == 401
    finally:
        server.terminate()
        server.wait(timeout=30)
