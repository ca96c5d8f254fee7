"""The app factory: settings in, one FastAPI app out, serving the JSON API and the pages.

Both halves share one state (`state.AppState`: the books, the session key, throttles,
caches, forecast runs), one error table (`errors`), one body limit (`limits`) and one
upload path (`uploads`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from jointfund import __version__
from jointfund.config import Settings
from jointfund.fund import open_books
from jointfund.http import api, pages
from jointfund.http.api.hot_reads import HotReads
from jointfund.http.errors import install_error_handlers
from jointfund.http.limits import BodyLimit, NoNulInAddress
from jointfund.http.state import build_state, install, state_of


def create_app(settings: Settings) -> FastAPI:
    """Build the app on the books `settings` name."""
    books = open_books(settings.database_url)
    state = build_state(settings, books)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        state_of(app).read_cache.close()
        books.dispose()

    app = FastAPI(
        title="jointfund",
        version=__version__,
        summary="Database, governance and forecasts of a jointly owned resource revenue fund.",
        docs_url="/docs",
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    install(app, state)
    install_error_handlers(app)
    app.add_middleware(BodyLimit)
    app.add_middleware(HotReads)
    app.add_middleware(NoNulInAddress)  # added last: the outermost, before any other work
    for router in api.ROUTERS:
        app.include_router(router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=pages.STATIC_DIR), name="static")
    return app


def app_from_environment() -> FastAPI:
    """The app on the settings the environment gives (`JOINTFUND_*`): uvicorn's factory."""
    return create_app(Settings())
