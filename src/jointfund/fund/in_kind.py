"""In-kind aid as reported: the Ministry of Defence's cost report, the evaluation consultant's
valuation with its evidence, and the Audit Committee's recommendation of one assessed value.

None of these books anything: the board's approval of the recommended assessed value does
(`fund.in_kind_credit`). Every step is a new row carrying the SHA-256 of its content, which
names the hash of the step before it, so a later change shows in every step after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from jointfund import clock
from jointfund.errors import ConflictError, GovernanceError, InputError, NotFoundError, Problem
from jointfund.fund import committees, door
from jointfund.fund.in_kind_fields import day_problems, positive, required_text
from jointfund.fund.in_kind_hashes import (
    cost_report_content,
    digest,
    recommendation_content,
    valuation_content,
)
from jointfund.fund.setup import terms_in_force
from jointfund.governance import Interface, Role, User
from jointfund.i18n.message import Message
from jointfund.ledger.hashing import canonical_json
from jointfund.store import Database, Tx
from jointfund.store import in_kind_reports as rows
from jointfund.store.contributions import list_contributions
from jointfund.terms import ContributionForm, TermSheet, assess_contribution

__all__ = [
    "Evidence",
    "Item",
    "Recommender",
    "credit_key",
    "file_cost_report",
    "file_valuation",
    "may_recommend",
    "recommend",
    "recommending_committee",
]

MINISTRY_OF_DEFENCE = "Ministry of Defence of Ukraine"
_SHA256_HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True, slots=True)
class Item:
    """One line of a cost report: what was delivered and its cost in USD minor units."""

    description: str
    cost_minor: int


@dataclass(frozen=True, slots=True)
class Evidence:
    """A document a valuation rests on: its reference and the SHA-256 of its bytes."""

    reference: str
    sha256: str


@dataclass(frozen=True, slots=True)
class Recommender:
    """The committee whose recommendation the board approves: its code and its name."""

    committee: str
    label: str


AUDIT_COMMITTEE = "audit"
"""The committee whose member records an in-kind recommendation (ZN, as reported: the
contribution-evaluation consultant works under the Audit Committee). Its recorded
recommendation is that committee's step: an `in_kind_valuation` proposal has no second
committee vote in the term sheet's routes."""


def recommending_committee(terms: TermSheet) -> Recommender:
    """The committee that recommends an in-kind assessed value to the board: the term sheet's
    Audit Committee when it has committees, else the role the board managers fill for it."""
    found = next((c for c in terms.governance.committees if c.id == AUDIT_COMMITTEE), None)
    # The stored code stays `audit_committee` (the calendar's `audit` is a deadline kind).
    return Recommender("audit_committee", found.name if found else "Audit Committee")


def may_recommend(tx: Tx, terms: TermSheet, user: User) -> bool:
    """Whether `user` may record the committee's recommendation: a sitting member of the
    term sheet's Audit Committee; under terms with no committees (the 2025 drafts), a sitting
    board manager of either partner records it for the committee."""
    if not (user.active and user.role is Role.BOARD_MANAGER):
        return False
    if not any(c.id == AUDIT_COMMITTEE for c in terms.governance.committees):
        return True
    seated = committees.sitting_members(tx).get(AUDIT_COMMITTEE, {})
    return any(str(user.id) in ids for ids in seated.values())


def credit_key(partner: str, reference: str) -> str:
    """The contribution key of the credit a cost report leads to: one credit per report."""
    return f"contribution:in_kind:{partner}:{reference}"


def _credited(tx: Tx, partner: str, reference: str) -> bool:
    key = credit_key(partner, reference)
    return any(c.key == key for c in list_contributions(tx) if c.form == "in_kind")


def current_cost_report(tx: Tx, reference: str) -> rows.CostReportRow:
    """The latest revision of a cost report."""
    found = rows.cost_reports(tx, reference=reference)
    if not found:
        raise NotFoundError(Message("no in-kind cost report {reference!r}", reference=reference))
    return found[-1]


