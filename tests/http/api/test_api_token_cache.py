"""The memory of authenticated tokens: it answers only for live tokens, lapses after its time,
and then a token revoked (or a user deactivated) elsewhere is refused; failures are never kept."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from jointfund.config import Settings
from jointfund.fund import users
from jointfund.fund.demo import build_demo
from jointfund.governance import ApiToken, Role, User
from jointfund.http import create_app
from jointfund.http.api.token_cache import TokenCache
from jointfund.http.state import install, state_of
from jointfund.store import Database, open_database
from tests.http.pages.web_site import Server, free_port

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
USER = User(id=7, name="auditor", role=Role.AUDITOR, partner=None, licence_ids=(), active=True)


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _token(expires_at: datetime | None) -> ApiToken:
    return ApiToken(7, USER.id, "h", "", NOW - timedelta(days=1), expires_at)


def test_a_remembered_token_lapses_after_its_time() -> None:
    clock = Clock()
    cache = TokenCache(ttl=2.0, clock=clock)
    cache.put("h", USER, _token(None))
    assert cache.get("h", NOW) == USER
    clock.now += 2.0
    assert cache.get("h", NOW) is None, "lapsed: the database decides again"
    assert len(cache) == 0


def test_a_remembered_token_is_refused_the_moment_it_expires() -> None:
    cache = TokenCache(ttl=60.0, clock=Clock())
    cache.put("h", USER, _token(NOW + timedelta(seconds=1)))
    assert cache.get("h", NOW) == USER
    assert cache.get("h", NOW + timedelta(seconds=1)) is None


def test_the_memory_is_bounded_and_can_be_switched_off() -> None:
    cache = TokenCache(size=2, clock=Clock())
    for digest in ("a", "b", "c"):
        cache.put(digest, USER, _token(None))
    assert len(cache) == 2
    assert cache.get("a", NOW) is None, "the oldest entry left"
    off = TokenCache(ttl=0)
    off.put("a", USER, _token(None))
    assert off.get("a", NOW) is None


@dataclass
class Remembering:
    """A served fund whose token memory runs on a hand-moved clock."""

    base: str
    db: Database
    admin: User
    clock: Clock
    cache: TokenCache


@pytest.fixture
def remembering(tmp_path: Path) -> Iterator[Remembering]:
    url = f"sqlite:///{tmp_path / 'books.db'}"
    db = open_database(url)
    admin = users.authenticate(db, build_demo(db).logins[0].token)
    clock = Clock()
    cache = TokenCache(ttl=2.0, clock=clock)
    app = create_app(Settings(database_url=url, runs_dir=tmp_path / "runs"))
    install(app, replace(state_of(app), token_cache=cache))
    port = free_port()
    with Server(app, port):
        yield Remembering(f"http://127.0.0.1:{port}", db, admin, clock, cache)
    db.dispose()


def _me(base: str, secret: str) -> httpx.Response:
    return httpx.get(f"{base}/api/me", headers={"Authorization": f"Bearer {secret}"})


def test_a_revoked_token_is_refused_once_its_memory_lapses(remembering: Remembering) -> None:
    issued = users.issue_token(remembering.db, remembering.admin, "auditor")
    assert _me(remembering.base, issued.secret).status_code == 200
    users.revoke_token(remembering.db, remembering.admin, issued.id)
    remembering.clock.now += 2.0
    refused = _me(remembering.base, issued.secret)
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "unauthenticated"
    assert "revoked" in refused.json()["error"]["message"]


def test_a_deactivated_users_token_is_refused_once_its_memory_lapses(
    remembering: Remembering,
) -> None:
    users.add_user(remembering.db, remembering.admin, "leaver", "auditor")
    issued = users.issue_token(remembering.db, remembering.admin, "leaver")
    assert _me(remembering.base, issued.secret).status_code == 200
    users.deactivate_user(remembering.db, remembering.admin, "leaver")
    remembering.clock.now += 2.0
    assert _me(remembering.base, issued.secret).status_code == 401


def test_a_refused_token_is_never_remembered(remembering: Remembering) -> None:
    issued = users.issue_token(remembering.db, remembering.admin, "auditor")
    users.revoke_token(remembering.db, remembering.admin, issued.id)
    for _ in range(3):
        assert _me(remembering.base, issued.secret).status_code == 401
    assert _me(remembering.base, "jf_not-a-real-token").status_code == 401
    assert len(remembering.cache) == 0
    live = users.issue_token(remembering.db, remembering.admin, "auditor")
    assert _me(remembering.base, live.secret).status_code == 200
    assert len(remembering.cache) == 1
