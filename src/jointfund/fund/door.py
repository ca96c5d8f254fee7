"""The one door every write goes through: who may, who is sitting now, what was done.

A write use case opens `act(db, actor, action, ...)`: the permission table is checked for the
action, one write transaction opens, the actor is read again from the books (a stale or
forged `User` gains nothing: a manager re-seated, a user deactivated or a role changed since
the caller resolved it is refused), and the use case does its work on `Act.tx`. Before the
transaction commits, every audit record the work noted (`Act.note`) is appended: who, role,
interface, action, object and the SHA-256 of the detail, in the same transaction, so a write
and its audit record exist together or not at all. A use case that finds nothing to do (an
idempotent repeat) says so (`Act.unchanged`) and the transaction is rolled back, which proves
nothing was written; a door left with neither is a bug and rolls back too.

`bootstrap` is the one door without an actor: it opens only while the books have no users
(setting a fund up, creating its first administrator), and records "(bootstrap)".
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from jointfund import clock, store
from jointfund.errors import AuthenticationError, PermissionDeniedError
from jointfund.governance import Interface, User, require
from jointfund.i18n.message import Message
from jointfund.store import Database, Tx


@dataclass(frozen=True, slots=True)
class Note:
    """One audit record a write leaves: the action, its object and the detail."""

    action: str
    target: str
    detail: Mapping[str, Any]


@dataclass(slots=True)
class Act:
    """A write under way: its transaction, its (re-read) actor, interface and moment."""

    tx: Tx
    actor: User | None
    interface: Interface
    now: datetime
    notes: list[Note] = field(default_factory=list)
    nothing_written: bool = False

    @property
    def user(self) -> User:
        """The acting user (every door but `bootstrap` has one)."""
        if self.actor is None:
            raise PermissionDeniedError(Message("this write needs a signed-in user"))
        return self.actor

    def note(self, action: str, target: str, detail: Mapping[str, Any] | None = None) -> None:
        """Record that `action` was done to `target`; appended to the audit log at commit."""
        self.notes.append(Note(action, target, dict(detail or {})))

    def unchanged(self) -> None:
        """Nothing was written (an idempotent repeat): roll back instead of committing."""
        self.nothing_written = True


class _NothingWrittenError(Exception):
    """Leaves a write transaction that wrote nothing, rolling it back."""


def sitting(tx: Tx, actor: User) -> User:
    """The actor as stored now; refuse a deactivated user or one whose stored role, seat or
    licences differ from what the caller resolved."""
    stored = store.users.get_user(tx, user_id=actor.id)
    if not stored.active:
        raise PermissionDeniedError(Message("{user} is deactivated", user=stored.label))
    if stored != actor:
        raise PermissionDeniedError(
            Message(
                "user {id} is {stored}, not {claimed}",
                id=actor.id,
                stored=stored.label,
                claimed=actor.label,
            )
        )
    return stored


def _close(act: Act) -> None:
    if act.nothing_written and not act.notes:
        raise _NothingWrittenError
    if not act.notes:
        raise AssertionError("a write left the door without an audit record")
    for note in act.notes:
        store.audit.append_audit(
            act.tx,
            at=act.now,
            actor=act.actor,
            interface=act.interface,
            action=note.action,
            target=note.target,
            detail=note.detail,
        )


@contextmanager
def act(
    db: Database,
    actor: User,
    action: str,
    *,
    interface: Interface,
    licence_id: str | None = None,
    now: datetime | None = None,
) -> Iterator[Act]:
    """A write by `actor` that the permission table allows for `action`, audited at commit."""
    require(actor, action, licence_id=licence_id)
    try:
        with db.write() as tx:
            current = Act(tx, sitting(tx, actor), interface, now or clock.utcnow())
            yield current
            _close(current)
    except _NothingWrittenError:
        return


@contextmanager
def bootstrap(db: Database, *, interface: Interface, now: datetime | None = None) -> Iterator[Act]:
    """A write allowed only while the books have no users yet (fund set-up, first admin)."""
    try:
        with db.write() as tx:
            if store.users.count_users(tx):
                raise AuthenticationError(
                    Message(
                        "users exist already; sign in as an administrator (--token or "
                        "JOINTFUND_TOKEN)"
                    )
                )
            current = Act(tx, None, interface, now or clock.utcnow())
            yield current
            _close(current)
    except _NothingWrittenError:
        return
