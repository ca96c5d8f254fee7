"""Licences: the register, and importing it from an uploaded CSV or JSON file."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, UploadFile

from jointfund.fund import licences
from jointfund.governance import Interface, User
from jointfund.http.api.permit import Permit
from jointfund.http.api.schemas.common import ERROR_RESPONSES
from jointfund.http.api.schemas.registry import LicenceOut, UpsertOut, licence_out, upsert_out
from jointfund.http.state import BooksDep
from jointfund.http.uploads import import_upload

router = APIRouter(prefix="/api/licences", tags=["licences"], responses=ERROR_RESPONSES)


@router.get("", response_model=list[LicenceOut])
def list_licences(
    db: BooksDep, user: Annotated[User, Depends(Permit("licences.read"))]
) -> list[LicenceOut]:
    """Every registered licence, by id."""
    return [licence_out(r) for r in licences.list_licences(db, user)]


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
