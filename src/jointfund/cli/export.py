"""`jointfund export beancount`: the books in formats other tools read."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from jointfund.cli.options import DbOption, ledger
from jointfund.cli.output import err
from jointfund.ledger import PostedEntry
from jointfund.reports.beancount_text import beancount_lines
from jointfund.store import Ledger

app = typer.Typer(help="Export the books.", no_args_is_help=True)


def _all_entries(books: Ledger) -> list[PostedEntry]:
    found: list[PostedEntry] = []
    after = 0
    while page := books.journal(after_seq=after, limit=5000):
        found.extend(page)
        after = page[-1].seq
    return found


@app.command("beancount")
def beancount(
    out_file: Annotated[
        Path | None, typer.Option("--out", help="File to write (default stdout)")
    ] = None,
    db: DbOption = None,
) -> None:
    """Write the whole ledger as Beancount text (bean-check accepts it, balances asserted)."""
    books = ledger(db)
    lines = beancount_lines(books.accounts(), _all_entries(books))
    if out_file is None:
        for line in lines:
            sys.stdout.write(line + "\n")
        return
    with out_file.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(line + "\n")
    err.print(f"wrote {out_file}")
