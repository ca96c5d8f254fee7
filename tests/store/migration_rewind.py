"""Set books back to an older revision of one migration branch, as if made before it: the row
of `alembic_version` for the branch holding `revision` is set to it, whatever that branch's
head is now (the tests that wrote the head by hand stopped rewinding when a revision came)."""

from __future__ import annotations

from importlib.resources import files

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text


def rewind(conn: Connection, revision: str) -> None:
    """Mark the books as `revision` left them; the next open runs every later revision."""
    config = Config()
    config.set_main_option("script_location", str(files("jointfund.store") / "migrations"))
    script = ScriptDirectory.from_config(config)
    [head] = [
        h
        for h in script.get_heads()
        if revision in {r.revision for r in script.iterate_revisions(h, "base")}
    ]
    moved = conn.execute(
        text("UPDATE alembic_version SET version_num = :to WHERE version_num = :head"),
        {"to": revision, "head": head},
    ).rowcount
    assert moved == 1, f"the books are not at {head}, the head of {revision}'s branch"
