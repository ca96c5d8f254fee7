"""What a write transaction may remember about itself: a fact that holds until it commits.

The books' lock and the row chain's head, once this transaction has taken or moved them, hold
until commit (PostgreSQL keeps row locks; no other writer can move a head it waits to lock),
so asking again is a round trip while every other writer waits. A fact learnt inside a
savepoint is not remembered (rolling it back undoes a move and releases a lock taken in it),
and a new transaction on the same connection remembers nothing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection


def remember(conn: Connection, key: str, value: Any) -> None:
    """Keep `value` for the rest of this transaction, unless inside a savepoint (then forget
    any earlier value: what the savepoint did may be rolled back)."""
    if conn.get_nested_transaction() is None:
        conn.info[key] = (conn.get_transaction(), value)
    else:
        conn.info.pop(key, None)


def recall(conn: Connection, key: str) -> Any | None:
    """The value this transaction remembered under `key`, or None."""
    kept = conn.info.get(key)
    if kept is None or kept[0] is not conn.get_transaction():
        return None
    return kept[1]
