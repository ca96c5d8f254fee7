"""Who is signed in: sign-in by user name and access token, and the page dependencies.

Sign-in is throttled (`governance.FailureThrottle`): `NAME_FAILURE_LIMIT` distinct failed
tokens for one user name, or `ADDRESS_FAILURE_LIMIT` from one client address, within the
window lock that name or address out (ThrottledError, shown as 429 with Retry-After) until
the failures age out; a later success does not lift a lock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request

from jointfund.errors import NotFoundError, PermissionDeniedError
from jointfund.fund.users import authenticate, utcnow
from jointfund.governance import FailureThrottle, User, check_usable, token_hash
from jointfund.store import governance_people as people
from jointfund.web.context import Context, WebContext
from jointfund.web.session import Session, current, new_session, store

_USER = "jf_user"
_THROTTLES = "signin_throttles"
NAME_FAILURE_LIMIT = 5
ADDRESS_FAILURE_LIMIT = 20


@dataclass(frozen=True, slots=True)
class SignInThrottles:
    """Failed sign-ins counted per user name and per client address."""

    by_name: FailureThrottle = field(
        default_factory=lambda: FailureThrottle(limit=NAME_FAILURE_LIMIT)
    )
    by_address: FailureThrottle = field(
        default_factory=lambda: FailureThrottle(limit=ADDRESS_FAILURE_LIMIT)
    )


def signin_throttles(request: Request) -> SignInThrottles:
    """The app's sign-in throttles (made on first use; tests may install their own)."""
    found = getattr(request.app.state, _THROTTLES, None)
    if not isinstance(found, SignInThrottles):
        found = SignInThrottles()
        setattr(request.app.state, _THROTTLES, found)
    return found


class SignInRequiredError(PermissionDeniedError):
    """The page needs a signed-in user and this browser has none."""

    code = "sign_in_required"


def _sitting(ctx: WebContext, session: Session) -> User | None:
    if session.user_id is None or session.token_hash is None:
        return None
    with ctx.db.read() as conn:
        try:
            token = check_usable(people.token_by_hash(conn, session.token_hash), utcnow())
            user = people.get_user(conn, user_id=token.user_id)
        except (PermissionDeniedError, NotFoundError):
            return None
    return user if user.active and user.id == session.user_id else None


def signed_in_user(request: Request, ctx: Context) -> User | None:
    """The signed-in user, rechecked against the database (revoked token: signed out)."""
    session = current(request, ctx.secret)
    user = _sitting(ctx, session)
    if user is None and session.user_id is not None:
        store(request, new_session())
    setattr(request.state, _USER, user)
    return user


def require_user(request: Request, ctx: Context) -> User:
    """The signed-in user, or SignInRequiredError (the page then offers the sign-in form)."""
    user = signed_in_user(request, ctx)
    if user is None:
        raise SignInRequiredError("sign in to see this page")
    return user


def page_user(request: Request) -> User | None:
    """The user this request was resolved to, for the layout's navigation."""
    found = getattr(request.state, _USER, None)
    return found if isinstance(found, User) else None


def sign_in(request: Request, ctx: WebContext, name: str, secret: str) -> User:
    """Check a user name and access token and start a signed-in session with a new CSRF token.

    Raises ThrottledError while the name or the client's address is locked out.
    """
    throttles = signin_throttles(request)
    name = name.strip()
    address = f"ip:{request.client.host if request.client else 'unknown'}"
    throttles.by_address.check(address, "this client")
    throttles.by_name.check(f"name:{name}", "this user name")
    try:
        user = authenticate(ctx.db, secret)
    except (PermissionDeniedError, NotFoundError):
        user = None
    # One message for every failure, so the form does not tell which half was wrong.
    if user is None or user.name != name:
        attempt = f"{name}\n{secret.strip()}"
        throttles.by_address.record_failure(address, attempt)
        throttles.by_name.record_failure(f"name:{name}", attempt)
        raise PermissionDeniedError("unknown user name or access token")
    fresh = new_session()
    store(request, Session(fresh.csrf, fresh.issued, user.id, token_hash(secret.strip())))
    setattr(request.state, _USER, user)
    return user


def sign_out(request: Request) -> None:
    """End the session: a new signed-out one replaces it."""
    store(request, new_session())
    setattr(request.state, _USER, None)


CurrentUser = Annotated[User, Depends(require_user)]
MaybeUser = Annotated[User | None, Depends(signed_in_user)]
