"""Governance rows about people: users, API tokens, and the append-only audit log."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row, func, select, update

from jointfund.errors import ConflictError, NotFoundError
from jointfund.governance import ApiToken, Interface, Role, User
from jointfund.store.governance_tables import api_tokens, audit_log, users
from jointfund.store.row_chain import chain_inserted


def stamp(moment: datetime) -> str:
    """A timezone-aware moment as the fixed-width UTC string the tables keep."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def unstamp(text: str | None) -> datetime | None:
    """The moment a stored timestamp names (None stays None)."""
    if text is None:
        return None
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def _when(text: str) -> datetime:
    moment = unstamp(text)
    assert moment is not None
    return moment


# --- users -------------------------------------------------------------------------------


def _user(row: Row[Any]) -> User:
    return User(
        id=int(row.id),
        name=row.name,
        role=Role(row.role),
        partner=row.partner,
        licence_ids=tuple(json.loads(row.licence_ids)),
        active=bool(row.active),
    )


def count_users(conn: Connection) -> int:
    """How many users exist (bootstrapping is allowed only at zero)."""
    return int(conn.execute(select(func.count()).select_from(users)).scalar_one())


def insert_user(
    conn: Connection,
    *,
    name: str,
    role: Role,
    partner: str | None,
    licence_ids: tuple[str, ...],
    at: datetime,
) -> User:
    """Create a user; a taken name is a conflict."""
    if conn.execute(select(users.c.id).where(users.c.name == name)).first() is not None:
        raise ConflictError(f"a user named {name!r} already exists")
    new_id = conn.execute(
        users.insert().values(
            name=name,
            role=role.value,
            partner=partner,
            licence_ids=json.dumps(sorted(set(licence_ids))),
            active=True,
            created_at=stamp(at),
        )
    ).inserted_primary_key
    assert new_id is not None
    return get_user(conn, user_id=int(new_id[0]))


def get_user(conn: Connection, *, user_id: int | None = None, name: str | None = None) -> User:
    """One user by id or name."""
    stmt = select(users)
    stmt = (
        stmt.where(users.c.id == user_id)
        if user_id is not None
        else stmt.where(users.c.name == name)
    )
    row = conn.execute(stmt).first()
    if row is None:
        raise NotFoundError(f"no user {user_id if user_id is not None else name!r}")
    return _user(row)


def list_users(conn: Connection) -> list[User]:
    """Every user, by id."""
    return [_user(r) for r in conn.execute(select(users).order_by(users.c.id))]


def board_managers(conn: Connection) -> list[User]:
    """Active board managers, the sitting board."""
    rows = conn.execute(
        select(users).where(users.c.role == Role.BOARD_MANAGER.value, users.c.active.is_(True))
    )
    return [_user(r) for r in rows]


def set_active(conn: Connection, user_id: int, active: bool) -> None:
    """Activate or deactivate a user."""
    conn.execute(update(users).where(users.c.id == user_id).values(active=active))


# --- tokens ------------------------------------------------------------------------------


def _token(row: Row[Any]) -> ApiToken:
    return ApiToken(
        id=int(row.id),
        user_id=int(row.user_id),
        token_hash=row.token_hash,
        label=row.label,
        created_at=_when(row.created_at),
        expires_at=unstamp(row.expires_at),
        revoked_at=unstamp(row.revoked_at),
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
    return int(key[0])


def token_by_hash(conn: Connection, token_hash: str) -> ApiToken | None:
    """The stored token with this hash, if any."""
    row = conn.execute(select(api_tokens).where(api_tokens.c.token_hash == token_hash)).first()
    return None if row is None else _token(row)


def get_token(conn: Connection, token_id: int) -> ApiToken:
    """One token by id."""
    row = conn.execute(select(api_tokens).where(api_tokens.c.id == token_id)).first()
    if row is None:
        raise NotFoundError(f"no API token {token_id}")
    return _token(row)


def tokens_of(conn: Connection, user_id: int) -> list[ApiToken]:
    """A user's tokens, oldest first."""
    rows = conn.execute(
        select(api_tokens).where(api_tokens.c.user_id == user_id).order_by(api_tokens.c.id)
    )
    return [_token(r) for r in rows]


def revoke_token(conn: Connection, token_id: int, at: datetime) -> bool:
    """Revoke a token; False when it was revoked already."""
    done = conn.execute(
        update(api_tokens)
        .where(api_tokens.c.id == token_id, api_tokens.c.revoked_at.is_(None))
        .values(revoked_at=stamp(at))
    )
    return done.rowcount == 1


# --- audit -------------------------------------------------------------------------------


def append_audit(
    conn: Connection,
    *,
    at: datetime,
    actor: User | None,
    interface: Interface,
    action: str,
    target: str,
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Record who did what to which thing, when, and from which interface."""
    key = conn.execute(
        audit_log.insert().values(
            at=stamp(at),
            actor_id=actor.id if actor else None,
            actor=actor.label if actor else "(bootstrap)",
            interface=interface.value,
            action=action,
            target=target,
            detail=json.dumps(dict(detail or {}), sort_keys=True, default=str),
        )
    ).inserted_primary_key
    chain_inserted(conn, audit_log, key)


def audit_records(conn: Connection, *, target: str | None = None) -> list[dict[str, Any]]:
    """Audit records in order, optionally for one target."""
    stmt = select(audit_log).order_by(audit_log.c.seq)
    if target is not None:
        stmt = stmt.where(audit_log.c.target == target)
    return [{**dict(r._mapping), "detail": json.loads(r.detail)} for r in conn.execute(stmt)]
