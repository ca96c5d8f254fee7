"""The licence register: licences by id, registered or updated by import."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, select

from jointfund.clock import stamp_now as booked_now
from jointfund.i18n.message import Message
from jointfund.intake.records import LicenceRecord
from jointfund.ledger.hashing import canonical_json
from jointfund.store.row_chain import bump_version, chain_stored
from jointfund.store.row_chain_checks import raise_unchained, unchained_rows
from jointfund.store.tables.registry import filings, licences


def _licence_values(record: LicenceRecord) -> dict[str, Any]:
    return {
        "licence_id": record.licence_id,
        "holder": record.holder,
        "holder_registry_id": record.holder_registry_id,
        "deposit": record.deposit,
        "resources": json.dumps(list(record.resources)),
        "oblast": record.oblast,
        "instrument": record.instrument,
        "issued_on": record.issued_on,
        "status": record.status,
        "is_new": record.is_new,
        "territory": record.territory,
    }


def _content_hash(values: dict[str, Any]) -> str:
    text = canonical_json(values, ascii_only=True)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class UpsertCounts:
    """How many records an import created, changed, or found unchanged."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


def upsert_licences(conn: Connection, records: Sequence[LicenceRecord]) -> UpsertCounts:
    """Register licences; identical re-imports change nothing, changed ones are updated."""
    existing = {
        r.licence_id: r.content_hash
        for r in conn.execute(select(licences.c.licence_id, licences.c.content_hash))
    }
    now = booked_now()
    created = updated = 0
    fresh: list[dict[str, Any]] = []
    for record in records:
        values = _licence_values(record)
        digest = _content_hash(values)
        if record.licence_id not in existing:
            fresh.append({**values, "content_hash": digest, "updated_at": now})
            created += 1
        elif existing[record.licence_id] != digest:
            bump_version(
                conn,
                licences,
                licences.c.licence_id == record.licence_id,
                **values,
                content_hash=digest,
                updated_at=now,
            )
            updated += 1
    if fresh:
        conn.execute(licences.insert(), fresh)
        ids = [row["licence_id"] for row in fresh]
        for start in range(0, len(ids), 500):
            chain_stored(conn, licences, licences.c.licence_id.in_(ids[start : start + 500]))
    return UpsertCounts(created, updated, len(records) - created - updated)


CLASSIFYING = ("issued_on", "is_new", "resources", "instrument")
"""What decides whether a licence's receipts reach the fund under the terms."""


def reclassified_with_filings(conn: Connection, records: Sequence[LicenceRecord]) -> dict[str, str]:
    """Licences in `records` that already have filings and whose classifying fields would
    change, with what changes (a reclassification moves future receipts between the fund and
    the budget, so it is not an import's to make)."""
    wanted = {r.licence_id: r for r in records}
    if not wanted:
        return {}
    found: dict[str, str] = {}
    ids = sorted(wanted)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        filed = set(
            conn.execute(
                select(filings.c.licence_id).where(filings.c.licence_id.in_(chunk)).distinct()
            ).scalars()
        )
        for row in conn.execute(select(licences).where(licences.c.licence_id.in_(filed))):
            new = _licence_values(wanted[row.licence_id])
            old = licence_from_row(row)
            old_values = _licence_values(old)
            changed = [f for f in CLASSIFYING if old_values[f] != new[f]]
            if changed:
                found[row.licence_id] = ", ".join(
                    f"{f} {old_values[f]} -> {new[f]}" for f in changed
                )
    return found


def licence_from_row(row: Row[Any]) -> LicenceRecord:
    """The registry row as the intake record."""
    return LicenceRecord(
        licence_id=row.licence_id,
        holder=row.holder,
        holder_registry_id=row.holder_registry_id,
        deposit=row.deposit,
        resources=tuple(json.loads(row.resources)),
        oblast=row.oblast,
        instrument=row.instrument,
        issued_on=row.issued_on,
        status=row.status,
        is_new=row.is_new,
        territory=row.territory,
    )


def licences_by_id(
    conn: Connection, ids: Iterable[str] | None = None, *, checked: bool = False
) -> dict[str, LicenceRecord]:
    """Licences by id (all of them when `ids` is None); `checked` refuses (IntegrityError) a
    licence that is not its newest chained version, for a decision that depends on it."""
    stmt = select(licences)
    if ids is not None:
        wanted = sorted(set(ids))
        found: dict[str, LicenceRecord] = {}
        for start in range(0, len(wanted), 500):
            rows = conn.execute(
                stmt.where(licences.c.licence_id.in_(wanted[start : start + 500]))
            ).all()
            if checked and (bad := unchained_rows(conn, licences, [tuple(r) for r in rows])):
                first = bad[0][list(licences.columns).index(licences.c.licence_id)]
                raise_unchained(Message("licence {licence_id}", licence_id=first))
            for r in rows:
                found[r.licence_id] = licence_from_row(r)
        return found
    return {
        r.licence_id: licence_from_row(r)
        for r in conn.execute(stmt.order_by(licences.c.licence_id))
    }
