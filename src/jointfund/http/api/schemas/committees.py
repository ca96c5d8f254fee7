"""Shapes of governance as reported: committees, routes, the general partner, reserved matters,
and a proposal's committee step."""

from __future__ import annotations

from pydantic import BaseModel, Field


class CitationOut(BaseModel):
    """A public text a governance fact rests on."""

    url: str
    note: str


class RouteOut(BaseModel):
    """A proposal kind the committee recommends before the board decides."""

    decision: str
    standing: str = Field(description="reported, uncertain or assumed")
    source: str | None
    note: str


class CommitteeOut(BaseModel):
    """A committee: seats per partner as reported, its rule, members and routes."""

    id: str
    name: str
    name_uk: str
    seats: dict[str, int]
    ratio: str = Field(description="Seats in the terms' partner order, e.g. 3:2 (U.S.:UA)")
    standing: str = Field(description="reported, uncertain or assumed")
    note: str
    rule: str = Field(description="How members recommend: unanimous, each_partner or majority")
    rule_standing: str
    sources: list[CitationOut]
    members: dict[str, list[str]]
    routes: list[RouteOut]


class GeneralPartnerOut(BaseModel):
    """The entity one partner's managers act through."""

    name: str
    name_uk: str
    acts_for: str
    jurisdiction: str
    standing: str
    sources: list[CitationOut]


class ReservedMatterOut(BaseModel):
    """A matter only the board, both partners or one partner's managers decide."""

    id: str
    what: str
    what_uk: str
    decisions: list[str]
    reserved_to: str = Field(description="board, both_partners or partner")
    partner: str | None
    standing: str
    sources: list[CitationOut]


class GovernanceOut(BaseModel):
    """Governance under the terms in force."""

    terms_id: str
    general_partner: GeneralPartnerOut | None
    committees: list[CommitteeOut]
    reserved: list[ReservedMatterOut]


class CommitteeStepOut(BaseModel):
    """A proposal's committee step: who recommended its current payload, and is it enough."""

    committee: str
    name: str
    rule: str
    route_standing: str
    recommended_by: dict[str, list[str]] = Field(description="User ids per partner")
    recommended: bool


class RecommendIn(BaseModel):
    """A committee member's recommendation, bound to the payload hash reviewed."""

    payload_hash: str = Field(min_length=64, max_length=64, pattern="^[0-9a-f]{64}$")
