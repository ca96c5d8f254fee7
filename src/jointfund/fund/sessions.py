"""Web sessions as use cases: sign in with a user name and token, find who a session is, sign
out. The books keep each session, so signing out ends it for every copy of its cookie.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from jointfund import store
from jointfund.clock import utcnow
from jointfund.errors import AuthenticationError, NotFoundError, PermissionDeniedError
from jointfund.fund import door
from jointfund.fund.users import credential
from jointfund.governance import Interface, User, token_hash
from jointfund.i18n.message import Message
from jointfund.store import Database

SESSION_HOURS = 12
"""How long a session lasts without signing in again."""


def _id_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def sign_in(
    db: Database,
    name: str,
    secret: str,
    *,
    interface: Interface = Interface.WEB,
    now: datetime | None = None,
) -> tuple[User, str]:
    """Start a session for the user whose name and token these are; returns the user and the
    new session id (the browser keeps it, the books keep its SHA-256). One message for every
    failure, so a sign-in form does not tell which half was wrong."""
    digest = token_hash(secret.strip())
    try:
        user, _ = credential(db, digest, now=now)
    except (AuthenticationError, NotFoundError, PermissionDeniedError):
        user = None
    if user is None or user.name != name.strip():
        raise AuthenticationError(Message("unknown user name or access token"))
    session_id = secrets.token_urlsafe(32)
    with door.act(db, user, "sessions.use", interface=interface, now=now) as act:
        store.sessions.start_session(
            act.tx, id_hash=_id_hash(session_id), user_id=user.id, token_hash=digest, at=act.now
        )
        act.note("sessions.start", f"user:{user.id}", {"session": _id_hash(session_id)[:16]})
    return user, session_id


def session_user(db: Database, session_id: str, *, now: datetime | None = None) -> User | None:
    """The user a live session belongs to: started, not ended, not older than SESSION_HOURS,
    and its token still usable (revoking the token ends the session too)."""
    now = now or utcnow()
    with db.read() as tx:
        found = store.sessions.find_session(tx, _id_hash(session_id))
    if found is None or found.ended_at is not None:
        return None
    if now - found.started_at > timedelta(hours=SESSION_HOURS):
        return None
    try:
        user, _ = credential(db, found.token_hash, now=now)
    except (AuthenticationError, NotFoundError, PermissionDeniedError):
        return None
    return user if user.id == found.user_id else None


def sign_out(
    db: Database,
    session_id: str,
    *,
    interface: Interface = Interface.WEB,
    now: datetime | None = None,
) -> None:
    """End a session for good (every copy of its cookie stops working)."""
    user = session_user(db, session_id, now=now)
    if user is None:
        return  # nothing live to end
    with door.act(db, user, "sessions.use", interface=interface, now=now) as act:
        if not store.sessions.end_session(act.tx, id_hash=_id_hash(session_id), at=act.now):
            act.unchanged()
            return
        act.note("sessions.end", f"user:{user.id}", {"session": _id_hash(session_id)[:16]})
