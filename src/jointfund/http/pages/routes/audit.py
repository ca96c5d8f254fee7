"""The audit log page for auditors and administrators: filters, a page at a time."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from jointfund.dates import DAY_EXPECTED, day_or_reason
from jointfund.errors import InputError, Problem
from jointfund.fund import sorting
from jointfund.fund.audit import count_audit, read_audit
from jointfund.governance import require
from jointfund.http.identity import CurrentUser
from jointfund.http.pages.listing import read_limit, read_sort, sort_links
from jointfund.http.pages.responses import page
from jointfund.http.pages.route_class import PageRoute
from jointfund.http.pages.routes.books import account_href
from jointfund.http.state import StateDep
from jointfund.i18n import N_
from jointfund.i18n.message import Message

router = APIRouter(route_class=PageRoute, include_in_schema=False)
PAGE_SIZE = 100


def target_href(target: str) -> str | None:
    """The page of the thing an audit record touched, where there is one."""
    kind, _, name = target.partition(":")
    if kind == "proposal" and name.isdigit():
        return f"/proposals/{name}"
    if kind == "account" and name:
        return account_href(name)
    return None


@router.get("/audit")
def audit_page(
    request: Request,
    ctx: StateDep,
    user: CurrentUser,
    actor: str = "",
    action: str = "",
    target: str = "",
    start: str = "",
    end: str = "",
    after: str = "",
    sort: str = "",
    limit: str = "",
) -> Response:
    """Audit records oldest first (or sorted by record, actor, action or object, either
    way), filtered by actor, action, object and days (UTC)."""
    require(user, "audit.read")
    order = read_sort(sort, sorting.AUDIT, "seq")
    size = read_limit(limit, PAGE_SIZE)
    problems: list[Problem] = []
    days = {}
    for name, text in (("start", start), ("end", end)):
        day, reason = day_or_reason(text) if text else (None, "")
        if reason:
            problems.append(Problem(reason, field=name, expected=DAY_EXPECTED))
        days[name] = day
    after_seq = int(after) if after.isascii() and after.isdigit() and len(after) < 19 else 0
    if after and not after_seq:
        problems.append(
            Problem(Message("not a record number: {text!r}", text=after[:40]), field="after")
        )
    if problems:
        raise InputError(problems)
    found = read_audit(
        ctx.books,
        user,
        actor=actor or None,
        action=action or None,
        target=target or None,
        start=days["start"],
        end=days["end"],
        after_seq=after_seq,
        limit=size + 1,
        sort=order,
    )
    shown = found[:size]
    total = count_audit(
        ctx.books,
        user,
        actor=actor or None,
        action=action or None,
        target=target or None,
        start=days["start"],
        end=days["end"],
    )
    data = {
        "count": f"{total:,}",
        "filters": {"actor": actor, "action": action, "target": target, "start": start, "end": end},
        "records": [
            {
                "seq": r.seq,
                "at": r.at,
                "actor": r.actor,
                "role": r.role,
                "interface": r.interface,
                "action": r.action,
                "target": r.target,
                "target_href": target_href(r.target),
                "detail": r.detail,
                "detail_hash": r.detail_hash,
            }
            for r in shown
        ],
        "next_after": shown[-1].seq if len(found) > size else None,
        **sort_links("/audit", request.query_params, order, sorting.AUDIT, "seq"),
    }
    return page(request, ctx, "audit.html", data, title=N_("Audit log"))
