"""Every error the API returns, in one JSON shape: `{"error": {code, message, problems}}`.

Statuses, decided once here:

- InputError 422; FastAPI's own request validation 422 (code `invalid_input`) too
- AuthenticationError 401 (with `WWW-Authenticate: Bearer`); PermissionDeniedError 403
- ThrottledError (too many failed tokens from one client) 429 with `Retry-After`
- a request body over `body_limit.MAX_BODY_BYTES` 413 (code `payload_too_large`)
- NotFoundError 404; unknown path 404 and wrong method 405 (codes `not_found`,
  `method_not_allowed`)
- ConflictError 409; GovernanceError 409, because it refuses what the proposal's or the
  fund's current state allows (not open, voted already, lock in force), not the request's shape
- LedgerError 422: a well-formed request whose postings the ledger's rules refuse
- IntegrityError, ConfigError and anything unexpected 500
"""

from __future__ import annotations

from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from jointfund.errors import (
    AuthenticationError,
    ConflictError,
    GovernanceError,
    InputError,
    JointfundError,
    LedgerError,
    NotFoundError,
    PermissionDeniedError,
    Problem,
)
from jointfund.governance import ThrottledError

STATUS_OF: tuple[tuple[type[JointfundError], int], ...] = (
    (ThrottledError, 429),
    (InputError, 422),
    (AuthenticationError, 401),
    (PermissionDeniedError, 403),
    (NotFoundError, 404),
    (ConflictError, 409),
    (GovernanceError, 409),
    (LedgerError, 422),
)
_HTTP_CODES = {
    404: "not_found",
    405: "method_not_allowed",
    401: "unauthenticated",
    413: "payload_too_large",
}


def status_of(error: JointfundError) -> int:
    """The HTTP status for a jointfund error (500 for the ones a client cannot cause)."""
    for cls, status in STATUS_OF:
        if isinstance(error, cls):
            return status
    return 500


def error_body(code: str, message: str, problems: Sequence[Problem] = ()) -> dict[str, Any]:
    """The one error body every failing response carries."""
    return {
        "error": {"code": code, "message": message, "problems": [p.as_dict() for p in problems]}
    }


def _jointfund(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, JointfundError)
    status = status_of(exc)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if isinstance(exc, ThrottledError):
        headers = {"Retry-After": str(exc.retry_after_s)}
    problems = exc.problems if isinstance(exc, InputError) else ()
    return JSONResponse(error_body(exc.code, str(exc), problems), status, headers=headers)


def _location(loc: Sequence[Any]) -> str:
    # FastAPI's loc says where first (query, path, body, header), then the field's path.
    return ".".join(str(p) for p in loc)


def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [
        Problem(
            str(e.get("msg", "invalid value")),
            field=_location(e.get("loc", ())) or None,
        )
        for e in exc.errors()
    ]
    first = str(problems[0]) if problems else "invalid request"
    return JSONResponse(error_body("invalid_input", first, problems), 422)


def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, HTTPStatus(exc.status_code).phrase.lower())
    message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    return JSONResponse(
        error_body(code.replace(" ", "_"), message), exc.status_code, headers=exc.headers
    )


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse(error_body("internal", "internal server error"), 500)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that give every error the one body shape."""
    app.add_exception_handler(JointfundError, _jointfund)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
