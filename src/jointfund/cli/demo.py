"""`jointfund demo`: build the example fund into the configured database."""

from __future__ import annotations

from typing import Annotated

import typer

from jointfund.cli.options import DbOption, JsonOption, database
from jointfund.cli.output import emit_json, out
from jointfund.fund.demo import build_demo


def demo(
    force: Annotated[
        bool, typer.Option("--force", help="Replace a database that holds data")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Build the example U.S.–Ukraine fund (refuses a non-empty database without --force)."""
    opened = database(db)
    result = build_demo(opened, force=force)
    url = opened.engine.url.render_as_string(hide_password=True)
    if as_json:
        emit_json({"database": url, "accounts": result.accounts, "entries": result.entries})
    else:
        out.print(
            f"built the demo fund in {url}: {result.accounts} accounts, {result.entries} entries"
        )
