"""Contributions: cash with its reference, in kind with the assessed value the board approved."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, select

from jointfund.clock import stamp
from jointfund.errors import ConflictError, NotFoundError
from jointfund.i18n.message import Message
from jointfund.store.row_chain import chain_inserted, chain_stored
from jointfund.store.tables.operations import (
    contributions,
    in_kind_approvals,
    in_kind_values,
)


@dataclass(frozen=True, slots=True)
class ContributionRow:
    """A recorded contribution: cash with its bank reference, or in kind with its evidence.

    An in-kind credit carries `approved_basis` ("assessed_value"), `approved_value` and the
    proposal that booked it. `values` is the legacy: books kept before the valuation bases left
    the books may hold in-kind rows recorded under several bases, never credited.
    """

    id: int
    key: str
    partner: str
    form: str
    kind: str
    currency: str
    amount: int | None
    usd_amount: int | None
    rate: str | None
    value_date: date
    reference: str
    description: str
    entry_key: str | None
    values: Mapping[str, int]
    approved_basis: str | None = None
    approved_value: int | None = None
    proposal_id: int | None = None


def insert_contribution(
    conn: Connection,
    *,
    key: str,
    fields: Mapping[str, Any],
    values: Mapping[str, int],
    recorded_by: int,
    at: datetime,
) -> tuple[ContributionRow, bool]:
    """Store a contribution under an idempotency key; (row, created). Same key, other facts:
    a conflict."""
    existing = conn.execute(select(contributions.c.id).where(contributions.c.key == key)).first()
    if existing is not None:
        row = get_contribution(conn, int(existing.id))
        same = all(getattr(row, name) == value for name, value in fields.items())
        if not same or dict(row.values) != dict(values):
            raise ConflictError(
                Message("contribution {key} was recorded with other details", key=key)
            )
        return row, False
    new = conn.execute(
        contributions.insert().values(
            key=key, recorded_by=recorded_by, recorded_at=stamp(at), **fields
        )
    ).inserted_primary_key
    assert new is not None
    cid = int(new[0])
    chain_inserted(conn, contributions, new)
    if values:
        conn.execute(
            in_kind_values.insert(),
            [{"contribution_id": cid, "basis": b, "amount": v} for b, v in sorted(values.items())],
        )
        chain_stored(conn, in_kind_values, in_kind_values.c.contribution_id == cid)
    return get_contribution(conn, cid), True


def _contribution(
    row: Row[Any], values: Mapping[str, int], approval: Row[Any] | None
) -> ContributionRow:
    return ContributionRow(
        id=int(row.id),
        key=row.key,
        partner=row.partner,
        form=row.form,
        kind=row.kind,
        currency=row.currency,
        amount=row.amount,
        usd_amount=row.usd_amount,
        rate=row.rate,
        value_date=row.value_date,
        reference=row.reference,
        description=row.description,
        entry_key=row.entry_key,
        values=dict(values),
        approved_basis=approval.basis if approval else None,
        approved_value=int(approval.amount) if approval else None,
        proposal_id=int(approval.proposal_id) if approval else None,
    )


def list_contributions(
    conn: Connection, *, as_of: date | None = None, contribution_id: int | None = None
) -> list[ContributionRow]:
    """Contributions by value date (then id), with their in-kind values and approvals."""
    stmt = select(contributions).order_by(contributions.c.value_date, contributions.c.id)
    if as_of is not None:
        stmt = stmt.where(contributions.c.value_date <= as_of)
    if contribution_id is not None:
        stmt = stmt.where(contributions.c.id == contribution_id)
    rows = conn.execute(stmt).all()
    ids = [int(r.id) for r in rows]
    values: dict[int, dict[str, int]] = {i: {} for i in ids}
    approved: dict[int, Row[Any]] = {}
    if ids:
        for v in conn.execute(
            select(in_kind_values).where(in_kind_values.c.contribution_id.in_(ids))
        ):
            values[int(v.contribution_id)][v.basis] = int(v.amount)
        for a in conn.execute(
            select(in_kind_approvals).where(in_kind_approvals.c.contribution_id.in_(ids))
        ):
            approved[int(a.contribution_id)] = a
    return [_contribution(r, values[int(r.id)], approved.get(int(r.id))) for r in rows]


def get_contribution(conn: Connection, contribution_id: int) -> ContributionRow:
    """One contribution by id."""
    found = list_contributions(conn, contribution_id=contribution_id)
    if not found:
        raise NotFoundError(
            Message("no contribution {contribution_id}", contribution_id=contribution_id)
        )
    return found[0]


def insert_in_kind_approval(
    conn: Connection, *, contribution_id: int, proposal_id: int, basis: str, amount: int, on: date
) -> None:
    """Record the basis and value the board approved for an in-kind contribution."""
    key = conn.execute(
        in_kind_approvals.insert().values(
            contribution_id=contribution_id,
            proposal_id=proposal_id,
            basis=basis,
            amount=amount,
            approved_on=on,
        )
    ).inserted_primary_key
    chain_inserted(conn, in_kind_approvals, key)
