"""Answers of costly reads kept with the version of the books they were read at.

Every write to the books goes through a use case that leaves an audit record, the audit log
joins the row chain, and postings move the journal chain: so the two chain heads move with
every committed change, and an answer read at the same heads is the answer the books would
give now. The version and the answer are read in one snapshot (a commit in between cannot
pair an old version with a new answer), and answers are kept per database, the newest few.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from jointfund import store
from jointfund.store import Database, Tx

_T = TypeVar("_T")
KEPT = 48
"""Answers kept per database: a position per as-of day asked, the inflow series, and the
public totals and tables per fiscal year (a few megabytes each at 20,000 licences)."""


def version_in(tx: Tx) -> str:
    """Both chain heads, read in the caller's snapshot."""
    head = store.head.chain_head(tx)
    rows_seq, rows_hash = store.row_chain.row_head(tx)
    return f"{head.seq}:{head.hash}:{rows_seq}:{rows_hash}"


class _Kept:
    def __init__(self) -> None:
        self.answers: OrderedDict[Hashable, tuple[str, Any]] = OrderedDict()
        self.lock = threading.Lock()


_BY_DATABASE: weakref.WeakKeyDictionary[Database, _Kept] = weakref.WeakKeyDictionary()
_GUARD = threading.Lock()


def kept_read(tx: Tx, db: Database, key: Hashable, read: Callable[[Tx], _T]) -> _T:
    """`read(tx)`, or the answer it gave at the same version of `db`'s books. The caller
    checks permissions first; answers must not be changed by whoever receives them."""
    version = version_in(tx)
    with _GUARD:
        kept = _BY_DATABASE.setdefault(db, _Kept())
    with kept.lock:
        hit = kept.answers.get(key)
        if hit is not None and hit[0] == version:
            kept.answers.move_to_end(key)
            answer: _T = hit[1]
            return answer
    answer = read(tx)
    with kept.lock:
        kept.answers[key] = (version, answer)
        kept.answers.move_to_end(key)
        while len(kept.answers) > KEPT:
            kept.answers.popitem(last=False)
    return answer
