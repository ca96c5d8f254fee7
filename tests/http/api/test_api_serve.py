"""`jointfund serve`: the app factory by import string, `--workers N` passed to uvicorn, and
several worker processes answering over HTTP on the same books."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from jointfund.cli.app import main
from jointfund.fund.demo import build_demo
from jointfund.store import open_database
from tests.http.api.conftest import free_port

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


def _web_sign_in(client: httpx.Client, name: str, token: str) -> httpx.Response:
    form = client.get("/signin", params={"format": "json"}).json()
    return client.post(
        "/signin",
        params={"format": "json"},
        data={"csrf_token": form["csrf_token"], "name": name, "token": token},
    )


def test_web_sign_ins_work_on_every_worker_and_sign_out_ends_them_all(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'books.db'}"
    db = open_database(url)
    login = build_demo(db).logins[0]
    db.dispose()
    port = free_port()
    command = [sys.executable, "-c", LAUNCH, "serve", "--db", url, "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--workers", "4"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "JOINTFUND_SESSION_SECRET": "one key for every worker"},
    )
    base = f"http://127.0.0.1:{port}"
    failures: list[str] = []
    try:
        _wait_until_serving(base, server)
        for attempt in range(100):
            # No keep-alive: each request may land on any of the four workers.
            with httpx.Client(base_url=base, timeout=30, headers={"Connection": "close"}) as web:
                signed = _web_sign_in(web, login.name, login.token)
                page = web.get("/", params={"format": "json"})
                if signed.status_code != 200 or page.status_code != 200:
                    failures.append(
                        f"{attempt}: sign-in {signed.status_code}, page {page.status_code}"
                    )
        assert failures == []

        with httpx.Client(base_url=base, timeout=30, headers={"Connection": "close"}) as web:
            assert _web_sign_in(web, login.name, login.token).status_code == 200
            cookie = dict(web.cookies)
            found = re.search(r'name="csrf_token" value="([^"]+)"', web.get("/").text)
            assert found is not None
            csrf = found.group(1)
            assert web.post("/signout", data={"csrf_token": csrf}).status_code == 303
        for _ in range(8):  # the copied cookie is refused by whichever worker answers
            with httpx.Client(base_url=base, timeout=30, cookies=cookie) as replay:
                assert replay.get("/", params={"format": "json"}).status_code == 401
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_server_warms_up_on_books_not_yet_set_up_and_serves_both_languages(
    tmp_path: Path,
) -> None:
    """The warm-up before the first request (templates, catalogues, the terms in force, one
    request through the routes) must not stop a server whose books have no terms yet."""
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    port = free_port()
    command = [sys.executable, "-c", LAUNCH, "serve", "--db", url, "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(base, server)
        english = httpx.get(f"{base}/signin", headers={"Accept-Language": "en"}, timeout=30)
        ukrainian = httpx.get(f"{base}/signin", headers={"Accept-Language": "uk"}, timeout=30)
        assert english.status_code == ukrainian.status_code == 200
        assert '<html lang="en"' in english.text and '<html lang="uk"' in ukrainian.text
        assert httpx.get(f"{base}/.warm-up", timeout=30).status_code == 404
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert b"Traceback" not in err, err.decode()[-2000:]


def test_a_warmed_up_server_has_every_bundled_census_ready(tmp_path: Path) -> None:
    """The census API's first read of a bundled scenario was 90-330 ms (its Monte Carlo of the
    components' means); a worker now computes them before it takes requests."""
    from jointfund.config import Settings
    from jointfund.forecast import bundled_census, scenario_names
    from jointfund.http import create_app
    from jointfund.http.warm_up import warm_up

    url = f"sqlite:///{tmp_path / 'fund.db'}"
    app = create_app(Settings(database_url=url, runs_dir=tmp_path / "runs"))
    bundled_census.cache_clear()
    warm_up(app)
    assert bundled_census.cache_info().currsize == len(scenario_names()) > 0
    misses = bundled_census.cache_info().misses
    for name in scenario_names():  # what the census route calls
        bundled_census(name)
    assert bundled_census.cache_info().misses == misses  # nothing left to compute
