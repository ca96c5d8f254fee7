"""How a proposal reads in the list and on its page: its subject and amount, whether it awaits
the viewer, and the step that follows its execution (presentation only; the rules stay in
`governance` and `fund`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jointfund.errors import InputError
from jointfund.governance import Proposal, ProposalKind, ProposalStatus, Role, User, payloads
from jointfund.i18n import N_, gettext
from jointfund.money import format_amount


def _read(kind: ProposalKind, payload: Mapping[str, Any]) -> tuple[str, int | None, str]:
    """The subject, amount (minor units) and currency a payload names, read as the fund
    reads it; a payload that no longer reads names nothing."""
    try:
        if kind is ProposalKind.INVESTMENT:
            bought = payloads.investment(payload)
            return bought.name, bought.amount_minor, bought.currency
        if kind is ProposalKind.DISTRIBUTION:
            paid = payloads.distribution(payload)
            return "", paid.amount_minor, paid.currency
        if kind in (ProposalKind.VALUATION_MARK, ProposalKind.WRITE_DOWN):
            marked = payloads.mark(payload, default_method="")
            return marked.investment_id, marked.fair_value_minor, marked.currency
        if kind is ProposalKind.IN_KIND_VALUATION:
            valued = payloads.in_kind_valuation(payload)
            words = gettext(N_("in-kind recommendation #{number}"))
            return (
                words.format(number=valued.recommendation_id),
                valued.assessed_minor,
                valued.currency,
            )
        if kind is ProposalKind.ADMIT_PARTNER:
            return payloads.admit_partner(payload).name, None, ""
        if kind is ProposalKind.TERM_CHANGE:
            return payloads.term_change(payload).preset or "", None, ""
        if kind is ProposalKind.PERIOD_CLOSE:
            return payloads.period_close(payload).through.isoformat(), None, ""
    except InputError:
        pass
    return "", None, ""


def subject(kind: ProposalKind, payload: Mapping[str, Any]) -> str:
    """What the decision is about, in a few words (an investment's name, a contribution's
    number); empty when the payload names nothing more than its kind."""
    return _read(kind, payload)[0]


def amount(kind: ProposalKind, payload: Mapping[str, Any]) -> str | None:
    """The decision's amount with its currency, grouped (the page localises the digits), or
    None for kinds without one."""
    _, minor, currency = _read(kind, payload)
    return None if minor is None else f"{format_amount(minor, currency, grouping=True)} {currency}"


def awaits(proposal: Proposal, status: ProposalStatus, me: User, approved: bool) -> bool:
    """True when the proposal is open and `me` sits on the board and has not approved it."""
    return (
        status is ProposalStatus.OPEN
        and me.role is Role.BOARD_MANAGER
        and me.partner is not None
        and not approved
    )


def next_step(proposal: Proposal, status: ProposalStatus) -> dict[str, str] | None:
    """What follows an executed decision, and where it is done: an investment committed is
    paid by disbursements the administrator records."""
    if status is ProposalStatus.EXECUTED and proposal.kind is ProposalKind.INVESTMENT:
        investment = str(proposal.payload.get("investment_id", ""))
        if investment:
            return {
                "text": gettext(
                    N_("Next: record the disbursements that pay investment {id}.")
                ).format(id=investment),
                "href": f"/investments/{investment}/disburse",
                "action": "investments.record",
            }
    return None
