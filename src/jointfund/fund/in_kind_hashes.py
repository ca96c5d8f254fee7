"""What each in-kind step's SHA-256 covers: its own content and the hash of the step before."""

from __future__ import annotations

import hashlib
from typing import Any

from jointfund.ledger.hashing import canonical_json
from jointfund.store import in_kind_reports as rows


def digest(content: dict[str, Any]) -> str:
    """The SHA-256 of a step's content, spelled as canonical JSON."""
    return hashlib.sha256(canonical_json(content).encode()).hexdigest()


def cost_report_content(r: rows.CostReportRow) -> dict[str, Any]:
    """What a cost report's hash covers."""
    return {
        "reference": r.reference,
        "revision": r.revision,
        "partner": r.partner,
        "kind": r.kind,
        "reporter": r.reporter,
        "reported_on": r.reported_on.isoformat(),
        "items": r.items,
        "cost_minor": r.cost_minor,
        "illustrative": r.illustrative,
    }


def valuation_content(v: rows.ValuationRow) -> dict[str, Any]:
    """What a valuation's hash covers (the cost report's hash included)."""
    return {
        "cost_report_hash": v.cost_report_hash,
        "reference": v.reference,
        "consultant": v.consultant,
        "method": v.method,
        "assessed_minor": v.assessed_minor,
        "valued_on": v.valued_on.isoformat(),
        "evidence": v.evidence,
    }


def recommendation_content(r: rows.RecommendationRow) -> dict[str, Any]:
    """What a recommendation's hash covers (the valuation's hash included)."""
    return {
        "valuation_hash": r.valuation_hash,
        "committee": r.committee,
        "assessed_minor": r.assessed_minor,
        "recommended_on": r.recommended_on.isoformat(),
        "note": r.note,
    }
