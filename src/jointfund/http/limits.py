"""A cap on request bodies, enforced while they arrive: an oversized upload is refused (413)
from its declared length before any of it is read, or as soon as a streamed body passes it.

The cap, `MAX_BODY_BYTES` (50 MiB), covers every request, so every upload (filings, licences,
FX rates, on the API and the web pages alike) is bounded; the largest real input, a year of
filings for every licence, is a few MiB.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.types import Message as AsgiMessage

from jointfund.errors import Problem
from jointfund.http.error_status import error_body
from jointfund.i18n.message import Message

MAX_BODY_BYTES = 50 * 1024 * 1024


def too_large_message(limit: int) -> str:
    """What a client whose body is over `limit` is told."""
    return f"the request body is larger than the {limit // (1024 * 1024)} MiB limit"


class BodyTooLargeError(HTTPException):
    """A streamed body passed the cap; raised from `receive` into whatever is reading it."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, too_large_message(limit))


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodyLimit:
    """ASGI middleware refusing bodies over `max_bytes` with 413 before reading them whole."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on with a counting `receive`, or refuse it from its headers."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        if declared is not None and declared > self.max_bytes:
            body = error_body("payload_too_large", too_large_message(self.max_bytes))
            await JSONResponse(body, 413, headers={"Connection": "close"})(scope, receive, send)
            return
        seen = 0

        async def counted() -> AsgiMessage:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLargeError(self.max_bytes)
            return message

        await self.app(scope, counted, send)


NUL_MESSAGE = Message("the request's address holds a NUL character (%00), which no field accepts")


class NoNulInAddress:
    """ASGI middleware refusing (422) a path or query string holding a NUL character.

    No identifier, key or filter of the books can hold one (PostgreSQL refuses it in text), so
    it is refused once here instead of reaching a query as a database error.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, or answer 422 with the one error body."""
        if scope["type"] == "http":
            query = bytes(scope.get("query_string", b"")).lower()
            path = str(scope.get("path", ""))
            if b"%00" in query or b"\x00" in query or "\x00" in path:
                body = error_body(
                    "invalid_input",
                    NUL_MESSAGE,
                    [Problem(NUL_MESSAGE, field="query", expected=Message("text without NUL"))],
                )
                await JSONResponse(body, 422)(scope, receive, send)
                return
        await self.app(scope, receive, send)
