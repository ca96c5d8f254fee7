"""Treasury receipts by budget code and sold subsoil auctions, stored as chained versions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from jointfund.clock import stamp
from jointfund.store.row_chain import chain_stored
from jointfund.store.tables.receipts import auction_sales, treasury_receipts

ReceiptKey = tuple[str, str, str, str]  # budget, fund type, code, period (YYYY-MM)


@dataclass(frozen=True, slots=True)
class StoredReceipt:
    """One version of a cumulative Treasury figure for a budget, fund, code and month."""

    id: int
    budget: str
    fund_type: str
    code: str
    period: str
    version: int
    name: str
    stream: str | None
    currency: str
    cumulative_minor: int
    source: str
    imported_at: str

    @property
    def key(self) -> ReceiptKey:
        """What a newer version of this figure shares with it."""
        return (self.budget, self.fund_type, self.code, self.period)


def _receipt(r: Any) -> StoredReceipt:
    return StoredReceipt(
        id=int(r.id),
        budget=r.budget,
        fund_type=r.fund_type,
        code=r.code,
        period=r.period,
        version=int(r.version),
        name=r.name,
        stream=r.stream,
        currency=r.currency,
        cumulative_minor=int(r.cumulative_minor),
        source=r.source,
        imported_at=r.imported_at,
    )


def treasury_versions(conn: Connection) -> list[StoredReceipt]:
    """Every version of every figure, oldest first."""
    t = treasury_receipts
    return [_receipt(r) for r in conn.execute(select(t).order_by(t.c.id))]


def latest_treasury(conn: Connection) -> dict[ReceiptKey, StoredReceipt]:
    """The newest version of each figure, by key."""
    found: dict[ReceiptKey, StoredReceipt] = {}
    for row in treasury_versions(conn):
        found[row.key] = row  # ids grow with versions: the last one read is the newest
    return found


def _next_id(conn: Connection, table: Any) -> int:
    return int(conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()) + 1


def insert_treasury(
    conn: Connection,
    rows: Sequence[Mapping[str, Any]],
    *,
    source: str,
    file_sha256: str,
    imported_by: int,
    at: datetime,
) -> int:
    """Store new versions (each mapping: the key, version, name, stream, currency and
    cumulative_minor) and chain them; how many were stored."""
    if not rows:
        return 0
    first = _next_id(conn, treasury_receipts)
    stamped = {
        "source": source,
        "file_sha256": file_sha256,
        "imported_by": imported_by,
        "imported_at": stamp(at),
    }
    conn.execute(treasury_receipts.insert(), [{**row, **stamped} for row in rows])
    chain_stored(conn, treasury_receipts, treasury_receipts.c.id >= first)
    return len(rows)


@dataclass(frozen=True, slots=True)
class StoredAuction:
    """One version of a sold (or not yet sold) subsoil auction."""

    id: int
    auction_id: str
    version: int
    lot_id: str
    selling_method: str
    status: str
    title: str
    region: str
    currency: str
    start_minor: int
    proceeds_minor: int | None
    contract_number: str | None
    contract_signed_on: date | None
    winner: str | None
    winner_id: str | None
    licence_id: str | None
    counts: bool
    fund_minor: int | None
    reason: str | None
    source: str
    imported_at: str


AUCTION_FACTS = (
    "lot_id",
    "selling_method",
    "status",
    "title",
    "region",
    "currency",
    "start_minor",
    "proceeds_minor",
    "contract_number",
    "contract_signed_on",
    "winner",
    "winner_id",
    "licence_id",
    "counts",
    "fund_minor",
    "reason",
)
"""The columns whose change makes a new version of an auction."""


def _auction(r: Any) -> StoredAuction:
    signed = r.contract_signed_on
    if signed is not None and not isinstance(signed, date):
        signed = date.fromisoformat(str(signed))
    return StoredAuction(
        id=int(r.id),
        auction_id=r.auction_id,
        version=int(r.version),
        lot_id=r.lot_id,
        selling_method=r.selling_method,
        status=r.status,
        title=r.title,
        region=r.region,
        currency=r.currency,
        start_minor=int(r.start_minor),
        proceeds_minor=None if r.proceeds_minor is None else int(r.proceeds_minor),
        contract_number=r.contract_number,
        contract_signed_on=signed,
        winner=r.winner,
        winner_id=r.winner_id,
        licence_id=r.licence_id,
        counts=bool(r.counts),
        fund_minor=None if r.fund_minor is None else int(r.fund_minor),
        reason=r.reason,
        source=r.source,
        imported_at=r.imported_at,
    )


def auction_versions(conn: Connection) -> list[StoredAuction]:
    """Every version of every auction, oldest first."""
    t = auction_sales
    return [_auction(r) for r in conn.execute(select(t).order_by(t.c.id))]


def latest_auctions(conn: Connection) -> dict[str, StoredAuction]:
    """The newest version of each auction, by auction id."""
    return {row.auction_id: row for row in auction_versions(conn)}


def insert_auctions(
    conn: Connection,
    rows: Sequence[Mapping[str, Any]],
    *,
    source: str,
    file_sha256: str,
    imported_by: int,
    at: datetime,
) -> int:
    """Store new auction versions (each mapping: auction_id, version and AUCTION_FACTS) and
    chain them; how many were stored."""
    if not rows:
        return 0
    first = _next_id(conn, auction_sales)
    stamped = {
        "source": source,
        "file_sha256": file_sha256,
        "imported_by": imported_by,
        "imported_at": stamp(at),
    }
    conn.execute(auction_sales.insert(), [{**row, **stamped} for row in rows])
    chain_stored(conn, auction_sales, auction_sales.c.id >= first)
    return len(rows)
