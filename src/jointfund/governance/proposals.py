"""Proposals and approvals: board decisions as records, bound to the exact payload approved."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from jointfund.bounds import MAX_DEPTH, METADATA_EXPECTED, value_problems
from jointfund.errors import GovernanceError, InputError, Problem
from jointfund.i18n.message import Message
from jointfund.ledger import canonical_json
from jointfund.terms import DECISION_ACTIONS, Action, Decision


class ProposalKind(StrEnum):
    """What a proposal decides; each kind has one executor."""

    INVESTMENT = "investment"
    IN_KIND_VALUATION = "in_kind_valuation"
    DISTRIBUTION = "distribution"
    WRITE_DOWN = "write_down"
    TERM_CHANGE = "term_change"
    ADMIT_PARTNER = "admit_partner"
    VALUATION_MARK = "valuation_mark"
    JOURNAL_ENTRY = "journal_entry"
    PERIOD_CLOSE = "period_close"
    BOARD_RESOLUTION = "board_resolution"


class ProposalStatus(StrEnum):
    """Where a proposal stands; only `open` proposals can be approved, amended or executed."""

    OPEN = "open"
    EXECUTED = "executed"
    REJECTED = "rejected"
    EXPIRED = "expired"


# Each kind's approval rule is the term-sheet action terms/committees.py maps its decision to
# (valuation marks, manual entries, period closes and board resolutions take the rule for
# `other`); a kind missing there fails here, at import.
_ACTIONS: Mapping[ProposalKind, Action] = {
    kind: DECISION_ACTIONS[Decision(kind.value)] for kind in ProposalKind
}


@dataclass(frozen=True, slots=True)
class Proposal:
    """A board decision awaiting approval; `payload_hash` is what approvals commit to."""

    id: int
    kind: ProposalKind
    payload: Mapping[str, Any]
    payload_hash: str
    status: ProposalStatus
    created_by: int
    created_at: datetime
    expires_at: datetime | None
    revision: int = 1
    executed_at: datetime | None = None
    closed_by: int | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Approval:
    """One manager's approval of one payload of one proposal, for the partner they sit for."""

    proposal_id: int
    user_id: int
    partner: str
    payload_hash: str
    approved_at: datetime


def parse_kind(value: str) -> ProposalKind:
    """A proposal kind from its name, or an InputError listing the kinds."""
    try:
        return ProposalKind(value)
    except ValueError:
        kinds = ", ".join(k.value for k in ProposalKind)
        raise InputError(
            [
                Problem(
                    Message("unknown proposal kind {value!r}", value=value),
                    field="kind",
                    expected=kinds,
                )
            ]
        ) from None


def action_for(kind: ProposalKind) -> Action:
    """The term-sheet action whose approval rule governs `kind`."""
    return _ACTIONS[kind]


# A payload holds entries that hold metadata: room for those levels above metadata's own.
PAYLOAD_DEPTH = MAX_DEPTH + 4


def canonical_payload(payload: Mapping[str, Any]) -> tuple[str, str]:
    """The payload's one canonical JSON spelling and its SHA-256, which approvals sign;
    an InputError naming every field past the bounds of free-form input."""
    found = value_problems(dict(payload), "payload", max_depth=PAYLOAD_DEPTH)
    if found:
        raise InputError(
            [Problem(message, field=field, expected=METADATA_EXPECTED) for field, message in found]
        )
    text = canonical_json(dict(payload))
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


def effective_status(proposal: Proposal, now: datetime) -> ProposalStatus:
    """The status as of `now`: an open proposal past its expiry counts as expired."""
    if (
        proposal.status is ProposalStatus.OPEN
        and proposal.expires_at is not None
        and proposal.expires_at <= now
    ):
        return ProposalStatus.EXPIRED
    return proposal.status


def check_open(proposal: Proposal, now: datetime) -> None:
    """Refuse to act on a proposal that is executed, rejected or expired."""
    status = effective_status(proposal, now)
    if status is ProposalStatus.OPEN:
        return
    if status is ProposalStatus.EXPIRED and proposal.expires_at is not None:
        raise GovernanceError(
            Message(
                "proposal {proposal} expired at {expires_at}; it can no longer be approved or "
                "executed",
                proposal=proposal.id,
                expires_at=proposal.expires_at.isoformat(),
            )
        )
    raise GovernanceError(
        Message(
            "proposal {proposal} is {status}, not open", proposal=proposal.id, status=status.value
        )
    )
