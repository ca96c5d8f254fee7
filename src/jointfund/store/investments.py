"""Investments the board committed to, and their marks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Row, select

from jointfund.errors import ConflictError, NotFoundError
from jointfund.i18n.message import Message
from jointfund.store.row_chain import chain_inserted
from jointfund.store.tables.operations import (
    investment_marks,
    investments,
)


@dataclass(frozen=True, slots=True)
class InvestmentRow:
    """An investment the board committed to."""

    id: str
    name: str
    currency: str
    committed: int
    committed_on: date
    proposal_id: int


@dataclass(frozen=True, slots=True)
class MarkRow:
    """A fair-value mark (or write-down) of an investment."""

    investment_id: str
    on: date
    fair_value: int
    method: str
    proposal_id: int


def insert_investment(conn: Connection, row: InvestmentRow) -> None:
    """Record a commitment; an id already used is a conflict."""
    if conn.execute(select(investments.c.id).where(investments.c.id == row.id)).first():
        raise ConflictError(Message("investment {id} exists already", id=row.id))
    key = conn.execute(
        investments.insert().values(
            id=row.id,
            name=row.name,
            currency=row.currency,
            committed=row.committed,
            committed_on=row.committed_on,
            proposal_id=row.proposal_id,
        )
    ).inserted_primary_key
    chain_inserted(conn, investments, key)


def _investment(row: Row[Any]) -> InvestmentRow:
    return InvestmentRow(
        row.id, row.name, row.currency, int(row.committed), row.committed_on, int(row.proposal_id)
    )


def get_investment(conn: Connection, investment_id: str) -> InvestmentRow:
    """One investment by id."""
    row = conn.execute(select(investments).where(investments.c.id == investment_id)).first()
    if row is None:
        raise NotFoundError(Message("no investment {investment_id!r}", investment_id=investment_id))
    return _investment(row)


def list_investments(conn: Connection) -> list[InvestmentRow]:
    """Every investment, by commitment date."""
    stmt = select(investments).order_by(investments.c.committed_on, investments.c.id)
    return [_investment(r) for r in conn.execute(stmt)]


def insert_mark(conn: Connection, mark: MarkRow) -> None:
    """Record a valuation mark."""
    key = conn.execute(
        investment_marks.insert().values(
            investment_id=mark.investment_id,
            marked_on=mark.on,
            fair_value=mark.fair_value,
            method=mark.method,
            proposal_id=mark.proposal_id,
        )
    ).inserted_primary_key
    chain_inserted(conn, investment_marks, key)


def marks_of(conn: Connection, investment_id: str) -> list[MarkRow]:
    """An investment's marks in date order."""
    rows = conn.execute(
        select(investment_marks)
        .where(investment_marks.c.investment_id == investment_id)
        .order_by(investment_marks.c.marked_on, investment_marks.c.id)
    )
    return [
        MarkRow(r.investment_id, r.marked_on, int(r.fair_value), r.method, int(r.proposal_id))
        for r in rows
    ]
