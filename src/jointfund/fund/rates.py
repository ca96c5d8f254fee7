"""FX rates as users touch them: import the official rates of a file.

A rate that moves further than a bound (`Settings.fx_max_jump`, 20 % by default) from the
pair's previous rate, stored or earlier in the same file, is refused unless the import is
confirmed: a mistyped rate (4.16 for 41.6, an inverse pair quoted the wrong way) would
otherwise shift ownership between the partners at the next receipt.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from jointfund import store
from jointfund.errors import InputError, Problem
from jointfund.fund import door
from jointfund.governance import Interface, User, require
from jointfund.i18n.message import Message
from jointfund.intake.fx_rates import read_fx_rates
from jointfund.intake.records import FxRecord
from jointfund.store import Database, Tx
from jointfund.store.licences import UpsertCounts

DEFAULT_MAX_JUMP = Decimal("0.2")
# How far back the previous rate of a pair is looked for (rates are daily; a year covers gaps).
_LOOK_BACK = timedelta(days=366)


def import_fx_rates(
    db: Database,
    actor: User,
    path: Path,
    *,
    confirm_jumps: bool = False,
    max_jump: Decimal = DEFAULT_MAX_JUMP,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
    name: str | None = None,
) -> UpsertCounts:
    """Store dated FX rates, each with the file (`name`, else the path) and row it was read
    from; a conflicting rate for a stored day is refused, and so is a rate further than
    `max_jump` from the pair's previous one unless `confirm_jumps`."""
    require(actor, "fx.import")  # before looking at what was sent
    read = read_fx_rates(path, name=name)
    with door.act(db, actor, "fx.import", interface=interface, now=now) as act:
        jumps = _jumps(act.tx, read.path, read.items, max_jump)
        if jumps and not confirm_jumps:
            raise InputError(jumps)
        counts = store.fx_rates.insert_fx_rates(act.tx, read.items, source=read.path)
        if not counts.created:
            act.unchanged()
            return counts
        detail: dict[str, object] = {"created": counts.created}
        if jumps:
            detail["confirmed_jumps"] = [str(p) for p in jumps[:20]]
        act.note("fx.import", f"file:{Path(read.path).name}", detail)
    return counts


def _jumps(
    tx: Tx, label: str, items: list[tuple[int, FxRecord]], max_jump: Decimal
) -> list[Problem]:
    """Each rate further than `max_jump` from the previous rate of its pair."""
    if not items:
        return []
    days = [record.on for _, record in items]
    history = store.fx_rates.pair_history(
        tx, {(r.base, r.quote) for _, r in items}, min(days) - _LOOK_BACK, max(days)
    )
    problems: list[Problem] = []
    for line, record in sorted(items, key=lambda item: item[1].on):
        known = history[(record.base, record.quote)]
        at = bisect_left(known, record.on, key=lambda pair: pair[0])
        if at < len(known) and known[at][0] == record.on:
            continue  # the same day stored: equal is a repeat, different a conflict
        if at > 0:
            problem = _jump(label, line, record, known[at - 1], max_jump)
            if problem is not None:
                problems.append(problem)
        known.insert(at, (record.on, record.rate))
    return sorted(problems, key=lambda p: p.row or 0)


def _jump(
    label: str, line: int, record: FxRecord, previous: tuple[date, Decimal], max_jump: Decimal
) -> Problem | None:
    """The problem of a rate that moved more than `max_jump` from `previous`, or None."""
    day, rate = previous
    moved = abs(record.rate / rate - 1)
    if moved <= max_jump:
        return None
    pair = f"{record.base}/{record.quote}"
    return Problem(
        Message(
            "{pair} {rate} on {on} moves {moved:.0%} from {previous} on {day}",
            pair=pair,
            rate=record.rate,
            on=record.on,
            moved=moved,
            previous=rate,
            day=day,
        ),
        label,
        line,
        "rate",
        Message(
            "within {max_jump:.0%} of the previous rate, or the import confirmed (--confirm-jumps)",
            max_jump=max_jump,
        ),
    )
