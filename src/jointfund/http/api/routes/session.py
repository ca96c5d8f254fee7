"""Who am I: the user a token belongs to, so clients can check theirs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from jointfund.governance import PERMISSIONS, User
from jointfund.http.api.permit import Permit
from jointfund.http.api.schemas.common import ERROR_RESPONSES

router = APIRouter(prefix="/api/me", tags=["session"], responses=ERROR_RESPONSES)


class MeOut(BaseModel):
    """The caller, its role, and the actions that role may perform."""

    id: int
    name: str
    role: str
    partner: str | None
    licence_ids: list[str]
    actions: list[str]


@router.get("", response_model=MeOut)
def me(user: Annotated[User, Depends(Permit("transparency.read"))]) -> MeOut:
    """The user the bearer token belongs to."""
    return MeOut(
        id=user.id,
        name=user.name,
        role=user.role.value,
        partner=user.partner,
        licence_ids=list(user.licence_ids),
        actions=sorted(a for a, roles in PERMISSIONS.items() if user.role in roles),
    )
