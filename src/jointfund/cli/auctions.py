"""`jointfund auctions ...`: Prozorro.Sale subsoil auctions, imported and listed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jointfund.cli.options import DbOption, JsonOption, TokenOption, acting
from jointfund.cli.output import emit_json, out, table
from jointfund.fund import auctions
from jointfund.i18n import N_
from jointfund.i18n.message import Message, localised
from jointfund.money import format_amount

app = typer.Typer(help=N_("Prozorro.Sale subsoil auctions."), no_args_is_help=True)


@app.command("import")
def auctions_import(
    file: Annotated[Path, typer.Argument(help=N_("Prozorro.Sale procedures (JSON or JSON Lines)"))],
    names: Annotated[
        Path | None,
        typer.Option(
            "--names", help=N_("CSV adding Ukrainian resource names (stem,resource,source)")
        ),
    ] = None,
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Store subsoil auctions and register the licences signed sales lead to: all, or none."""
    opened, actor = acting(token, db)
    done = auctions.import_auctions(opened, actor, file, names=names)
    if as_json:
        emit_json(
            {
                "source": done.source,
                "created": done.created,
                "revised": done.revised,
                "unchanged": done.unchanged,
                "skipped": done.skipped,
                "licences_created": done.licences_created,
                "licences_updated": done.licences_updated,
            }
        )
        return
    said = Message(
        "auctions: {created} new, {revised} revised, {unchanged} unchanged, "
        "{skipped} not subsoil; licences: {licences_created} new, {licences_updated} updated",
        created=done.created,
        revised=done.revised,
        unchanged=done.unchanged,
        skipped=done.skipped,
        licences_created=done.licences_created,
        licences_updated=done.licences_updated,
    )
    out.print(localised(said))


@app.command("list")
def auctions_list(
    token: TokenOption = None, db: DbOption = None, as_json: JsonOption = False
) -> None:
    """Subsoil auctions stored: proceeds, the licence each led to, the fund's share."""
    opened, actor = acting(token, db)
    found = auctions.list_auctions(opened, actor)
    if as_json:
        emit_json([auctions.auction_dict(a) for a in found])
        return

    def amount(value: int | None, currency: str) -> str:
        return "-" if value is None else format_amount(value, currency, grouping=True)

    table(
        "Subsoil auctions",
        ["auction", "status", "signed", "proceeds", "fund share", "licence"],
        [
            (
                a.auction_id,
                a.status,
                a.contract_signed_on.isoformat() if a.contract_signed_on else "-",
                amount(a.proceeds_minor, a.currency),
                amount(a.fund_minor, a.currency),
                a.licence_id or "-",
            )
            for a in found
        ],
    )
