"""`jointfund demo`: build the example fund into the configured database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jointfund.cli.options import DbOption, JsonOption, database
from jointfund.cli.output import emit_json, out
from jointfund.config import Settings
from jointfund.fund import books
from jointfund.fund.demo import DemoResult, build_demo
from jointfund.i18n import N_
from jointfund.i18n.message import Message, localised


def demo(
    force: Annotated[
        bool, typer.Option("--force", help=N_("Replace a database that holds data"))
    ] = False,
    data: Annotated[
        Path | None,
        typer.Option("--data", help=N_("Folder of example files (default examples/us-ukraine)")),
    ] = None,
    logins: Annotated[
        Path,
        typer.Option(
            "--logins", help=N_("File to write the demo logins to (readable by you only)")
        ),
    ] = Path("demo-logins.txt"),
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Build the example U.S.–Ukraine fund, verify it, and write its demo logins to a file
    (refuses a non-empty database without --force)."""
    opened = database(db)
    result = build_demo(opened, force=force, folder=data, runs_dir=Settings().runs_dir)
    url = books.describe(opened).url
    _write_logins(logins, result)
    if as_json:
        emit_json(
            {
                "database": url,
                "terms": result.terms_id,
                "licences": result.licences,
                "filings": result.filings,
                "entries": result.entries,
                "forecast_run": str(result.forecast_run) if result.forecast_run else None,
                "verified": result.verified.ok,
                "logins_file": str(logins),
                "logins": [
                    {"name": x.name, "role": x.role, "partner": x.partner, "token": x.token}
                    for x in result.logins
                ],
            }
        )
    else:
        built = Message(
            "built the example fund in {url} under {terms}: {licences} licences, {filings} "
            "filings, {entries} ledger entries; forecast saved in {run}",
            url=url,
            terms=result.terms_id,
            licences=result.licences,
            filings=result.filings,
            entries=result.entries,
            run=result.forecast_run,
        )
        out.print(localised(built))
        verified = Message(
            "verify ok: {entries} entries, chain head #{seq} {head}…",
            entries=result.verified.entries,
            seq=result.verified.last_seq,
            head=result.verified.last_hash[:16],
        )
        out.print(localised(verified), markup=False)
        written = Message(
            "demo logins written to {file} (sign in on the pages with a name and its token; "
            "for the CLI: export JOINTFUND_TOKEN=<token>)",
            file=logins,
        )
        out.print(localised(written), markup=False)
        for x in result.logins:
            seat = localised(Message(" for {partner}", partner=x.partner)) if x.partner else ""
            out.print(f"  {x.name:<14} {x.role + seat:<22} {x.token}", markup=False)


def _write_logins(path: Path, result: DemoResult) -> None:
    """The demo logins, one per line (name, role, token), in a file only its owner reads."""
    lines = ["# jointfund demo logins: name, role (partner), token; keep this file private"]
    for x in result.logins:
        seat = f" ({x.partner})" if x.partner else ""
        lines.append(f"{x.name}\t{x.role}{seat}\t{x.token}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o600)
