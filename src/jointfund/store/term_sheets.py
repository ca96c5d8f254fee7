"""Term sheets: the one the fund was set up with, and those the board put in force."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, literal, select, union_all

from jointfund.clock import stamp_now
from jointfund.errors import NotFoundError
from jointfund.i18n.message import Message
from jointfund.store.row_chain import chain_inserted
from jointfund.store.tables.governance import term_changes
from jointfund.store.tables.registry import term_sheets


def adopt_terms(conn: Connection, terms_id: str, yaml_text: str, adopted_by: str) -> bool:
    """Make a term sheet the fund's current one; False when it already is."""
    current = current_terms_row(conn)
    if current is not None and current.yaml == yaml_text:
        return False
    key = conn.execute(
        term_sheets.insert().values(
            terms_id=terms_id, yaml=yaml_text, adopted_at=stamp_now(), adopted_by=adopted_by
        )
    ).inserted_primary_key
    chain_inserted(conn, term_sheets, key)
    return True


@dataclass(frozen=True, slots=True)
class AdoptedTerms:
    """The term sheet the fund was set up with: its id and YAML text."""

    terms_id: str
    yaml: str


def current_terms_row(conn: Connection) -> AdoptedTerms | None:
    """The latest adopted term sheet, if any."""
    row = conn.execute(
        select(term_sheets.c.terms_id, term_sheets.c.yaml).order_by(term_sheets.c.id.desc())
    ).first()
    return None if row is None else AdoptedTerms(row.terms_id, row.yaml)


def require_terms_yaml(conn: Connection) -> tuple[str, str]:
    """The adopted term sheet's id and YAML, or a clear error when the fund has none."""
    row = current_terms_row(conn)
    if row is None:
        raise NotFoundError(
            Message("the fund has no term sheet; run `jointfund init --terms PRESET`")
        )
    return row.terms_id, row.yaml


def insert_term_change(
    conn: Connection, *, proposal_id: int, terms_id: str, terms_yaml: str, effective_on: date
) -> None:
    """Record the term sheet a term_change proposal put in force."""
    key = conn.execute(
        term_changes.insert().values(
            proposal_id=proposal_id,
            terms_id=terms_id,
            terms_yaml=terms_yaml,
            effective_on=effective_on,
        )
    ).inserted_primary_key
    chain_inserted(conn, term_changes, key)


@dataclass(frozen=True, slots=True)
class TermsInForce:
    """The YAML of the terms in force and where it comes from: a term change the board put
    in force (`terms_id` of the change), or the sheet the fund was set up with."""

    yaml: str
    terms_id: str
    changed: bool


def terms_in_force_row(conn: Connection, on: date | None = None) -> TermsInForce | None:
    """The newest term change in force on `on` (any date when None), else the adopted sheet,
    in one statement: every write asks, under the books' lock."""
    change = select(
        literal(0).label("rank"),
        term_changes.c.terms_yaml.label("yaml"),
        term_changes.c.terms_id.label("terms_id"),
    ).order_by(term_changes.c.effective_on.desc(), term_changes.c.id.desc())
    if on is not None:
        change = change.where(term_changes.c.effective_on <= on)
    sheet = select(literal(1).label("rank"), term_sheets.c.yaml, term_sheets.c.terms_id).order_by(
        term_sheets.c.id.desc()
    )
    both = union_all(
        select(change.limit(1).subquery()), select(sheet.limit(1).subquery())
    ).subquery()
    row = conn.execute(select(both).order_by(both.c.rank).limit(1)).first()
    if row is None:
        return None
    return TermsInForce(str(row.yaml), str(row.terms_id), row.rank == 0)
