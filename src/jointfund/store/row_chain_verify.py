"""Verifying the row chain: its links and head, and every protected table's rows against it.

`verify` relinks the chain record by record, checks each slice record's digests against its
hash, then streams each protected table in key order and names any row changed, added,
deleted or renumbered behind the books' back (writing the chain is `store.row_chain`).
"""

from __future__ import annotations

import hashlib
import struct
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import accumulate

from sqlalchemy import Connection, Table, select, tuple_

from jointfund.i18n.message import Message
from jointfund.ledger import Checkpoint, Finding
from jointfund.ledger.hashing import GENESIS_HASH
from jointfund.store.row_chain import (
    PROTECTED,
    SLICE_ITEM,
    VERSIONED,
    RowCanon,
    link_hash,
    row_head,
)
from jointfund.store.row_contents import (
    RowContent,
    python_digest,
    row_contents,
    spelled_by_database,
)
from jointfund.store.tables.chain import row_chain
from jointfund.store.tables.ledger import metadata
from jointfund.store.versions_verify import versioned_findings


def row_findings(
    conn: Connection, checkpoint: Checkpoint | None = None, page: int = 2000
) -> list[Finding]:
    """Every disagreement between the protected tables, their row chain and its head.

    The chain's own links come first, then each table's rows in primary-key order: a row
    whose content changed, a row with no record (inserted behind the books' back, or
    renumbered) and a record with no row (deleted, or renumbered).
    """
    walked = _walk_chain(conn, checkpoint, page)
    found = walked.found
    known = set(PROTECTED) | set(VERSIONED)
    unprotected = {name: n for name, n in walked.counts.items() if name not in known}
    for name, kept in walked.slices.items():
        if name not in PROTECTED:
            unprotected[name] = unprotected.get(name, 0) + sum(s.size for s in kept)
    found.extend(
        Finding(
            Message(
                "the row chain holds {n} record(s) of {name!r}, which it does not protect",
                n=n,
                name=name,
            )
        )
        for name, n in sorted(unprotected.items())
    )
    for name in PROTECTED:
        table = metadata.tables[name]
        slices = _SliceIndex(walked.slices.get(name, []))
        matched, row_found = _walk_table(conn, table, page, slices)
        found.extend(row_found)
        found.extend(slices.missing(table.name))
        if walked.counts.get(name, 0) > matched:
            found.extend(_missing_rows(conn, table, page))
    for name in VERSIONED:
        found.extend(versioned_findings(conn, metadata.tables[name], page))
    return found


@dataclass(slots=True)
class _RowSlice:
    """A slice record as verify reads it; its digests are unpacked on first use."""

    seq: int
    key: str
    blob: bytes
    first: int
    last: int
    left: dict[int, bytes] | None = None

    @property
    def size(self) -> int:
        return len(self.blob) // SLICE_ITEM.size

    def unseen(self) -> dict[int, bytes]:
        """The digests of the slice's rows not yet matched to a stored row, by id."""
        if self.left is None:
            self.left = dict(SLICE_ITEM.iter_unpack(self.blob))
        return self.left


@dataclass(slots=True)
class _ChainWalk:
    """What walking the chain found: per-row records per table, slice records, findings."""

    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    slices: dict[str, list[_RowSlice]] = field(default_factory=lambda: defaultdict(list))
    found: list[Finding] = field(default_factory=list)


