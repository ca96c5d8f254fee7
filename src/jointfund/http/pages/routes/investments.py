"""Recording a disbursement into a committed investment: a form, a review to confirm, and the
booking through the `fund` investments use case (the step after an investment is executed)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request, Response

from jointfund.clock import utcnow
from jointfund.dates import DAY_EXPECTED, day_or_reason
from jointfund.errors import InputError, Problem
from jointfund.fund import investments as cases
from jointfund.governance import Interface, User, require
from jointfund.http.csrf import CheckedForm, text
from jointfund.http.identity import CurrentUser
from jointfund.http.pages.responses import page, redirect
from jointfund.http.pages.route_class import PageRoute
from jointfund.http.session import flash
from jointfund.http.state import StateDep
from jointfund.i18n import N_, gettext, localise_numbers
from jointfund.i18n.message import Message
from jointfund.ledger.chart import REPORTING_CURRENCY
from jointfund.money import AmountError, format_amount, parse_amount

router = APIRouter(route_class=PageRoute, include_in_schema=False)
USD = REPORTING_CURRENCY


def _usd(minor: int) -> str:
    return f"{format_amount(minor, USD, grouping=True)} {USD}"


def _position(ctx: StateDep, user: User, investment_id: str) -> dict[str, Any]:
    held = cases.position(ctx.books, user, investment_id)
    row = held.investment
    return {
        "id": row.id,
        "name": row.name,
        "proposal_id": row.proposal_id,
        "committed_on": row.committed_on.isoformat(),
        "committed": _usd(row.committed),
        "disbursed": _usd(held.cost),
        "undrawn": _usd(held.undrawn),
        "undrawn_plain": str(format_amount(held.undrawn, USD)),
    }


def _read_form(form: CheckedForm) -> tuple[int, date, str, dict[str, str]]:
    """The amount, day and reference typed, or an InputError naming each field wrong."""
    typed = {k: text(form, k) for k in ("amount", "on", "reference")}
    problems: list[Problem] = []
    amount = 0
    try:
        amount = parse_amount(typed["amount"], USD, allow_negative=False)
    except AmountError as exc:
        problems.append(
            Problem(exc.problems[0].message, field="amount", expected=Message("e.g. 25000000.00"))
        )
    day, reason = day_or_reason(typed["on"])
    if day is None:
        problems.append(Problem(reason, field="on", expected=DAY_EXPECTED))
    if not typed["reference"]:
        problems.append(
            Problem(
                Message("a payment reference is required"),
                field="reference",
                expected=Message("e.g. SWIFT-1"),
            )
        )
    if problems or day is None:
        raise InputError(problems)
    return amount, day, typed["reference"], typed


@router.get("/investments/{investment_id}/disburse")
def disburse_page(
    request: Request, ctx: StateDep, user: CurrentUser, investment_id: str
) -> Response:
    """An investment's commitment, what is paid and undrawn, and the disbursement form."""
    data = {**_position(ctx, user, investment_id), "today": utcnow().date().isoformat()}
    title = gettext(N_("Disbursements to {name}")).format(name=data["name"])
    return page(request, ctx, "disburse.html", data, title=title)


@router.post("/investments/{investment_id}/disburse/review")
def review(
    request: Request, ctx: StateDep, user: CurrentUser, form: CheckedForm, investment_id: str
) -> Response:
    """The confirmation step: the disbursement as it will be booked, before it is."""
    require(user, "investments.record")  # before the form: a refusal says nothing of input
    held = _position(ctx, user, investment_id)
    amount, day, reference, _ = _read_form(form)
    data = {
        **held,
        "amount": _usd(amount),
        "amount_plain": format_amount(amount, USD),
        "on": day.isoformat(),
        "reference": reference,
    }
    title = gettext(N_("Confirm the disbursement to {name}")).format(name=data["name"])
    return page(request, ctx, "disburse_confirm.html", data, title=title)


@router.post("/investments/{investment_id}/disburse")
def disburse(
    request: Request, ctx: StateDep, user: CurrentUser, form: CheckedForm, investment_id: str
) -> Response:
    """Book the confirmed disbursement (idempotent by its reference)."""
    require(user, "investments.record")  # before the form: a refusal says nothing of input
    amount, day, reference, _ = _read_form(form)
    created = cases.disburse(
        ctx.books,
        user,
        investment_id,
        amount_minor=amount,
        on=day,
        reference=reference,
        interface=Interface.WEB,
    )
    message = (
        N_("Disbursement of {amount} to {id} booked.")
        if created
        else N_("Disbursement of {amount} to {id} was booked already.")
    )
    shown = localise_numbers(_usd(amount))
    flash(request, gettext(message).format(amount=shown, id=investment_id))
    return redirect(request, ctx, f"/investments/{investment_id}/disburse", {"created": created})
