"""The term-sheet model: frozen pydantic models for every rule family, checked across sections."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    model_validator,
)

from jointfund.i18n import N_
from jointfund.i18n.message import Message
from jointfund.money import Rounding
from jointfund.terms.actions import Action as Action
from jointfund.terms.actions import ApprovalKind as ApprovalKind
from jointfund.terms.catalogue import RevenueStream, closest_resource, find_resource
from jointfund.terms.committees import (
    Committee,
    GeneralPartner,
    ReservedMatter,
    Route,
)
from jointfund.terms.cycle import ContributionCycle
from jointfund.terms.quantities import MoneyAmount, Multiple, Share
from jointfund.terms.said_errors import said_error

PartnerId = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,8}$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]


class Status(StrEnum):
    """How far a text got: a negotiating draft, a signed framework, or the agreement in force."""

    DRAFT = "draft"
    FRAMEWORK = "framework"
    AGREEMENT = "agreement"


class Basis(StrEnum):
    """Whether the fund's share is taken from gross receipts or from receipts net of costs."""

    GROSS = "gross"
    NET_OF_COSTS = "net_of_costs"


class LicenceScope(StrEnum):
    """Which licences feed the fund: only new ones, or every licence."""

    NEW_ONLY = "new_only"
    ALL = "all"


class Territory(StrEnum):
    """Who controls the licence area now."""

    CONTROLLED = "controlled"
    FRONTLINE = "frontline"
    OCCUPIED = "occupied"


class Instrument(StrEnum):
    """The legal instrument the receipts arise under."""

    SPECIAL_PERMIT = "special_permit"
    PSA = "psa"


class CreditTo(StrEnum):
    """Where an inflow lands: a partner's capital account, or the fund's income."""

    CAPITAL = "capital"
    FUND_INCOME = "fund_income"


class ContributionForm(StrEnum):
    """How a partner contributes outside the revenue inflow."""

    CASH = "cash"
    IN_KIND = "in_kind"


class DistributionMethod(StrEnum):
    """How distributable cash is split between partners."""

    PRO_RATA = "pro_rata"
    SENIOR_THEN_PRO_RATA = "senior_then_pro_rata"
    FIXED_SHARES = "fixed_shares"


class _Model(BaseModel):
    """Base for every section: immutable, and unknown keys are errors, not silently dropped."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


def _resource_selection(value: object) -> str | tuple[str, ...]:
    """Accept "covered", "all" or a list of resource names, resolved to canonical slugs."""
    if value in ("covered", "all"):
        return str(value)
    if not isinstance(value, list | tuple) or not value:
        raise said_error(
            "resource_selection",
            N_('resources must be "covered", "all" or a non-empty list of resources'),
            {"expected": Message('"covered", "all" or a list such as [lithium, graphite]')},
        )
    slugs: list[str] = []
    for item in value:
        found = find_resource(item) if isinstance(item, str) else None
        if found is None:
            hint = closest_resource(item) if isinstance(item, str) else None
            raise said_error(
                "unknown_resource",
                N_("unknown resource '{name}'"),
                {"name": item, "expected": hint or Message("a resource slug such as lithium")},
            )
        slugs.append(found.slug)
    return tuple(dict.fromkeys(slugs))


ResourceSelection = Annotated[str | tuple[str, ...], PlainValidator(_resource_selection)]
_ALL_TERRITORIES = tuple(Territory)
_ALL_INSTRUMENTS = tuple(Instrument)


class Source(_Model):
    """A public text a term sheet rests on."""

    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
    note: str = ""


class Metadata(_Model):
    """What text a term sheet encodes, where it comes from, and what it had to assume."""

    id: Slug
    title: Annotated[str, StringConstraints(min_length=1)]
    title_uk: str = ""  # the title in Ukrainian, as the Ukrainian text names it
    text_date: date
    status: Status
    sources: Annotated[tuple[Source, ...], Field(min_length=1)]
    assumptions: tuple[str, ...] = ()


class Partner(_Model):
    """One owner of the fund and the legal entity that holds its interest."""

    id: PartnerId
    name: str
    legal_entity: str
    name_uk: str = ""  # the partner and its legal entity in Ukrainian
    legal_entity_uk: str = ""


class InflowRule(_Model):
    """Which state receipts flow into the fund, at what share and basis, credited to whom."""

    id: Slug
    streams: Annotated[tuple[RevenueStream, ...], Field(min_length=1)]
    share: Share
    basis: Basis
    licences: LicenceScope
    new_from: date | None = None  # None: the term sheet's entry_into_force
    resources: ResourceSelection
    territories: Annotated[tuple[Territory, ...], Field(min_length=1)] = _ALL_TERRITORIES
    instruments: Annotated[tuple[Instrument, ...], Field(min_length=1)] = _ALL_INSTRUMENTS
    # Share for assets occupied at signing once liberated (21 Feb 2025 draft); None: same share.
    liberated_share: Share | None = None
    credit_partner: PartnerId
    credit_to: CreditTo
    rounding: Rounding = Rounding.HALF_EVEN


class InKindRule(_Model):
    """Which partners may contribute in kind, what, and the board action that approves the
    one assessed value (the Agreement states no valuation method; the forecast keeps the
    analysis bases)."""

    partners: Annotated[tuple[PartnerId, ...], Field(min_length=1)]
    kinds: Annotated[tuple[str, ...], Field(min_length=1)]
    approval: Action = Action.IN_KIND_VALUATION
    after_entry_into_force: bool = True

    @model_validator(mode="before")
    @classmethod
    def _drop_valuation_bases(cls, data: object) -> object:
        """Term sheets adopted before the bases left the books still name them: ignored."""
        if isinstance(data, dict) and "valuation_bases" in data:
            return {k: v for k, v in data.items() if k != "valuation_bases"}
        return data


class PastAid(_Model):
    """Aid given before the fund that a text books as a partner's initial contribution."""

    partner: PartnerId
    amount: MoneyAmount
    since: date
    note: str = ""


