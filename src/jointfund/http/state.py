"""What one app holds for every request, JSON or page: settings, the books, keys, throttles.

Built once by the app factory and kept on `app.state`; nothing is made lazily on first use,
so every worker process of one server starts from the same settings (the session key above
all) and a test swaps a part by replacing the whole record.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request

from jointfund.config import Settings
from jointfund.errors import ConfigError
from jointfund.fund import Database
from jointfund.fund.forecast_runs import ForecastRuns
from jointfund.http.api.read_cache import ReadCache
from jointfund.http.api.token_cache import TokenCache
from jointfund.http.conditional import AnswerCache
from jointfund.http.throttle import FailureThrottle
from jointfund.i18n.message import Message

STATE_KEY = "jointfund"
BEARER_FAILURE_LIMIT = 10
"""Distinct unusable bearer tokens one client may send within the window."""
NAME_FAILURE_LIMIT = 5
ADDRESS_FAILURE_LIMIT = 20
"""Distinct failed web sign-ins allowed per user name, and per client address."""


@dataclass(frozen=True, slots=True)
class SignInThrottles:
    """Failed sign-ins counted per user name and per client address."""

    by_name: FailureThrottle = field(
        default_factory=lambda: FailureThrottle(limit=NAME_FAILURE_LIMIT)
    )
    by_address: FailureThrottle = field(
        default_factory=lambda: FailureThrottle(limit=ADDRESS_FAILURE_LIMIT)
    )


@dataclass(frozen=True, slots=True)
class AppState:
    """One app's handles, held on `app.state`, never in a module global."""

    settings: Settings
    books: Database
    session_key: bytes
    runs: ForecastRuns
    bearer_throttle: FailureThrottle
    signin_throttles: SignInThrottles
    token_cache: TokenCache
    read_cache: ReadCache
    public_answers: AnswerCache


def session_key(settings: Settings) -> bytes:
    """The key that signs session cookies: from the settings, else (a lone process, see
    `config.check_workers`) a random one."""
    if settings.session_secret:
        return settings.session_secret.encode("utf-8")
    return secrets.token_bytes(32)


def build_state(settings: Settings, books: Database) -> AppState:
    """Every per-app handle, made once."""
    return AppState(
        settings=settings,
        books=books,
        session_key=session_key(settings),
        runs=ForecastRuns(settings.runs_dir),
        bearer_throttle=FailureThrottle(limit=BEARER_FAILURE_LIMIT),
        signin_throttles=SignInThrottles(),
        token_cache=TokenCache(),
        read_cache=ReadCache(books),
        public_answers=AnswerCache(),
    )


def install(app: FastAPI, state: AppState) -> None:
    """Keep `state` on the app (tests replace it with `dataclasses.replace`)."""
    setattr(app.state, STATE_KEY, state)


def state_of(holder: Any) -> AppState:
    """The AppState of an app or of the app behind a request."""
    app = holder.app if isinstance(holder, Request) else holder
    found = getattr(app.state, STATE_KEY, None)
    if not isinstance(found, AppState):
        raise ConfigError(Message("this app was not built by jointfund.http.create_app"))
    return found


def app_state(request: Request) -> AppState:
    """The AppState behind a request (a FastAPI dependency)."""
    return state_of(request)


async def books_of(request: Request) -> Database:
    """The books the app opened; every use case opens its own short transaction."""
    return state_of(request).books


async def runs_of(request: Request) -> ForecastRuns:
    """The forecast runs every interface of this app shares."""
    return state_of(request).runs


BooksDep = Annotated[Database, Depends(books_of)]
RunsDep = Annotated[ForecastRuns, Depends(runs_of)]
StateDep = Annotated[AppState, Depends(app_state)]
