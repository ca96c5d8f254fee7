"""`jointfund fx ...`: importing the official FX rates."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jointfund.cli.options import DbOption, JsonOption, TokenOption, acting
from jointfund.cli.output import emit_json, out
from jointfund.config import Settings
from jointfund.fund.rates import import_fx_rates
from jointfund.i18n import N_
from jointfund.i18n.message import Message, localised

app = typer.Typer(help=N_("Import dated FX rates."), no_args_is_help=True)


@app.command("import")
def fx_import(
    file: Annotated[Path, typer.Argument(help=N_("CSV or JSON file"))],
    confirm_jumps: Annotated[
        bool,
        typer.Option(
            "--confirm-jumps",
            help=N_(
                "Store rates that move further from the previous rate than JOINTFUND_FX_MAX_JUMP"
            ),
        ),
    ] = False,
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Store dated FX rates: plain date,base,quote,rate or any NBU shape (CSV, JSON, XLSX)."""
    opened, actor = acting(token, db)
    counts = import_fx_rates(
        opened, actor, file, confirm_jumps=confirm_jumps, max_jump=Settings().fx_max_jump
    )
    if as_json:
        emit_json({"created": counts.created, "unchanged": counts.unchanged})
    else:
        said = Message(
            "fx rates: {created} new, {unchanged} already stored",
            created=counts.created,
            unchanged=counts.unchanged,
        )
        out.print(localised(said))
