"""The hot ledger reads answered before routing: a GET of balances or a journal page whose
answer the read cache holds, by a caller the token cache remembers, is sent from here.

Under load FastAPI's routing and dependency solving cost more than the cached answer itself
(about 0.15 ms of the 0.3 ms such a request took). Nothing is decided differently here: the
request must be one the route already parsed (its exact path and query string, remembered by
the cache with what they parsed to), the caller one `Permit` would let through without the
database, and the answer one the cache would give the route. Anything else (a new query
string, an unknown or expired token, a throttled client, a body, an answer not held or out of
date) goes on to the app unchanged, which answers it and fills the caches.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from jointfund.http.api.permit import remembered_caller
from jointfund.http.state import STATE_KEY, AppState

HOT_PATHS = frozenset({"/api/ledger/balances", "/api/ledger/journal"})
"""The routes (both `Permit("ledger.read")`) whose kept answers are sent from here."""
ACTION = "ledger.read"


class HotReads:
    """ASGI middleware sending kept answers of `HOT_PATHS` GETs; the rest goes to `app`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Send the kept answer, headers as the route's `Response` has them, or pass on."""
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"] in HOT_PATHS:
            body = await self._kept(scope)
            if body is not None:
                headers = [
                    (b"content-length", str(len(body)).encode("latin-1")),
                    (b"content-type", b"application/json"),
                ]
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)

    async def _kept(self, scope: Scope) -> bytes | None:
        """The kept answer for this request and caller, or None when the app must answer."""
        app = scope.get("app")
        if app is None or scope.get("root_path"):
            return None
        authorization: str | None = None
        for name, value in scope["headers"]:
            if name == b"authorization":
                if authorization is None:
                    authorization = value.decode("latin-1")
            elif name in (b"content-length", b"transfer-encoding"):
                return None
        client = scope.get("client")
        address = client[0] if client else "unknown"
        state = getattr(app.state, STATE_KEY, None)
        if not isinstance(state, AppState):
            return None
        if remembered_caller(state, address, authorization, ACTION) is None:
            return None
        try:
            return await state.read_cache.lookup_raw(scope["path"], scope["query_string"])
        except Exception:  # the route meets the same failure, and its handlers answer it
            return None
