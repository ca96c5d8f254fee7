"""Recompute the chain and every balance from the journal and say where the books disagree."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from jointfund.i18n.message import Message
from jointfund.ledger.entries import PostedEntry, entry_problems, plainly_valid
from jointfund.ledger.hashing import GENESIS_HASH, chain_hash, content_hash

BalanceKey = tuple[str, str]  # (account, currency)


@dataclass(frozen=True, slots=True)
class Finding:
    """One disagreement: which entry, account or table row (`table:key`) and what differs.

    A row finding's `what` names its table and key too, for readers that show only `what`.
    """

    what: str
    seq: int | None = None
    key: str | None = None
    account: str | None = None
    row: str | None = None

    def __str__(self) -> str:
        where = f"entry #{self.seq} ({self.key})" if self.seq is not None else self.account or ""
        return f"{where}: {self.what}" if where else self.what

    def said(self) -> Message:
        """The finding as a catalogue message (the same English as `str`), for adapters that
        say it in the reader's language."""
        if self.seq is not None:
            where: str = Message("entry #{seq} ({key})", seq=self.seq, key=self.key)
        else:
            where = self.account or ""
        if not where:
            return Message("{what}", what=self.what)
        return Message("{where}: {what}", where=where, what=self.what)


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """The verdict of `verify`: counts checked and every finding, the first bad one first."""

    entries: int
    postings: int
    last_seq: int
    last_hash: str
    findings: tuple[Finding, ...] = ()
    balances: Mapping[BalanceKey, int] = field(default_factory=dict)
    # None for a full verify; else the entry a verify from a checkpoint started after (the
    # counts above are then of what followed it).
    since_seq: int | None = None

    @property
    def ok(self) -> bool:
        """True when chain, content and balances all agree."""
        return not self.findings

    @property
    def first_bad(self) -> Finding | None:
        """The earliest finding, the one an auditor looks at first."""
        return self.findings[0] if self.findings else None


class JournalReplay:
    """Feeds stored entries in order and accumulates chain and balance findings."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.balances: dict[BalanceKey, int] = defaultdict(int)
        self.day_totals: dict[tuple[str, date], int] = defaultdict(int)
        self.expected_seq = 1
        self.prev_hash = GENESIS_HASH
        self.entries = 0
        self.postings = 0

    def feed(self, stored: PostedEntry) -> None:
        """Check one entry against its predecessor and apply its postings."""
        entry = stored.entry
        self.entries += 1
        if stored.seq != self.expected_seq:
            self._find(
                stored,
                Message(
                    "sequence gap: expected #{expected_seq}, found #{seq}",
                    expected_seq=self.expected_seq,
                    seq=stored.seq,
                ),
            )
        if stored.prev_hash != self.prev_hash:
            self._find(stored, Message("previous-hash link does not match the entry before it"))
        recomputed = content_hash(entry)
        if chain_hash(stored.prev_hash, stored.seq, stored.booked_at, recomputed) != stored.hash:
            self._find(stored, Message("content or link does not match the entry's chain hash"))
        if not plainly_valid(entry):  # the common entry is judged cheaply, with the same verdict
            for _, message in entry_problems(entry):
                self._find(stored, message)
        for posting in entry.postings:
            self.postings += 1
            self.balances[(posting.account, posting.currency)] += posting.amount
            self.day_totals[(posting.account, entry.effective_date)] += posting.amount
        self.expected_seq = stored.seq + 1
        self.prev_hash = stored.hash

    def compare_balances(
        self,
        stored: Mapping[BalanceKey, int],
        stored_days: Mapping[tuple[str, date], int],
    ) -> None:
        """Compare the replayed balances with the materialised ones, account by account."""
        for key in sorted(set(self.balances) | set(stored)):
            want, have = self.balances.get(key, 0), stored.get(key, 0)
            if want != have:
                self.findings.append(
                    Finding(
                        Message(
                            "stored balance {have} {key_1} differs from journal total {want}",
                            have=have,
                            key_1=key[1],
                            want=want,
                        ),
                        account=key[0],
                    )
                )
        for day_key in sorted(set(self.day_totals) | set(stored_days)):
            want, have = self.day_totals.get(day_key, 0), stored_days.get(day_key, 0)
            if want != have:
                self.findings.append(
                    Finding(
                        Message(
                            "stored total for {day_key_1} is {have}, journal says {want}",
                            day_key_1=day_key[1],
                            have=have,
                            want=want,
                        ),
                        account=day_key[0],
                    )
                )

    def report(self) -> VerifyReport:
        """The verdict so far."""
        return VerifyReport(
            entries=self.entries,
            postings=self.postings,
            last_seq=self.expected_seq - 1,
            last_hash=self.prev_hash,
            findings=tuple(self.findings),
            balances=dict(self.balances),
        )

    def _find(self, stored: PostedEntry, what: str) -> None:
        self.findings.append(Finding(what, seq=stored.seq, key=stored.entry.key))


def replay(journal: Iterable[PostedEntry]) -> VerifyReport:
    """Replay a journal on its own (no stored balances to compare)."""
    state = JournalReplay()
    for stored in journal:
        state.feed(stored)
    return state.report()
