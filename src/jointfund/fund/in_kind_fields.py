"""Checks of the fields of an in-kind cost report or valuation: positive amounts, days within
range, required short texts."""

from __future__ import annotations

from datetime import date, datetime

from jointfund import dates
from jointfund.errors import InputError, Problem
from jointfund.i18n.message import Message


def positive(value: object) -> bool:
    """A whole number of minor units above zero (not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def day_problems(day: date, field: str, now: datetime, not_before: date | None) -> list[Problem]:
    """A day in the books' range, not in the future, and not before `not_before`."""
    try:
        dates.check_day(day, field=field, not_after=now.date())
    except InputError as exc:
        return list(exc.problems)
    if not_before is not None and day < not_before:
        return [
            Problem(
                Message("{day} is before {not_before}", day=day, not_before=not_before),
                field=field,
                expected=Message(">= {day}", day=not_before),
            )
        ]
    return []


def required_text(value: str, field: str, problems: list[Problem], limit: int = 200) -> str:
    """The text stripped; a problem added when it is empty or longer than `limit`."""
    text = value.strip()
    if not text:
        problems.append(Problem(Message("required text is missing"), field=field))
    elif len(text) > limit:
        problems.append(
            Problem(Message("longer than {limit} characters", limit=limit), field=field)
        )
    return text
