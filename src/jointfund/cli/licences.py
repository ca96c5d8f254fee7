"""`jointfund licences ...`: registering and listing licences."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jointfund.cli.options import DbOption, JsonOption, TokenOption, acting
from jointfund.cli.output import emit_json, out, table
from jointfund.cli.progress import row_progress
from jointfund.fund import licences
from jointfund.i18n import N_
from jointfund.i18n.message import Message, localised

app = typer.Typer(help=N_("Register and list licences."), no_args_is_help=True)
FileArg = Annotated[Path, typer.Argument(help=N_("CSV or JSON file"))]


@app.command("import")
def licences_import(
    file: FileArg, token: TokenOption = None, db: DbOption = None, as_json: JsonOption = False
) -> None:
    """Register licences from a file: all rows, or none and every problem."""
    opened, actor = acting(token, db)
    with row_progress("licences", enabled=not as_json) as progress:
        counts = licences.import_licences(opened, actor, file, progress=progress)
    result = {"created": counts.created, "updated": counts.updated, "unchanged": counts.unchanged}
    if as_json:
        emit_json(result)
    else:
        said = Message(
            "licences: {created} new, {updated} updated, {unchanged} unchanged",
            created=counts.created,
            updated=counts.updated,
            unchanged=counts.unchanged,
        )
        out.print(localised(said))


@app.command("list")
def licences_list(
    token: TokenOption = None, db: DbOption = None, as_json: JsonOption = False
) -> None:
    """Every registered licence."""
    opened, actor = acting(token, db)
    found = licences.list_licences(opened, actor)
    if as_json:
        emit_json(
            [
                {
                    "licence_id": r.licence_id,
                    "holder": r.holder,
                    "deposit": r.deposit,
                    "resources": list(r.resources),
                    "oblast": r.oblast,
                    "instrument": r.instrument,
                    "issued_on": r.issued_on.isoformat(),
                    "status": r.status,
                    "territory": r.territory,
                }
                for r in found
            ]
        )
        return
    table(
        "Licences",
        ["licence", "holder", "resources", "oblast", "instrument", "issued", "status"],
        [
            (
                r.licence_id,
                r.holder,
                ", ".join(r.resources),
                r.oblast,
                r.instrument,
                r.issued_on,
                r.status,
            )
            for r in found
        ],
    )
