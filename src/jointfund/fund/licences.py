"""The licence register as users touch it: import licences from a file, list them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from jointfund import store
from jointfund.errors import InputError, Problem
from jointfund.fund import door
from jointfund.governance import Interface, User, require
from jointfund.i18n.message import Message
from jointfund.intake.licences import read_licences
from jointfund.intake.records import LicenceRecord
from jointfund.intake.sources import Progress
from jointfund.store import Database, licence_pages
from jointfund.store.keyset import Sort
from jointfund.store.licences import UpsertCounts

__all__ = [
    "UpsertCounts",
    "held_licences",
    "import_licences",
    "list_licences",
    "register_licences",
]


def import_licences(
    db: Database,
    actor: User,
    path: Path,
    *,
    progress: Progress | None = None,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> UpsertCounts:
    """Register or update the licences in a file; all of them, or none and every problem."""
    require(actor, "licences.import")  # before looking at what was sent
    read = read_licences(path, progress=progress)
    with door.act(db, actor, "licences.import", interface=interface, now=now) as act:
        counts = register_licences(act, read.items, read.path)
        if not counts.created and not counts.updated:
            act.unchanged()
    return counts


def register_licences(
    act: door.Act, items: Sequence[tuple[int, LicenceRecord]], source: str
) -> UpsertCounts:
    """Register or update licences inside a write already open (a licence file, or the
    licences sold auctions lead to); audited as a licence import. A licence that has filings
    keeps its classification: such a change is a located problem and nothing is written."""
    require(act.user, "licences.import")
    records = [record for _, record in items]
    frozen = store.licences.reclassified_with_filings(act.tx, records)
    if frozen:
        raise InputError(
            Problem(
                Message(
                    "licence {licence_id} already has filings: its classification cannot change "
                    "by import ({reason})",
                    licence_id=record.licence_id,
                    reason=frozen[record.licence_id],
                ),
                source,
                line,
                "licence_id",
                Message("the classification it was filed under"),
            )
            for line, record in items
            if record.licence_id in frozen
        )
    counts = store.licences.upsert_licences(act.tx, records)
    if counts.created or counts.updated:
        act.note(
            "licences.import",
            f"file:{Path(source).name}",
            {"created": counts.created, "updated": counts.updated},
        )
    return counts


def list_licences(db: Database, actor: User) -> list[LicenceRecord]:
    """Every registered licence, by id."""
    require(actor, "licences.read")
    with db.read() as tx:
        return list(store.licences.licences_by_id(tx).values())


def licence_page(
    db: Database,
    actor: User,
    *,
    search: str | None = None,
    after: str | None = None,
    before: str | None = None,
    limit: int = 100,
    sort: Sort | None = None,
) -> tuple[list[LicenceRecord], int]:
    """A page of registered licences by id, after or before a licence id, optionally searched
    by id prefix or holder, and how many licences the search matches; in the order of
    `sort` (one of `sorting.LICENCES`), by id by default."""
    require(actor, "licences.read")
    with db.read() as tx:
        for field, cursor in (("after", after), ("before", before)):
            if cursor is not None and not store.licences.licences_by_id(tx, [cursor]):
                # Its place in the order is unknown: starting again would loop a client.
                reason = Message("no licence {licence_id!r}", licence_id=cursor[:80])
                expected = Message("a licence id from a page's link")
                raise InputError([Problem(reason, field=field, expected=expected)])
        found = licence_pages.licence_page(
            tx, search=search, after=after, before=before, limit=limit, sort=sort
        )
        return found, licence_pages.count_licences(tx, search=search)


def held_licences(db: Database, actor: User) -> list[LicenceRecord]:
    """The licences a reporting entity holds (and files for), by id."""
    require(actor, "licences.read_own")
    with db.read() as tx:
        found = store.licences.licences_by_id(tx)
    return [found[i] for i in sorted(actor.licence_ids) if i in found]
