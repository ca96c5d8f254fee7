"""Committees applied to people and proposals: who sits where, which committee must recommend a
proposal, and whether the recommendations recorded for its current payload are enough.

Pure: callers pass the seatings and votes they read from the books.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from jointfund.errors import GovernanceError, NotFoundError, PermissionDeniedError
from jointfund.governance.proposals import Proposal, ProposalKind
from jointfund.governance.roles import Role, User
from jointfund.i18n.message import Message
from jointfund.terms import (
    Committee,
    Decision,
    RequiredApproval,
    Route,
    TermSheet,
    approvals_satisfied,
    counted_approvals,
)
from jointfund.terms.actions import Action

Members = Mapping[str, Mapping[str, frozenset[str]]]
"""Committee id -> partner -> the user ids seated for that partner."""


@dataclass(frozen=True, slots=True)
class Seating:
    """One change to a committee's membership: a user seated for a partner, or leaving."""

    committee: str
    user_id: int
    partner: str
    seated: bool
    at: datetime


@dataclass(frozen=True, slots=True)
class Recommendation:
    """One committee member's vote to recommend one payload of one proposal."""

    proposal_id: int
    committee: str
    user_id: int
    partner: str
    payload_hash: str
    at: datetime


@dataclass(frozen=True, slots=True)
class CommitteeStep:
    """The committee a proposal passes through, the route that sends it there, the votes that
    count for its current payload, and whether they make a recommendation."""

    committee: Committee
    route: Route
    counted: Mapping[str, frozenset[str]]
    satisfied: bool


def route_for(terms: TermSheet, kind: ProposalKind | str) -> Route | None:
    """The route a proposal of `kind` takes under `terms`, or None (straight to the board)."""
    decision = Decision(str(kind))
    for route in terms.governance.routes:
        if route.decision is decision:
            return route
    return None


def committee_named(terms: TermSheet, committee_id: str) -> Committee:
    """A committee of `terms` by id, or NotFoundError listing those it has."""
    for committee in terms.governance.committees:
        if committee.id == committee_id:
            return committee
    known = ", ".join(c.id for c in terms.governance.committees) or Message("none")
    raise NotFoundError(
        Message(
            "no committee {committee_id!r} under {terms} (committees: {known})",
            committee_id=committee_id,
            terms=terms.id,
            known=known,
        )
    )


def committee_for(terms: TermSheet, kind: ProposalKind | str) -> Committee | None:
    """Which committee must recommend a proposal of `kind` under `terms` before the board
    may approve it; None when the kind goes straight to the board."""
    route = route_for(terms, kind)
    return committee_named(terms, route.committee) if route is not None else None


def members_of(seatings: Iterable[Seating]) -> dict[str, dict[str, frozenset[str]]]:
    """Who sits on each committee now, replaying seatings in order."""
    seats: dict[str, dict[str, set[str]]] = {}
    for s in seatings:
        partner_seats = seats.setdefault(s.committee, {}).setdefault(s.partner, set())
        if s.seated:
            partner_seats.add(str(s.user_id))
        else:
            partner_seats.discard(str(s.user_id))
    return {c: {p: frozenset(ids) for p, ids in ps.items()} for c, ps in seats.items()}


def _rule(committee: Committee) -> RequiredApproval:
    spec = committee.recommendation
    return RequiredApproval(Action.OTHER, spec.rule, committee.voting_partners, spec.veto_partner)


def committee_step(
    terms: TermSheet,
    proposal: Proposal,
    members: Members,
    votes: Iterable[Recommendation],
) -> CommitteeStep | None:
    """The proposal's committee step under `terms`: only votes for its current payload hash,
    by members seated now for the partner they voted for, count, by the committee's rule."""
    route = route_for(terms, proposal.kind)
    if route is None:
        return None
    committee = committee_named(terms, route.committee)
    seated = members.get(committee.id, {})
    current = [
        (str(v.user_id), v.partner)
        for v in votes
        if v.proposal_id == proposal.id
        and v.committee == committee.id
        and v.payload_hash == proposal.payload_hash
    ]
    rule = _rule(committee)
    return CommitteeStep(
        committee,
        route,
        counted_approvals(rule, seated, current),
        approvals_satisfied(rule, seated, current),
    )


def check_seat(terms: TermSheet, committee_id: str, user: User, members: Members) -> Committee:
    """Refuse to seat anyone but an active board manager, for their own partner, on a
    committee of `terms` where that partner has a seat free."""
    committee = committee_named(terms, committee_id)
    if not user.active or user.role is not Role.BOARD_MANAGER or not user.partner:
        raise GovernanceError(
            Message("{user} is not a sitting board manager of a partner", user=user.label)
        )
    seats = committee.seats.get(user.partner, 0)
    seated = members.get(committee.id, {}).get(user.partner, frozenset())
    if str(user.id) in seated:
        raise GovernanceError(
            Message(
                "{user} already sits on the {committee}", user=user.label, committee=committee.name
            )
        )
    if len(seated) >= seats:
        raise GovernanceError(
            Message(
                "{partner} has {seats} seat(s) on the {committee} under {terms} ({ratio}, "
                "{standing}), all taken",
                partner=user.partner,
                seats=seats,
                committee=committee.name,
                terms=terms.id,
                ratio=committee.ratio,
                standing=committee.standing.value,
            )
        )
    return committee


def check_voter(
    user: User,
    committee: Committee,
    proposal: Proposal,
    members: Members,
    votes: Iterable[Recommendation],
    payload_hash: str,
) -> str:
    """The partner `user` votes for on the committee; refuse a non-member, a stale payload and
    a second vote on the same payload."""
    partner = user.partner or ""
    if str(user.id) not in members.get(committee.id, {}).get(partner, frozenset()):
        raise PermissionDeniedError(
            Message(
                "{user} does not sit on the {committee}", user=user.label, committee=committee.name
            )
        )
    if payload_hash != proposal.payload_hash:
        raise GovernanceError(
            Message(
                "proposal {proposal} was amended: the payload recommended ({recommended}…) is not "
                "the current one ({current}…); review it again",
                proposal=proposal.id,
                recommended=payload_hash[:12],
                current=proposal.payload_hash[:12],
            )
        )
    for vote in votes:
        if vote.user_id == user.id and vote.payload_hash == proposal.payload_hash:
            raise GovernanceError(
                Message(
                    "{user} has already recommended proposal {proposal} on the {committee}",
                    user=user.label,
                    proposal=proposal.id,
                    committee=committee.name,
                )
            )
    return partner
