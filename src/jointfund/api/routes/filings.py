"""Revenue filings: stored versions with the terms' decision, and booking an uploaded file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Query, UploadFile

from jointfund.api.auth import Permit
from jointfund.api.deps import DbDep
from jointfund.api.pagination import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT, page_of
from jointfund.api.schemas.common import ERROR_RESPONSES
from jointfund.api.schemas.registry import (
    FilingImportOut,
    FilingPageOut,
    filing_import_out,
    filing_out,
)
from jointfund.api.uploads import import_upload
from jointfund.errors import PermissionDeniedError
from jointfund.fund.intake import FilingImport, import_filings
from jointfund.governance import Role, User, allowed
from jointfund.intake.filings import read_filings
from jointfund.store import Database
from jointfund.store.registry_repo import filing_rows

router = APIRouter(prefix="/api/filings", tags=["filings"], responses=ERROR_RESPONSES)


@router.get("", response_model=FilingPageOut)
def list_filings(
    db: DbDep,
    user: Annotated[User, Depends(Permit("filings.read"))],
    year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
    licence: str | None = None,
    after: Annotated[int, Query(ge=0, le=MAX_ID, description="Show filings after this id")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> FilingPageOut:
    """Stored filings (every version) in id order, with the terms' decision on each."""
    with db.read() as conn:
        rows = filing_rows(conn, year=year, licence_id=licence)
    ordered = sorted((r for r in rows if r.id > after), key=lambda r: int(r.id))[: limit + 1]
    query = {"year": year, "licence": licence}
    items, following = page_of(ordered, limit, lambda r: int(r.id), "/api/filings", query)
    return FilingPageOut(items=[filing_out(r) for r in items], next=following)


def _book(db: Database, user: User, path: Path) -> FilingImport:
    if user.role is Role.REPORTING_ENTITY:
        # A reporting entity files only for the licences it holds: check every row first.
        read = read_filings(path)
        refused = sorted(
            {
                r.licence_id
                for _, r in read.items
                if not allowed(user, "filings.submit", licence_id=r.licence_id)
            }
        )
        if refused:
            raise PermissionDeniedError(
                f"{user.label} may submit filings only for its own licences "
                f"({', '.join(user.licence_ids)}), not {', '.join(refused)}"
            )
    return import_filings(db, path)


@router.post("", response_model=FilingImportOut)
def upload_filings(
    db: DbDep, user: Annotated[User, Depends(Permit("filings.submit"))], file: UploadFile
) -> FilingImportOut:
    """Book the fund's share of every new filing in a CSV/JSON file, in one transaction.

    Any bad row refuses the whole file: one 422 lists every problem with its file, row and
    field. Uploading the same file again books nothing (its filings count as unchanged).
    """
    return filing_import_out(import_upload(file, "filings.csv", lambda p: _book(db, user, p)))
