"""Tables of governance: users, API tokens, proposals, approvals, term changes, the audit log.

Defined on the ledger's `metadata`, so `wipe()` drops them with the rest.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from jointfund.store.tables.ledger import Seq, metadata

# Timestamps are fixed-width ISO-8601 UTC strings: they sort and compare the same on both
# backends, and SQLite has no timezone-aware type.
Stamp = String(32)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(120), nullable=False, unique=True),
    Column("role", String(32), nullable=False),
    Column("partner", String(8)),
    Column("licence_ids", Text, nullable=False, default="[]"),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", Stamp, nullable=False),
    Column("row_version", Integer, nullable=False, default=1, server_default="1"),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("label", String(120), nullable=False, default=""),
    Column("created_at", Stamp, nullable=False),
    Column("expires_at", Stamp),
    Column("revoked_at", Stamp),
    Column("row_version", Integer, nullable=False, default=1, server_default="1"),
)

proposals = Table(
    "proposals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("payload", Text, nullable=False),
    Column("payload_hash", String(64), nullable=False),
    Column("revision", Integer, nullable=False, default=1),
    Column("status", String(16), nullable=False),
    Column("created_by", Integer, ForeignKey("users.id"), nullable=False),
    Column("created_at", Stamp, nullable=False),
    Column("expires_at", Stamp),
    Column("executed_at", Stamp),
    Column("closed_by", Integer, ForeignKey("users.id")),
    Column("reason", Text, nullable=False, default=""),
    Column("row_version", Integer, nullable=False, default=1, server_default="1"),
    Index("ix_proposals_status", "status"),
)

approvals = Table(
    "approvals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("proposal_id", Integer, ForeignKey("proposals.id"), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("partner", String(8), nullable=False),
    Column("payload_hash", String(64), nullable=False),
    Column("approved_at", Stamp, nullable=False),
    # The database itself refuses a second vote by one person on one payload.
    UniqueConstraint("proposal_id", "user_id", "payload_hash", name="uq_approvals_vote"),
)

term_changes = Table(
    "term_changes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("proposal_id", Integer, ForeignKey("proposals.id"), nullable=False, unique=True),
    Column("terms_id", String(80), nullable=False),
    Column("terms_yaml", Text, nullable=False),
    Column("effective_on", Date, nullable=False),
)

admitted_partners = Table(
    "admitted_partners",
    metadata,
    Column("partner_id", String(8), primary_key=True),
    Column("proposal_id", Integer, ForeignKey("proposals.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("legal_entity", String(200), nullable=False),
    Column("admitted_on", Date, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Seq, primary_key=True, autoincrement=True),
    Column("at", Stamp, nullable=False),
    Column("actor_id", Integer),
    Column("actor", String(200), nullable=False),
    Column("interface", String(8), nullable=False),
    Column("action", String(64), nullable=False),
    Column("target", String(200), nullable=False),
    Column("detail", Text, nullable=False),
    # Added by migration 0020 (rows written before it hold NULL): the actor's role when it
    # acted, and the SHA-256 of the detail's canonical JSON.
    Column("role", String(32)),
    Column("detail_hash", String(64)),
    Index("ix_audit_log_target", "target"),
    Index("ix_audit_log_action", "action"),
    Index("ix_audit_log_actor", "actor"),
    # the sorted audit log pages by (column, seq): SQLite's indexes carry the rowid (seq) on
    # their own, PostgreSQL's need it named to serve the order without a sort
    Index("ix_audit_log_actor_seq", "actor", "seq"),
    Index("ix_audit_log_action_seq", "action", "seq"),
    Index("ix_audit_log_target_seq", "target", "seq"),
)

# A web session is two append-only facts: it started (for a user, with the token it signed in
# with) and, maybe, it ended. Only the SHA-256 of the session id (a random secret the browser
# holds in its signed cookie) is stored, as for tokens.
sessions_started = Table(
    "sessions_started",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("token_hash", String(64), nullable=False),
    Column("started_at", Stamp, nullable=False),
)

sessions_ended = Table(
    "sessions_ended",
    metadata,
    Column("id_hash", String(64), ForeignKey("sessions_started.id_hash"), primary_key=True),
    Column("ended_at", Stamp, nullable=False),
)

SESSION_TABLES = (sessions_started, sessions_ended)
SESSION_APPEND_ONLY = ("sessions_started", "sessions_ended")

# A user seated on (seated true) or leaving (false) a committee, for the partner they sit for.
committee_seatings = Table(
    "committee_seatings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("committee", String(80), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("partner", String(8), nullable=False),
    Column("seated", Boolean, nullable=False),
    Column("at", Stamp, nullable=False),
    Column("by_user", Integer, ForeignKey("users.id"), nullable=False),
)

# One member's vote to recommend one payload of a proposal to the board.
committee_votes = Table(
    "committee_votes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("proposal_id", Integer, ForeignKey("proposals.id"), nullable=False),
    Column("committee", String(80), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("partner", String(8), nullable=False),
    Column("payload_hash", String(64), nullable=False),
    Column("voted_at", Stamp, nullable=False),
    # The database itself refuses a second vote by one member on one payload.
    UniqueConstraint(
        "proposal_id", "committee", "user_id", "payload_hash", name="uq_committee_votes_vote"
    ),
)

# Committees (migration 0022 adds them to books made before): seatings and recommendations.
COMMITTEE_TABLES = (committee_seatings, committee_votes)
COMMITTEE_APPEND_ONLY = ("committee_seatings", "committee_votes")

GOVERNANCE_TABLES = (
    users,
    api_tokens,
    proposals,
    approvals,
    term_changes,
    admitted_partners,
    audit_log,
    *SESSION_TABLES,
    *COMMITTEE_TABLES,
)
GOVERNANCE_APPEND_ONLY = (
    "audit_log",
    "approvals",
    "term_changes",
    "admitted_partners",
    *SESSION_APPEND_ONLY,
    *COMMITTEE_APPEND_ONLY,
)
