"""Tables of the state's own records of receipts: Treasury receipts by budget code, and the
Prozorro.Sale auctions of subsoil permits whose proceeds are receipts.

Both are append-only and chained: a revised Treasury figure for a month, or a changed auction,
is a new version of its key, never an edit, so what the fund was told and when stays readable.
`imported_by` names the user without a foreign key (the migration may run before the one that
creates `users`; the audit record names the actor too).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from jointfund.store.tables.governance import Stamp
from jointfund.store.tables.ledger import metadata

# One version of the cumulative figure a Treasury file reports for a budget, fund, revenue code
# and month. Period amounts are worked out from the newest version of each month on reading.
treasury_receipts = Table(
    "treasury_receipts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("budget", String(16), nullable=False),
    Column("fund_type", String(8), nullable=False),
    Column("code", String(8), nullable=False),
    Column("period", String(7), nullable=False),
    Column("version", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("stream", String(32)),
    Column("currency", String(3), nullable=False),
    Column("cumulative_minor", BigInteger, nullable=False),
    Column("source", String(512), nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("imported_by", Integer, nullable=False),
    Column("imported_at", Stamp, nullable=False),
    UniqueConstraint(
        "budget", "fund_type", "code", "period", "version", name="uq_treasury_receipts_version"
    ),
)

# One version of a sold subsoil-permit auction: the price under the signed sale contract is
# the proceeds, and the licence it led to is registered in the licence register.
auction_sales = Table(
    "auction_sales",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("auction_id", String(40), nullable=False),
    Column("version", Integer, nullable=False),
    Column("lot_id", String(64), nullable=False),
    Column("selling_method", String(64), nullable=False),
    Column("status", String(64), nullable=False),
    Column("title", Text, nullable=False),
    Column("region", String(200), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("start_minor", BigInteger, nullable=False),
    Column("proceeds_minor", BigInteger),
    Column("contract_number", String(200)),
    Column("contract_signed_on", Date),
    Column("winner", Text),
    Column("winner_id", String(64)),
    Column("licence_id", String(64)),
    Column("counts", Boolean, nullable=False),
    Column("fund_minor", BigInteger),
    Column("reason", Text),
    Column("source", String(512), nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("imported_by", Integer, nullable=False),
    Column("imported_at", Stamp, nullable=False),
    UniqueConstraint("auction_id", "version", name="uq_auction_sales_version"),
)

RECEIPT_TABLES = (treasury_receipts, auction_sales)
RECEIPTS_APPEND_ONLY = tuple(t.name for t in RECEIPT_TABLES)
