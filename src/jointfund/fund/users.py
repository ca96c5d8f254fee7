"""People and access: bootstrap, add users, issue and revoke tokens, authenticate a token."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection

from jointfund.errors import AuthenticationError, ConflictError, InputError, Problem
from jointfund.governance import (
    ApiToken,
    Interface,
    IssuedToken,
    Role,
    User,
    board_of,
    check_seat_free,
    check_usable,
    new_secret,
    require,
    token_hash,
)
from jointfund.store import Database
from jointfund.store import governance_people as people
from jointfund.store import governance_repo as repo
from jointfund.terms import TermSheet

DEFAULT_TOKEN_DAYS = 90


def utcnow() -> datetime:
    """The current moment, timezone-aware."""
    return datetime.now(UTC)


def _issue(
    conn: Connection, user: User, *, label: str, now: datetime, days: int | None
) -> IssuedToken:
    secret = new_secret()
    expires = now + timedelta(days=days) if days is not None else None
    token_id = people.insert_token(
        conn,
        user_id=user.id,
        token_hash=token_hash(secret),
        label=label,
        at=now,
        expires_at=expires,
    )
    return IssuedToken(token_id, user.id, secret, expires)


def bootstrap_admin(
    db: Database,
    name: str,
    *,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
    token_days: int | None = DEFAULT_TOKEN_DAYS,
) -> tuple[User, IssuedToken]:
    """Create the first administrator and its token; refused once any user exists."""
    now = now or utcnow()
    with db.write() as conn:
        if people.count_users(conn):
            raise ConflictError(
                "users exist already; bootstrap creates only the first administrator"
            )
        user = people.insert_user(
            conn, name=name, role=Role.ADMINISTRATOR, partner=None, licence_ids=(), at=now
        )
        issued = _issue(conn, user, label="bootstrap", now=now, days=token_days)
        people.append_audit(
            conn,
            at=now,
            actor=None,
            interface=interface,
            action="users.bootstrap",
            target=f"user:{user.id}",
            detail={"name": name, "token_id": issued.id},
        )
    return user, issued


def _check_role_fields(
    role: Role, partner: str | None, licence_ids: tuple[str, ...], terms: TermSheet
) -> None:
    problems = []
    if role is Role.BOARD_MANAGER:
        if partner not in terms.partner_ids:
            problems.append(
                Problem(
                    f"a board manager sits for a partner, not {partner!r}",
                    field="partner",
                    expected=", ".join(terms.partner_ids),
                )
            )
    elif partner is not None:
        problems.append(Problem("only board managers sit for a partner", field="partner"))
    if role is Role.REPORTING_ENTITY and not licence_ids:
        problems.append(Problem("a reporting entity needs its licence ids", field="licence_ids"))
    if role is not Role.REPORTING_ENTITY and licence_ids:
        problems.append(Problem("only reporting entities hold licence ids", field="licence_ids"))
    if problems:
        raise InputError(problems)


def add_user(
    db: Database,
    actor: User,
    name: str,
    role: Role | str,
    *,
    partner: str | None = None,
    licence_ids: Iterable[str] = (),
    terms: TermSheet | None = None,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> User:
    """Add a user; a board manager takes one of its partner's seats under the terms."""
    require(actor, "users.manage")
    role = Role(role)
    licences = tuple(sorted(set(licence_ids)))
    now = now or utcnow()
    with db.write() as conn:
        sheet = terms or repo.terms_in_force(conn)
        _check_role_fields(role, partner, licences, sheet)
        if role is Role.BOARD_MANAGER and partner is not None:
            check_seat_free(sheet, board_of(people.board_managers(conn)), partner)
        user = people.insert_user(
            conn, name=name, role=role, partner=partner, licence_ids=licences, at=now
        )
        people.append_audit(
            conn,
            at=now,
            actor=actor,
            interface=interface,
            action="users.add",
            target=f"user:{user.id}",
            detail={"name": name, "role": role.value, "partner": partner, "licences": licences},
        )
    return user


def deactivate_user(
    db: Database,
    actor: User,
    name: str,
    *,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> User:
    """Deactivate a user: its tokens stop working and a manager leaves the board."""
    require(actor, "users.manage")
    now = now or utcnow()
    with db.write() as conn:
        user = people.get_user(conn, name=name)
        people.set_active(conn, user.id, False)
        people.append_audit(
            conn,
            at=now,
            actor=actor,
            interface=interface,
            action="users.deactivate",
            target=f"user:{user.id}",
        )
        return people.get_user(conn, user_id=user.id)


def issue_token(
    db: Database,
    actor: User,
    name: str,
    *,
    label: str = "",
    days: int | None = DEFAULT_TOKEN_DAYS,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> IssuedToken:
    """Issue a token for user `name` (None days: no expiry); the secret is returned only now."""
    require(actor, "users.manage")
    if days is not None and days < 1:
        raise InputError([Problem("a token lives at least one day", field="days")])
    now = now or utcnow()
    with db.write() as conn:
        user = people.get_user(conn, name=name)
        issued = _issue(conn, user, label=label, now=now, days=days)
        people.append_audit(
            conn,
            at=now,
            actor=actor,
            interface=interface,
            action="tokens.issue",
            target=f"user:{user.id}",
            detail={"token_id": issued.id, "label": label},
        )
    return issued


def revoke_token(
    db: Database,
    actor: User,
    token_id: int,
    *,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> bool:
    """Revoke a token (administrators: any; everyone: their own); False if already revoked."""
    now = now or utcnow()
    with db.write() as conn:
        token = people.get_token(conn, token_id)
        if token.user_id != actor.id:
            require(actor, "users.manage")
        done = people.revoke_token(conn, token_id, now)
        people.append_audit(
            conn,
            at=now,
            actor=actor,
            interface=interface,
            action="tokens.revoke",
            target=f"user:{token.user_id}",
            detail={"token_id": token_id, "changed": done},
        )
    return done


def list_users(db: Database, actor: User) -> list[User]:
    """Every user."""
    require(actor, "users.read")
    with db.read() as conn:
        return people.list_users(conn)


def credential(db: Database, digest: str, *, now: datetime | None = None) -> tuple[User, ApiToken]:
    """The active user whose token has SHA-256 `digest`, and the token itself (for callers
    that remember it until it expires): the one check behind bearer tokens, web sessions and
    the CLI. Unknown, revoked and expired tokens and deactivated users are refused with
    AuthenticationError."""
    now = now or utcnow()
    with db.read() as conn:
        token = check_usable(people.token_by_hash(conn, digest), now)
        user = people.get_user(conn, user_id=token.user_id)
    if not user.active:
        raise AuthenticationError(f"{user.label} is deactivated")
    return user, token


def authenticated(
    db: Database, secret: str, *, now: datetime | None = None
) -> tuple[User, ApiToken]:
    """`credential` of a token given as its secret."""
    return credential(db, token_hash(secret.strip()), now=now)


def authenticate(db: Database, secret: str, *, now: datetime | None = None) -> User:
    """The active user a token belongs to; refuse unknown, revoked and expired tokens."""
    return authenticated(db, secret, now=now)[0]
