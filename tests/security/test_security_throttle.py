"""Sign-in throttling: distinct failed tokens from one client (API) or for one user name (web
sign-in) lock it out with 429 and Retry-After; the lock decays; a success lifts nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jointfund.config import Settings
from jointfund.fund.demo import build_demo
from jointfund.http import create_app
from jointfund.http.state import SignInThrottles, install, state_of
from jointfund.http.throttle import FailureThrottle
from jointfund.store import Database, open_database
from tests.http.api.conftest import seed_people
from tests.http.pages.web_site import Server, free_port

from .security_roles import USER_NAME, csrf_of

WINDOW = 600.0


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Throttled:
    """A served fund whose throttles run on a hand-moved clock."""

    base: str
    db: Database
    tokens: dict[str, str]
    clock: Clock


@pytest.fixture
def throttled(tmp_path: Path) -> Iterator[Throttled]:
    url = f"sqlite:///{tmp_path / 'books.db'}"
    db = open_database(url)
    tokens = seed_people(db, build_demo(db).logins)
    clock = Clock()
    app = create_app(Settings(database_url=url, runs_dir=tmp_path / "runs"))
    signin = SignInThrottles(
        by_name=FailureThrottle(limit=5, window_s=WINDOW, clock=clock),
        by_address=FailureThrottle(limit=20, window_s=WINDOW, clock=clock),
    )
    bearer = FailureThrottle(limit=10, window_s=WINDOW, clock=clock)
    install(app, replace(state_of(app), bearer_throttle=bearer, signin_throttles=signin))
    port = free_port()
    with Server(app, port):
        yield Throttled(f"http://127.0.0.1:{port}", db, tokens, clock)
    db.dispose()


def _me(base: str, token: str) -> httpx.Response:
    return httpx.get(f"{base}/api/me", headers={"Authorization": f"Bearer {token}"})


def test_api_locks_a_client_out_after_ten_distinct_bad_tokens(throttled: Throttled) -> None:
    good = throttled.tokens["auditor"]
    for n in range(9):
        assert _me(throttled.base, f"jf_guess-{n}").status_code == 401
    assert _me(throttled.base, good).status_code == 200, "a success lifts nothing..."
    assert _me(throttled.base, "jf_guess-9").status_code == 401
    locked = _me(throttled.base, good)
    assert locked.status_code == 429, "...so the tenth failure locks, even the right token"
    assert locked.json()["error"]["code"] == "throttled"
    assert 0 < int(locked.headers["retry-after"]) <= WINDOW
    throttled.clock.now += int(locked.headers["retry-after"])
    assert _me(throttled.base, good).status_code == 200, "the lock decays"


def test_api_does_not_count_the_same_bad_token_twice(throttled: Throttled) -> None:
    for _ in range(30):
        assert _me(throttled.base, throttled.tokens["revoked"]).status_code == 401
    assert _me(throttled.base, throttled.tokens["admin"]).status_code == 200


def _sign_in(client: httpx.Client, name: str, token: str) -> httpx.Response:
    csrf = csrf_of(client)
    return client.post("/signin", data={"csrf_token": csrf, "name": name, "token": token})


def test_web_sign_in_locks_a_user_name_after_five_failures(throttled: Throttled) -> None:
    admin, good = USER_NAME["admin"], throttled.tokens["admin"]
    with httpx.Client(base_url=throttled.base) as attacker:
        for n in range(4):
            assert _sign_in(attacker, admin, f"jf_guess-{n}").status_code == 401
    with httpx.Client(base_url=throttled.base) as owner:
        assert _sign_in(owner, admin, good).status_code == 303
    with httpx.Client(base_url=throttled.base) as attacker:
        assert _sign_in(attacker, admin, "jf_guess-4").status_code == 401
        locked = _sign_in(attacker, admin, good)
    assert locked.status_code == 429, "the owner's success did not reset the attacker's count"
    assert "too many failed sign-ins" in locked.text
    wait = int(locked.headers["retry-after"])
    assert 0 < wait <= WINDOW
    assert _fresh(throttled, "auditor", throttled.tokens["auditor"]) == 303, "only that name"
    throttled.clock.now += wait - 2
    assert _fresh(throttled, admin, good) == 429, "still locked before it decays"
    throttled.clock.now += 2
    assert _fresh(throttled, admin, good) == 303


def _fresh(throttled: Throttled, name: str, token: str) -> int:
    with httpx.Client(base_url=throttled.base) as client:
        return _sign_in(client, name, token).status_code


@settings(max_examples=60, derandomize=True, deadline=None)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(["a", "b", "c", "d", "e", "f"]), st.floats(0, 400)),
        max_size=40,
    )
)
def test_a_key_is_locked_exactly_while_limit_distinct_failures_are_in_the_window(
    steps: list[tuple[str, float]],
) -> None:
    clock = Clock()
    throttle = FailureThrottle(limit=3, window_s=WINDOW, clock=clock)
    last_seen: dict[str, float] = {}
    for attempt, pause in steps:
        clock.now += pause
        live = sorted(t for t in last_seen.values() if clock.now - t < WINDOW)
        wait = throttle.retry_after("k")
        if len(live) >= 3:
            assert wait is not None
            assert wait >= live[len(live) - 3] + WINDOW - clock.now
        else:
            assert wait is None
            throttle.record_failure("k", attempt)
            last_seen[attempt] = clock.now