class ContributionRules(_Model):
    """Cash and in-kind contributions, and whether past aid counts as capital."""

    cash_partners: tuple[PartnerId, ...]
    in_kind: InKindRule | None = None
    past_aid: PastAid | None = None


class ThresholdRule(_Model):
    """Contributions continue until an agreed total, which a partner's later aid raises."""

    contributor: PartnerId
    total: MoneyAmount
    raised_by_aid_of: PartnerId | None = None
    raise_factor: Multiple = Decimal(1)
    match_partner: PartnerId | None = None
    match_multiple: Multiple | None = None


class PriorityRule(_Model):
    """One partner takes fund income first until its past-aid contribution is repaid with a rate."""

    senior_partner: PartnerId
    rate: Share
    compounding: Literal["annual"] = "annual"
    day_count: Literal["actual_actual_anniversary"] = "actual_actual_anniversary"
    accrues_from: date | None = None  # None: the term sheet's entry_into_force
    rounding: Rounding = Rounding.HALF_EVEN


class LockRule(_Model):
    """No distributions for this many years after entry into force; income is reinvested."""

    years: Annotated[int, Field(ge=1, le=100)]


class DistributionRule(_Model):
    """How distributable cash is split: pro rata to capital, fixed shares, or senior first."""

    method: DistributionMethod
    shares: dict[PartnerId, Share] | None = None
    residual_to: PartnerId | None = None


class ApprovalSpec(_Model):
    """The approval rule for one action; a veto partner's managers must agree by majority."""

    rule: ApprovalKind
    veto_partner: PartnerId | None = None


class GovernanceRules(_Model):
    """Board seats per partner, the approval each action needs, and (as reported, see
    terms/committees.py) the committees, the routes through them, the general partner and the
    reserved matters; the drafts name none of these."""

    seats: dict[PartnerId, Annotated[int, Field(ge=1, le=50)]]
    approvals: dict[Action, ApprovalSpec]
    committees: tuple[Committee, ...] = ()
    routes: tuple[Route, ...] = ()
    general_partner: GeneralPartner | None = None
    reserved: tuple[ReservedMatter, ...] = ()


class CrossReferenceError(ValueError):
    """Several sections disagree; carries one (key path, message) per disagreement."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{path}: {message}" for path, message in problems))


class TermSheet(_Model):
    """A whole term sheet: who the partners are and every rule family the engine applies."""

    metadata: Metadata
    partners: Annotated[tuple[Partner, ...], Field(min_length=2)]
    entry_into_force: date
    reporting_currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    inflow: tuple[InflowRule, ...]
    contribution: ContributionRules
    threshold: ThresholdRule | None = None
    priority: PriorityRule | None = None
    lock: LockRule | None = None
    distribution: DistributionRule
    governance: GovernanceRules
    # None: each receipt is credited on its own day (the 2025 drafts); see terms/cycle.py.
    cycle: ContributionCycle | None = None

    @property
    def id(self) -> str:
        """The term sheet's id, as cited in messages ("ua-us-2025-04-30-agreement")."""
        return self.metadata.id

    @property
    def partner_ids(self) -> tuple[str, ...]:
        """Partner ids in declaration order, the order every per-partner split uses."""
        return tuple(p.id for p in self.partners)

    @model_validator(mode="after")
    def _check_references(self) -> TermSheet:
        """Gather every cross-section inconsistency, each with its key path."""
        from jointfund.terms.cross_references import reference_problems  # it reads the model

        problems = reference_problems(self)
        if problems:
            raise CrossReferenceError(problems)
        return self
