"""Committees as use cases: seat a member, record a recommendation, list the committees.

A proposal of a kind the terms route to a committee cannot be approved by the board until that
committee's members have recommended its current payload by the committee's rule
(`committee_step`, which `fund.proposals.approve` checks). `committee_for`, `recommend` and
`record_recommendation` (inside a write already open) are what other flows (in-kind) call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jointfund import store
from jointfund.errors import GovernanceError
from jointfund.fund import door
from jointfund.fund.setup import terms_in_force
from jointfund.governance import Interface, Proposal, ProposalKind, User, board_of, check_open
from jointfund.governance.committees import (
    CommitteeStep,
    Members,
    Recommendation,
    Seating,
    check_seat,
    check_voter,
    committee_named,
    members_of,
)
from jointfund.governance.committees import committee_for as _committee_for
from jointfund.governance.committees import committee_step as _committee_step
from jointfund.governance.permissions import require
from jointfund.i18n.message import Message
from jointfund.store import Database, Tx
from jointfund.terms import Committee, GeneralPartner, ReservedMatter, Route, TermSheet
from jointfund.terms.committees import Citation


@dataclass(frozen=True, slots=True)
class CommitteeView:
    """A committee as listed: its terms (seats, standing, sources) and who sits on it now."""

    committee: Committee
    members: dict[str, tuple[User, ...]]
    routes: tuple[Route, ...]


@dataclass(frozen=True, slots=True)
class GovernanceView:
    """The governance the terms in force report: committees, general partner, reserved matters."""

    terms_id: str
    committees: tuple[CommitteeView, ...]
    general_partner: GeneralPartner | None
    reserved: tuple[ReservedMatter, ...]


def committee_for(terms: TermSheet, kind: ProposalKind | str) -> Committee | None:
    """Which committee must recommend a proposal of `kind` under `terms` (None: straight to the
    board)."""
    return _committee_for(terms, kind)


def sitting_members(conn: Tx) -> Members:
    """Who sits on each committee now: seated and still an active manager of that partner."""
    board = board_of(store.users.board_managers(conn))
    return {
        committee: {p: ids & board.get(p, frozenset()) for p, ids in seats.items()}
        for committee, seats in members_of(store.committees.seatings(conn)).items()
    }


def committee_step(
    conn: Tx, terms: TermSheet, proposal: Proposal, members: Members | None = None
) -> CommitteeStep | None:
    """A proposal's committee step as the books hold it now (read inside the caller's
    transaction), or None when its kind goes straight to the board. `members`: the sitting
    members when the caller has read them in this transaction (a list reads them once)."""
    sitting = members if members is not None else sitting_members(conn)
    return _committee_step(terms, proposal, sitting, store.committees.votes_of(conn, proposal.id))


def seat_member(
    db: Database,
    actor: User,
    committee_id: str,
    user_name: str,
    *,
    terms: TermSheet | None = None,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> Committee:
    """Seat a board manager on a committee for their partner, within its seats under the terms."""
    with door.act(db, actor, "committees.manage", interface=interface, now=now) as act:
        conn = act.tx
        sheet = terms or terms_in_force(conn)
        member = store.users.get_user(conn, name=user_name)
        committee = check_seat(sheet, committee_id, member, sitting_members(conn))
        partner = member.partner or ""
        store.committees.insert_seating(
            conn, Seating(committee.id, member.id, partner, True, act.now), by=act.user.id
        )
        act.note(
            "committees.seat",
            f"committee:{committee.id}",
            {"user": member.name, "partner": partner, "seats": committee.seats.get(partner, 0)},
        )
    return committee


def unseat_member(
    db: Database,
    actor: User,
    committee_id: str,
    user_name: str,
    *,
    terms: TermSheet | None = None,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> None:
    """Record that a member left a committee (their votes stop counting)."""
    with door.act(db, actor, "committees.manage", interface=interface, now=now) as act:
        conn = act.tx
        committee = committee_named(terms or terms_in_force(conn), committee_id)
        member = store.users.get_user(conn, name=user_name)
        seated = members_of(store.committees.seatings(conn)).get(committee.id, {})
        partner = next((p for p, ids in seated.items() if str(member.id) in ids), None)
        if partner is None:
            act.unchanged()
            return
        store.committees.insert_seating(
            conn, Seating(committee.id, member.id, partner, False, act.now), by=act.user.id
        )
        act.note("committees.unseat", f"committee:{committee.id}", {"user": member.name})


def record_recommendation(
    act: door.Act, proposal_id: int, payload_hash: str, terms: TermSheet | None = None
) -> CommitteeStep:
    """Inside an open write (`door.act`), record the acting member's recommendation of the
    proposal's current payload and note it for the audit log; the step after it."""
    conn = act.tx
    proposal = store.proposals.get_proposal(conn, proposal_id, lock=True)
    check_open(proposal, act.now)
    sheet = terms or terms_in_force(conn)
    step = committee_step(conn, sheet, proposal)
    if step is None:
        raise GovernanceError(
            Message(
                "proposal {proposal} ({kind}) goes straight to the board under {sheet}: no "
                "committee recommends it",
                proposal=proposal.id,
                kind=proposal.kind.value,
                sheet=sheet.id,
            )
        )
    given = store.committees.votes_of(conn, proposal.id)
    partner = check_voter(
        act.user, step.committee, proposal, sitting_members(conn), given, payload_hash
    )
    vote = Recommendation(
        proposal.id, step.committee.id, act.user.id, partner, proposal.payload_hash, act.now
    )
    store.committees.insert_vote(conn, vote)
    after = committee_step(conn, sheet, proposal)
    assert after is not None
    act.note(
        "committees.recommend",
        f"proposal:{proposal.id}",
        {
            "committee": step.committee.id,
            "partner": partner,
            "payload_hash": proposal.payload_hash,
            "satisfied": after.satisfied,
        },
    )
    return after


