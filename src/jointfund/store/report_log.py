"""The append-only log of produced reports: what, for which period, when, and its digest."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from jointfund.clock import stamp_now as booked_now
from jointfund.store.row_chain import chain_inserted
from jointfund.store.tables.reports import report_log


@dataclass(frozen=True, slots=True)
class ReportRecord:
    """One produced report."""

    kind: str
    period: str
    format: str
    produced_at: str
    sha256: str
    detail: str


def append_report(
    conn: Connection, kind: str, period: str, fmt: str, sha256: str, detail: str = ""
) -> ReportRecord:
    """Record that a report was produced now."""
    record = ReportRecord(kind, period, fmt, booked_now(), sha256, detail)
    key = conn.execute(
        report_log.insert().values(
            kind=kind,
            period=period,
            format=fmt,
            produced_at=record.produced_at,
            sha256=sha256,
            detail=detail,
        )
    ).inserted_primary_key
    chain_inserted(conn, report_log, key)
    return record


def latest_reports(conn: Connection) -> dict[str, ReportRecord]:
    """The most recent record of each report kind."""
    newest = (
        select(report_log.c.kind, func.max(report_log.c.id).label("id"))
        .group_by(report_log.c.kind)
        .subquery()
    )
    rows = conn.execute(select(report_log).join(newest, newest.c.id == report_log.c.id))
    return {
        r.kind: ReportRecord(r.kind, r.period, r.format, r.produced_at, r.sha256, r.detail)
        for r in rows
    }


def reports_of(conn: Connection, kind: str) -> list[ReportRecord]:
    """Every record of one kind, oldest first."""
    rows = conn.execute(
        select(report_log).where(report_log.c.kind == kind).order_by(report_log.c.id)
    )
    return [
        ReportRecord(r.kind, r.period, r.format, r.produced_at, r.sha256, r.detail) for r in rows
    ]
