"""Whole-year date arithmetic shared by the lock term and annual compounding."""

from __future__ import annotations

from datetime import date


def add_years(start: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def years_completed(anchor: date, on: date) -> int:
    """How many whole anniversaries of `anchor` have passed on `on` (0 before the first one)."""
    if on < anchor:
        return 0
    years = on.year - anchor.year
    return years if add_years(anchor, years) <= on else years - 1
