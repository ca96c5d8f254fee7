"""The signed session cookie: who is signed in, the CSRF token, one flash message.

The cookie is HMAC-SHA256 signed, not encrypted, so it holds nothing secret: the user id, the
SHA-256 of the access token used to sign in (the form the database keeps anyway, rechecked on
every request so a revoked token ends the session), the CSRF token and an issue time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass, replace

from fastapi import Request, Response

COOKIE = "jf_session"
MAX_AGE_S = 12 * 3600
_STATE = "jf_session"
_DIRTY = "jf_session_dirty"


@dataclass(frozen=True, slots=True)
class Session:
    """One browser's session; `user_id` is None before sign-in."""

    csrf: str
    issued: int
    user_id: int | None = None
    token_hash: str | None = None
    flash: str = ""


def new_session(now: float | None = None) -> Session:
    """A signed-out session with a fresh CSRF token."""
    return Session(csrf=secrets.token_urlsafe(32), issued=int(now or time.time()))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: bytes, body: str) -> str:
    return _b64(hmac.new(secret, body.encode("ascii"), hashlib.sha256).digest())


def encode(session: Session, secret: bytes) -> str:
    """The cookie value: base64 JSON, a dot, and its signature."""
    body = _b64(
        json.dumps(
            [session.csrf, session.issued, session.user_id, session.token_hash, session.flash],
            separators=(",", ":"),
        ).encode("utf-8")
    )
    return f"{body}.{_mac(secret, body)}"


def decode(value: str, secret: bytes, now: float | None = None) -> Session | None:
    """The session in a cookie value, or None when it is forged, malformed or too old."""
    body, _, mac = value.partition(".")
    if not body or not hmac.compare_digest(mac, _mac(secret, body)):
        return None
    try:
        csrf, issued, user_id, token_hash, flash = json.loads(_unb64(body))
    except (ValueError, TypeError):
        return None
    if not isinstance(issued, int) or int(now or time.time()) - issued > MAX_AGE_S:
        return None
    return Session(str(csrf), issued, user_id, token_hash, str(flash))


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
