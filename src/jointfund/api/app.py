"""The app factory: settings in, a FastAPI app out, with one Database and every router.

The web pages (`jointfund.web`) are mounted when that package is installed; the API runs
without them.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from jointfund import __version__
from jointfund.api.auth import BEARER_FAILURE_LIMIT, THROTTLE_STATE, TOKEN_CACHE_STATE
from jointfund.api.body_limit import BodyLimit
from jointfund.api.error_handlers import install_error_handlers
from jointfund.api.forecast_jobs import ForecastJobs
from jointfund.api.hot_reads import HotReads
from jointfund.api.read_cache import READ_CACHE_STATE, ReadCache
from jointfund.api.routes import (
    capital,
    contributions,
    filings,
    forecast,
    fx,
    ledger,
    licences,
    metrics,
    proposals,
    session,
    statements,
    terms,
    transparency,
)
from jointfund.api.token_cache import TokenCache
from jointfund.config import Settings
from jointfund.governance import FailureThrottle
from jointfund.store import open_database

ROUTERS = tuple(
    module.router
    for module in (
        session,
        ledger,
        licences,
        filings,
        fx,
        contributions,
        proposals,
        capital,
        metrics,
        statements,
        forecast,
        terms,
        transparency,
    )
)
"""Every API router, in the order the docs list them."""
WEB_PACKAGE = "jointfund.web"


def _mount_web(app: FastAPI) -> bool:
    """Mount the web pages and their static files if `jointfund.web` is installed."""
    if importlib.util.find_spec(WEB_PACKAGE) is None:
        return False
    pages: Any = importlib.import_module(f"{WEB_PACKAGE}.pages")
    app.include_router(pages.router)
    if (files(WEB_PACKAGE) / "static").is_dir():
        app.mount("/static", StaticFiles(packages=[(WEB_PACKAGE, "static")]), name="static")
    return True


def create_app(settings: Settings) -> FastAPI:
    """Build the API (and the web pages when installed) on the database `settings` names."""
    db = open_database(settings.database_url)
    reads = ReadCache(db)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        reads.close()
        db.dispose()

    app = FastAPI(
        title="jointfund",
        version=__version__,
        summary="Books, governance and forecasts of a jointly owned resource revenue fund.",
        docs_url="/docs",
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.db = db
    app.state.forecast_jobs = ForecastJobs(settings.runs_dir)
    setattr(app.state, THROTTLE_STATE, FailureThrottle(limit=BEARER_FAILURE_LIMIT))
    setattr(app.state, TOKEN_CACHE_STATE, TokenCache())
    setattr(app.state, READ_CACHE_STATE, reads)
    install_error_handlers(app)
    app.add_middleware(BodyLimit)
    app.add_middleware(HotReads)  # added last: the outermost, before any other work
    for router in ROUTERS:
        app.include_router(router)
    app.state.web = _mount_web(app)
    return app


def app_from_environment() -> FastAPI:
    """The app on the settings the environment gives (`JOINTFUND_*`): uvicorn's factory."""
    return create_app(Settings())
