"""Which action each API route performs, and the dependency that lets only callers who may.

Dependencies raise jointfund errors, never HTTPException; `http.error_status` turns them into
statuses. The caller is resolved by `http.identity` (bearer tokens, throttled and briefly
remembered); its role is checked against the permission table once, here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param

from jointfund.clock import utcnow
from jointfund.governance import LICENCE_SCOPED, PERMISSIONS, User, allowed, require, token_hash
from jointfund.http.identity import bearer_user
from jointfund.http.state import AppState

bearer = HTTPBearer(auto_error=False, description="An API token: `Authorization: Bearer jf_…`")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def remembered_caller(
    state: AppState, address: str, authorization: str | None, action: str
) -> User | None:
    """The caller `Permit(action)` would let through from memory alone: a bearer token the
    app's token cache holds (unexpired), from a client the throttle does not hold back, whose
    role may perform `action` (not a licence-scoped one). None for anything else: the full
    dependency then decides, and answers any refusal (nothing is counted here)."""
    scheme, secret = get_authorization_scheme_param(authorization)
    if not (authorization and scheme and secret) or scheme.lower() != "bearer":
        return None
    if state.bearer_throttle.retry_after(f"ip:{address}") is not None:
        return None
    if action in LICENCE_SCOPED:
        return None
    user = state.token_cache.get(token_hash(secret.strip()), utcnow())
    return user if user is not None and allowed(user, action) else None


class Permit:
    """A dependency allowing the caller only if its role may perform `action`.

    For licence-scoped actions (a reporting entity's filings) the role is checked here and
    the licences by the use case once it has read them.
    """

    def __init__(self, action: str) -> None:
        if action not in PERMISSIONS:
            raise ValueError(f"unknown action {action!r}")
        self.action = action

    async def __call__(self, request: Request, credentials: Credentials) -> User:
        """Return the caller, or raise AuthenticationError / PermissionDeniedError."""
        user = await bearer_user(request, credentials.credentials if credentials else "")
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
