"""Who may act: the five roles, and the user record every permission check is made against."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What a person does for the fund; each role is granted a fixed set of actions."""

    ADMINISTRATOR = "administrator"
    BOARD_MANAGER = "board_manager"
    AUDITOR = "auditor"
    REPORTING_ENTITY = "reporting_entity"
    PUBLIC = "public"


class Interface(StrEnum):
    """Where a write came from, kept in the audit log."""

    CLI = "cli"
    API = "api"
    WEB = "web"


@dataclass(frozen=True, slots=True)
class User:
    """A person or system account: a board manager sits for one partner; a reporting entity
    may submit filings only for the licences it holds."""

    id: int
    name: str
    role: Role
    partner: str | None = None
    licence_ids: tuple[str, ...] = ()
    active: bool = True

    @property
    def label(self) -> str:
        """How the user is named in messages and the audit log."""
        seat = f" ({self.partner})" if self.partner else ""
        return f"{self.name} [{self.role}{seat}]"
