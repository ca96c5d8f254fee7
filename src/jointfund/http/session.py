"""The signed session cookie: the browser's session id, its CSRF token, one flash message.

Signed with itsdangerous (HMAC, timestamped, expiring with the session), not encrypted: it
holds no secret the server does not also know. The session id names a session the books keep
(`fund.sessions`), so signing out ends it for every copy of the cookie.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from jointfund.fund.sessions import SESSION_HOURS

COOKIE = "jf_session"
MAX_AGE_S = SESSION_HOURS * 3600
_SALT = "jointfund.session"
_STATE = "jf_session"
_DIRTY = "jf_session_dirty"


@dataclass(frozen=True, slots=True)
class Session:
    """One browser's session; `session_id` is None before sign-in."""

    csrf: str
    session_id: str | None = None
    flash: str = ""


def new_session() -> Session:
    """A signed-out session with a fresh CSRF token."""
    return Session(csrf=secrets.token_urlsafe(32))


def _serializer(secret: bytes) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=_SALT)


def encode(session: Session, secret: bytes) -> str:
    """The cookie value: the signed, timestamped session."""
    value = _serializer(secret).dumps([session.csrf, session.session_id, session.flash])
    return str(value)


def decode(value: str, secret: bytes) -> Session | None:
    """The session in a cookie value, or None when it is forged, malformed or too old."""
    try:
        csrf, session_id, flash = _serializer(secret).loads(value, max_age=MAX_AGE_S)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(csrf, str) or not (session_id is None or isinstance(session_id, str)):
        return None
    return Session(csrf, session_id, str(flash))


def current(request: Request, secret: bytes) -> Session:
    """This request's session: from its cookie, or a new one that the response will set."""
    found = getattr(request.state, _STATE, None)
    if isinstance(found, Session):
        return found
    cookie = request.cookies.get(COOKIE)
    loaded = decode(cookie, secret) if cookie else None
    if loaded is None:
        loaded = new_session()
        setattr(request.state, _DIRTY, True)
    setattr(request.state, _STATE, loaded)
    return loaded


def store(request: Request, session: Session) -> None:
    """Replace this request's session; the response will carry the new cookie."""
    setattr(request.state, _STATE, session)
    setattr(request.state, _DIRTY, True)


def flash(request: Request, message: str) -> None:
    """Leave a one-time message for the next page this browser shows."""
    session = getattr(request.state, _STATE, None)
    if isinstance(session, Session):
        store(request, replace(session, flash=message))


def take_flash(request: Request) -> str:
    """The pending flash message, cleared from the session."""
    session = getattr(request.state, _STATE, None)
    if not isinstance(session, Session) or not session.flash:
        return ""
    store(request, replace(session, flash=""))
    return session.flash


def write_cookie(request: Request, response: Response, secret: bytes) -> None:
    """Set the cookie on `response` when this request changed or created the session."""
    session = getattr(request.state, _STATE, None)
    if not isinstance(session, Session) or not getattr(request.state, _DIRTY, False):
        return
    response.set_cookie(
        COOKIE,
        encode(session, secret),
        max_age=MAX_AGE_S,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
