"""Users and their roles."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, func, select

from jointfund.clock import stamp
from jointfund.errors import ConflictError, NotFoundError
from jointfund.governance import Role, User
from jointfund.i18n.message import Message
from jointfund.store.row_chain import bump_version, chain_inserted
from jointfund.store.row_chain_checks import require_chained
from jointfund.store.tables.governance import users


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
        raise ConflictError(Message("a user named {name!r} already exists", name=name))
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
    chain_inserted(conn, users, new_id)
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
        raise NotFoundError(
            Message("no user {user!r}", user=user_id if user_id is not None else name)
        )
    require_chained(conn, users, tuple(row), Message("user {name}", name=row.name))
    return _user(row)


def list_users(conn: Connection) -> list[User]:
    """Every user, by id."""
    return [_user(r) for r in conn.execute(select(users).order_by(users.c.id))]


def board_managers(conn: Connection) -> list[User]:
    """Active board managers, the sitting board."""
    rows = conn.execute(
        select(users).where(users.c.role == Role.BOARD_MANAGER.value, users.c.active.is_(True))
    ).all()
    for row in rows:
        require_chained(conn, users, tuple(row), Message("board manager {name}", name=row.name))
    return [_user(r) for r in rows]


def set_active(conn: Connection, user_id: int, active: bool) -> None:
    """Activate or deactivate a user."""
    bump_version(conn, users, users.c.id == user_id, active=active)


def active_users_with_role(conn: Connection, role: str) -> int:
    """How many active users hold a role (e.g. `auditor`)."""
    return int(
        conn.execute(
            select(func.count())
            .select_from(users)
            .where(users.c.role == role, users.c.active.is_(True))
        ).scalar()
        or 0
    )
