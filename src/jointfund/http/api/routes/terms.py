"""Term sheets: the bundled presets, one in full, the differences between two.

Term sheets are public documents, so any authenticated role may read them (the action is
`transparency.read`, which every role holds). Only preset ids are accepted: the library also
loads YAML files by path, which a remote caller must not reach.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from jointfund.errors import NotFoundError
from jointfund.governance import User
from jointfund.http.api.permit import Permit
from jointfund.http.api.schemas.common import ERROR_RESPONSES
from jointfund.http.api.schemas.terms import (
    TermDifferenceOut,
    TermsDiffOut,
    TermsOut,
    TermsSummaryOut,
)
from jointfund.i18n.message import Message
from jointfund.terms import TermSheet, diff_terms, load_terms, preset_ids, terms_to_yaml

router = APIRouter(prefix="/api/terms", tags=["terms"], responses=ERROR_RESPONSES)
Reader = Annotated[User, Depends(Permit("transparency.read"))]
PresetId = Annotated[str, Path(max_length=64, examples=["us-ukraine-2025"])]


def _preset(terms_id: str) -> TermSheet:
    if terms_id not in preset_ids():
        raise NotFoundError(
            Message("no term sheet preset {terms_id!r}; see /api/terms", terms_id=terms_id)
        )
    return load_terms(terms_id)


@router.get("", response_model=list[TermsSummaryOut])
def list_terms(user: Reader) -> list[TermsSummaryOut]:
    """The term sheet presets shipped with jointfund."""
    sheets = [load_terms(i) for i in preset_ids()]
    return [
        TermsSummaryOut(id=t.id, title=t.metadata.title, status=t.metadata.status) for t in sheets
    ]


@router.get("/diff", response_model=TermsDiffOut)
def diff(
    user: Reader,
    a: Annotated[str, Query(max_length=64)],
    b: Annotated[str, Query(max_length=64)],
) -> TermsDiffOut:
    """Every term that differs between presets `a` and `b`, by key path."""
    left, right = _preset(a), _preset(b)
    return TermsDiffOut(
        a=a,
        b=b,
        differences=[
            TermDifferenceOut(path=d.path, a=d.a_value, b=d.b_value)
            for d in diff_terms(left, right)
        ],
    )


@router.get("/{terms_id}", response_model=TermsOut)
def show_terms(user: Reader, terms_id: PresetId) -> TermsOut:
    """One preset in full, with its sources and assumptions."""
    sheet = _preset(terms_id)
    return TermsOut(
        id=sheet.id,
        title=sheet.metadata.title,
        status=sheet.metadata.status,
        terms=sheet.model_dump(mode="json"),
        yaml=terms_to_yaml(sheet),
    )
