"""Backing the fund up to one file and restoring it, with `verify` as the gate on both ends."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jointfund.config import database_url
from jointfund.errors import InputError, IntegrityError, Problem
from jointfund.governance import User, require
from jointfund.i18n.message import Message
from jointfund.ledger import Checkpoint, VerifyReport
from jointfund.store import Database
from jointfund.store import backup as storage
from jointfund.store.verification import verify_books


@dataclass(frozen=True, slots=True)
class BackupResult:
    """What a backup wrote: where, from which backend, and the chain head it holds."""

    path: Path
    dialect: str
    size_bytes: int
    entries: int
    last_seq: int
    last_hash: str


@dataclass(frozen=True, slots=True)
class RestoreResult:
    """What a restore put in place, as `verify` of the restored books saw it."""

    target: str
    dialect: str
    entries: int
    postings: int
    last_seq: int
    last_hash: str


def backup(db: Database, actor: User, out: Path) -> BackupResult:
    """Write the whole database to `out`; refuse to back up books that fail `verify`."""
    require(actor, "books.backup")
    with db.read() as conn:
        report = verify_books(conn)
    if report.first_bad is not None:
        raise IntegrityError(
            Message(
                "not backing up books that fail verify: {first_bad}",
                first_bad=report.first_bad.said(),
            )
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    if db.dialect == "sqlite":
        storage.backup_sqlite(db, out)
    else:
        storage.backup_postgresql(db, out)
    return BackupResult(
        out, db.dialect, out.stat().st_size, report.entries, report.last_seq, report.last_hash
    )


def restore(
    source: Path, target_url: str, *, force: bool = False, checkpoint: Checkpoint | None = None
) -> RestoreResult:
    """Restore `source` into `target_url`; a non-empty target needs `force`, and the restore
    counts only when `verify` of the restored books is green, against a kept `checkpoint` when
    one is given (else the target stays as it was). Restoring replaces a whole database: it is
    the database operator's act, outside the books' users and audit log."""

    def verifier(db: Database) -> VerifyReport:
        with db.read() as conn:
            return verify_books(conn, checkpoint)

    kind = storage.backup_kind(source)
    url = database_url(target_url)
    target_kind = "sqlite" if url.startswith("sqlite") else "postgresql"
    if kind != target_kind:
        raise InputError(
            [
                Problem(
                    Message(
                        "a {kind} backup cannot be restored into a {target_kind} database",
                        kind=kind,
                        target_kind=target_kind,
                    ),
                    file=str(source),
                    field="--db",
                    expected=Message("a {kind} database URL", kind=kind),
                )
            ]
        )
    if kind == "sqlite":
        report = storage.restore_sqlite(source, url, force=force, verifier=verifier)
    else:
        report = storage.restore_postgresql(source, url, force=force, verifier=verifier)
    return RestoreResult(
        target_url, kind, report.entries, report.postings, report.last_seq, report.last_hash
    )
