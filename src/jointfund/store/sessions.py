"""Web sessions: started for a user with the token it signed in with, and ended at sign-out.

Both are append-only facts chained like every history row; the browser's session id is stored
only as its SHA-256.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from jointfund.clock import stamp, unstamp
from jointfund.store.row_chain import chain_inserted
from jointfund.store.tables.governance import sessions_ended, sessions_started


@dataclass(frozen=True, slots=True)
class StoredSession:
    """A session as the books keep it."""

    user_id: int
    token_hash: str
    started_at: datetime
    ended_at: datetime | None


def start_session(
    conn: Connection, *, id_hash: str, user_id: int, token_hash: str, at: datetime
) -> None:
    """Record that a session started."""
    key = conn.execute(
        sessions_started.insert().values(
            id_hash=id_hash, user_id=user_id, token_hash=token_hash, started_at=stamp(at)
        )
    ).inserted_primary_key
    chain_inserted(conn, sessions_started, key)


def end_session(conn: Connection, *, id_hash: str, at: datetime) -> bool:
    """Record that a session ended; False when it had ended already (or never started)."""
    started = conn.execute(
        select(sessions_started.c.id_hash).where(sessions_started.c.id_hash == id_hash)
    ).first()
    ended = conn.execute(
        select(sessions_ended.c.id_hash).where(sessions_ended.c.id_hash == id_hash)
    ).first()
    if started is None or ended is not None:
        return False
    key = conn.execute(
        sessions_ended.insert().values(id_hash=id_hash, ended_at=stamp(at))
    ).inserted_primary_key
    chain_inserted(conn, sessions_ended, key)
    return True


def find_session(conn: Connection, id_hash: str) -> StoredSession | None:
    """The session with this id hash, if it ever started."""
    row = conn.execute(
        select(
            sessions_started.c.user_id,
            sessions_started.c.token_hash,
            sessions_started.c.started_at,
            sessions_ended.c.ended_at,
        )
        .select_from(sessions_started.outerjoin(sessions_ended))
        .where(sessions_started.c.id_hash == id_hash)
    ).first()
    if row is None:
        return None
    ended = unstamp(row.ended_at) if row.ended_at is not None else None
    return StoredSession(int(row.user_id), row.token_hash, unstamp(row.started_at), ended)
