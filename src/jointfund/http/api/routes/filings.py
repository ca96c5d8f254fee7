"""Revenue filings: stored versions with the terms' decision, and booking an uploaded file."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, UploadFile

from jointfund.fund import filing_lists, filings
from jointfund.governance import Interface, User
from jointfund.http.api.pagination import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT, page_of
from jointfund.http.api.permit import Permit
from jointfund.http.api.schemas.common import ERROR_RESPONSES
from jointfund.http.api.schemas.registry import (
    FilingImportOut,
    FilingPageOut,
    filing_import_out,
    filing_out,
)
from jointfund.http.state import BooksDep
from jointfund.http.uploads import import_upload

router = APIRouter(prefix="/api/filings", tags=["filings"], responses=ERROR_RESPONSES)


@router.get("", response_model=FilingPageOut)
def list_filings(
    db: BooksDep,
    user: Annotated[User, Depends(Permit("filings.read"))],
    year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
    licence: str | None = None,
    after: Annotated[int, Query(ge=0, le=MAX_ID, description="Show filings after this id")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> FilingPageOut:
    """Stored filings (every version) in id order, with the terms' decision on each."""
    rows = filing_lists.list_filings(
        db, user, year=year, licence_id=licence, after_id=after, limit=limit + 1
    )
    query = {"year": year, "licence": licence}
    items, following = page_of(rows, limit, lambda r: int(r.id), "/api/filings", query)
    return FilingPageOut(items=[filing_out(r) for r in items], next=following)


@router.post("", response_model=FilingImportOut)
def upload_filings(
    db: BooksDep, user: Annotated[User, Depends(Permit("filings.submit"))], file: UploadFile
) -> FilingImportOut:
    """Book the fund's share of every new filing in a CSV/JSON file, in one transaction.

    Any bad row refuses the whole file: one 422 lists every problem with its file, row and
    field. Uploading the same file again books nothing (its filings count as unchanged).
    """
    return filing_import_out(
        import_upload(
            file,
            "filings.csv",
            lambda p: filings.import_filings(db, user, p, interface=Interface.API),
            db,
        )
    )
