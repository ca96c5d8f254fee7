"""Where each role's work is: the page a user lands on after signing in (and from the brand
link or an error page), and which actions its menu may offer."""

from __future__ import annotations

from collections.abc import Callable

from jointfund.governance import PERMISSIONS, Role, User

LANDING: dict[Role, str] = {
    Role.ADMINISTRATOR: "/",
    Role.BOARD_MANAGER: "/proposals?status=open",
    Role.AUDITOR: "/ledger/verify",
    Role.REPORTING_ENTITY: "/filings",
    Role.PUBLIC: "/transparency",
}
PUBLIC_HOME = "/transparency"


def landing(user: User | None) -> str:
    """The page where `user`'s work is (the public page for nobody signed in)."""
    if user is None or not user.active:
        return PUBLIC_HOME
    return LANDING.get(user.role, PUBLIC_HOME)


def menu_check(user: User | None) -> Callable[[str], bool]:
    """A test of whether `user`'s role is granted an action, for showing only the links it
    may use (a scoped action, such as filing for one's own licences, counts as granted)."""

    def may(action: str) -> bool:
        return user is not None and user.active and user.role in PERMISSIONS.get(action, ())

    return may
