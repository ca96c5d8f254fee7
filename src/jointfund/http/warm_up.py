"""A server's warm-up before its first request: the work every first page would otherwise pay."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import threading
from typing import Any

from starlette.types import ASGIApp, Message

from jointfund import i18n
from jointfund.errors import JointfundError, NotFoundError
from jointfund.forecast import bundled_census, scenario_names
from jointfund.fund.setup import fund_terms
from jointfund.http.pages.responses import compile_templates
from jointfund.http.state import state_of

# An address no route serves (the request walks every route and answers 404), then the public
# page, which anyone may read: its answer is kept until the books move.
_REQUESTS = ("/.warm-up", "/transparency")


def warm_up(app: ASGIApp) -> None:
    """Compile the page templates, load each language's catalogue, parse the terms in force and
    send two requests through the app: one that walks every route (FastAPI builds a route's
    dependencies and models on the first request that walks it) and the public page; each was
    paid by a user's first request. The bundled scenarios' censuses are computed too (about
    1.3 s for all nine; each was 90-330 ms on its first API read). Then collect and freeze
    what start-up made: without `gc.freeze` the first request after a warm-up paid a full
    collection of it. Measured in docs/performance.md (a server's first requests)."""
    compile_templates()
    for lang in i18n.LANGUAGES:
        i18n.translations(lang)
    with contextlib.suppress(NotFoundError):  # books not set up yet: no terms to parse
        fund_terms(state_of(app).books)
    for name in scenario_names():
        # a scenario that does not load is reported, located, by the request that asks for it
        with contextlib.suppress(JointfundError):
            bundled_census(name)
    # uvicorn calls its app factory inside its event loop: the request runs on a loop of its own
    for path in _REQUESTS:
        request = threading.Thread(target=asyncio.run, args=(_request(app, path),))
        request.start()
        request.join()
    gc.collect()
    gc.freeze()


async def _request(app: ASGIApp, path: str) -> None:
    """One GET of `path` through the whole app, its answer dropped."""
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"localhost")],
        "client": ("127.0.0.1", 0),
        "server": ("127.0.0.1", 0),
    }

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        return None

    await app(scope, receive, send)
