"""Answers of the hot ledger reads (balances, unfiltered journal pages) kept per process, as
the bytes sent, and exact: every answer is served only while the books are provably as they
were when it was read.

Every read of the books is a function of the chain head (the last entry's seq and hash):
entries and postings are append-only, accounts frozen, and the totals change only with new
entries. An answer is stored with the head of the snapshot it was read from, and only when
that is the head the cache is known to be at. Before each lookup the cache checks the head:
on SQLite with one `PRAGMA data_version` (no commit by anyone since the last look: nothing to
do), else by reading it. When entries were appended, only what they can change is dropped:
balances as of a date on or after the earliest appended entry (and balances now), and journal
pages that were the last page (a full page, followed by another entry, never changes). When
the chain does not continue the one seen (the books were rebuilt), everything is dropped.
"""

from __future__ import annotations

import asyncio
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date

from starlette.concurrency import run_in_threadpool

from jointfund.fund import Database, books
from jointfund.fund.books import Head, HeadChange

READ_CACHE_BYTES = 16 * 1024 * 1024
"""What one process keeps at most (oldest answers leave first)."""
READ_CACHE_ALIASES = 4096
"""How many distinct query strings are remembered with the request they parsed to."""
READ_CACHE_LARGEST = 256 * 1024
"""Answers larger than this are not kept (a 1,000-entry page is read when asked for)."""
ANY_ENTRY = date.max
"""`changes_with` of an answer that any new entry changes (balances now, the last page)."""


@dataclass(frozen=True, slots=True)
class _Answer:
    body: bytes
    changes_with: date | None
    """An appended entry dated on or before this changes the answer; None: none does."""


class ReadCache:
    """Response bodies by request, valid at `head`; `lookup` first brings `head` up to date."""

    def __init__(
        self,
        db: Database,
        max_bytes: int = READ_CACHE_BYTES,
        largest: int = READ_CACHE_LARGEST,
    ) -> None:
        self.db = db
        self.max_bytes = max_bytes
        self.largest = largest
        self.head: Head | None = None
        self._watch = books.watch(db)
        self._answers: dict[Hashable, _Answer] = {}
        self._bytes = 0
        self._aliases: dict[tuple[str, bytes], Hashable] = {}
        self._turn = asyncio.Lock()
        self._looks_begun = 0
        self._last_look_done = 0  # which look (by when it began) last finished

    async def lookup(self, key: Hashable) -> bytes | None:
        """The body stored for `key` if it is still what a read now would return."""
        if self.db.dialect == "sqlite":
            # Bounded work on a connection of its own: cheaper inline than in a thread.
            if self._watch.changed() or self.head is None:
                self._advance(self.head, self._watch.head_change(self.head))
        else:
            await self._look_after_arrival()
        found = self._answers.get(key)
        return found.body if found is not None else None

    async def _look_after_arrival(self) -> None:
        """Bring `head` up to date by a look at the books that began after the caller arrived,
        shared by every lookup waiting for one (PostgreSQL has no cheap "changed?" counter:
        a look is a transaction, and one per request queued 50 readers behind the pool).

        Looks run one at a time; a lookup notes how many had begun when it arrived, and once
        it holds the turn, a look begun after that and finished since proves the head for it
        too. So each answer is still checked against a head read after its request arrived.
        """
        ticket = self._looks_begun
        async with self._turn:
            if self._last_look_done > ticket:
                return
            self._looks_begun += 1
            look = self._looks_begun
            since = self.head
            self._advance(since, await run_in_threadpool(self._watch.head_change, since))
            self._last_look_done = look

    def alias(self, path: str, query: bytes, key: Hashable) -> None:
        """Remember that the route parsed the query string `query` of `path` to `key`."""
        if (path, query) not in self._aliases:
            if len(self._aliases) >= READ_CACHE_ALIASES:
                del self._aliases[next(iter(self._aliases))]
            self._aliases[(path, query)] = key

    async def lookup_raw(self, path: str, query: bytes) -> bytes | None:
        """`lookup` by the raw query string, for a request the route has parsed before."""
        key = self._aliases.get((path, query))
        return None if key is None else await self.lookup(key)

    def store(self, key: Hashable, read_at: Head, body: bytes, changes_with: date | None) -> None:
        """Keep `body` for `key` if it was read at the head the cache is at (else it is
        already out of date for the cache, or newer than it knows: either way not kept)."""
        if read_at != self.head or len(body) > self.largest:
            return
        self._drop(key)
        while self._answers and self._bytes + len(body) > self.max_bytes:
            self._drop(next(iter(self._answers)))
        self._answers[key] = _Answer(body, changes_with)
        self._bytes += len(body)

    def _advance(self, since: Head | None, change: HeadChange) -> None:
        """Move to `change.head`, measured from `since`, dropping what the change can alter."""
        if change.head == self.head:
            return
        if since != self.head or not change.extends:
            self.clear()  # a look that raced another, or the books rebuilt: start afresh
        elif change.earliest is not None:
            earliest = change.earliest
            for key, answer in list(self._answers.items()):
                if answer.changes_with is not None and earliest <= answer.changes_with:
                    self._drop(key)
        self.head = change.head

    def _drop(self, key: Hashable) -> None:
        gone = self._answers.pop(key, None)
        if gone is not None:
            self._bytes -= len(gone.body)

    def clear(self) -> None:
        """Forget every answer (the head is kept: the next lookup checks it again)."""
        self._answers.clear()
        self._bytes = 0

    def close(self) -> None:
        """Forget everything and give back the watch's connection."""
        self.clear()
        self.head = None
        self._watch.close()

    def __len__(self) -> int:
        return len(self._answers)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._answers
