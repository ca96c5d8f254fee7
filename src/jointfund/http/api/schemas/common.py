"""Shapes every resource shares: money, the error body, a page with its `next` link."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field

from jointfund.dates import day_or_reason
from jointfund.money import format_amount


def strict_day(value: object) -> object:
    """A day only as YYYY-MM-DD text within the books' range (not a number of seconds, not an
    ISO week): the reading every reader and command-line option uses."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError("a date must be written as YYYY-MM-DD")
    day, reason = day_or_reason(value)
    if day is None:
        raise ValueError(f"{reason} (expected YYYY-MM-DD, 1991–2100)")
    return day


Day = Annotated[date, BeforeValidator(strict_day)]
"""A date field or query parameter read strictly (see `strict_day`)."""


class MoneyOut(BaseModel):
    """An amount as exact minor units and as the decimal string people read."""

    minor: int = Field(description="Integer minor units (cents, kopiyky)")
    amount: str = Field(description="The same amount as a plain decimal string")
    currency: str


def money_fields(minor: int, currency: str) -> dict[str, Any]:
    """An amount in minor units as the fields of `MoneyOut` (for shapes validated whole)."""
    return {"minor": minor, "amount": format_amount(minor, currency), "currency": currency}


def money(minor: int, currency: str) -> MoneyOut:
    """An amount in minor units as its API shape."""
    return MoneyOut.model_validate(money_fields(minor, currency))


class ProblemOut(BaseModel):
    """One thing wrong with the input, located as precisely as the input allows."""

    message: str
    file: str | None = None
    row: int | None = None
    field: str | None = None
    expected: str | None = None


class ErrorDetail(BaseModel):
    """What went wrong: a stable code, a sentence, and every problem found."""

    code: str = Field(description="Stable machine-readable code, e.g. invalid_input")
    message: str
    problems: list[ProblemOut] = Field(default_factory=list)


class ErrorOut(BaseModel):
    """The one error body every failing response carries."""

    error: ErrorDetail


ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorOut, "description": text}
    for status, text in (
        (401, "No usable API token"),
        (403, "The caller's role may not do this"),
        (404, "Not found"),
        (409, "Conflicts with what is recorded"),
        (422, "Invalid input: every problem listed"),
        (500, "Server error"),
    )
}
"""Documented on every router so clients (and schema checks) know the error body."""
