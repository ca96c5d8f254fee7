"""The administrator tests book as when they drive use cases directly (made on first use)."""

from __future__ import annotations

from typing import Any

from jointfund import store
from jointfund.fund import Database, proposals
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


def approve_as_seen(
    db: Database, actor: User, proposal_id: int, **options: Any
) -> proposals.ApprovalOutcome:
    """Approve the proposal as it stands now, naming the payload hash the approver sees (as a
    manager reviewing it would); `payload_hash=` in `options` approves another one instead."""
    if "payload_hash" not in options:
        with db.read() as tx:
            options["payload_hash"] = store.proposals.get_proposal(tx, proposal_id).payload_hash
    return proposals.approve(db, actor, proposal_id, **options)
