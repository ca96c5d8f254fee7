"""Reading the registry as a user: licences and filings, each read checked against the role."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from jointfund.governance import User, require
from jointfund.intake.records import LicenceRecord
from jointfund.store import Database
from jointfund.store.registry_repo import filing_page, licences_by_id


def list_licences(db: Database, actor: User) -> list[LicenceRecord]:
    """Every registered licence, by id."""
    require(actor, "licences.read")
    with db.read() as conn:
        return list(licences_by_id(conn).values())


def list_filings(
    db: Database,
    actor: User,
    *,
    year: int | None = None,
    licence_id: str | None = None,
    after_id: int = 0,
    limit: int = 100,
) -> list[Row[Any]]:
    """A page of stored filings (every version) with the terms' decision on each."""
    require(actor, "filings.read")
    with db.read() as conn:
        return filing_page(conn, year=year, licence_id=licence_id, after_id=after_id, limit=limit)
