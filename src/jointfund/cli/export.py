"""`jointfund export beancount`: the books in formats other tools read."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from jointfund.cli.options import DbOption, TokenOption, acting
from jointfund.cli.output import err
from jointfund.fund import books
from jointfund.i18n import N_
from jointfund.i18n.message import Message, localised
from jointfund.reports.beancount_text import beancount_lines

app = typer.Typer(help=N_("Export the books."), no_args_is_help=True)


@app.command("beancount")
def beancount(
    out_file: Annotated[
        Path | None, typer.Option("--out", help=N_("File to write (default stdout)"))
    ] = None,
    token: TokenOption = None,
    db: DbOption = None,
) -> None:
    """Write the whole ledger as Beancount text (bean-check accepts it, balances asserted)."""
    opened, actor = acting(token, db)
    lines = beancount_lines(books.accounts(opened, actor), books.all_entries(opened, actor))
    if out_file is None:
        for line in lines:
            sys.stdout.write(line + "\n")
        return
    with out_file.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(line + "\n")
    err.print(localised(Message("wrote {file}", file=out_file)))
