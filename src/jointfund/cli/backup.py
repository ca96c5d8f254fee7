"""Commands `backup` and `restore`: the whole database to one file and back, gated by verify."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jointfund.cli.options import DbOption, JsonOption, TokenOption, acting
from jointfund.cli.output import emit_json, out
from jointfund.config import Settings
from jointfund.fund import backup as cases
from jointfund.intake.sources import read_text
from jointfund.ledger import Checkpoint


def backup(
    out_file: Annotated[Path, typer.Option("--out", help="Backup file to write")],
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Back the database up to one file (SQLite online backup, or pg_dump custom format)."""
    opened, actor = acting(token, db)
    done = cases.backup(opened, actor, out_file)
    if as_json:
        emit_json(
            {
                "path": str(done.path),
                "dialect": done.dialect,
                "bytes": done.size_bytes,
                "entries": done.entries,
                "last_seq": done.last_seq,
                "last_hash": done.last_hash,
            }
        )
    else:
        out.print(
            f"backed up {done.entries} entries (chain head #{done.last_seq} "
            f"{done.last_hash[:16]}…) to {done.path}, {done.size_bytes} bytes",
            markup=False,
        )


def restore(
    file: Annotated[Path, typer.Argument(help="A file written by `jointfund backup`")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace a target that already holds books")
    ] = False,
    checkpoint: Annotated[
        Path | None,
        typer.Option("--checkpoint", help="A checkpoint file kept from a close: verify against it"),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Restore a backup into --db; succeeds only when verify of the restored books is green
    (against a kept checkpoint when given)."""
    kept = None
    if checkpoint is not None:
        kept = Checkpoint.from_json(read_text(checkpoint), source=str(checkpoint))
    done = cases.restore(file, db or Settings().database_url, force=force, checkpoint=kept)
    if as_json:
        emit_json(
            {
                "ok": True,
                "dialect": done.dialect,
                "entries": done.entries,
                "postings": done.postings,
                "last_seq": done.last_seq,
                "last_hash": done.last_hash,
            }
        )
    else:
        out.print(
            f"restored {done.entries} entries, {done.postings} postings; verify ok, "
            f"chain head #{done.last_seq} {done.last_hash[:16]}…",
            markup=False,
        )
