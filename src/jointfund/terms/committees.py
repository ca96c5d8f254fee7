"""Governance as reported: committees and their seats, the general partner, reserved matters.

The 30 Apr 2025 agreement's limited-partnership agreement is not public; what is known comes
from the Ministry of Economy, a leak (ZN) and reports of the board's meetings. Each fact here
carries its sources and how sure it is (`Standing`), so pages and reports can say so. A decision
kind routed to a committee needs that committee's recommendation of the exact payload before
the board may approve it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from jointfund.i18n.message import Message
from jointfund.terms.actions import Action, ApprovalKind

_PartnerId = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,8}$")]
_Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
_Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]


class Decision(StrEnum):
    """Every kind of decision a proposal carries (the proposal kinds), named for routing."""

    INVESTMENT = "investment"
    IN_KIND_VALUATION = "in_kind_valuation"
    DISTRIBUTION = "distribution"
    WRITE_DOWN = "write_down"
    TERM_CHANGE = "term_change"
    ADMIT_PARTNER = "admit_partner"
    VALUATION_MARK = "valuation_mark"
    JOURNAL_ENTRY = "journal_entry"
    PERIOD_CLOSE = "period_close"
    BOARD_RESOLUTION = "board_resolution"


DECISION_ACTIONS: Mapping[Decision, Action] = {
    Decision.INVESTMENT: Action.INVESTMENT,
    Decision.IN_KIND_VALUATION: Action.IN_KIND_VALUATION,
    Decision.DISTRIBUTION: Action.DISTRIBUTION,
    Decision.WRITE_DOWN: Action.WRITE_DOWN,
    Decision.TERM_CHANGE: Action.TERM_CHANGE,
    Decision.ADMIT_PARTNER: Action.ADMIT_PARTNER,
    # Not reserved board decisions: they take the terms' rule for `other`.
    Decision.VALUATION_MARK: Action.OTHER,
    Decision.JOURNAL_ENTRY: Action.OTHER,
    Decision.PERIOD_CLOSE: Action.OTHER,
    Decision.BOARD_RESOLUTION: Action.OTHER,
}
"""The term-sheet action whose approval rule governs each decision kind."""


class Standing(StrEnum):
    """How sure a governance fact is: reported by an official source, uncertain (a single
    secondary source, or sources that conflict), or the project's own assumption."""

    REPORTED = "reported"
    UNCERTAIN = "uncertain"
    ASSUMED = "assumed"


class ReservedTo(StrEnum):
    """Who a reserved matter belongs to: the board, both partners, or one partner's managers."""

    BOARD = "board"
    BOTH_PARTNERS = "both_partners"
    PARTNER = "partner"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Citation(_Model):
    """A public text a governance fact rests on, and what it says."""

    url: _Url
    note: str = ""


class Recommendation(_Model):
    """How a committee's members reach a recommendation (the board's rule kinds)."""

    rule: ApprovalKind = ApprovalKind.EACH_PARTNER
    veto_partner: _PartnerId | None = None


class Committee(_Model):
    """A committee of the board: seats per partner, its voting rule, and how sure we are."""

    id: _Slug
    name: Annotated[str, StringConstraints(min_length=1)]
    name_uk: str = ""
    seats: dict[_PartnerId, Annotated[int, Field(ge=0, le=20)]]
    standing: Standing
    sources: Annotated[tuple[Citation, ...], Field(min_length=1)]
    note: str = ""  # what else is reported, e.g. a conflicting ratio
    recommendation: Recommendation = Recommendation()
    recommendation_standing: Standing = Standing.ASSUMED

    @property
    def voting_partners(self) -> tuple[str, ...]:
        """Partners holding at least one seat, in the sheet's seat order."""
        return tuple(pid for pid, n in self.seats.items() if n > 0)

    @property
    def ratio(self) -> str:
        """The seats as reported, "3:2" in the sheet's partner order."""
        return ":".join(str(n) for n in self.seats.values())


class Route(_Model):
    """One decision kind that passes through a committee before the board."""

    decision: Decision
    committee: _Slug
    standing: Standing
    source: _Url | None = None
    note: str = ""


