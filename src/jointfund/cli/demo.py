"""`jointfund demo`: build the example fund into the configured database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jointfund.cli.options import DbOption, JsonOption, database
from jointfund.cli.output import emit_json, out
from jointfund.config import Settings
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
    result = build_demo(opened, force=force, folder=data, runs_dir=Settings().runs_dir)
    url = opened.engine.url.render_as_string(hide_password=True)
    if as_json:
        emit_json(
            {
                "database": url,
                "terms": result.terms_id,
                "licences": result.licences,
                "filings": result.filings,
                "entries": result.entries,
                "forecast_run": str(result.forecast_run) if result.forecast_run else None,
                "logins": [
                    {"name": x.name, "role": x.role, "partner": x.partner, "token": x.token}
                    for x in result.logins
                ],
            }
        )
    else:
        out.print(
            f"built the example fund in {url} under {result.terms_id}: {result.licences} licences, "
            f"{result.filings} filings, {result.entries} ledger entries; forecast saved in "
            f"{result.forecast_run}"
        )
        out.print("demo logins (sign in with name and token; tokens are shown only now):")
        for x in result.logins:
            seat = f" for {x.partner}" if x.partner else ""
            out.print(f"  {x.name:<14} {x.role + seat:<22} {x.token}", markup=False)
