"""A real uvicorn server on a free port over a demo fund, and tokens for every role."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import uvicorn

from jointfund.config import Settings
from jointfund.fund import users
from jointfund.fund.demo import DemoLogin, build_demo
from jointfund.http import create_app
from jointfund.store import Database, open_database

FILER_LICENCE = "UA-SP-2012-0907"
MANAGERS = [f"{p}_manager{n}" for p in ("us", "ua") for n in ("", "_2", "_3")]


@dataclass(frozen=True)
class Fund:
    """A running API over a demo fund: its URL, database and a token per role."""

    base: str
    db: Database
    tokens: dict[str, str]

    def client(self, who: str | None = "admin") -> httpx.Client:
        """An HTTP client speaking as `who` (None: no token)."""
        headers = {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}
        return httpx.Client(base_url=self.base, headers=headers, timeout=30)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """Run the app with uvicorn in a background thread; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", ws="none"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def seed_people(db: Database, logins: tuple[DemoLogin, ...]) -> dict[str, str]:
    """Tokens by name: the demo's people, a reporting entity and a public user of our own,
    and tokens that must not work (expired, revoked, a deactivated user's, unknown)."""
    by_name = {login.name: login.token for login in logins}
    tokens = {
        "admin": by_name["administrator"],
        "us_manager": by_name["us-manager-1"],
        "ua_manager": by_name["ua-manager-1"],
        **{f"{p}_manager_{n}": by_name[f"{p}-manager-{n}"] for p in ("us", "ua") for n in (2, 3)},
        "auditor": by_name["auditor"],
    }
    admin = users.authenticate(db, tokens["admin"])
    people = {
        "filer": ("reporting_entity", (FILER_LICENCE,)),
        "public": ("public", ()),
        "leaver": ("auditor", ()),
    }
    for name, (role, licences) in people.items():
        users.add_user(db, admin, name, role, licence_ids=licences)
        tokens[name] = users.issue_token(db, admin, name).secret
    past = users.utcnow() - timedelta(days=3)
    tokens["expired"] = users.issue_token(db, admin, "auditor", days=1, now=past).secret
    revoked = users.issue_token(db, admin, "auditor")
    users.revoke_token(db, admin, revoked.id)
    tokens["revoked"] = revoked.secret
    users.deactivate_user(db, admin, "leaver")
    tokens["deactivated"] = tokens.pop("leaver")
    tokens["unknown"] = "jf_not-a-real-token"
    return tokens


@contextmanager
def demo_fund(url: str, runs_dir: Path) -> Iterator[Fund]:
    """A demo fund with users on `url`, served over HTTP."""
    db = open_database(url)
    tokens = seed_people(db, build_demo(db).logins)
    try:
        with serving(Settings(database_url=url, runs_dir=runs_dir)) as base:
            yield Fund(base, db, tokens)
    finally:
        db.dispose()


@pytest.fixture(scope="session")
def fund(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fund]:
    """The shared demo fund on a SQLite file, served by uvicorn."""
    folder = tmp_path_factory.mktemp("api")
    with demo_fund(f"sqlite:///{folder / 'books.db'}", folder / "runs") as running:
        yield running
