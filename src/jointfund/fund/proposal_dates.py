"""The day a board decision takes effect: never after the day it is proposed or executed, and the
reinvestment lock checked at the later of the two."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from jointfund.errors import InputError, Problem
from jointfund.governance import (
    ProposalKind,
)
from jointfund.i18n.message import Message
from jointfund.terms import (
    TermSheet,
    check_distribution_allowed,
)

EFFECTIVE_ON = {
    ProposalKind.INVESTMENT: "on",
    ProposalKind.VALUATION_MARK: "on",
    ProposalKind.WRITE_DOWN: "on",
    ProposalKind.DISTRIBUTION: "on",
    ProposalKind.IN_KIND_VALUATION: "on",
    ProposalKind.ADMIT_PARTNER: "on",
    ProposalKind.BOARD_RESOLUTION: "on",
}
"""The payload field holding the day a decision takes effect (a term change may be scheduled
ahead; every other decision takes effect on a day already come)."""


def check_effective(
    kind: ProposalKind, payload: Mapping[str, Any], terms: TermSheet, today: date
) -> None:
    """Refuse a decision dated after `today` (the day it is proposed or executed), and check
    the reinvestment lock at the later of its date and `today`."""
    name = EFFECTIVE_ON.get(kind)
    value = payload.get(name) if name else None
    if not isinstance(value, str):
        return
    try:
        effective = date.fromisoformat(value)
    except ValueError:
        return  # the kind's own payload reader names the bad date
    if effective > today:
        raise InputError(
            [
                Problem(
                    Message(
                        "{name} {effective} is after today ({today}): a decision takes effect on "
                        "a day already come",
                        name=name,
                        effective=effective,
                        today=today,
                    ),
                    field=f"payload.{name}",
                    expected=Message("a day on or before {today}", today=today),
                )
            ]
        )
    if kind is ProposalKind.DISTRIBUTION:
        check_distribution_allowed(terms, max(effective, today))
