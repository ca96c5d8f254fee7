"""Commands `backup` and `restore`: the whole database to one file and back, gated by verify."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jointfund.cli.options import DbOption, JsonOption, TokenOption, acting
from jointfund.cli.output import emit_json, out
from jointfund.config import Settings
from jointfund.fund import backup as cases
from jointfund.i18n import N_
from jointfund.i18n.message import Message, localised
from jointfund.intake.sources import read_text
from jointfund.ledger import Checkpoint


def backup(
    out_file: Annotated[Path, typer.Option("--out", help=N_("Backup file to write"))],
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
        said = Message(
            "backed up {entries} entries (chain head #{seq} {head}…) to {path}, {size} bytes",
            entries=done.entries,
            seq=done.last_seq,
            head=done.last_hash[:16],
            path=done.path,
            size=done.size_bytes,
        )
        out.print(localised(said), markup=False)


def restore(
    file: Annotated[Path, typer.Argument(help=N_("A file written by `jointfund backup`"))],
    force: Annotated[
        bool, typer.Option("--force", help=N_("Replace a target that already holds books"))
    ] = False,
    checkpoint: Annotated[
        Path | None,
        typer.Option(
            "--checkpoint", help=N_("A checkpoint file kept from a close: verify against it")
        ),
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
        said = Message(
            "restored {entries} entries, {postings} postings; verify ok, chain head #{seq} {head}…",
            entries=done.entries,
            postings=done.postings,
            seq=done.last_seq,
            head=done.last_hash[:16],
        )
        out.print(localised(said), markup=False)
