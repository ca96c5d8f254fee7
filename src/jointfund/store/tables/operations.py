"""Tables of fund operations: contributions, in-kind values and approvals, investments, marks.

Amounts live in the ledger; these rows hold the facts around them (references, evidence, the
approved in-kind value) that the ledger's postings do not. `in_kind_values` is legacy: books
kept before the valuation bases left the books hold it; nothing writes it any more.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from jointfund.store.tables.governance import Stamp
from jointfund.store.tables.in_kind import IN_KIND_REPORT_TABLES
from jointfund.store.tables.ledger import metadata

contributions = Table(
    "contributions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("partner", String(8), nullable=False),
    Column("form", String(16), nullable=False),
    Column("kind", String(64), nullable=False, default=""),
    Column("currency", String(3), nullable=False),
    Column("amount", BigInteger),
    Column("usd_amount", BigInteger),
    Column("rate", String(40)),
    Column("value_date", Date, nullable=False),
    Column("reference", String(200), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("entry_key", String(200)),
    Column("recorded_by", Integer, ForeignKey("users.id"), nullable=False),
    Column("recorded_at", Stamp, nullable=False),
)

in_kind_values = Table(
    "in_kind_values",
    metadata,
    Column("contribution_id", Integer, ForeignKey("contributions.id"), primary_key=True),
    Column("basis", String(32), primary_key=True),
    Column("amount", BigInteger, nullable=False),
)

in_kind_approvals = Table(
    "in_kind_approvals",
    metadata,
    Column("contribution_id", Integer, ForeignKey("contributions.id"), primary_key=True),
    Column("proposal_id", Integer, ForeignKey("proposals.id"), nullable=False, unique=True),
    Column("basis", String(32), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("approved_on", Date, nullable=False),
)

investments = Table(
    "investments",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("committed", BigInteger, nullable=False),
    Column("committed_on", Date, nullable=False),
    Column("proposal_id", Integer, ForeignKey("proposals.id"), nullable=False, unique=True),
)

investment_marks = Table(
    "investment_marks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("investment_id", String(64), ForeignKey("investments.id"), nullable=False),
    Column("marked_on", Date, nullable=False),
    Column("fair_value", BigInteger, nullable=False),
    Column("method", String(120), nullable=False),
    Column("proposal_id", Integer, ForeignKey("proposals.id"), nullable=False),
    UniqueConstraint("proposal_id", name="uq_investment_marks_proposal"),
)

# A contribution of form "transfer": the receipts of one accrual period moved from the state
# budget's special fund to the partnership (Res. 1616), and what the register held for it then.
contribution_transfers = Table(
    "contribution_transfers",
    metadata,
    Column("contribution_id", Integer, ForeignKey("contributions.id"), primary_key=True),
    Column("period_year", Integer, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("accrued_minor", BigInteger, nullable=False),
)

# A statutory deadline of the cycle met: a report received (Treasury, State Geology Service, Tax
# Service, the PPP Agency's annual report) or an audit done, for one accrual period.
deadline_records = Table(
    "deadline_records",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("deadline_id", String(80), nullable=False),
    Column("period_year", Integer, nullable=False),
    Column("done_on", Date, nullable=False),
    Column("reference", String(200), nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("recorded_by", Integer, ForeignKey("users.id"), nullable=False),
    Column("recorded_at", Stamp, nullable=False),
    UniqueConstraint("deadline_id", "period_year", "reference", name="uq_deadline_records"),
)

TRANSFER_TABLES = (contribution_transfers, deadline_records)

OPERATIONS_TABLES = (
    contributions,
    in_kind_values,
    in_kind_approvals,
    investments,
    investment_marks,
    *TRANSFER_TABLES,
    *IN_KIND_REPORT_TABLES,
)
OPERATIONS_APPEND_ONLY = tuple(t.name for t in OPERATIONS_TABLES)
