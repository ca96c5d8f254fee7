"""`jointfund accounts list|open|close`."""

from __future__ import annotations

from typing import Annotated

import typer

from jointfund.cli.options import DbOption, JsonOption, TokenOption, acting, parse_day
from jointfund.cli.output import code_words, emit_json, out, table
from jointfund.fund import accounts, books
from jointfund.i18n import N_
from jointfund.i18n.message import Message, localised
from jointfund.ledger import Account

app = typer.Typer(help=N_("List, open and close accounts."), no_args_is_help=True)


@app.command("list")
def list_accounts(
    token: TokenOption = None, db: DbOption = None, as_json: JsonOption = False
) -> None:
    """Every account with its type, currency, partner and flags."""
    opened, actor = acting(token, db)
    found = books.accounts(opened, actor)
    if as_json:
        emit_json(
            [
                {
                    "name": a.name,
                    "type": a.type.value,
                    "currency": a.currency,
                    "partner": a.partner,
                    "non_negative": a.non_negative,
                    "opened_on": a.opened_on.isoformat(),
                    "closed_on": a.closed_on.isoformat() if a.closed_on else None,
                }
                for a in found
            ]
        )
        return
    table(
        "Accounts",
        ["name", "type", "currency", "partner", "flags", "opened", "closed"],
        [
            (
                a.name,
                code_words(a.type.value),
                a.currency,
                a.partner or "",
                code_words("non-negative") if a.non_negative else "",
                a.opened_on.isoformat(),
                a.closed_on.isoformat() if a.closed_on else "",
            )
            for a in found
        ],
    )


@app.command("open")
def open_account(
    name: Annotated[str, typer.Argument(help=N_("e.g. Assets:Cash:USD"))],
    currency: Annotated[str, typer.Option("--currency", help=N_("ISO 4217 code"))],
    opened_on: Annotated[str, typer.Option("--on", help=N_("YYYY-MM-DD"))],
    partner: Annotated[str | None, typer.Option("--partner")] = None,
    non_negative: Annotated[
        bool, typer.Option("--non-negative", help=N_("Refuse postings that take it below zero"))
    ] = False,
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Open an account (doing it again with the same attributes changes nothing)."""
    day = parse_day(opened_on, "--on")
    assert day is not None
    books_db, actor = acting(token, db)
    created = accounts.open_account(
        books_db, actor, Account(name, currency, day, partner=partner, non_negative=non_negative)
    )
    if as_json:
        emit_json({"account": name, "created": created})
    else:
        said = (
            Message("opened {name}", name=name)
            if created
            else Message("already open: {name}", name=name)
        )
        out.print(localised(said))


@app.command("close")
def close_account(
    name: Annotated[str, typer.Argument()],
    on: Annotated[str, typer.Option("--on", help=N_("YYYY-MM-DD"))],
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Close an account whose balance is zero."""
    day = parse_day(on, "--on")
    assert day is not None
    opened, actor = acting(token, db)
    accounts.close_account(opened, actor, name, day)
    if as_json:
        emit_json({"account": name, "closed_on": on})
    else:
        out.print(localised(Message("closed {name} on {on}", name=name, on=on)))
