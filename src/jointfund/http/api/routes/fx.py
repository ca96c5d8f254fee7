"""FX rates: importing dated rates from an uploaded file (administrators, who run the books)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, UploadFile

from jointfund.fund.rates import import_fx_rates
from jointfund.governance import Interface, User
from jointfund.http.api.permit import Permit
from jointfund.http.api.schemas.common import ERROR_RESPONSES
from jointfund.http.api.schemas.registry import UpsertOut, upsert_out
from jointfund.http.state import BooksDep
from jointfund.http.uploads import import_upload

router = APIRouter(prefix="/api/fx", tags=["fx"], responses=ERROR_RESPONSES)


@router.post("", response_model=UpsertOut)
def upload_fx(
    db: BooksDep, user: Annotated[User, Depends(Permit("fx.import"))], file: UploadFile
) -> UpsertOut:
    """Store dated FX rates; a different rate for a stored day is refused (409)."""
    return upsert_out(
        import_upload(
            file, "fx.csv", lambda p: import_fx_rates(db, user, p, interface=Interface.API), db
        )
    )
