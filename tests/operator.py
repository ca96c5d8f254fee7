"""The administrator tests book as when they drive use cases directly (made on first use)."""

from __future__ import annotations

from jointfund import store
from jointfund.fund import Database
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