def _walk_chain(conn: Connection, checkpoint: Checkpoint | None, page: int) -> _ChainWalk:
    walked = _ChainWalk()
    found = walked.found
    kept_seq, kept_hash = -1, ""
    if checkpoint is not None and checkpoint.rows_seq is not None:
        kept_seq, kept_hash = checkpoint.rows_seq, str(checkpoint.rows_hash)
        if kept_seq == 0 and kept_hash != GENESIS_HASH:
            found.append(
                Finding(Message("checkpoint of an empty row chain has a non-genesis hash"))
            )
    kept_seen = kept_seq <= 0
    expected, prev = 1, GENESIS_HASH
    c = row_chain.c
    stmt = select(c.seq, c.table_name, c.row_key, c.row_hash, c.prev_hash, c.hash, c.row_digests)
    for part in conn.execute(stmt.order_by(c.seq).execution_options(yield_per=page)).partitions():
        for seq, name, key, digest, linked_to, linked, blob in part:
            problems = []
            if seq != expected:
                problems.append(
                    Message(
                        "sequence gap, expected #{expected}",
                        expected=expected,
                    )
                )
            if linked_to != prev:
                problems.append(Message("link to the record before it broken"))
            if link_hash(linked_to, seq, name, key, digest) != linked:
                problems.append(Message("does not match its hash"))
            if blob is not None:
                problems.extend(_take_slice(walked, int(seq), name, key, digest, bytes(blob)))
            else:
                walked.counts[name] += 1
            if seq == kept_seq:
                kept_seen = True
                if linked != kept_hash:
                    problems.append(
                        Message(
                            "hash differs from the checkpoint of the close through "
                            "{value}: the row chain before it was rewritten",
                            value=checkpoint.through if checkpoint else "?",
                        )
                    )
            found.extend(record_findings(seq, name, key, problems))
            expected, prev = int(seq) + 1, linked
    if not kept_seen:
        found.append(
            Finding(
                Message(
                    "row-chain record #{kept_seq} of the checkpoint is missing",
                    kept_seq=kept_seq,
                )
            )
        )
    head = row_head(conn)
    if head != (expected - 1, prev):
        found.append(
            Finding(
                Message(
                    "row-chain head says #{head_0}, the chain ends at #{value}",
                    head_0=head[0],
                    value=expected - 1,
                )
            )
        )
    return walked


def _take_slice(
    walked: _ChainWalk, seq: int, name: str, key: str, digest: str, blob: bytes
) -> list[Message]:
    """Keep a slice record whose digests match its hash; else say what is wrong with it."""
    if len(blob) % SLICE_ITEM.size or not blob:
        return [Message("its row digests are not whole (id, digest) pairs")]
    if hashlib.sha256(blob).hexdigest() != digest:
        return [Message("its row digests do not match its hash")]
    ids = [i for (i,) in struct.iter_unpack(">q32x", blob)]
    walked.slices[name].append(_RowSlice(seq, key, blob, min(ids), max(ids)))
    return []


class _SliceIndex:
    """A table's slice records, found by row id; remembers which rows were matched.

    Rows are walked in id order, so once the walk passes a slice's last id the slice is
    done: whatever it holds unmatched is a row that was deleted or renumbered.
    """

    def __init__(self, slices: list[_RowSlice]) -> None:
        self.slices = sorted(slices, key=lambda s: s.first)
        self.firsts = [s.first for s in self.slices]
        self.reach = list(accumulate((s.last for s in self.slices), max))
        self.gone: list[tuple[int, _RowSlice]] = []
        self.done = 0
        self.at = 0  # where `take` found the last row's slice (bisect's answer for it)

    def __bool__(self) -> bool:
        return bool(self.slices)

    def take(self, row_id: int) -> tuple[_RowSlice, bytes] | None:
        """The slice holding `row_id` and the digest it holds for it, once; else None."""
        i = self.at  # rows come in id order: most fall in the slice the last one did
        firsts = self.firsts
        if i < 0 or firsts[i] > row_id or (i + 1 < len(firsts) and firsts[i + 1] <= row_id):
            i = self.at = bisect_right(firsts, row_id) - 1
        while i >= 0 and self.reach[i] >= row_id:
            held = self.slices[i]
            if held.last >= row_id:
                digest = held.unseen().pop(row_id, None)
                if digest is not None:
                    return held, digest
            i -= 1
        return None

    def passed(self, row_id: int) -> None:
        """The walk is past `row_id`: settle every slice that ends before it."""
        while self.done < len(self.slices) and self.reach[self.done] < row_id:
            self._settle(self.slices[self.done])
            self.done += 1

    def _settle(self, held: _RowSlice) -> None:
        self.gone.extend((row_id, held) for row_id in held.unseen())
        held.left = {}

    def missing(self, name: str) -> list[Finding]:
        """A finding for every row a slice holds that table `name` no longer has."""
        for held in self.slices[self.done :]:
            self._settle(held)
        self.done = len(self.slices)
        return [
            Finding(
                Message(
                    "{name} row {row_id} is missing: chained in row-chain record "
                    "#{seq} (rows {key}), then deleted or renumbered behind the "
                    "books' back",
                    name=name,
                    row_id=row_id,
                    seq=held.seq,
                    key=held.key,
                ),
                row=f"{name}:{row_id}",
            )
            for row_id, held in sorted(self.gone, key=lambda gone: gone[0])
        ]


