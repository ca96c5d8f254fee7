"""Options every command shares, opening the books they name, and who is acting."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from jointfund import dates
from jointfund.config import Settings
from jointfund.errors import AuthenticationError, InputError, Problem
from jointfund.fund import Database, open_books
from jointfund.fund.users import authenticate
from jointfund.governance import User
from jointfund.i18n import N_
from jointfund.i18n.message import Message
from jointfund.money import AmountError, parse_amount

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help=N_("Database URL or SQLite file path (default ./jointfund.db)"),
        envvar="JOINTFUND_DATABASE_URL",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help=N_("Print machine-readable JSON."))]
TokenOption = Annotated[
    str | None,
    typer.Option(
        "--token",
        envvar="JOINTFUND_TOKEN",
        help=N_("Your API token; prefer setting JOINTFUND_TOKEN (a --token shows in `ps`)"),
        show_default=False,
    ),
]


def database(url: str | None) -> Database:
    """Open (and migrate) the database the user named, or the configured default."""
    return open_books(url or Settings().database_url)


def acting(token: str | None, db: str | None) -> tuple[Database, User]:
    """Open the books and identify the caller by API token (every command on the books needs
    one, as the API and the pages do)."""
    if not token or not token.strip():
        raise AuthenticationError(
            Message(
                "no API token: set JOINTFUND_TOKEN (or pass --token); "
                "`jointfund demo` writes the demo logins to a file it names"
            )
        )
    opened = database(db)
    return opened, authenticate(opened, token)


def parse_day(value: str | None, option: str) -> date | None:
    """A YYYY-MM-DD option value, or a clear error naming the option."""
    if value is None:
        return None
    return dates.parse_day(value, field=option)


def required_day(value: str, option: str) -> date:
    """A YYYY-MM-DD value of an option the command requires."""
    day = parse_day(value, option)
    assert day is not None
    return day


def parse_minor(text: str, currency: str, option: str, expected: Message) -> int:
    """A positive amount in `currency` as minor units, or an error naming the option (or field)
    and what is `expected`."""
    try:
        return parse_amount(text, currency, allow_negative=False)
    except AmountError as exc:
        raise InputError(
            [Problem(exc.problems[0].message, field=option, expected=expected)]
        ) from None
