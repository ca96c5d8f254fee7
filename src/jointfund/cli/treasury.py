"""`jointfund treasury ...`: Treasury receipts by budget code, imported and listed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jointfund.cli.options import DbOption, JsonOption, TokenOption, acting
from jointfund.cli.output import emit_json, out, table
from jointfund.fund import treasury
from jointfund.i18n import N_
from jointfund.i18n.message import Message, localised
from jointfund.money import format_amount

app = typer.Typer(help=N_("Treasury receipts by budget code."), no_args_is_help=True)


@app.command("import")
def treasury_import(
    file: Annotated[Path, typer.Argument(help=N_("Treasury / openbudget receipts CSV"))],
    codes: Annotated[
        Path | None,
        typer.Option(
            "--codes",
            help=N_("CSV adding or overriding budget code → stream mappings"),
        ),
    ] = None,
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Store a file's receipts by code and month: all rows, or none and every problem."""
    opened, actor = acting(token, db)
    done = treasury.import_receipts(opened, actor, file, codes=codes)
    if as_json:
        emit_json(
            {
                "source": done.source,
                "created": done.created,
                "revised": done.revised,
                "unchanged": done.unchanged,
            }
        )
        return
    said = Message(
        "treasury receipts: {created} new, {revised} revised, {unchanged} unchanged",
        created=done.created,
        revised=done.revised,
        unchanged=done.unchanged,
    )
    out.print(localised(said))


@app.command("list")
def treasury_list(
    token: TokenOption = None, db: DbOption = None, as_json: JsonOption = False
) -> None:
    """Receipts by budget code and month: the newest figures, as period amounts."""
    opened, actor = acting(token, db)
    lines = treasury.list_receipts(opened, actor)
    if as_json:
        emit_json([treasury.receipt_dict(line) for line in lines])
        return
    table(
        "Treasury receipts",
        ["period", "fund", "code", "stream", "amount", "cumulative", "version"],
        [
            (
                line.period,
                line.fund_type,
                line.code,
                line.stream or "-",
                format_amount(line.period_minor, line.currency, grouping=True),
                format_amount(line.cumulative_minor, line.currency, grouping=True),
                line.version,
            )
            for line in lines
        ],
    )
