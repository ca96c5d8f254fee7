"""Answering a page request: HTML from a template, or its JSON twin, from the same data.

Every page has a JSON twin: add `?format=json` to its address or send
`Accept: application/json`. The JSON is exactly the data the template renders.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from jointfund import i18n
from jointfund.http.identity import page_user
from jointfund.http.pages.landing import landing, menu_check
from jointfund.http.session import current, take_flash, write_cookie
from jointfund.http.state import AppState
from jointfund.i18n import vocabulary, wording

# Text in templates is wrapped for the catalogue ({% trans %}, _()); numbers and dates pass
# through `num`, `day` and `moment`, which write them as the language in force does; codes
# through `term` and the books' English sentences (warnings, notes) through `said`.
_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    extensions=["jinja2.ext.i18n"],
)
_ENV.install_gettext_callables(  # type: ignore[attr-defined]
    i18n.gettext, i18n.ngettext, newstyle=True, pgettext=i18n.pgettext
)
_ENV.filters.update(
    num=i18n.localise_numbers,
    day=i18n.localise_date,
    moment=i18n.localise_datetime,
    term=vocabulary.term,
    said=wording.said,
)
TEMPLATES = Jinja2Templates(env=_ENV)
# Scripts only from our own origin (Plotly included); Plotly sets inline styles on its SVG.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
        "form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def compile_templates() -> int:
    """Compile every page template now rather than on its first request (Jinja compiles a
    template when first asked for it: all 37 took 690 ms on the build machine). Returns how many."""
    names = _ENV.list_templates()
    for name in names:
        _ENV.get_template(name)
    return len(names)


def wants_json(request: Request) -> bool:
    """True when the caller asked for the JSON twin (`?format=json` or Accept JSON)."""
    fmt = request.query_params.get("format")
    if fmt is not None:
        return fmt == "json"
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def page(
    request: Request,
    ctx: AppState,
    template: str,
    data: Mapping[str, Any],
    *,
    title: str,
    status: int = 200,
) -> Response:
    """The page rendered from `data`, or `data` itself as JSON for the twin."""
    response: Response
    if wants_json(request):
        response = JSONResponse(dict(data), status_code=status)
    else:
        user = page_user(request)
        context = {
            "data": data,
            "title": i18n.gettext(title),
            "lang": i18n.current(),
            "languages": i18n.NAMES,
            "home": landing(user),
            "may": menu_check(user),
            "user": user,
            "csrf": current(request, ctx.session_key).csrf,
            "flash": take_flash(request),
        }
        response = TEMPLATES.TemplateResponse(
            request, template, context, status_code=status, headers=SECURITY_HEADERS
        )
    write_cookie(request, response, ctx.session_key)
    return response


def redirect(
    request: Request, ctx: AppState, url: str, data: Mapping[str, Any] | None = None
) -> Response:
    """After a successful POST: 303 to `url` for browsers, the result as JSON for the twin."""
    response: Response
    if wants_json(request):
        response = JSONResponse({"location": url, **(data or {})})
    else:
        response = RedirectResponse(url, status_code=303)
    write_cookie(request, response, ctx.session_key)
    return response
