"""Which language a request is answered in: the one this browser chose (a cookie set by the
language links), else the best of `Accept-Language`, else English."""

from __future__ import annotations

from fastapi import Request, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from jointfund.i18n import DEFAULT, LANGUAGES, language, negotiate

COOKIE = "jf_lang"
MAX_AGE_S = 365 * 24 * 3600


def request_language(request: Request) -> str:
    """The language to answer `request` in."""
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return str(chosen)
    return negotiate(request.headers.get("accept-language", "")) or DEFAULT


def remember_language(request: Request, response: Response, lang: str) -> None:
    """Keep `lang` as this browser's choice for a year."""
    response.set_cookie(
        COOKIE,
        lang,
        max_age=MAX_AGE_S,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


class Language:
    """ASGI middleware: every HTTP request runs with its language in force
    (`jointfund.i18n.language`), so pages, flashes and error titles speak it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request inside its language."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with language(request_language(Request(scope))):
            await self.app(scope, receive, send)
