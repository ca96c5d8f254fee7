"""What the pages share per app: the database, settings, the session key and forecast jobs."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, FastAPI, Request

from jointfund.config import Settings
from jointfund.errors import ConfigError
from jointfund.store import Database, open_database
from jointfund.web.forecast_jobs import ForecastJobs

STATE_KEY = "jointfund_web"


@dataclass(frozen=True, slots=True)
class WebContext:
    """One app's handles for the pages; held on `app.state`, never in a module global."""

    db: Database
    settings: Settings
    secret: bytes
    jobs: ForecastJobs


def install(
    app: FastAPI,
    settings: Settings,
    *,
    db: Database | None = None,
    secret: bytes | None = None,
) -> WebContext:
    """Give the pages their database and session key; call once from the app factory.

    The session key comes from `secret`, else `settings.session_secret` when the settings
    carry one, else a random key (sessions then end when the process restarts).
    """
    configured = getattr(settings, "session_secret", None)
    key = secret or (str(configured).encode() if configured else secrets.token_bytes(32))
    context = WebContext(
        db=db or open_database(settings.database_url),
        settings=settings,
        secret=key,
        jobs=ForecastJobs(settings.runs_dir),
    )
    setattr(app.state, STATE_KEY, context)
    return context


def web_context(request: Request) -> WebContext:
    """The context `install` put on the app (installed on first use from `app.state.settings`)."""
    found = getattr(request.app.state, STATE_KEY, None)
    if isinstance(found, WebContext):
        return found
    settings = getattr(request.app.state, "settings", None)
    if not isinstance(settings, Settings):
        raise ConfigError("the web pages are not installed: call jointfund.web.install(app, ...)")
    database = getattr(request.app.state, "db", None)
    return install(request.app, settings, db=database if isinstance(database, Database) else None)


Context = Annotated[WebContext, Depends(web_context)]
