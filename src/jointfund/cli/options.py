"""Options every command shares, and opening the books they name."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from jointfund.config import Settings
from jointfund.errors import InputError, Problem
from jointfund.store import Database, Ledger, open_database

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL or SQLite file path (default ./jointfund.db)",
        envvar="JOINTFUND_DATABASE_URL",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def database(url: str | None) -> Database:
    """Open (and migrate) the database the user named, or the configured default."""
    return open_database(url or Settings().database_url)


def ledger(url: str | None) -> Ledger:
    """The ledger on the named database."""
    return Ledger(database(url))


def parse_day(value: str | None, option: str) -> date | None:
    """A YYYY-MM-DD option value, or a clear error naming the option."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(
            [Problem(f"not a date: {value!r}", field=option, expected="YYYY-MM-DD")]
        ) from None
