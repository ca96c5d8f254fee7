"""People and access: bootstrap, add users, issue and revoke tokens, authenticate a token."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from jointfund import store
from jointfund.clock import utcnow
from jointfund.errors import AuthenticationError, InputError, Problem
from jointfund.fund import door
from jointfund.fund.setup import terms_in_force
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
from jointfund.i18n.message import Message
from jointfund.store import Database, Tx
from jointfund.terms import TermSheet

DEFAULT_TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 3650
"""Ten years: the longest a token may live (a day count past that overflows dates)."""


def _check_days(days: int | None) -> None:
    if days is not None and not 1 <= days <= MAX_TOKEN_DAYS:
        raise InputError(
            [
                Problem(
                    Message("a token cannot live {days} days", days=days),
                    field="days",
                    expected=Message("1..{limit}", limit=MAX_TOKEN_DAYS),
                )
            ]
        )


def _role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        raise InputError(
            [Problem(Message("unknown role {role!r}", role=role), field="role", expected=choices)]
        ) from None


def _issue(tx: Tx, user: User, *, label: str, now: datetime, days: int | None) -> IssuedToken:
    secret = new_secret()
    expires = now + timedelta(days=days) if days is not None else None
    token_id = store.tokens.insert_token(
        tx,
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
    _check_days(token_days)
    with door.bootstrap(db, interface=interface, now=now) as act:
        user = store.users.insert_user(
            act.tx, name=name, role=Role.ADMINISTRATOR, partner=None, licence_ids=(), at=act.now
        )
        issued = _issue(act.tx, user, label="bootstrap", now=act.now, days=token_days)
        act.note("users.bootstrap", f"user:{user.id}", {"name": name, "token_id": issued.id})
    return user, issued


def _check_role_fields(
    role: Role, partner: str | None, licence_ids: tuple[str, ...], terms: TermSheet
) -> None:
    problems = []
    if role is Role.BOARD_MANAGER:
        if partner not in terms.partner_ids:
            choices = ", ".join(terms.partner_ids)
            problems.append(
                Problem(
                    Message("a board manager sits for a partner, not {partner!r}", partner=partner),
                    field="partner",
                    expected=choices,
                )
            )
    elif partner is not None:
        problems.append(Problem(Message("only board managers sit for a partner"), field="partner"))
    if role is Role.REPORTING_ENTITY and not licence_ids:
        problems.append(
            Problem(Message("a reporting entity needs its licence ids"), field="licence_ids")
        )
    if role is not Role.REPORTING_ENTITY and licence_ids:
        problems.append(
            Problem(Message("only reporting entities hold licence ids"), field="licence_ids")
        )
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
    role = _role(role)
    licences = tuple(sorted(set(licence_ids)))
    with door.act(db, actor, "users.manage", interface=interface, now=now) as act:
        sheet = terms or terms_in_force(act.tx)
        _check_role_fields(role, partner, licences, sheet)
        if role is Role.BOARD_MANAGER and partner is not None:
            check_seat_free(sheet, board_of(store.users.board_managers(act.tx)), partner)
        user = store.users.insert_user(
            act.tx, name=name, role=role, partner=partner, licence_ids=licences, at=act.now
        )
        act.note(
            "users.add",
            f"user:{user.id}",
            {"name": name, "role": role.value, "partner": partner, "licences": licences},
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
    with door.act(db, actor, "users.manage", interface=interface, now=now) as act:
        user = store.users.get_user(act.tx, name=name)
        store.users.set_active(act.tx, user.id, False)
        act.note("users.deactivate", f"user:{user.id}", {"name": user.name})
        return store.users.get_user(act.tx, user_id=user.id)


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
    _check_days(days)
    with door.act(db, actor, "users.manage", interface=interface, now=now) as act:
        user = store.users.get_user(act.tx, name=name)
        issued = _issue(act.tx, user, label=label, now=act.now, days=days)
        act.note("tokens.issue", f"user:{user.id}", {"token_id": issued.id, "label": label})
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
    with door.act(db, actor, "tokens.revoke", interface=interface, now=now) as act:
        token = store.tokens.get_token(act.tx, token_id)
        if token.user_id != act.user.id:
            require(act.user, "users.manage")
        done = store.tokens.revoke_token(act.tx, token_id, act.now)
        act.note("tokens.revoke", f"user:{token.user_id}", {"token_id": token_id, "changed": done})
    return done


def list_users(db: Database, actor: User) -> list[User]:
    """Every user."""
    require(actor, "users.read")
    with db.read() as conn:
        return store.users.list_users(conn)


def credential(db: Database, digest: str, *, now: datetime | None = None) -> tuple[User, ApiToken]:
    """The active user whose token has SHA-256 `digest`, and the token itself (for callers
    that remember it until it expires): the one check behind bearer tokens, web sessions and
    the CLI. Unknown, revoked and expired tokens and deactivated users are refused with
    AuthenticationError."""
    now = now or utcnow()
    with db.read() as conn:
        token = check_usable(store.tokens.token_by_hash(conn, digest), now)
        user = store.users.get_user(conn, user_id=token.user_id)
    if not user.active:
        raise AuthenticationError(Message("{user} is deactivated", user=user.label))
    return user, token


def authenticated(
    db: Database, secret: str, *, now: datetime | None = None
) -> tuple[User, ApiToken]:
    """`credential` of a token given as its secret."""
    return credential(db, token_hash(secret.strip()), now=now)


def authenticate(db: Database, secret: str, *, now: datetime | None = None) -> User:
    """The active user a token belongs to; refuse unknown, revoked and expired tokens."""
    return authenticated(db, secret, now=now)[0]
