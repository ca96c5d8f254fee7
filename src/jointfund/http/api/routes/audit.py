"""The audit log for auditors and administrators, a page at a time after a cursor."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from jointfund.fund.audit import read_audit
from jointfund.governance import User
from jointfund.http.api.pagination import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT, page_of
from jointfund.http.api.permit import Permit
from jointfund.http.api.schemas.audit import AuditPageOut, audit_record_out
from jointfund.http.api.schemas.common import ERROR_RESPONSES, Day
from jointfund.http.state import BooksDep

router = APIRouter(prefix="/api/audit", tags=["audit"], responses=ERROR_RESPONSES)
Text = Annotated[str | None, Query(min_length=1, max_length=200)]


@router.get("", response_model=AuditPageOut)
def audit_log(
    db: BooksDep,
    user: Annotated[User, Depends(Permit("audit.read"))],
    after: Annotated[int, Query(ge=0, le=MAX_ID, description="Records after this seq")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    actor: Text = None,
    action: Text = None,
    target: Annotated[str | None, Query(alias="object", min_length=1, max_length=200)] = None,
    start: Annotated[Day | None, Query(alias="from", description="UTC day, YYYY-MM-DD")] = None,
    end: Annotated[Day | None, Query(alias="to", description="UTC day, YYYY-MM-DD")] = None,
) -> AuditPageOut:
    """Audit records in order after the cursor `after`, filtered by actor, action, object
    and the days they were written on."""
    fetched = read_audit(
        db,
        user,
        actor=actor,
        action=action,
        target=target,
        start=start,
        end=end,
        after_seq=after,
        limit=limit + 1,
    )
    query = {"actor": actor, "action": action, "object": target, "from": start, "to": end}
    items, following = page_of(fetched, limit, lambda r: r.seq, "/api/audit", query)
    return AuditPageOut(items=[audit_record_out(r) for r in items], next=following)
