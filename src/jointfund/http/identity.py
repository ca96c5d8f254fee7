"""Who is calling, for JSON and pages alike: a bearer token or a signed-in session.

Both end in the same use case (`fund.users.credential`, by the token's SHA-256), so a
revoked token, an expired one or a deactivated user is refused the same way everywhere.
Failed credentials are throttled (`throttle.FailureThrottle`): distinct unusable bearer
tokens per client address; failed sign-ins per user name and per address. A throttled
client is refused every credential (ThrottledError, 429 with Retry-After) until enough of
its failures have aged out; a later success lifts nothing.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from jointfund.clock import utcnow
from jointfund.errors import AuthenticationError
from jointfund.fund import sessions
from jointfund.fund.users import credential
from jointfund.governance import User, token_hash
from jointfund.http.session import Session, current, new_session, store
from jointfund.http.state import state_of
from jointfund.i18n.message import Message

_USER = "jf_user"


class SignInRequiredError(AuthenticationError):
    """The page needs a signed-in user and this browser has none."""

    code = "sign_in_required"


def client_address(request: Request) -> str:
    """The address the request came from, as the throttles key it."""
    return request.client.host if request.client else "unknown"


async def bearer_user(request: Request, secret: str) -> User:
    """The active user whose bearer token this is.

    A token seen within the last `TOKEN_CACHE_SECONDS` is answered from memory, on the event
    loop; any other is looked up in a worker thread (the database call blocks).
    """
    secret = secret.strip()
    if not secret:
        raise AuthenticationError(Message("no API token: send `Authorization: Bearer <token>`"))
    state = state_of(request)
    address = f"ip:{client_address(request)}"
    state.bearer_throttle.check(address, Message("this client"))
    digest, now = token_hash(secret), utcnow()
    remembered = state.token_cache.get(digest, now)
    if remembered is not None:
        return remembered
    try:
        user, token = await run_in_threadpool(credential, state.books, digest, now=now)
    except AuthenticationError:
        state.bearer_throttle.record_failure(address, secret)
        raise
    state.token_cache.put(digest, user, token)
    return user


def signed_in_user(request: Request) -> User | None:
    """The signed-in user of this browser's session, rechecked against the books on every
    request (a session signed out, or its token revoked, is signed out)."""
    state = state_of(request)
    session = current(request, state.session_key)
    user = None
    if session.session_id is not None:
        user = sessions.session_user(state.books, session.session_id)
        if user is None:
            store(request, new_session())
    setattr(request.state, _USER, user)
    return user


def require_user(request: Request) -> User:
    """The signed-in user, or SignInRequiredError (the page then offers the sign-in form)."""
    user = signed_in_user(request)
    if user is None:
        raise SignInRequiredError(Message("sign in to see this page"))
    return user


def page_user(request: Request) -> User | None:
    """The user this request was resolved to, for the layout's navigation."""
    found = getattr(request.state, _USER, None)
    return found if isinstance(found, User) else None


def sign_in(request: Request, name: str, secret: str) -> User:
    """Check a user name and access token and start a session the books keep, with a new CSRF
    token.

    Raises ThrottledError while the name or the client's address is locked out, and
    AuthenticationError (one message for every failure) when the pair is wrong.
    """
    state = state_of(request)
    throttles = state.signin_throttles
    name = name.strip()
    address = f"ip:{client_address(request)}"
    throttles.by_address.check(address, Message("this client"))
    throttles.by_name.check(f"name:{name}", Message("this user name"))
    try:
        user, session_id = sessions.sign_in(state.books, name, secret)
    except AuthenticationError:
        attempt = f"{name}\n{secret.strip()}"
        throttles.by_address.record_failure(address, attempt)
        throttles.by_name.record_failure(f"name:{name}", attempt)
        raise
    store(request, Session(new_session().csrf, session_id))
    setattr(request.state, _USER, user)
    return user


def sign_out(request: Request) -> None:
    """End the session in the books (every copy of its cookie stops working), and start a new
    signed-out one."""
    state = state_of(request)
    session = current(request, state.session_key)
    if session.session_id is not None:
        sessions.sign_out(state.books, session.session_id)
    store(request, new_session())
    setattr(request.state, _USER, None)


CurrentUser = Annotated[User, Depends(require_user)]
MaybeUser = Annotated[User | None, Depends(signed_in_user)]
