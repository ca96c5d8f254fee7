"""Treasury receipts by budget code as users touch them: import a file, list the period amounts.

The Treasury reports each revenue code's receipts cumulative from the start of the year. Each
figure is kept as a version of its (budget, fund, code, month): the same file again changes
nothing; a revised file for a month stores a new version, the old one stays. Period amounts
are worked out on reading, from the newest version of every month of the series, so a revised
March changes March's and April's amounts together.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from jointfund import store
from jointfund.fund import door
from jointfund.governance import Interface, User, require
from jointfund.intake.budget_codes import budget_codes
from jointfund.intake.sources import read_bytes
from jointfund.intake.treasury_receipts import read_treasury_receipts
from jointfund.money import format_amount
from jointfund.store import Database
from jointfund.store.receipts import StoredReceipt

__all__ = [
    "ReceiptImport",
    "ReceiptLine",
    "import_receipts",
    "list_receipts",
    "period_lines",
    "receipt_dict",
]


@dataclass(frozen=True, slots=True)
class ReceiptImport:
    """What an import stored: figures new, figures revised (a new version), figures as stored."""

    source: str
    created: int
    revised: int
    unchanged: int


def file_digest(path: Path, name: str) -> str:
    """The SHA-256 of the file as read (kept with every row it stored)."""
    return hashlib.sha256(read_bytes(path, name=name)).hexdigest()


def import_receipts(
    db: Database,
    actor: User,
    path: Path,
    *,
    name: str | None = None,
    codes: Path | None = None,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> ReceiptImport:
    """Store a Treasury file's figures: all of them, or none and every problem located."""
    require(actor, "receipts.import")  # before looking at what was sent
    label = name or str(path)
    read = read_treasury_receipts(path, codes=budget_codes(codes), name=label)
    digest = file_digest(path, label)
    source = Path(label).name
    with door.act(db, actor, "receipts.import", interface=interface, now=now) as act:
        latest = store.receipts.latest_treasury(act.tx)
        fresh: list[dict[str, Any]] = []
        created = revised = unchanged = 0
        for _, r in read.items:
            stream = r.stream.value if r.stream is not None else None
            stored = latest.get((r.budget, r.fund.value, r.code, r.period))
            if stored is not None and (stored.cumulative_minor, stored.name, stored.stream) == (
                r.cumulative_minor,
                r.name,
                stream,
            ):
                unchanged += 1
                continue
            created, revised = (created + 1, revised) if stored is None else (created, revised + 1)
            fresh.append(
                {
                    "budget": r.budget,
                    "fund_type": r.fund.value,
                    "code": r.code,
                    "period": r.period,
                    "version": 1 if stored is None else stored.version + 1,
                    "name": r.name,
                    "stream": stream,
                    "currency": r.currency,
                    "cumulative_minor": r.cumulative_minor,
                }
            )
        result = ReceiptImport(source, created, revised, unchanged)
        if not fresh:
            act.unchanged()
            return result
        store.receipts.insert_treasury(
            act.tx, fresh, source=source, file_sha256=digest, imported_by=act.user.id, at=act.now
        )
        act.note(
            "receipts.import",
            f"file:{source}",
            {"sha256": digest, "created": created, "revised": revised, "unchanged": unchanged},
        )
    return result


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    """One month of one code's receipts: the period amount worked out from the cumulative."""

    budget: str
    fund_type: str
    code: str
    name: str
    stream: str | None
    period: str  # YYYY-MM the cumulative figure runs to
    covers_from: str  # first month the period amount covers (months not reported are folded in)
    currency: str
    cumulative_minor: int
    period_minor: int
    fell: bool  # the cumulative figure is below the month before's (refunds, reclassification)
    version: int
    source: str


def period_lines(latest: Iterable[StoredReceipt]) -> list[ReceiptLine]:
    """Period amounts from the newest cumulative figures, series by series (pure)."""
    series: dict[tuple[str, str, str, str], list[StoredReceipt]] = defaultdict(list)
    for row in latest:
        series[(row.budget, row.fund_type, row.code, row.period[:4])].append(row)
    lines: list[ReceiptLine] = []
    for (_, _, _, year), rows in series.items():
        before, start = 0, 1
        for row in sorted(rows, key=lambda r: r.period):
            lines.append(
                ReceiptLine(
                    budget=row.budget,
                    fund_type=row.fund_type,
                    code=row.code,
                    name=row.name,
                    stream=row.stream,
                    period=row.period,
                    covers_from=f"{year}-{start:02d}",
                    currency=row.currency,
                    cumulative_minor=row.cumulative_minor,
                    period_minor=row.cumulative_minor - before,
                    fell=row.cumulative_minor < before,
                    version=row.version,
                    source=row.source,
                )
            )
            before, start = row.cumulative_minor, int(row.period[5:7]) + 1
    return sorted(lines, key=lambda x: (x.period, x.code, x.fund_type, x.budget))


def list_receipts(db: Database, actor: User) -> list[ReceiptLine]:
    """Every stored code's receipts by month, newest versions, as period amounts."""
    require(actor, "receipts.read")
    with db.read() as tx:
        latest = store.receipts.latest_treasury(tx)
    return period_lines(latest.values())


def receipt_dict(line: ReceiptLine) -> dict[str, Any]:
    """One line as plain JSON values (amounts as decimal strings), for the CLI and the API."""
    return {
        "budget": line.budget or None,
        "fund": line.fund_type,
        "code": line.code,
        "name": line.name,
        "stream": line.stream,
        "period": line.period,
        "covers_from": line.covers_from,
        "currency": line.currency,
        "cumulative": format_amount(line.cumulative_minor, line.currency),
        "amount": format_amount(line.period_minor, line.currency),
        "fell": line.fell,
        "version": line.version,
        "source": line.source,
    }
