"""Manual journal entries and period closes: the administrator proposes, the board approves.

Both are maker-checker actions: `propose_entries` and `propose_close` open a proposal that
executes once the board's rule (the terms' rule for decisions they do not name) is met.
Accounts the terms govern (partners' capital, in-kind offsets and the inflows the terms
credit) refuse manual postings: they move only through the use cases that apply the terms.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from jointfund import clock, store
from jointfund.errors import ConflictError, InputError, Problem
from jointfund.fund import said
from jointfund.governance import Proposal, payloads
from jointfund.i18n.message import Message
from jointfund.intake.journal_file import entries_from_values, entry_values
from jointfund.ledger import Entry
from jointfund.store import Tx
from jointfund.terms import TermSheet

GOVERNED_ROOTS = ("Equity:Capital", "Equity:InKind", "Income:Inflow")
"""Subtrees only the terms' own use cases post to."""
GOVERNED_KINDS = frozenset({"contribution", "distribution", "inflow", "inflow-correction"})
"""Entry kinds only the terms' own use cases book."""


def _governed(account: str) -> bool:
    return any(account == root or account.startswith(root + ":") for root in GOVERNED_ROOTS)


def _entries(tx: Tx, payload: Mapping[str, Any], terms: TermSheet) -> list[Entry]:
    """The payload's entries, refused with every problem found: shape, governed accounts and
    kinds, and the ledger's own rules (open accounts, currencies, closed periods)."""
    parsed = payloads.journal_entry(payload)
    entries = entries_from_values(parsed.entries, "payload.entries")
    problems = [
        Problem(
            Message(
                "{account} is governed by the terms; it moves only through its own use cases",
                account=p.account,
            ),
            row=i + 1,
            field="postings.account",
        )
        for i, e in enumerate(entries)
        for p in e.postings
        if _governed(p.account)
    ]
    problems += [
        Problem(
            Message(
                "entries of kind {kind!r} are booked only by the terms' own use cases", kind=e.kind
            ),
            row=i + 1,
            field="kind",
        )
        for i, e in enumerate(entries)
        if e.kind in GOVERNED_KINDS
    ]
    today = clock.utcnow().date()
    problems += [
        Problem(
            Message(
                "{effective_date} is after today ({today}): entries are booked on days already "
                "come",
                effective_date=e.effective_date,
                today=today,
            ),
            row=i + 1,
            field="date",
            expected=Message("a day on or before {today}", today=today),
        )
        for i, e in enumerate(entries)
        if e.effective_date > today
    ]
    known = store.accounts.accounts_by_name(tx, (p.account for e in entries for p in e.postings))
    for i, error in store.posting.rule_problems(entries, known, store.closes.closed_through(tx)):
        problems.append(Problem(said.reason(error), row=i + 1, field="postings"))
    if problems:
        raise InputError(problems)
    return entries


def validate_entries(tx: Tx, payload: Mapping[str, Any], terms: TermSheet) -> None:
    """Check a journal_entry payload when it is proposed or amended."""
    _entries(tx, payload, terms)


def execute_entries(tx: Tx, proposal: Proposal, terms: TermSheet) -> list[Entry]:
    """The approved entries, keyed under the proposal so each traces to its approvals."""
    return [
        Entry(
            key=f"proposal:{proposal.id}:{e.key}",
            effective_date=e.effective_date,
            kind=e.kind,
            postings=e.postings,
            memo=e.memo,
            metadata={**e.metadata, "proposal_id": proposal.id, "proposed_key": e.key},
            links=e.links,
        )
        for e in _entries(tx, proposal.payload, terms)
    ]


def _through(tx: Tx, payload: Mapping[str, Any]) -> date:
    through = payloads.period_close(payload).through
    today = clock.utcnow().date()
    if through >= today:
        raise InputError(
            [
                Problem(
                    Message(
                        "{through} has not ended yet: only days already past can be closed",
                        through=through,
                    ),
                    field="through",
                    expected=Message("a day before {today}", today=today),
                )
            ]
        )
    closed = store.closes.closed_through(tx)
    if closed is not None and through <= closed:
        raise ConflictError(Message("the books are already closed through {closed}", closed=closed))
    return through


def validate_close(tx: Tx, payload: Mapping[str, Any], terms: TermSheet) -> None:
    """Check a period_close payload: a day already past, after the last close."""
    _through(tx, payload)


def execute_close(tx: Tx, proposal: Proposal, terms: TermSheet) -> list[Entry]:
    """Close the books through the approved day (the checkpoint is kept with the close)."""
    store.closes.close_period(tx, _through(tx, proposal.payload))
    return []


def entries_payload(entries: Sequence[Entry]) -> dict[str, Any]:
    """The journal_entry payload proposing `entries` (amounts as decimal strings)."""
    return {"entries": [entry_values(e) for e in entries]}


def close_payload(through: date) -> dict[str, Any]:
    """The period_close payload proposing to close the books through `through`."""
    return {"through": through.isoformat()}
