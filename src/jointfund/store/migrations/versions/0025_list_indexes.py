"""Indexes to sort the lists and trace an FX rate: filings by the day received, by amount
per currency and by the FX rate used; licences by issue date and holder; the audit log by
actor, action and object, each with its record number.

Revision ID: 0025
Revises: 0022
Create Date: 2026-12-06

The filings and licences pages sort by these columns a page at a time (a keyset on the
column and the id), and an FX rate's page lists the entries booked at it. Without these
indexes each page was a sort of every stored filing or licence.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import Index

from jointfund.store.indexes import create_missing_index
from jointfund.store.tables.governance import audit_log
from jointfund.store.tables.registry import filings, licences

revision = "0025"
down_revision = "0022"
branch_labels = None
depends_on = None

_NAMES = {
    "filings": ("ix_filings_received", "ix_filings_gross", "ix_filings_fx_rate"),
    "licences": ("ix_licences_issued", "ix_licences_holder"),
    "audit_log": ("ix_audit_log_actor_seq", "ix_audit_log_action_seq", "ix_audit_log_target_seq"),
}


def _indexes() -> list[tuple[str, Index]]:
    return [
        (table.name, index)
        for table in (filings, licences, audit_log)
        for index in table.indexes
        if index.name in _NAMES[table.name]
    ]


def upgrade() -> None:
    """Create each index where its table predates it."""
    for _, index in _indexes():
        create_missing_index(op.get_bind(), index)


def downgrade() -> None:
    """Drop them (throwaway databases only)."""
    for _, index in _indexes():
        index.drop(op.get_bind())
