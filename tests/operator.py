"""The administrator tests book as when they drive use cases directly (made on first use)."""

from __future__ import annotations

from typing import Any

from jointfund import store
from jointfund.fund import Database, committees, proposals
from jointfund.fund.setup import terms_in_force
from jointfund.fund.users import bootstrap_admin
from jointfund.governance import Role, User

OPERATOR = "operator"


def operator(db: Database) -> User:
    """An active administrator of the books: the first one stored, else a new one."""
    with db.read() as tx:
        admins = [
            u for u in store.users.list_users(tx) if u.role is Role.ADMINISTRATOR and u.active
        ]
    if admins:
        return admins[0]
    user, _ = bootstrap_admin(db, OPERATOR)
    return user


def recommend_as_committee(db: Database, proposal_id: int, **options: Any) -> None:
    """When the terms route the proposal through a committee whose recommendation is not yet
    in, seat free board managers on it (as the administrator) and have its members recommend
    the current payload, partner by partner, until the committee's rule is met."""
    terms = options.get("terms")
    now = options.get("now")
    with db.read() as tx:
        proposal = store.proposals.get_proposal(tx, proposal_id)
        sheet = terms or terms_in_force(tx)
        step = committees.committee_step(tx, sheet, proposal)
        if step is None or step.satisfied:
            return
        members = committees.sitting_members(tx)
        managers = [u for u in store.users.board_managers(tx)]
    admin = operator(db)
    seated = members.get(step.committee.id, {})
    for partner, seats in step.committee.seats.items():
        have = set(seated.get(partner, frozenset()))
        for manager in managers:
            if len(have) >= seats:
                break
            if manager.partner == partner and str(manager.id) not in have:
                committees.seat_member(
                    db, admin, step.committee.id, manager.name, terms=sheet, now=now
                )
                have.add(str(manager.id))
        for user_id in sorted(have):
            if step.counted.get(partner):
                break
            member = next(m for m in managers if str(m.id) == user_id)
            step = committees.recommend(
                db, member, proposal_id, payload_hash=proposal.payload_hash, terms=sheet, now=now
            )
            break


def approve_as_seen(
    db: Database, actor: User, proposal_id: int, **options: Any
) -> proposals.ApprovalOutcome:
    """Approve the proposal as it stands now, naming the payload hash the approver sees (as a
    manager reviewing it would); `payload_hash=` in `options` approves another one instead."""
    if "payload_hash" not in options:
        with db.read() as tx:
            options["payload_hash"] = store.proposals.get_proposal(tx, proposal_id).payload_hash
    recommend_as_committee(db, proposal_id, terms=options.get("terms"), now=options.get("now"))
    return proposals.approve(db, actor, proposal_id, **options)
