"""`jointfund licences|filings|fx ...`: importing the registry and the revenue filings."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jointfund.cli.options import DbOption, JsonOption, database
from jointfund.cli.output import emit_json, out, table
from jointfund.cli.progress import row_progress
from jointfund.fund.intake import import_filings, import_fx_rates, import_licences
from jointfund.money import format_amount
from jointfund.store.registry_repo import filing_rows, licences_by_id

licences_app = typer.Typer(help="Register and list licences.", no_args_is_help=True)
filings_app = typer.Typer(help="Import and list monthly revenue filings.", no_args_is_help=True)
fx_app = typer.Typer(help="Import dated FX rates.", no_args_is_help=True)
FileArg = Annotated[Path, typer.Argument(help="CSV or JSON file")]


@licences_app.command("import")
def licences_import(file: FileArg, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Register licences from a file: all rows, or none and every problem."""
    with row_progress("licences", enabled=not as_json) as progress:
        counts = import_licences(database(db), file, progress=progress)
    result = {"created": counts.created, "updated": counts.updated, "unchanged": counts.unchanged}
    if as_json:
        emit_json(result)
    else:
        out.print(
            f"licences: {counts.created} new, {counts.updated} updated, "
            f"{counts.unchanged} unchanged"
        )


@licences_app.command("list")
def licences_list(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Every registered licence."""
    opened = database(db)
    with opened.read() as conn:
        found = list(licences_by_id(conn).values())
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


@filings_app.command("import")
def filings_import(file: FileArg, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Book the fund's share of every new filing in a file; re-importing it changes nothing."""
    with row_progress("filings", enabled=not as_json) as progress:
        done = import_filings(database(db), file, progress=progress, stage=progress.stage)
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
            }
        )
    else:
        out.print(
            f"filings: {done.booked} booked, {done.corrected} corrected, "
            f"{done.unchanged} unchanged, {done.ineligible} not eligible under the terms; "
            f"{done.entries} ledger entries; fund share "
            + ", ".join(f"{v} {c}" for c, v in shares.items())
        )


@filings_app.command("list")
def filings_list(
    year: Annotated[int | None, typer.Option("--year")] = None,
    licence: Annotated[str | None, typer.Option("--licence")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Stored filings with the terms' decision on each."""
    opened = database(db)
    with opened.read() as conn:
        rows = filing_rows(conn, year=year, licence_id=licence)
    records = [
        {
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


@fx_app.command("import")
def fx_import(file: FileArg, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Store dated FX rates: plain date,base,quote,rate or any NBU shape (CSV, JSON, XLSX)."""
    counts = import_fx_rates(database(db), file)
    if as_json:
        emit_json({"created": counts.created, "unchanged": counts.unchanged})
    else:
        out.print(f"fx rates: {counts.created} new, {counts.unchanged} already stored")
