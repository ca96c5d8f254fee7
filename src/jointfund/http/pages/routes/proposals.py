"""Board proposals: the list, one proposal with each partner's approvals, approve and reject."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request, Response

from jointfund.errors import InputError, NotFoundError, Problem
from jointfund.fund import books, committees, proposal_views
from jointfund.fund import proposals as cases
from jointfund.fund.proposal_views import ProposalView
from jointfund.fund.users import list_users
from jointfund.governance import Interface, ProposalStatus, Role, User, board_of, in_words
from jointfund.http.csrf import CheckedForm, text
from jointfund.http.identity import CurrentUser
from jointfund.http.pages import proposal_view as shown
from jointfund.http.pages.responses import page, redirect
from jointfund.http.pages.route_class import PageRoute
from jointfund.http.session import flash
from jointfund.http.state import StateDep
from jointfund.i18n import N_, gettext
from jointfund.i18n.message import Message
from jointfund.terms import ApprovalKind

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _when(moment: Any) -> str | None:
    return moment.isoformat(timespec="minutes") if moment is not None else None


def partner_status(view: ProposalView, users: dict[int, User]) -> list[dict[str, Any]]:
    """For each partner the rule spans: who approved this payload (and when), who has not,
    and whether the partner's side is complete. Only an open proposal waits for anyone."""
    board = board_of(users.values())
    rule = view.state.rule
    is_open = view.status is ProposalStatus.OPEN
    when = {(a.user_id, a.payload_hash): a.approved_at for a in view.approvals}
    found = []
    for partner in rule.partners:
        seats = {int(i) for i in board.get(partner, frozenset())}
        counted = {int(i) for i in view.state.counted.get(partner, frozenset())}
        complete = (
            bool(seats) and seats <= counted
            if rule.kind is ApprovalKind.UNANIMOUS
            else bool(counted)
        )
        approvals = sorted(
            (
                {
                    "name": users[i].name,
                    "at": _when(when.get((i, view.proposal.payload_hash))),
                }
                for i in counted
                if i in users
            ),
            key=lambda a: (a["at"] or "", a["name"]),
        )
        found.append(
            {
                "partner": partner,
                "approved_by": [a["name"] for a in approvals],
                "approvals": approvals,
                "waiting_for": (
                    sorted(users[i].name for i in seats - counted if i in users) if is_open else []
                ),
                "complete": complete or view.status is ProposalStatus.EXECUTED,
            }
        )
    return found


def proposal_row(view: ProposalView, users: dict[int, User], me: User) -> dict[str, Any]:
    """A proposal as one line of the list: what it decides (subject, amount), where it
    stands, whether it awaits the viewer, and what follows its execution."""
    p = view.proposal
    creator = users.get(p.created_by)
    mine = any(a.user_id == me.id and a.payload_hash == p.payload_hash for a in view.approvals)
    step = shown.next_step(p, view.status)
    return {
        "id": p.id,
        "kind": p.kind.value,
        "subject": shown.subject(p.kind, p.payload),
        "amount": shown.amount(p.kind, p.payload),
        "in_words": in_words(p.kind, p.payload),
        "status": view.status.value,
        "created_at": _when(p.created_at),
        "created_by": creator.name if creator else str(p.created_by),
        "expires_at": _when(p.expires_at),
        "rule": view.state.rule.kind.value,
        "satisfied": view.state.satisfied,
        "partners": partner_status(view, users),
        "awaits_you": shown.awaits(p, view.status, me, mine),
        "you_approved": mine,
        "next_step": step,
    }


def proposal_detail(view: ProposalView, users: dict[int, User], me: User) -> dict[str, Any]:
    """One proposal with its payload, approvals, who closed it, and what the viewer may do."""
    p = view.proposal
    row = proposal_row(view, users, me)
    is_open = view.status is ProposalStatus.OPEN
    sits = me.role is Role.BOARD_MANAGER and me.partner is not None
    closer = users.get(p.closed_by) if p.closed_by is not None else None
    return {
        **row,
        "payload": dict(p.payload),
        "payload_text": json.dumps(dict(p.payload), indent=2, sort_keys=True, default=str),
        "payload_hash": p.payload_hash,
        "revision": p.revision,
        "executed_at": _when(p.executed_at),
        "closed_by": closer.name if closer else None,
        "reason": p.reason,
        "entry_key": f"proposal:{p.id}" if view.status is ProposalStatus.EXECUTED else None,
        "can_approve": is_open and sits and not row["you_approved"],
        "can_reject": is_open and sits,
    }


def committee_status(
    ctx: StateDep, view: ProposalView, users: dict[int, User], me: User
) -> dict[str, Any] | None:
    """The committee step: which committee, who recommended this payload for each partner,
    whether it has recommended, and whether the viewer may recommend now."""
    step = view.committee
    if step is None:
        return None
    seated: dict[str, list[str]] = {}
    for c in committees.governance(ctx.books, me).committees:
        if c.committee.id == step.committee.id:
            seated = {p: [u.name for u in members] for p, members in c.members.items()}
    voted = {int(i) for ids in step.counted.values() for i in ids}
    member = me.partner is not None and me.name in seated.get(me.partner, [])
    return {
        "id": step.committee.id,
        "name": step.committee.name,
        "name_uk": step.committee.name_uk,
        "rule": step.committee.recommendation.rule.value,
        "recommended": step.satisfied,
        "partners": [
            {
                "partner": p,
                "recommended_by": sorted(users[int(i)].name for i in ids if int(i) in users),
                "members": seated.get(p, []),
            }
            for p, ids in sorted(step.counted.items())
        ],
        "can_recommend": view.status is ProposalStatus.OPEN
        and member
        and me.id not in voted
        and not step.satisfied,
    }


