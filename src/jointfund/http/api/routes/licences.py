"""Licences: the register, and importing it from an uploaded CSV or JSON file."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, UploadFile

from jointfund.fund import licences
from jointfund.governance import Interface, User
from jointfund.http.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, page_of
from jointfund.http.api.permit import Permit
from jointfund.http.api.schemas.common import ERROR_RESPONSES
from jointfund.http.api.schemas.registry import (
    LicencePageOut,
    UpsertOut,
    licence_out,
    upsert_out,
)
from jointfund.http.state import BooksDep
from jointfund.http.uploads import import_upload

router = APIRouter(prefix="/api/licences", tags=["licences"], responses=ERROR_RESPONSES)


@router.get("", response_model=LicencePageOut)
def list_licences(
    db: BooksDep,
    user: Annotated[User, Depends(Permit("licences.read"))],
    after: Annotated[
        str | None, Query(max_length=64, description="Show licences after this licence id")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> LicencePageOut:
    """Registered licences by id, a page at a time; `next` fetches the following page and
    `count` says how many the register holds."""
    rows, count = licences.licence_page(db, user, after=after or None, limit=limit + 1)
    items, following = page_of(rows, limit, lambda r: r.licence_id, "/api/licences", {})
    return LicencePageOut(items=[licence_out(r) for r in items], next=following, count=count)


@router.post("", response_model=UpsertOut)
def upload_licences(
    db: BooksDep, user: Annotated[User, Depends(Permit("licences.import"))], file: UploadFile
) -> UpsertOut:
    """Register or update the licences in a file: all rows, or none and every problem (422)."""
    return upsert_out(
        import_upload(
            file,
            "licences.csv",
            lambda p: licences.import_licences(db, user, p, interface=Interface.API),
            db,
        )
    )
