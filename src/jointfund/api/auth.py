"""Who is calling and may they: bearer tokens resolved by governance, one action per route.

Dependencies raise jointfund errors, never HTTPException; `error_handlers` turns them into
statuses. A token that is missing, unknown, revoked, expired or belongs to a deactivated user
is an `AuthenticationError` (401); a known caller whose role may not act is refused with
`PermissionDeniedError` (403). A client that has sent `BEARER_FAILURE_LIMIT` distinct unusable
tokens within the throttle's window is refused every token (429, `Retry-After`) until enough of
those failures have aged out. A token that authenticated is remembered for a moment
(`api.token_cache`), so a busy client's requests skip the database lookup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Request
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from starlette.concurrency import run_in_threadpool

from jointfund.api.deps import app_database
from jointfund.api.token_cache import TokenCache
from jointfund.errors import AuthenticationError, PermissionDeniedError
from jointfund.fund.users import authenticated, utcnow
from jointfund.governance import (
    LICENCE_SCOPED,
    PERMISSIONS,
    FailureThrottle,
    User,
    allowed,
    require,
    token_hash,
)

bearer = HTTPBearer(auto_error=False, description="An API token: `Authorization: Bearer jf_…`")
BEARER_FAILURE_LIMIT = 10
THROTTLE_STATE = "bearer_throttle"
TOKEN_CACHE_STATE = "bearer_token_cache"  # noqa: S105 - an attribute name, not a secret
H = TypeVar("H")


def _held_by_app(request: Request, name: str, kind: type[H], make: Callable[[], H]) -> H:
    """The object the app keeps under `name` in its state, made on first use."""
    found = getattr(request.app.state, name, None)
    if not isinstance(found, kind):
        found = make()
        setattr(request.app.state, name, found)
    return found


def bearer_throttle(request: Request) -> FailureThrottle:
    """The app's throttle of failed bearer tokens per client (made on first use)."""
    return _held_by_app(
        request,
        THROTTLE_STATE,
        FailureThrottle,
        lambda: FailureThrottle(limit=BEARER_FAILURE_LIMIT),
    )


def client_address(request: Request) -> str:
    """The address the request came from, as the throttles key it."""
    return request.client.host if request.client else "unknown"


def token_cache(request: Request) -> TokenCache:
    """The app's memory of recently authenticated tokens (made on first use)."""
    return _held_by_app(request, TOKEN_CACHE_STATE, TokenCache, TokenCache)


Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


async def caller(request: Request, credentials: HTTPAuthorizationCredentials | None) -> User:
    """The active user whose token the request carries.

    A token seen within the last `TOKEN_CACHE_SECONDS` is answered from memory, on the event
    loop; any other is looked up in a worker thread (the database call blocks).
    """
    secret = credentials.credentials.strip() if credentials is not None else ""
    if not secret:
        raise AuthenticationError("no API token: send `Authorization: Bearer <token>`")
    throttle = bearer_throttle(request)
    address = client_address(request)
    throttle.check(f"ip:{address}", "this client")
    cache = token_cache(request)
    digest, now = token_hash(secret), utcnow()
    remembered = cache.get(digest, now)
    if remembered is not None:
        return remembered
    try:
        db = app_database(request)
        user, token = await run_in_threadpool(authenticated, db, secret, now=now)
    except PermissionDeniedError as exc:
        throttle.record_failure(f"ip:{address}", secret)
        raise AuthenticationError(str(exc)) from None
    cache.put(digest, user, token)
    return user


def remembered_caller(
    state: Any, address: str, authorization: str | None, action: str
) -> User | None:
    """The caller `Permit(action)` would let through from memory alone: a bearer token the
    app's token cache holds (unexpired), from a client the throttle does not hold back, whose
    role may perform `action` (not a licence-scoped one). None for anything else: the full
    dependency then decides, and answers any refusal (nothing is counted here)."""
    scheme, secret = get_authorization_scheme_param(authorization)
    if not (authorization and scheme and secret) or scheme.lower() != "bearer":
        return None
    throttle = getattr(state, THROTTLE_STATE, None)
    cache = getattr(state, TOKEN_CACHE_STATE, None)
    if not isinstance(throttle, FailureThrottle) or not isinstance(cache, TokenCache):
        return None
    if throttle.retry_after(f"ip:{address}") is not None or action in LICENCE_SCOPED:
        return None
    user = cache.get(token_hash(secret.strip()), utcnow())
    return user if user is not None and allowed(user, action) else None


class Permit:
    """A dependency allowing the caller only if its role may perform `action`.

    For licence-scoped actions (a reporting entity's filings) the role is checked here and
    the licences once the route has read them.
    """

    def __init__(self, action: str) -> None:
        if action not in PERMISSIONS:
            raise ValueError(f"unknown action {action!r}")
        self.action = action

    async def __call__(self, request: Request, credentials: Credentials) -> User:
        """Return the caller, or raise PermissionDeniedError.

        One async dependency (no worker thread, no nested dependencies to solve per request).
        """
        user = await caller(request, credentials)
        if self.action in LICENCE_SCOPED and user.role in PERMISSIONS[self.action]:
            return user
        require(user, self.action)
        return user

    def __repr__(self) -> str:
        return f"Permit({self.action!r})"


def _permits(dependant: Any) -> Iterator[Permit]:
    for sub in dependant.dependencies:
        if isinstance(sub.call, Permit):
            yield sub.call
        yield from _permits(sub)


def route_actions(routers: Iterable[APIRouter]) -> dict[tuple[str, str], str | None]:
    """Each API route (method, path) and the action it checks; None marks a public route."""
    found: dict[tuple[str, str], str | None] = {}
    for router in routers:
        for route in router.routes:
            if not isinstance(route, APIRoute):
                continue
            actions = [p.action for p in _permits(route.dependant)]
            for method in sorted(route.methods or ()):
                found[(method, route.path)] = actions[0] if actions else None
    return found
