"""The one clock: the current moment, and the fixed-width UTC text the books keep it as.

Stored timestamps are ISO-8601 UTC strings with microseconds: they sort and compare the same
on SQLite and PostgreSQL, and hash one way.
"""

from __future__ import annotations

from datetime import UTC, datetime

_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def utcnow() -> datetime:
    """The current moment, timezone-aware."""
    return datetime.now(UTC)


def stamp(moment: datetime) -> str:
    """A timezone-aware moment as the fixed-width UTC text the tables keep."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return moment.astimezone(UTC).strftime(_FORMAT)


def stamp_now() -> str:
    """The current moment as stored text (a booking or an import's timestamp)."""
    return stamp(utcnow())


def unstamp(text: str) -> datetime:
    """The moment a stored timestamp names."""
    return datetime.strptime(text, _FORMAT).replace(tzinfo=UTC)


def unstamp_optional(text: str | None) -> datetime | None:
    """`unstamp`, keeping None for a moment not (yet) recorded."""
    return None if text is None else unstamp(text)
