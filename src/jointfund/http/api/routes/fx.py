"""FX rates: importing dated rates from an uploaded file (administrators, who run the books)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, UploadFile

from jointfund.fund.licences import UpsertCounts
from jointfund.fund.rates import import_fx_rates
from jointfund.governance import Interface, User
from jointfund.http.api.permit import Permit
from jointfund.http.api.schemas.common import ERROR_RESPONSES
from jointfund.http.api.schemas.registry import UpsertOut, upsert_out
from jointfund.http.state import BooksDep, StateDep
from jointfund.http.uploads import import_upload, upload_name

router = APIRouter(prefix="/api/fx", tags=["fx"], responses=ERROR_RESPONSES)


@router.post("", response_model=UpsertOut)
def upload_fx(
    db: BooksDep,
    state: StateDep,
    user: Annotated[User, Depends(Permit("fx.import"))],
    file: UploadFile,
    confirm_jumps: bool = False,
) -> UpsertOut:
    """Store dated FX rates; a different rate for a stored day is refused (409), a rate far
    from the pair's previous one (422) unless `confirm_jumps`."""
    max_jump = state.settings.fx_max_jump
    name = upload_name(file, "fx.csv")  # what a rate's trace names, not the temporary copy

    def run(path: Path) -> UpsertCounts:
        return import_fx_rates(
            db,
            user,
            path,
            confirm_jumps=confirm_jumps,
            max_jump=max_jump,
            interface=Interface.API,
            name=name,
        )

    return upsert_out(import_upload(file, "fx.csv", run, db))
