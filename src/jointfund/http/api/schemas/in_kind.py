"""In-kind aid as reported: what the API takes for each step and shows for each chain."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field


class CostItemIn(BaseModel):
    """One line of a cost report."""

    description: str = Field(min_length=1, max_length=200)
    cost: str = Field(description="Decimal USD string, e.g. 12500000.00")


class CostReportIn(BaseModel):
    """The cost the Ministry of Defence reports (Res. 1411); same reference, other figures:
    its next revision."""

    reference: str = Field(min_length=1, max_length=200)
    reported_on: date
    items: list[CostItemIn] = Field(min_length=1, max_length=500)
    partner: str = Field(default="US", min_length=1, max_length=8)
    kind: str = Field(default="military_aid", min_length=1, max_length=64)
    reporter: str = Field(default="Ministry of Defence of Ukraine", max_length=200)
    illustrative: bool = False


class EvidenceIn(BaseModel):
    """A document a valuation rests on, named and hashed."""

    reference: str = Field(min_length=1, max_length=200)
    sha256: str = Field(min_length=64, max_length=64, pattern=r"^[0-9a-f]{64}$")


class ValuationIn(BaseModel):
    """The evaluation consultant's valuation of a cost report's current revision."""

    cost_report: str = Field(min_length=1, max_length=200)
    reference: str = Field(min_length=1, max_length=200)
    consultant: str = Field(min_length=1, max_length=200)
    method: str = Field(min_length=1, max_length=2000)
    assessed_value: str = Field(description="Decimal USD string")
    valued_on: date
    evidence: list[EvidenceIn] = Field(min_length=1, max_length=200)


class RecommendationIn(BaseModel):
    """The Audit Committee's recommendation of the valuation's assessed value."""

    valuation_id: int = Field(ge=1, lt=2**31)
    assessed_value: str = Field(description="The value read: the valuation's, decimal USD")
    recommended_on: date
    note: str = Field(default="", max_length=2000)


class InKindProposalIn(BaseModel):
    """Put a cost report's recommended value to the board."""

    cost_report: str = Field(min_length=1, max_length=200)
    on: date | None = None


class StepOut(BaseModel):
    """A step recorded: its id, hash and whether this call created it."""

    id: int
    hash: str
    created: bool


class InKindProposalOut(BaseModel):
    """The proposal the board approves, with the hash each approval names."""

    id: int
    payload: dict[str, Any]
    payload_hash: str


class InKindChainOut(BaseModel):
    """A cost report's chain: cost → valuation → recommendation → approval → booked."""

    reference: str
    partner: str
    reporter: str
    reported_on: date
    revision: int
    cost: str
    items: list[dict[str, Any]]
    illustrative: bool
    cost_report_hash: str
    valuation: dict[str, Any] | None
    recommendation: dict[str, Any] | None
    proposal: dict[str, Any] | None
    booked: dict[str, Any] | None
    needed: str = Field(description="valuation, recommendation, proposal, approvals, "
                        "nothing, or not_booked (illustrative)")  # fmt: skip
