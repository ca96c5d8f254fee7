"""Tables of in-kind aid as reported: the cost report, the valuation, the recommendation.

Each step is append-only and carries the SHA-256 of its content, which names the hash of the
step it rests on; a correction is a new row (a new revision, a newer valuation or
recommendation), so the latest row of each step is the one in force and the older ones stay
as history. The credit itself is a `contributions` row booked by the board's approval.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
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
from jointfund.store.tables.ledger import metadata

# The cost of new military assistance as the Ministry of Defence reports it (Res. 1411): the
# items and their cost in USD; a revision of the same reference corrects it.
in_kind_cost_reports = Table(
    "in_kind_cost_reports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("reference", String(200), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("partner", String(8), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("reporter", String(200), nullable=False),
    Column("reported_on", Date, nullable=False),
    Column("items", Text, nullable=False),
    Column("cost_minor", BigInteger, nullable=False),
    Column("illustrative", Boolean, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("recorded_by", Integer, ForeignKey("users.id"), nullable=False),
    Column("recorded_at", Stamp, nullable=False),
    UniqueConstraint("reference", "revision", name="uq_in_kind_cost_reports_revision"),
)

# The evaluation consultant's report on one revision of a cost report: the method, the assessed
# value and the evidence it rests on (each piece named and hashed).
in_kind_valuations = Table(
    "in_kind_valuations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("cost_report_id", Integer, ForeignKey("in_kind_cost_reports.id"), nullable=False),
    Column("reference", String(200), nullable=False),
    Column("consultant", String(200), nullable=False),
    Column("method", Text, nullable=False),
    Column("assessed_minor", BigInteger, nullable=False),
    Column("valued_on", Date, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("cost_report_hash", String(64), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("recorded_by", Integer, ForeignKey("users.id"), nullable=False),
    Column("recorded_at", Stamp, nullable=False),
)

# The Audit Committee's recommendation of one assessed value, bound to the valuation's hash.
in_kind_recommendations = Table(
    "in_kind_recommendations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("valuation_id", Integer, ForeignKey("in_kind_valuations.id"), nullable=False),
    Column("committee", String(64), nullable=False),
    Column("assessed_minor", BigInteger, nullable=False),
    Column("recommended_on", Date, nullable=False),
    Column("note", Text, nullable=False),
    Column("valuation_hash", String(64), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("recorded_by", Integer, ForeignKey("users.id"), nullable=False),
    Column("recorded_at", Stamp, nullable=False),
)

IN_KIND_REPORT_TABLES = (in_kind_cost_reports, in_kind_valuations, in_kind_recommendations)
