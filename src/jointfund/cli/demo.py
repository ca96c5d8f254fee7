"""`jointfund demo`: build the example fund into the configured database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jointfund.cli.options import DbOption, JsonOption, database
from jointfund.cli.output import emit_json, out
from jointfund.fund.demo import build_demo


def demo(
    force: Annotated[
        bool, typer.Option("--force", help="Replace a database that holds data")
    ] = False,
    data: Annotated[
        Path | None,
        typer.Option("--data", help="Folder of example files (default examples/us-ukraine)"),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Build the example U.S.–Ukraine fund (refuses a non-empty database without --force)."""
    opened = database(db)
    result = build_demo(opened, force=force, folder=data)
    url = opened.engine.url.render_as_string(hide_password=True)
    if as_json:
        emit_json(
            {
                "database": url,
                "terms": result.terms_id,
                "licences": result.licences,
                "filings": result.filings,
                "entries": result.entries,
            }
        )
    else:
        out.print(
            f"built the example fund in {url} under {result.terms_id}: {result.licences} licences, "
            f"{result.filings} filings, {result.entries} ledger entries"
        )
