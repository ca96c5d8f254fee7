"""Every error any HTTP answer carries, JSON or page: one status table, one body.

The body is always `{"error": {code, message, problems}}`; a page shows the same data on its
error template. Statuses, decided once here:

- InputError 422; FastAPI's own request validation 422 (code `invalid_input`) too
- AuthenticationError 401 (`WWW-Authenticate: Bearer`); ThrottledError 429 with `Retry-After`
- PermissionDeniedError 403
- NotFoundError 404; unknown path 404 and wrong method 405
- ConflictError and GovernanceError 409 (what the fund's or a proposal's state refuses, not
  the request's shape); IntegrityError 409 too (the books fail verification: a state, not a
  fault of the server)
- LedgerError 422: a well-formed request whose postings the ledger's rules refuse
- a request body over `limits.MAX_BODY_BYTES` 413 (code `payload_too_large`)
- ConfigError and anything unexpected 500, with no detail
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
    IntegrityError,
    JointfundError,
    LedgerError,
    NotFoundError,
    PermissionDeniedError,
    Problem,
    ThrottledError,
)
from jointfund.i18n.message import Message

# Most specific first: the first class the error is an instance of decides.
STATUS_OF: tuple[tuple[type[JointfundError], int], ...] = (
    (ThrottledError, 429),
    (InputError, 422),
    (AuthenticationError, 401),
    (PermissionDeniedError, 403),
    (NotFoundError, 404),
    (ConflictError, 409),
    (GovernanceError, 409),
    (IntegrityError, 409),
    (LedgerError, 422),
)
_HTTP_CODES = {
    404: "not_found",
    405: "method_not_allowed",
    401: "unauthenticated",
    413: "payload_too_large",
}


def status_of(error: JointfundError) -> int:
    """The HTTP status for a jointfund error (500 only for the ones a client cannot cause)."""
    for cls, status in STATUS_OF:
        if isinstance(error, cls):
            return status
    return 500


def error_body(code: str, message: str, problems: Sequence[Problem] = ()) -> dict[str, Any]:
    """The one error body every failing response carries."""
    return {
        "error": {"code": code, "message": message, "problems": [p.as_dict() for p in problems]}
    }


def body_of(error: JointfundError) -> dict[str, Any]:
    """The error body of a jointfund error (server faults say nothing about themselves)."""
    if status_of(error) == 500:
        return error_body("internal", "internal server error")
    problems = error.problems if isinstance(error, InputError) else ()
    return error_body(error.code, str(error), problems)


def headers_of(error: JointfundError) -> dict[str, str] | None:
    """Headers the status of `error` calls for (who to authenticate as, when to retry)."""
    if isinstance(error, ThrottledError):
        return {"Retry-After": str(error.retry_after_s)}
    if isinstance(error, AuthenticationError):
        return {"WWW-Authenticate": "Bearer"}
    return None


def json_error(error: JointfundError) -> JSONResponse:
    """A jointfund error as the JSON answer."""
    return JSONResponse(body_of(error), status_of(error), headers=headers_of(error))


def _jointfund(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, JointfundError)
    return json_error(exc)


def _location(loc: Sequence[Any]) -> str:
    # FastAPI's loc says where first (query, path, body, header), then the field's path.
    return ".".join(str(p) for p in loc)


def validation_problems(exc: RequestValidationError) -> list[Problem]:
    """FastAPI's validation errors as located problems."""
    return [
        Problem(
            str(e["msg"])[:500] if e.get("msg") else Message("invalid value"),
            field=_location(e.get("loc", ()))[:200] or None,
        )
        for e in exc.errors()
    ]


def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = validation_problems(exc)
    first = str(problems[0]) if problems else Message("invalid request")
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
    """Register the handlers that give every JSON error the one body shape."""
    app.add_exception_handler(JointfundError, _jointfund)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