def _entry_seq(ctx: StateDep, user: User, key: str | None) -> int | None:
    """The ledger position of an executed proposal's entry (some kinds book none)."""
    if key is None:
        return None
    try:
        return books.entry(ctx.books, user, key=key).seq
    except NotFoundError:
        return None


def _users(ctx: StateDep, me: User) -> dict[int, User]:
    return {u.id: u for u in list_users(ctx.books, me)}


@router.get("/proposals")
def proposals_page(
    request: Request, ctx: StateDep, user: CurrentUser, status: str = ""
) -> Response:
    """Every proposal (or those of one status) with its approval state now."""
    statuses = [s.value for s in ProposalStatus]
    if status and status not in statuses:
        codes = ", ".join(statuses)  # the status codes the address takes, in any language
        raise InputError(
            [
                Problem(
                    Message("unknown status {status!r}", status=status),
                    field="status",
                    expected=codes,
                )
            ]
        )
    views = proposal_views.list_proposals(ctx.books, user, status=status or None)
    users = _users(ctx, user)
    rows = [proposal_row(v, users, user) for v in views]
    # What awaits the viewer comes first, then the newest.
    rows.sort(key=lambda r: (not r["awaits_you"], -r["id"]))
    data = {
        "status": status,
        "statuses": statuses,
        "awaiting_you": sum(1 for r in rows if r["awaits_you"]),
        "proposals": rows,
    }
    return page(request, ctx, "proposals.html", data, title=N_("Proposals"))


def _detail(ctx: StateDep, user: User, proposal_id: int) -> dict[str, Any]:
    view = proposal_views.show_proposal(ctx.books, user, proposal_id)
    users = _users(ctx, user)
    data = proposal_detail(view, users, user)
    data["entry_seq"] = _entry_seq(ctx, user, data["entry_key"])
    data["committee"] = committee_status(ctx, view, users, user)
    data["acting"] = dict(view.acting)
    if data["committee"] is not None and not data["committee"]["recommended"]:
        data["can_approve"] = False  # the board waits for the committee
    return data


@router.get("/proposals/{proposal_id}")
def proposal_page(request: Request, ctx: StateDep, user: CurrentUser, proposal_id: int) -> Response:
    """One proposal: payload in words, each partner's approvals, and links to act on it."""
    data = _detail(ctx, user, proposal_id)
    return page(
        request,
        ctx,
        "proposal.html",
        data,
        title=gettext(N_("Proposal {number}")).format(number=proposal_id),
    )


CONFIRM_TITLES = {
    "approve": N_("Confirm your approval of proposal {number}"),
    "reject": N_("Reject proposal {number}"),
}


@router.get("/proposals/{proposal_id}/{action}")
def confirm_page(
    request: Request, ctx: StateDep, user: CurrentUser, proposal_id: int, action: str
) -> Response:
    """The confirmation step: what approving (or rejecting) decides, in words, with the
    payload hash signed, before the manager commits; a rejection asks for its reason."""
    if action not in CONFIRM_TITLES:
        raise NotFoundError(
            Message(
                "no page /proposals/{proposal_id}/{action}", proposal_id=proposal_id, action=action
            )
        )
    data = {**_detail(ctx, user, proposal_id), "action": action}
    allowed = data["can_approve"] if action == "approve" else data["can_reject"]
    if not allowed:  # closed, approved already, or not a sitting manager: back to the page
        return redirect(request, ctx, f"/proposals/{proposal_id}", {"status": data["status"]})
    title = gettext(CONFIRM_TITLES[action]).format(number=proposal_id)
    return page(request, ctx, "proposal_confirm.html", data, title=title)


@router.post("/proposals/{proposal_id}/approve")
def approve(
    request: Request, ctx: StateDep, user: CurrentUser, form: CheckedForm, proposal_id: int
) -> Response:
    """Approve the payload the manager saw (its hash comes back with the form)."""
    outcome = cases.approve(
        ctx.books,
        user,
        proposal_id,
        payload_hash=text(form, "payload_hash") or None,
        interface=Interface.WEB,
    )
    if outcome.executed:
        flash(
            request,
            gettext(N_("Approved: proposal {number} is executed.")).format(number=proposal_id),
        )
    else:
        message = N_("Approved for {partner}; proposal {number} awaits more approvals.")
        flash(request, gettext(message).format(partner=user.partner, number=proposal_id))
    return redirect(
        request,
        ctx,
        f"/proposals/{proposal_id}",
        {"executed": outcome.executed, "entries": list(outcome.entry_keys)},
    )


@router.post("/proposals/{proposal_id}/reject")
def reject(
    request: Request, ctx: StateDep, user: CurrentUser, form: CheckedForm, proposal_id: int
) -> Response:
    """Reject an open proposal, with the reason given (the fund refuses an empty one)."""
    cases.reject(ctx.books, user, proposal_id, reason=text(form, "reason"), interface=Interface.WEB)
    flash(request, gettext(N_("Proposal {number} is rejected.")).format(number=proposal_id))
    return redirect(request, ctx, f"/proposals/{proposal_id}", {"status": "rejected"})
