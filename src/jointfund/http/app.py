"""The app factory: settings in, one FastAPI app out, serving the JSON API and the pages.

Both halves share one state (`state.AppState`: the books, the session key, throttles,
caches, forecast runs), one error table (`errors`), one body limit (`limits`) and one
upload path (`uploads`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.staticfiles import StaticFiles

from jointfund import __version__
from jointfund.config import Settings
from jointfund.errors import ConfigError
from jointfund.fund import open_books
from jointfund.http import api, pages
from jointfund.http.api.hot_reads import HotReads
from jointfund.http.api_docs import install_docs
from jointfund.http.error_status import install_error_handlers
from jointfund.http.language import Language
from jointfund.http.limits import BodyLimit, NoNulInAddress
from jointfund.http.state import build_state, install, state_of
from jointfund.http.warm_up import warm_up
from jointfund.i18n.message import Message


def create_app(settings: Settings) -> FastAPI:
    """Build the app on the books `settings` name."""
    if settings.plotly_js is not None and not settings.plotly_js.is_file():
        raise ConfigError(
            Message(
                "JOINTFUND_PLOTLY_JS names no file: {plotly_js}", plotly_js=str(settings.plotly_js)
            )
        )
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
        docs_url=None,  # served by api_docs from installed files, not a CDN
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    install(app, state)
    install_error_handlers(app)
    app.add_middleware(BodyLimit)
    app.add_middleware(Language)
    # Compressed answers (Plotly's bundle, long pages, JSON) for slow links; small ones as is.
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(HotReads)
    app.add_middleware(NoNulInAddress)  # added last: the outermost, before any other work
    for router in api.ROUTERS:
        app.include_router(router)
    app.include_router(pages.router)
    install_docs(app)
    app.mount("/static", StaticFiles(directory=pages.STATIC_DIR), name="static")
    return app


def app_from_environment() -> FastAPI:
    """The app on the settings the environment gives (`JOINTFUND_*`), warmed up before its first
    request: uvicorn's factory, called once in each worker of `jointfund serve`."""
    app = create_app(Settings())
    warm_up(app)
    return app
