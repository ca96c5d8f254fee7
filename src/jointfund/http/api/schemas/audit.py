"""Audit log shapes: one record, and a page of them after a cursor."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from jointfund.fund.audit import AuditRecord


class AuditRecordOut(BaseModel):
    """Who, in which role and through which interface, did what to which thing, and when."""

    seq: int
    at: str = Field(description="UTC, ISO 8601 with microseconds")
    actor: str
    role: str | None = Field(description="The actor's role when acting (null: not recorded)")
    interface: str
    action: str
    target: str
    detail: dict[str, Any]
    detail_hash: str = Field(description="SHA-256 of the detail's canonical JSON")


class AuditPageOut(BaseModel):
    """Audit records in order after a cursor; `next` fetches the following page."""

    items: list[AuditRecordOut]
    next: str | None = Field(description="The next page's URL, or null on the last page")


def audit_record_out(record: AuditRecord) -> AuditRecordOut:
    """An audit record as its API shape."""
    return AuditRecordOut(
        seq=record.seq,
        at=record.at,
        actor=record.actor,
        role=record.role,
        interface=record.interface,
        action=record.action,
        target=record.target,
        detail=record.detail,
        detail_hash=record.detail_hash,
    )
