"""Contribution rules: who may contribute cash or in kind, approved by which action."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jointfund.errors import InputError, Problem
from jointfund.i18n.message import Message
from jointfund.money import from_decimal
from jointfund.terms.schema import Action, ContributionForm, TermSheet


@dataclass(frozen=True, slots=True)
class ContributionDecision:
    """Whether a contribution counts as capital, and which board action must approve it first."""

    accepted: bool
    partner: str
    form: ContributionForm
    approval: Action | None = None
    reason: str | None = None


def _refuse(partner: str, form: ContributionForm, reason: str) -> ContributionDecision:
    """A contribution the terms do not count."""
    return ContributionDecision(False, partner, form, None, reason)


def assess_contribution(
    terms: TermSheet,
    *,
    partner: str,
    form: ContributionForm | str,
    provided_on: date,
    kind: str | None = None,
) -> ContributionDecision:
    """Decide whether a cash or in-kind contribution counts, and what approval it needs."""
    form = ContributionForm(form)
    if partner not in terms.partner_ids:
        raise InputError(
            [
                Problem(
                    Message("unknown partner {partner!r}", partner=partner),
                    field="partner",
                    expected=str(terms.partner_ids),
                )
            ]
        )
    if provided_on < terms.entry_into_force:
        return _refuse(
            partner,
            form,
            Message(
                "provided on {provided_on}, before entry into force on {entry_into_force}; only "
                "contribution.past_aid counts earlier aid",
                provided_on=provided_on,
                entry_into_force=terms.entry_into_force,
            ),
        )
    rules = terms.contribution
    if form is ContributionForm.CASH:
        if partner not in rules.cash_partners:
            return _refuse(
                partner,
                form,
                Message(
                    "{id} has no cash contributions from {partner}", id=terms.id, partner=partner
                ),
            )
        return ContributionDecision(True, partner, form)
    in_kind = rules.in_kind
    if in_kind is None or partner not in in_kind.partners:
        return _refuse(
            partner,
            form,
            Message(
                "{id} has no in-kind contributions from {partner}", id=terms.id, partner=partner
            ),
        )
    if kind not in in_kind.kinds:
        return _refuse(
            partner,
            form,
            Message("in-kind {kind!r} is not one of {kinds}", kind=kind, kinds=list(in_kind.kinds)),
        )
    return ContributionDecision(True, partner, form, approval=in_kind.approval)


def past_aid_counts(terms: TermSheet) -> bool:
    """Tell whether aid given before the fund is booked as capital (March 2025 U.S. draft)."""
    return terms.contribution.past_aid is not None


def past_aid_minor(terms: TermSheet) -> int:
    """The past aid booked as the initial contribution, in minor units (0 when none counts)."""
    aid = terms.contribution.past_aid
    return 0 if aid is None else from_decimal(aid.amount, terms.reporting_currency)
