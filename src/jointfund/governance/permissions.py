"""The permission table: every service action and the roles allowed to perform it."""

from __future__ import annotations

from collections.abc import Mapping

from jointfund.errors import PermissionDeniedError
from jointfund.governance.roles import Role, User
from jointfund.i18n.message import Message

_ADMIN = Role.ADMINISTRATOR
_BOARD = Role.BOARD_MANAGER
_AUDIT = Role.AUDITOR
_FILER = Role.REPORTING_ENTITY
_PUBLIC = Role.PUBLIC
_INSIDERS = frozenset({_ADMIN, _BOARD, _AUDIT})

# Administrators run the books but do not sit on the board, so they cannot approve; board
# managers decide but do not book; auditors read everything and write nothing.
PERMISSIONS: Mapping[str, frozenset[Role]] = {
    "fund.setup": frozenset({_ADMIN}),
    "ledger.read": _INSIDERS,
    "ledger.post": frozenset({_ADMIN}),
    "ledger.close": frozenset({_ADMIN}),
    "ledger.verify": _INSIDERS,
    "books.backup": frozenset({_ADMIN, _AUDIT}),
    "licences.read": _INSIDERS,
    "licences.read_own": frozenset({_FILER}),
    "licences.import": frozenset({_ADMIN}),
    "fx.import": frozenset({_ADMIN}),
    "receipts.import": frozenset({_ADMIN}),
    "receipts.read": _INSIDERS,
    "filings.read": _INSIDERS,
    "filings.read_own": frozenset({_FILER}),
    "filings.submit": frozenset({_ADMIN, _FILER}),
    "contributions.read": _INSIDERS,
    "contributions.record": frozenset({_ADMIN}),
    "investments.read": _INSIDERS,
    "investments.record": frozenset({_ADMIN}),
    "proposals.read": _INSIDERS,
    "proposals.create": frozenset({_ADMIN, _BOARD}),
    "proposals.approve": frozenset({_BOARD}),
    "committees.read": _INSIDERS,
    "committees.manage": frozenset({_ADMIN}),
    "committees.recommend": frozenset({_BOARD}),
    "capital.read": _INSIDERS,
    "metrics.read": _INSIDERS,
    "statements.read": _INSIDERS,
    "forecast.run": _INSIDERS,
    "users.read": _INSIDERS,
    "users.manage": frozenset({_ADMIN}),
    "tokens.revoke": frozenset(Role),
    "sessions.use": frozenset(Role),
    "reports.produce": _INSIDERS,
    "audit.read": frozenset({_ADMIN, _AUDIT}),
    "transparency.read": frozenset(Role),
}

# Actions a reporting entity may take only for a licence it holds (`*.read_own` are scoped to
# its licences by the use cases that serve them: fund.licences.held_licences, fund.filings.
# own_filings_by_period).
LICENCE_SCOPED = frozenset({"filings.submit"})


def allowed(user: User, action: str, *, licence_id: str | None = None) -> bool:
    """Tell whether `user` may perform `action` (for `licence_id`, when the action is scoped)."""
    roles = PERMISSIONS.get(action)
    if roles is None or not user.active or user.role not in roles:
        return False
    if action in LICENCE_SCOPED and user.role is Role.REPORTING_ENTITY:
        return licence_id is not None and licence_id in user.licence_ids
    return True


def require(user: User, action: str, *, licence_id: str | None = None) -> None:
    """Raise PermissionDeniedError unless `user` may perform `action`."""
    if action not in PERMISSIONS:
        raise PermissionDeniedError(
            Message("unknown action {action!r}: nobody may perform it", action=action)
        )
    if allowed(user, action, licence_id=licence_id):
        return
    if not user.active:
        raise PermissionDeniedError(Message("{user} is deactivated", user=user.label))
    if user.role in PERMISSIONS[action] and action in LICENCE_SCOPED:
        raise PermissionDeniedError(
            Message(
                "{user} may {action} only for its own licences ({licences}), not {licence_id!r}",
                user=user.label,
                action=action,
                licences=", ".join(user.licence_ids) or Message("none"),
                licence_id=licence_id,
            )
        )
    roles = ", ".join(sorted(PERMISSIONS[action]))
    raise PermissionDeniedError(
        Message(
            "{user} may not {action} (allowed: {roles})",
            user=user.label,
            action=action,
            roles=roles,
        )
    )