def file_cost_report(
    db: Database,
    actor: User,
    *,
    reference: str,
    reported_on: date,
    items: Sequence[Item],
    partner: str = "US",
    kind: str = "military_aid",
    reporter: str = MINISTRY_OF_DEFENCE,
    illustrative: bool = False,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> tuple[rows.CostReportRow, bool]:
    """Record the cost the Ministry of Defence reports for new assistance (Res. 1411).

    The same report again changes nothing; other figures under the same reference are its
    next revision, which leaves any valuation of the earlier one behind. (row, created)
    """
    moment = now or clock.utcnow()
    problems: list[Problem] = []
    ref = required_text(reference, "reference", problems)
    who = required_text(reporter, "reporter", problems)
    problems += day_problems(reported_on, "reported_on", moment, None)
    if not items:
        problems.append(Problem(Message("a cost report lists at least one item"), field="items"))
    for i, item in enumerate(items, start=1):
        required_text(item.description, f"items[{i}].description", problems)
        if not positive(item.cost_minor):
            problems.append(
                Problem(Message("must be a positive USD amount"), field=f"items[{i}].cost")
            )
    if problems:
        raise InputError(problems)
    listed = [{"description": x.description.strip(), "cost_minor": x.cost_minor} for x in items]
    with door.act(db, actor, "contributions.record", interface=interface, now=moment) as act:
        sheet = terms_in_force(act.tx)
        decision = assess_contribution(
            sheet, partner=partner, form=ContributionForm.IN_KIND, provided_on=reported_on,
            kind=kind,
        )  # fmt: skip
        if not decision.accepted:
            raise GovernanceError(
                Message(
                    "in-kind aid refused under {terms}: {reason}",
                    terms=sheet.id,
                    reason=decision.reason,
                )
            )
        revision = rows.latest_revision(act.tx, ref)
        fields: dict[str, Any] = {
            "reference": ref,
            "revision": revision,
            "partner": partner,
            "kind": kind,
            "reporter": who,
            "reported_on": reported_on,
            "items": canonical_json(listed),
            "cost_minor": sum(x.cost_minor for x in items),
            "illustrative": illustrative,
        }
        if revision:
            latest = current_cost_report(act.tx, ref)
            if digest(cost_report_content(rows.CostReportRow(0, content_hash="", **fields))) == (
                latest.content_hash
            ):
                act.unchanged()
                return latest, False
            if _credited(act.tx, latest.partner, ref):
                raise ConflictError(
                    Message("cost report {ref} is credited already; it cannot change", ref=ref)
                )
        fields["revision"] = revision + 1
        fields["content_hash"] = digest(
            cost_report_content(rows.CostReportRow(0, content_hash="", **fields))
        )
        row = rows.insert_cost_report(act.tx, fields, recorded_by=act.user.id, at=act.now)
        act.note(
            "in_kind.cost_report",
            f"in_kind_cost_report:{row.id}",
            {"reference": ref, "revision": row.revision, "hash": row.content_hash},
        )
    return row, True


def _evidence_problems(evidence: Sequence[Evidence]) -> list[Problem]:
    problems: list[Problem] = []
    if not evidence:
        problems.append(Problem(Message("a valuation attaches its evidence"), field="evidence"))
    for i, e in enumerate(evidence, start=1):
        required_text(e.reference, f"evidence[{i}].reference", problems)
        if len(e.sha256) != 64 or not set(e.sha256) <= _SHA256_HEX:
            problems.append(
                Problem(
                    Message("{value!r} is not a SHA-256", value=e.sha256[:80]),
                    field=f"evidence[{i}].sha256",
                    expected=Message("64 lower-case hex digits"),
                )
            )
    return problems


def file_valuation(
    db: Database,
    actor: User,
    *,
    cost_report: str,
    reference: str,
    consultant: str,
    method: str,
    assessed_minor: int,
    valued_on: date,
    evidence: Sequence[Evidence],
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> tuple[rows.ValuationRow, bool]:
    """Record the evaluation consultant's valuation of the current revision of a cost report.

    The newest valuation of a report is the one in force: a recommendation of an earlier one
    no longer counts. The same valuation again changes nothing. (row, created)
    """
    moment = now or clock.utcnow()
    problems: list[Problem] = []
    ref = required_text(reference, "reference", problems)
    who = required_text(consultant, "consultant", problems)
    how = required_text(method, "method", problems, limit=2000)
    if not positive(assessed_minor):
        problems.append(Problem(Message("must be a positive USD amount"), field="assessed_value"))
    problems += _evidence_problems(evidence)
    problems += day_problems(valued_on, "valued_on", moment, None)
    if problems:
        raise InputError(problems)
    attached = sorted(
        ({"reference": e.reference.strip(), "sha256": e.sha256} for e in evidence),
        key=lambda e: (e["reference"], e["sha256"]),
    )
    with door.act(db, actor, "contributions.record", interface=interface, now=moment) as act:
        cost = current_cost_report(act.tx, cost_report.strip())
        if valued_on < cost.reported_on:
            raise InputError(
                [
                    Problem(
                        Message(
                            "{valued_on} is before the cost report's {reported_on}",
                            valued_on=valued_on,
                            reported_on=cost.reported_on,
                        ),
                        field="valued_on",
                        expected=Message(">= {day}", day=cost.reported_on),
                    )
                ]
            )
        if _credited(act.tx, cost.partner, cost.reference):
            raise ConflictError(
                Message("cost report {reference} is credited already", reference=cost.reference)
            )
        fields: dict[str, Any] = {
            "cost_report_id": cost.id,
            "reference": ref,
            "consultant": who,
            "method": how,
            "assessed_minor": assessed_minor,
            "valued_on": valued_on,
            "evidence": canonical_json(attached),
            "cost_report_hash": cost.content_hash,
        }
        fields["content_hash"] = digest(
            valuation_content(rows.ValuationRow(0, content_hash="", **fields))
        )
        earlier = rows.valuations(act.tx, cost_report_ids=[cost.id])
        if earlier and earlier[-1].content_hash == fields["content_hash"]:
            act.unchanged()
            return earlier[-1], False
        row = rows.insert_valuation(act.tx, fields, recorded_by=act.user.id, at=act.now)
        act.note(
            "in_kind.valuation",
            f"in_kind_valuation:{row.id}",
            {"cost_report": cost.reference, "assessed": assessed_minor, "hash": row.content_hash},
        )
    return row, True


def current_valuation(tx: Tx, cost: rows.CostReportRow) -> rows.ValuationRow | None:
    """The newest valuation of a cost-report revision, if any."""
    found = rows.valuations(tx, cost_report_ids=[cost.id])
    return found[-1] if found else None


def recommend(
    db: Database,
    actor: User,
    *,
    valuation_id: int,
    assessed_minor: int,
    recommended_on: date,
    note: str = "",
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> tuple[rows.RecommendationRow, bool]:
    """Record the committee's recommendation of the assessed value of the valuation in force.

    `assessed_minor` is the value the committee read: it must be the valuation's. The same
    recommendation again changes nothing. (row, created)
    """
    moment = now or clock.utcnow()
    problems = day_problems(recommended_on, "recommended_on", moment, None)
    if not positive(assessed_minor):
        problems.append(Problem(Message("must be a positive USD amount"), field="assessed_value"))
    if len(note) > 2000:
        problems.append(Problem(Message("longer than 2000 characters"), field="note"))
    if problems:
        raise InputError(problems)
    with door.act(db, actor, "proposals.approve", interface=interface, now=moment) as act:
        sheet = terms_in_force(act.tx)
        committee = recommending_committee(sheet)
        if not may_recommend(act.tx, sheet, act.user):
            raise GovernanceError(
                Message(
                    "{user} does not sit on the {committee}, which recommends",
                    user=act.user.label,
                    committee=committee.label,
                )
            )
        found = rows.valuations(act.tx, valuation_id=valuation_id)
        if not found:
            raise NotFoundError(
                Message("no in-kind valuation {valuation_id}", valuation_id=valuation_id)
            )
        valuation = found[0]
        cost = rows.cost_reports(act.tx, report_id=valuation.cost_report_id)[0]
        latest = current_cost_report(act.tx, cost.reference)
        if latest.id != cost.id or current_valuation(act.tx, cost) != valuation:
            raise ConflictError(
                Message(
                    "valuation {valuation_id} is no longer the one in force for cost report "
                    "{reference}; recommend the newest valuation",
                    valuation_id=valuation_id,
                    reference=cost.reference,
                )
            )
        if assessed_minor != valuation.assessed_minor:
            raise InputError(
                [Problem(Message("the committee recommends the valuation's assessed value"),
                         field="assessed_value", expected=str(valuation.assessed_minor))]
            )  # fmt: skip
        if recommended_on < valuation.valued_on:
            raise InputError(
                [
                    Problem(
                        Message(
                            "{recommended_on} is before the valuation's {valued_on}",
                            recommended_on=recommended_on,
                            valued_on=valuation.valued_on,
                        ),
                        field="recommended_on",
                        expected=Message(">= {day}", day=valuation.valued_on),
                    )
                ]
            )
        if _credited(act.tx, cost.partner, cost.reference):
            raise ConflictError(
                Message("cost report {reference} is credited already", reference=cost.reference)
            )
        fields: dict[str, Any] = {
            "valuation_id": valuation.id,
            "committee": committee.committee,
            "assessed_minor": assessed_minor,
            "recommended_on": recommended_on,
            "note": note.strip(),
            "valuation_hash": valuation.content_hash,
        }
        fields["content_hash"] = digest(
            recommendation_content(rows.RecommendationRow(0, content_hash="", **fields))
        )
        earlier = rows.recommendations(act.tx, valuation_ids=[valuation.id])
        if earlier and earlier[-1].content_hash == fields["content_hash"]:
            act.unchanged()
            return earlier[-1], False
        row = rows.insert_recommendation(act.tx, fields, recorded_by=act.user.id, at=act.now)
        act.note(
            "in_kind.recommend",
            f"in_kind_recommendation:{row.id}",
            {"valuation": valuation.id, "assessed": assessed_minor, "hash": row.content_hash},
        )
    return row, True
