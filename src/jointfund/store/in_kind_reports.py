"""In-kind aid as reported, stored: cost reports (by revision), valuations, recommendations.

Rows are only ever inserted and chained; the newest row of each step is the one in force.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, Table, func, select

from jointfund.clock import stamp
from jointfund.store.row_chain import chain_inserted
from jointfund.store.tables.in_kind import (
    in_kind_cost_reports,
    in_kind_recommendations,
    in_kind_valuations,
)


@dataclass(frozen=True, slots=True)
class CostReportRow:
    """One revision of a cost report; `items` is the canonical JSON of its item list."""

    id: int
    reference: str
    revision: int
    partner: str
    kind: str
    reporter: str
    reported_on: date
    items: str
    cost_minor: int
    illustrative: bool
    content_hash: str


@dataclass(frozen=True, slots=True)
class ValuationRow:
    """A consultant's valuation of one cost-report revision; `evidence` is canonical JSON."""

    id: int
    cost_report_id: int
    reference: str
    consultant: str
    method: str
    assessed_minor: int
    valued_on: date
    evidence: str
    cost_report_hash: str
    content_hash: str


@dataclass(frozen=True, slots=True)
class RecommendationRow:
    """The committee's recommendation of the assessed value of one valuation."""

    id: int
    valuation_id: int
    committee: str
    assessed_minor: int
    recommended_on: date
    note: str
    valuation_hash: str
    content_hash: str


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _cost(r: Row[Any]) -> CostReportRow:
    return CostReportRow(
        int(r.id),
        r.reference,
        int(r.revision),
        r.partner,
        r.kind,
        r.reporter,
        _day(r.reported_on),
        r.items,
        int(r.cost_minor),
        bool(r.illustrative),
        r.content_hash,
    )


def _valuation(r: Row[Any]) -> ValuationRow:
    return ValuationRow(
        int(r.id),
        int(r.cost_report_id),
        r.reference,
        r.consultant,
        r.method,
        int(r.assessed_minor),
        _day(r.valued_on),
        r.evidence,
        r.cost_report_hash,
        r.content_hash,
    )


def _recommendation(r: Row[Any]) -> RecommendationRow:
    return RecommendationRow(
        int(r.id),
        int(r.valuation_id),
        r.committee,
        int(r.assessed_minor),
        _day(r.recommended_on),
        r.note,
        r.valuation_hash,
        r.content_hash,
    )


def _insert(
    conn: Connection, table: Table, fields: Mapping[str, Any], recorded_by: int, at: datetime
) -> int:
    key = conn.execute(
        table.insert().values(**fields, recorded_by=recorded_by, recorded_at=stamp(at))
    ).inserted_primary_key
    assert key is not None
    chain_inserted(conn, table, key)
    return int(key[0])


def insert_cost_report(
    conn: Connection, fields: Mapping[str, Any], *, recorded_by: int, at: datetime
) -> CostReportRow:
    """Store one revision of a cost report (the caller numbers the revision)."""
    new = _insert(conn, in_kind_cost_reports, fields, recorded_by, at)
    return cost_reports(conn, report_id=new)[0]


def insert_valuation(
    conn: Connection, fields: Mapping[str, Any], *, recorded_by: int, at: datetime
) -> ValuationRow:
    """Store a valuation report."""
    new = _insert(conn, in_kind_valuations, fields, recorded_by, at)
    return valuations(conn, valuation_id=new)[0]


def insert_recommendation(
    conn: Connection, fields: Mapping[str, Any], *, recorded_by: int, at: datetime
) -> RecommendationRow:
    """Store a recommendation."""
    new = _insert(conn, in_kind_recommendations, fields, recorded_by, at)
    return recommendations(conn, recommendation_id=new)[0]


def cost_reports(
    conn: Connection, *, reference: str | None = None, report_id: int | None = None
) -> list[CostReportRow]:
    """Cost-report revisions in the order they were recorded (optionally one reference's)."""
    t = in_kind_cost_reports
    stmt = select(t).order_by(t.c.id)
    if reference is not None:
        stmt = stmt.where(t.c.reference == reference)
    if report_id is not None:
        stmt = stmt.where(t.c.id == report_id)
    return [_cost(r) for r in conn.execute(stmt)]


def latest_revision(conn: Connection, reference: str) -> int:
    """The highest revision stored for a reference (0 when none)."""
    t = in_kind_cost_reports
    found = conn.execute(select(func.max(t.c.revision)).where(t.c.reference == reference))
    return int(found.scalar() or 0)


def valuations(
    conn: Connection, *, cost_report_ids: list[int] | None = None, valuation_id: int | None = None
) -> list[ValuationRow]:
    """Valuations in the order they were recorded."""
    t = in_kind_valuations
    stmt = select(t).order_by(t.c.id)
    if cost_report_ids is not None:
        stmt = stmt.where(t.c.cost_report_id.in_(cost_report_ids))
    if valuation_id is not None:
        stmt = stmt.where(t.c.id == valuation_id)
    return [_valuation(r) for r in conn.execute(stmt)]


def recommendations(
    conn: Connection,
    *,
    valuation_ids: list[int] | None = None,
    recommendation_id: int | None = None,
) -> list[RecommendationRow]:
    """Recommendations in the order they were recorded."""
    t = in_kind_recommendations
    stmt = select(t).order_by(t.c.id)
    if valuation_ids is not None:
        stmt = stmt.where(t.c.valuation_id.in_(valuation_ids))
    if recommendation_id is not None:
        stmt = stmt.where(t.c.id == recommendation_id)
    return [_recommendation(r) for r in conn.execute(stmt)]
