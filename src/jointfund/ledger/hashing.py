"""Canonical JSON, the bytes of an entry, and the SHA-256 chain that makes history
tamper-evident.

There is one spelling of a JSON value (`canonical_json`: sorted keys, no spaces, UTF-8 kept
as is), and everything hashed is spelled that way. Two hot paths build the same bytes faster
for the shapes they know, each pinned to `canonical_json` by a property test: `content_text`
for a ledger entry, `canonical_row` for a flat row of a table (through orjson).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from json.encoder import encode_basestring
from typing import Any

import orjson

from jointfund.ledger.entries import Entry

GENESIS_HASH = "0" * 64


def canonical_json(value: Any, *, ascii_only: bool = False) -> str:
    """One spelling of a JSON value: sorted keys, no spaces, UTF-8 kept as is.

    Values JSON has no type for (dates, enums, Decimals) are spelled as their `str`.
    `ascii_only` escapes non-ASCII text; licence content hashes were first spelled that way,
    and stored hashes must keep matching.
    """
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=ascii_only, default=str
    )


def canonical_row(values: Sequence[Any]) -> bytes:
    """UTF-8 `canonical_json` of a flat row of text, integers, booleans and None.

    orjson spells such a row byte for byte as `canonical_json` does at a tenth of the cost;
    an integer beyond 64 bits falls back to the slow path.
    """
    try:
        return orjson.dumps(values)
    except TypeError:
        return canonical_json(list(values)).encode()


def canonical_body(entry: Entry) -> list[Any]:
    """The entry's content as plain JSON data; its canonical spelling is what gets hashed."""
    return [
        entry.key,
        entry.effective_date.isoformat(),
        entry.kind,
        entry.memo,
        entry.metadata,
        list(entry.links),
        [[p.account, p.amount, p.currency] for p in entry.postings],
    ]


def content_text(entry: Entry, metadata_json: str | None = None) -> str:
    """`canonical_json(canonical_body(entry))`, built without a generic encoder pass.

    Posting millions of entries makes this the hot path; a property test pins it to the
    slow definition above.
    """
    enc = encode_basestring
    meta = metadata_json
    if meta is None:  # an empty dict is spelled "{}" without the encoder (half of all entries)
        meta = "{}" if type(entry.metadata) is dict and not entry.metadata else None
        meta = meta or canonical_json(entry.metadata)
    links = ",".join(enc(link) for link in entry.links)
    lines = ",".join(
        f"[{enc(p.account)},{int(p.amount)},{enc(p.currency)}]" for p in entry.postings
    )
    return (
        f'[{enc(entry.key)},"{entry.effective_date.isoformat()}",{enc(entry.kind)},'
        f"{enc(entry.memo)},{meta},[{links}],[{lines}]]"
    )


def content_bytes(entry: Entry) -> bytes:
    """The bytes that identify an entry's content; equal content gives equal bytes."""
    return content_text(entry).encode()


def content_hash(entry: Entry, metadata_json: str | None = None) -> str:
    """SHA-256 of the entry's canonical bytes, used for idempotency and the chain."""
    return hashlib.sha256(content_text(entry, metadata_json).encode()).hexdigest()


def chain_hash(prev_hash: str, seq: int, booked_at: str, content: str) -> str:
    """The hash that links entry `seq` to everything before it."""
    return hashlib.sha256(f"{prev_hash}|{seq}|{booked_at}|{content}".encode()).hexdigest()
