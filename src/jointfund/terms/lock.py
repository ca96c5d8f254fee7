"""Reinvestment lock: no distributions until a number of years after entry into force."""

from __future__ import annotations

from datetime import date

from jointfund.errors import GovernanceError
from jointfund.i18n.message import Message
from jointfund.terms.anniversaries import add_years
from jointfund.terms.schema import TermSheet


def lock_end(terms: TermSheet) -> date | None:
    """First day distributions are allowed again, or None when the term sheet has no lock."""
    if terms.lock is None:
        return None
    return add_years(terms.entry_into_force, terms.lock.years)


def is_locked(terms: TermSheet, on: date) -> bool:
    """Tell whether the reinvestment lock forbids distributions on `on`."""
    end = lock_end(terms)
    return end is not None and on < end


def check_distribution_allowed(terms: TermSheet, on: date) -> None:
    """Raise GovernanceError naming the lock term and its end date if `on` is inside the lock."""
    end = lock_end(terms)
    if end is None or on >= end or terms.lock is None:
        return
    raise GovernanceError(
        Message(
            "distributions are not allowed on {on}: income is reinvested until {end} (lock.years "
            "= {years} in {id}, counted from entry into force on {entry_into_force})",
            on=on,
            end=end,
            years=terms.lock.years,
            id=terms.id,
            entry_into_force=terms.entry_into_force,
        )
    )
