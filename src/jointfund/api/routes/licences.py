"""Licences: the register, and importing it from an uploaded CSV or JSON file."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, UploadFile

from jointfund.api.auth import Permit
from jointfund.api.deps import DbDep
from jointfund.api.schemas.common import ERROR_RESPONSES
from jointfund.api.schemas.registry import LicenceOut, UpsertOut, licence_out, upsert_out
from jointfund.api.uploads import import_upload
from jointfund.fund import registry
from jointfund.fund.intake import import_licences
from jointfund.governance import User

router = APIRouter(prefix="/api/licences", tags=["licences"], responses=ERROR_RESPONSES)


@router.get("", response_model=list[LicenceOut])
def list_licences(
    db: DbDep, user: Annotated[User, Depends(Permit("licences.read"))]
) -> list[LicenceOut]:
    """Every registered licence, by id."""
    return [licence_out(r) for r in registry.list_licences(db, user)]


@router.post("", response_model=UpsertOut)
def upload_licences(
    db: DbDep, user: Annotated[User, Depends(Permit("licences.import"))], file: UploadFile
) -> UpsertOut:
    """Register or update the licences in a file: all rows, or none and every problem (422)."""
    return upsert_out(import_upload(file, "licences.csv", lambda p: import_licences(db, p), db))