def _walk_table(
    conn: Connection, table: Table, page: int, slices: _SliceIndex
) -> tuple[int, list[Finding]]:
    """(rows that have a record of their own, findings) for one table, streamed in key order."""
    name = table.name
    found: list[Finding] = []
    matched = 0
    sliced = bool(slices) and len(table.primary_key.columns) == 1
    recheck = spelled_by_database(conn, table)

    def differs(row: RowContent, digest: bytes) -> bool:
        """Whether the row does not give `digest`, spelled the Python way too when the
        database spelled it: a difference in spelling is never reported as an edit."""
        if row.digest == digest:
            return False
        return not recheck or row.row_id is None or python_digest(conn, table, row.row_id) != digest

    for part in row_contents(conn, table, page):
        hashed = []
        for row in part:
            hit = slices.take(row.row_id) if sliced and row.row_id is not None else None
            if hit is None:
                hashed.append(row)
                continue
            held, expected = hit
            if differs(row, expected):
                found.append(
                    Finding(
                        Message(
                            "{name} row {row_id} differs from its digest in row-chain "
                            "record #{seq} (rows {key}): edited behind the books' back",
                            name=name,
                            row_id=row.row_id,
                            seq=held.seq,
                            key=held.key,
                        ),
                        row=f"{name}:{row.row_id}",
                    )
                )
        last = part[-1].row_id if sliced and part else None
        if last is not None:  # the page's last row: slices ending before it are done
            slices.passed(last)
        if not hashed:
            continue
        chained = {
            c.row_key: (int(c.seq), c.row_hash)
            for c in conn.execute(
                select(row_chain.c.row_key, row_chain.c.seq, row_chain.c.row_hash).where(
                    row_chain.c.table_name == name,
                    row_chain.c.row_digests.is_(None),
                    row_chain.c.row_key.in_([row.key for row in hashed]),
                )
            )
        }
        for row in hashed:
            hit_record = chained.get(row.key)
            if hit_record is None:
                found.append(
                    Finding(
                        Message(
                            "{name} row {key} has no row-chain record: inserted or "
                            "renumbered behind the books' back",
                            name=name,
                            key=row.key,
                        ),
                        row=f"{name}:{row.key}",
                    )
                )
                continue
            matched += 1
            if differs(row, _digest(hit_record[1])):
                found.append(
                    Finding(
                        Message(
                            "{name} row {key} differs from row-chain record "
                            "#{hit_record_0}: edited behind the books' back",
                            name=name,
                            key=row.key,
                            hit_record_0=hit_record[0],
                        ),
                        row=f"{name}:{row.key}",
                    )
                )
    return matched, found


def _digest(hex_digest: str | None) -> bytes:
    """A per-row record's digest as bytes (a record edited to hold no hex matches no row)."""
    try:
        return bytes.fromhex(str(hex_digest))
    except ValueError:
        return b""


def _missing_rows(conn: Connection, table: Table, page: int) -> list[Finding]:
    """Per-row chain records of `table` whose row is gone (read only when counts disagree)."""
    canon, name = RowCanon(table), table.name
    pk = list(table.primary_key.columns)
    found: list[Finding] = []
    stmt = (
        select(row_chain.c.seq, row_chain.c.row_key)
        .where(row_chain.c.table_name == name, row_chain.c.row_digests.is_(None))
        .order_by(row_chain.c.seq)
    )
    for part in conn.execute(stmt.execution_options(yield_per=page)).partitions():
        wanted = {r.row_key: int(r.seq) for r in part}
        values = [canon.key_values(key) for key in wanted]
        match = pk[0].in_([v[0] for v in values]) if len(pk) == 1 else tuple_(*pk).in_(values)
        present = {canon.text(tuple(r))[0] for r in conn.execute(select(table).where(match))}
        found.extend(
            Finding(
                Message(
                    "{name} row {key} is missing: chained as record #{seq}, then "
                    "deleted or renumbered behind the books' back",
                    name=name,
                    key=key,
                    seq=seq,
                ),
                row=f"{name}:{key}",
            )
            for key, seq in wanted.items()
            if key not in present
        )
    return found


def record_findings(seq: object, name: str, key: str, problems: list[Message]) -> list[Finding]:
    """One finding per problem of a row-chain record, naming the record and the row it covers
    (the full and the incremental verify say them alike)."""
    return [
        Finding(
            Message(
                "row-chain record #{seq} ({name} {key}): {p}", seq=seq, name=name, key=key, p=p
            ),
            row=f"{name}:{key}",
        )
        for p in problems
    ]