class GeneralPartner(_Model):
    """The entity through which one partner's managers act (the U.S. side's LLC)."""

    name: Annotated[str, StringConstraints(min_length=1)]
    name_uk: str = ""
    acts_for: _PartnerId
    jurisdiction: str = ""
    standing: Standing = Standing.REPORTED
    sources: Annotated[tuple[Citation, ...], Field(min_length=1)]


class ReservedMatter(_Model):
    """A matter only the board, both partners or one partner's managers may decide."""

    id: _Slug
    what: Annotated[str, StringConstraints(min_length=1)]
    what_uk: str = ""
    decisions: tuple[Decision, ...] = ()
    reserved_to: ReservedTo
    partner: _PartnerId | None = None
    standing: Standing
    sources: tuple[Citation, ...] = ()


def committee_problems(
    partners: Sequence[str],
    approvals: Mapping[Action, ApprovalKind],
    committees: Sequence[Committee],
    routes: Sequence[Route],
    general_partner: GeneralPartner | None,
    reserved: Sequence[ReservedMatter],
) -> list[tuple[str, str]]:
    """(key path, message) for every committee, route or reserved matter that does not fit the
    sheet's partners and approval rules; `approvals` falls back to `other` for a missing action."""
    known = set(partners)
    out: list[tuple[str, str]] = []
    ids = [c.id for c in committees]
    for i, committee in enumerate(committees):
        path = f"governance.committees[{i}]"
        if ids.index(committee.id) != i:
            out.append(
                (f"{path}.id", Message("committee {id!r} is declared twice", id=committee.id))
            )
        for pid in committee.seats:
            if pid not in known:
                out.append(
                    (
                        f"{path}.seats",
                        Message(
                            "unknown partner {pid!r}; partners are {partners}",
                            pid=pid,
                            partners=partners,
                        ),
                    )
                )
        if not committee.voting_partners:
            out.append((f"{path}.seats", Message("a committee needs at least one seat")))
        veto = committee.recommendation.veto_partner
        if veto is not None and committee.recommendation.rule is not ApprovalKind.MAJORITY:
            out.append(
                (f"{path}.recommendation.veto_partner", Message("a veto only applies to majority"))
            )
        if veto is not None and veto not in committee.voting_partners:
            out.append(
                (
                    f"{path}.recommendation.veto_partner",
                    Message("{veto} has no seat here", veto=veto),
                )
            )
    routed: set[Decision] = set()
    for i, route in enumerate(routes):
        path = f"governance.routes[{i}]"
        if route.committee not in ids:
            out.append(
                (
                    f"{path}.committee",
                    Message(
                        "no committee {committee!r}; known: {ids}",
                        committee=route.committee,
                        ids=ids,
                    ),
                )
            )
        if route.decision in routed:
            out.append(
                (f"{path}.decision", Message("{value} is routed twice", value=route.decision.value))
            )
        routed.add(route.decision)
    if general_partner is not None and general_partner.acts_for not in known:
        out.append(
            (
                "governance.general_partner.acts_for",
                Message("unknown partner {acts_for!r}", acts_for=general_partner.acts_for),
            )
        )
    for i, matter in enumerate(reserved):
        path = f"governance.reserved[{i}]"
        if (matter.reserved_to is ReservedTo.PARTNER) != (matter.partner is not None):
            out.append(
                (f"{path}.partner", Message("name a partner exactly when reserved_to is partner"))
            )
        if matter.partner is not None and matter.partner not in known:
            out.append(
                (f"{path}.partner", Message("unknown partner {partner!r}", partner=matter.partner))
            )
        if matter.reserved_to is ReservedTo.BOTH_PARTNERS:
            for decision in matter.decisions:
                kind = approvals.get(DECISION_ACTIONS[decision], approvals.get(Action.OTHER))
                if kind not in (ApprovalKind.UNANIMOUS, ApprovalKind.EACH_PARTNER):
                    out.append(
                        (
                            f"{path}.decisions",
                            Message(
                                "{value} is reserved to both partners, but its approval rule "
                                "({kind}) lets one partner decide alone",
                                value=decision.value,
                                kind=kind,
                            ),
                        )
                    )
    return out
