"""The located problems a filings import reports, one builder each: a licence the registry does
not hold, a version changed or out of order, a receipt day after today or in a closed period, an
amount out of range, a reference reused for another filing."""

from __future__ import annotations

from datetime import date

from jointfund.errors import InputError, OutOfRangeError, Problem
from jointfund.fund import said
from jointfund.fund.booking import (
    FilingDecision,
)
from jointfund.governance import User, allowed
from jointfund.i18n.message import Message
from jointfund.intake.records import FilingRecord
from jointfund.store.filings import StoredFiling

Earlier = StoredFiling | FilingDecision  # an earlier version: stored, or earlier in the file


def unknown_licence(label: str, line: int, record: FilingRecord) -> Problem:
    """A filing for a licence the registry does not hold."""
    return Problem(
        Message("unknown licence {licence_id!r}", licence_id=record.licence_id),
        label,
        line,
        "licence_id",
        Message("a licence registered with `jointfund licences import`"),
    )


def changed_version(label: str, line: int, record: FilingRecord, top: int) -> Problem:
    """A stored reference and version filed again with other content."""
    return Problem(
        Message(
            "payer reference {payer_reference} version {version} was already imported with other "
            "content",
            payer_reference=record.payer_reference,
            version=record.version,
        ),
        label,
        line,
        "payer_reference",
        Message("version {version} to correct it", version=top + 1),
    )


def stale_version(label: str, line: int, record: FilingRecord, newest: int) -> Problem:
    """A version no newer than one stored or earlier in the file."""
    return Problem(
        Message(
            "version {version} is not newer than version {newest} already stored or earlier in "
            "this file",
            version=record.version,
            newest=newest,
        ),
        label,
        line,
        "version",
        Message("a version above {newest}", newest=newest),
    )


def received_later(label: str, line: int, record: FilingRecord, today: date) -> Problem:
    """A receipt dated after the day it is submitted: money not yet received is not booked."""
    return Problem(
        Message(
            "received on {received_on}, after today ({today})",
            received_on=record.received_on,
            today=today,
        ),
        label,
        line,
        "received_on",
        Message("a day no later than {today}", today=today),
    )


def in_closed_period(label: str, line: int, record: FilingRecord, closed: date) -> Problem:
    """A receipt dated inside a closed period."""
    return Problem(
        Message(
            "received on {received_on}, inside the period closed through {closed}",
            received_on=record.received_on,
            closed=closed,
        ),
        label,
        line,
        "received_on",
        Message("a date after {closed}", closed=closed),
    )


def out_of_range(
    label: str,
    items: list[tuple[int, FilingRecord]],
    booked: list[FilingDecision],
    keys: list[str | None],
    error: OutOfRangeError,
) -> InputError:
    """The refusal located at the largest filing of the entry that would overflow."""
    line_of = {id(record): line for line, record in items}
    carried = [d for d, key in zip(booked, keys, strict=True) if key == error.key]
    largest = max(carried, key=lambda d: d.filing.gross_minor, default=None)
    row = line_of.get(id(largest.filing)) if largest is not None else None
    return InputError(
        [
            Problem(
                said.reason(error),
                label,
                row,
                "gross_amount",
                Message("amounts the books can hold"),
            )
        ]
    )


def not_the_same_filing(
    label: str, line: int, record: FilingRecord, earlier: Earlier, actor: User
) -> Problem | None:
    """A correction must replace a version of the same filing (licence, period and stream),
    which the submitter may file for; anything else would reverse someone else's receipt."""
    was = _identity(earlier)
    if was[0] != record.licence_id or not allowed(actor, "filings.submit", licence_id=was[0]):
        return Problem(
            Message(
                "payer reference {payer_reference} belongs to a filing of licence {licence}; a "
                "correction keeps the licence of the version it replaces",
                payer_reference=record.payer_reference,
                licence=was[0],
            ),
            label,
            line,
            "licence_id",
            was[0],
        )
    for field_name, before, after in (
        ("period", was[1], record.period),
        ("stream", was[2], str(record.stream)),
    ):
        if before != after:
            return Problem(
                Message(
                    "payer reference {payer_reference} was filed for {field_name} {before}; a "
                    "correction keeps the {field_name} of the version it replaces",
                    payer_reference=record.payer_reference,
                    field_name=field_name,
                    before=before,
                ),
                label,
                line,
                field_name,
                before,
            )
    return None


def _identity(earlier: Earlier) -> tuple[str, str, str]:
    """(licence, period, stream) of an earlier version, stored or earlier in the file."""
    if isinstance(earlier, FilingDecision):
        f = earlier.filing
        return f.licence_id, f.period, str(f.stream)
    licence_id, period, stream = earlier.content[0], earlier.content[1], earlier.content[2]
    return str(licence_id), str(period), str(stream)
