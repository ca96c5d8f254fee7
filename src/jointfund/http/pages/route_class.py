"""The route class of every page: jointfund errors become an error page (or JSON) in one place.

Statuses and the error body are `http.error_status`', the same as the JSON API's; a page that needs
a signed-in user sends a browser to the sign-in form instead.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute

from jointfund.errors import InputError, JointfundError
from jointfund.http.error_status import body_of, headers_of, json_error, status_of
from jointfund.http.identity import SignInRequiredError
from jointfund.http.pages.responses import page, wants_json
from jointfund.http.state import state_of
from jointfund.i18n import N_, gettext
from jointfund.i18n.message import error_text


def error_response(request: Request, error: JointfundError) -> Response:
    """An error page with the message, or the JSON error body for the twin."""
    if wants_json(request):
        return json_error(error)
    if isinstance(error, SignInRequiredError):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/signin?next={quote(target)}", status_code=303)
    status = status_of(error)
    body = body_of(error)
    if isinstance(error, InputError) and error.problems:
        # The list below says each problem where it is; the line above it only how many.
        found = gettext(N_("Nothing was changed. Problems found: {count}"))
        body["error"]["message"] = found.format(count=len(error.problems))
    elif status != 500:  # the page says it in the reader's language; the JSON twin in English
        body["error"]["message"] = error_text(error)
    answer = page(
        request,
        state_of(request),
        "error.html",
        body,
        title=_title(status),
        status=status,
    )
    for name, value in (headers_of(error) or {}).items():
        answer.headers[name] = value
    return answer


def _title(status: int) -> str:
    return {
        401: N_("Sign in needed"),
        403: N_("Not allowed"),
        404: N_("Not found"),
        409: N_("Not possible now"),
        422: N_("Please check the input"),
        429: N_("Too many attempts"),
    }.get(status, N_("Something went wrong"))


class PageRoute(APIRoute):
    """An APIRoute whose handler turns any JointfundError into `error_response`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """Wrap FastAPI's handler (dependencies included) in the error translation."""
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except JointfundError as error:
                return error_response(request, error)

        return guarded