def recommend(
    db: Database,
    actor: User,
    proposal_id: int,
    *,
    payload_hash: str,
    terms: TermSheet | None = None,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> CommitteeStep:
    """Record a committee member's recommendation of a proposal's current payload to the board;
    returns the step after it (satisfied once the committee's rule is met)."""
    with door.act(db, actor, "committees.recommend", interface=interface, now=now) as act:
        return record_recommendation(act, proposal_id, payload_hash, terms)


def governance(db: Database, actor: User, *, terms: TermSheet | None = None) -> GovernanceView:
    """The committees of the terms in force with their members, the general partner and the
    reserved matters, each with its sources and standing."""
    require(actor, "committees.read")
    with db.read() as conn:
        sheet = terms or terms_in_force(conn)
        members = sitting_members(conn)
        users = {u.id: u for u in store.users.list_users(conn)}
    rules = sheet.governance
    views: list[CommitteeView] = []
    for committee in rules.committees:
        seated = members.get(committee.id, {})
        views.append(
            CommitteeView(
                committee,
                {
                    p: tuple(sorted((users[int(i)] for i in seated.get(p, ())), key=_by_name))
                    for p in committee.seats
                },
                tuple(r for r in rules.routes if r.committee == committee.id),
            )
        )
    return GovernanceView(sheet.id, tuple(views), rules.general_partner, rules.reserved)


def _by_name(user: User) -> str:
    return user.name


__all__ = [
    "CommitteeView",
    "GovernanceView",
    "committee_for",
    "committee_step",
    "governance",
    "governance_dict",
    "recommend",
    "record_recommendation",
    "seat_member",
    "step_dict",
    "unseat_member",
]


def _citations(sources: tuple[Citation, ...]) -> list[dict[str, str]]:
    return [{"url": c.url, "note": c.note} for c in sources]


def step_dict(step: CommitteeStep | None) -> dict[str, Any] | None:
    """A proposal's committee step as JSON: the committee, its rule, the votes that count for
    the current payload per partner, and whether it has recommended."""
    if step is None:
        return None
    return {
        "committee": step.committee.id,
        "name": step.committee.name,
        "rule": step.committee.recommendation.rule.value,
        "route_standing": step.route.standing.value,
        "recommended_by": {p: sorted(ids) for p, ids in step.counted.items()},
        "recommended": step.satisfied,
    }


def governance_dict(view: GovernanceView) -> dict[str, Any]:
    """The governance view as the one JSON shape the CLI, the API and the page share."""
    gp = view.general_partner
    return {
        "terms_id": view.terms_id,
        "general_partner": None
        if gp is None
        else {
            "name": gp.name,
            "name_uk": gp.name_uk,
            "acts_for": gp.acts_for,
            "jurisdiction": gp.jurisdiction,
            "standing": gp.standing.value,
            "sources": _citations(gp.sources),
        },
        "committees": [
            {
                "id": c.committee.id,
                "name": c.committee.name,
                "name_uk": c.committee.name_uk,
                "seats": dict(c.committee.seats),
                "ratio": c.committee.ratio,
                "standing": c.committee.standing.value,
                "note": c.committee.note,
                "rule": c.committee.recommendation.rule.value,
                "rule_standing": c.committee.recommendation_standing.value,
                "sources": _citations(c.committee.sources),
                "members": {p: [u.name for u in users] for p, users in c.members.items()},
                "routes": [
                    {
                        "decision": r.decision.value,
                        "standing": r.standing.value,
                        "source": r.source,
                        "note": r.note,
                    }
                    for r in c.routes
                ],
            }
            for c in view.committees
        ],
        "reserved": [
            {
                "id": m.id,
                "what": m.what,
                "what_uk": m.what_uk,
                "decisions": [d.value for d in m.decisions],
                "reserved_to": m.reserved_to.value,
                "partner": m.partner,
                "standing": m.standing.value,
                "sources": _citations(m.sources),
            }
            for m in view.reserved
        ],
    }
