"""FX rates as users touch them: import the official rates of a file."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from jointfund import store
from jointfund.fund import door
from jointfund.governance import Interface, User, require
from jointfund.intake.fx_rates import read_fx_rates
from jointfund.store import Database
from jointfund.store.licences import UpsertCounts


def import_fx_rates(
    db: Database,
    actor: User,
    path: Path,
    *,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> UpsertCounts:
    """Store dated FX rates; a conflicting rate for a stored day is refused."""
    require(actor, "fx.import")  # before looking at what was sent
    read = read_fx_rates(path)
    with door.act(db, actor, "fx.import", interface=interface, now=now) as act:
        records = [record for _, record in read.items]
        counts = store.fx_rates.insert_fx_rates(act.tx, records, source=read.path)
        if not counts.created:
            act.unchanged()
            return counts
        act.note("fx.import", f"file:{Path(read.path).name}", {"created": counts.created})
    return counts
