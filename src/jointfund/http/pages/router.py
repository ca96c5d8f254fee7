"""The pages as one router; the app factory includes it and mounts `STATIC_DIR`."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

from jointfund.http.pages.routes import (
    assets,
    audit,
    books,
    cycle,
    forecast,
    fx_rates,
    governance,
    in_kind,
    investments,
    journal,
    language,
    licences,
    overview,
    proposals,
    receipts,
    registry,
    signin,
    statements,
    terms,
    transparency,
)

STATIC_DIR = Path(__file__).parent / "static"
STATIC_URL = "/static"

router = APIRouter()
for _part in (
    signin,
    language,
    overview,
    books,
    journal,
    fx_rates,
    licences,
    registry,
    receipts,
    proposals,
    investments,
    governance,
    statements,
    cycle,
    in_kind,
    forecast,
    terms,
    transparency,
    audit,
    assets,
):
    router.include_router(_part.router)
