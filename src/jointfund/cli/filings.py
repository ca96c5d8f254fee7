"""`jointfund filings ...`: booking revenue filings from a file and listing what is stored."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jointfund.cli.options import DbOption, JsonOption, TokenOption, acting
from jointfund.cli.output import emit_json, out, table
from jointfund.cli.progress import row_progress
from jointfund.fund import filing_lists, filings
from jointfund.i18n import N_, localise_numbers
from jointfund.i18n.message import Message, localised
from jointfund.money import format_amount

app = typer.Typer(help=N_("Import and list revenue filings."), no_args_is_help=True)
FileArg = Annotated[Path, typer.Argument(help=N_("CSV or JSON file"))]


@app.command("import")
def filings_import(
    file: FileArg, token: TokenOption = None, db: DbOption = None, as_json: JsonOption = False
) -> None:
    """Book the fund's share of every new filing in a file; re-importing it changes nothing."""
    opened, actor = acting(token, db)
    with row_progress("filings", enabled=not as_json) as progress:
        done = filings.import_filings(opened, actor, file, progress=progress, stage=progress.stage)
    shares = {c: format_amount(v, c) for c, v in sorted(done.fund_minor_by_currency.items())}
    if as_json:
        emit_json(
            {
                "filings": done.filings,
                "booked": done.booked,
                "corrected": done.corrected,
                "unchanged": done.unchanged,
                "ineligible": done.ineligible,
                "entries": done.entries,
                "fund_share": shares,
                "rent_flags": list(done.rent_flags),
                "rent_flagged": done.rent_flagged,
            }
        )
    else:
        said = Message(
            "filings: {booked} booked, {corrected} corrected, {unchanged} unchanged, "
            "{ineligible} not eligible under the terms; {entries} ledger entries; "
            "fund share {shares}",
            booked=done.booked,
            corrected=done.corrected,
            unchanged=done.unchanged,
            ineligible=done.ineligible,
            entries=done.entries,
            shares=localise_numbers(", ".join(f"{v} {c}" for c, v in shares.items())),
        )
        out.print(localised(said))
        if done.rent_flags:
            flagged = Message(
                "{count} rent filing(s) break Tax Code Art. 257:", count=done.rent_flagged
            )
            out.print(localised(flagged))
            for flag in done.rent_flags[:20]:
                out.print(f"  {flag}", markup=False)


@app.command("list")
def filings_list(
    year: Annotated[int | None, typer.Option("--year")] = None,
    licence: Annotated[str | None, typer.Option("--licence")] = None,
    after: Annotated[
        int, typer.Option("--after", min=0, help=N_("Show filings after this id"))
    ] = 0,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100_000)] = 1000,
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Stored filings (every version) in id order, with the terms' decision on each."""
    opened, actor = acting(token, db)
    rows = filing_lists.list_filings(
        opened, actor, year=year, licence_id=licence, after_id=after, limit=limit
    )
    records = [
        {
            "id": r.id,
            "payer_reference": r.payer_reference,
            "version": r.version,
            "licence_id": r.licence_id,
            "period": r.period,
            "stream": r.stream,
            "currency": r.currency,
            "gross": format_amount(r.gross_minor, r.currency),
            "fund_share": format_amount(r.fund_minor, r.currency),
            "budget_share": format_amount(r.budget_minor, r.currency),
            "eligible": bool(r.eligible),
            "rule": r.rule_id,
            "reason": r.reason,
            "entry": r.entry_key,
        }
        for r in rows
    ]
    if as_json:
        emit_json(records)
        return
    table(
        "Filings",
        ["period", "licence", "stream", "gross", "fund share", "ccy", "eligible / why not"],
        [
            (
                r["period"],
                r["licence_id"],
                r["stream"],
                r["gross"],
                r["fund_share"],
                r["currency"],
                "yes" if r["eligible"] else (r["reason"] or "no"),
            )
            for r in records
        ],
    )
