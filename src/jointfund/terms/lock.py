"""Reinvestment lock: no distributions until a number of years after entry into force."""

from __future__ import annotations

from datetime import date

from jointfund.errors import GovernanceError
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
        f"distributions are not allowed on {on.isoformat()}: income is reinvested until "
        f"{end.isoformat()} (lock.years = {terms.lock.years} in {terms.id}, counted from "
        f"entry into force on {terms.entry_into_force.isoformat()})"
    )
