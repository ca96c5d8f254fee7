"""The route class of every page: library errors become an error page (or JSON) in one place."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.routing import APIRoute

from jointfund.errors import (
    ConfigError,
    ConflictError,
    GovernanceError,
    InputError,
    IntegrityError,
    JointfundError,
    LedgerError,
    NotFoundError,
    PermissionDeniedError,
)
from jointfund.web.context import web_context
from jointfund.web.identity import SignInRequiredError
from jointfund.web.responses import page, wants_json

# Most specific first: the first class the error is an instance of decides.
STATUS: tuple[tuple[type[JointfundError], int], ...] = (
    (SignInRequiredError, 401),
    (InputError, 422),
    (NotFoundError, 404),
    (ConflictError, 409),
    (LedgerError, 422),
    (GovernanceError, 409),
    (PermissionDeniedError, 403),
    (IntegrityError, 500),
    (ConfigError, 500),
)


def status_of(error: JointfundError) -> int:
    """The HTTP status a library error maps to."""
    return next((code for kind, code in STATUS if isinstance(error, kind)), 400)


def error_body(error: JointfundError) -> dict[str, object]:
    """The one JSON error body: code, message and (for input errors) every problem."""
    problems = [p.as_dict() for p in error.problems] if isinstance(error, InputError) else []
    return {"error": {"code": error.code, "message": str(error), "problems": problems}}


def error_response(request: Request, error: JointfundError) -> Response:
    """An error page with the message, or the JSON error body for the twin."""
    status = status_of(error)
    if isinstance(error, SignInRequiredError) and not wants_json(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/signin?next={quote(target)}", status_code=303)
    try:
        ctx = web_context(request)
    except ConfigError:
        return JSONResponse(error_body(error), status_code=status)
    data = error_body(error)
    return page(request, ctx, "error.html", data, title="Something went wrong", status=status)


class WebRoute(APIRoute):
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
