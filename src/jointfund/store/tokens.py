"""API tokens, stored as their SHA-256 only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, select

from jointfund.clock import stamp, unstamp, unstamp_optional
from jointfund.errors import AuthenticationError, NotFoundError
from jointfund.governance import ApiToken
from jointfund.i18n.message import Message
from jointfund.store.row_chain import bump_version, chain_inserted
from jointfund.store.row_chain_checks import chained_as_stored
from jointfund.store.tables.governance import api_tokens


def _token(row: Row[Any]) -> ApiToken:
    return ApiToken(
        id=int(row.id),
        user_id=int(row.user_id),
        token_hash=row.token_hash,
        label=row.label,
        created_at=unstamp(row.created_at),
        expires_at=unstamp_optional(row.expires_at),
        revoked_at=unstamp_optional(row.revoked_at),
    )


def insert_token(
    conn: Connection,
    *,
    user_id: int,
    token_hash: str,
    label: str,
    at: datetime,
    expires_at: datetime | None,
) -> int:
    """Store a token's hash; returns its id."""
    key = conn.execute(
        api_tokens.insert().values(
            user_id=user_id,
            token_hash=token_hash,
            label=label,
            created_at=stamp(at),
            expires_at=stamp(expires_at) if expires_at else None,
        )
    ).inserted_primary_key
    assert key is not None
    chain_inserted(conn, api_tokens, key)
    return int(key[0])


def token_by_hash(conn: Connection, token_hash: str) -> ApiToken | None:
    """The stored token with this hash, if any."""
    row = conn.execute(select(api_tokens).where(api_tokens.c.token_hash == token_hash)).first()
    if row is None:
        return None
    if not chained_as_stored(conn, api_tokens, tuple(row)):
        # A token row planted or edited behind the books' back opens nothing.
        raise AuthenticationError(
            Message("API token {id} does not match the books' record of it: refused", id=row.id)
        )
    return _token(row)


def get_token(conn: Connection, token_id: int) -> ApiToken:
    """One token by id."""
    row = conn.execute(select(api_tokens).where(api_tokens.c.id == token_id)).first()
    if row is None:
        raise NotFoundError(Message("no API token {token_id}", token_id=token_id))
    return _token(row)


def tokens_of(conn: Connection, user_id: int) -> list[ApiToken]:
    """A user's tokens, oldest first."""
    rows = conn.execute(
        select(api_tokens).where(api_tokens.c.user_id == user_id).order_by(api_tokens.c.id)
    )
    return [_token(r) for r in rows]


def revoke_token(conn: Connection, token_id: int, at: datetime) -> bool:
    """Revoke a token; False when it was revoked already."""
    where = (api_tokens.c.id == token_id) & api_tokens.c.revoked_at.is_(None)
    return bump_version(conn, api_tokens, where, revoked_at=stamp(at)) == 1
