"""Canonical bytes of an entry and the SHA-256 chain that makes history tamper-evident."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from jointfund.ledger.entries import Entry

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    """One spelling of a JSON value: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_bytes(entry: Entry) -> bytes:
    """The bytes that identify an entry's content; equal content gives equal bytes."""
    body = [
        entry.key,
        entry.effective_date.isoformat(),
        entry.kind,
        entry.memo,
        entry.metadata,
        list(entry.links),
        [[p.account, p.amount, p.currency] for p in entry.postings],
    ]
    return canonical_json(body).encode()


def content_hash(entry: Entry) -> str:
    """SHA-256 of the entry's canonical bytes, used for idempotency and the chain."""
    return hashlib.sha256(content_bytes(entry)).hexdigest()


def chain_hash(prev_hash: str, seq: int, booked_at: str, content: str) -> str:
    """The hash that links entry `seq` to everything before it."""
    return hashlib.sha256(f"{prev_hash}|{seq}|{booked_at}|{content}".encode()).hexdigest()
