"""Fund-operation rows (contributions, investments, marks) and the journal slices capital uses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, or_, select

from jointfund.errors import ConflictError, NotFoundError
from jointfund.ledger import Account, Entry
from jointfund.store.accounts_repo import accounts_by_name, open_account
from jointfund.store.governance_people import stamp
from jointfund.store.operations_tables import (
    contributions,
    in_kind_approvals,
    in_kind_values,
    investment_marks,
    investments,
)
from jointfund.store.row_chain import chain_inserted, chain_stored
from jointfund.store.schema import accounts, entries, postings


@dataclass(frozen=True, slots=True)
class ContributionRow:
    """A recorded contribution: cash with its bank reference, or in kind with its evidence.

    `values` holds an in-kind contribution's value under every basis; `approved_basis` and
    `approved_value` are set once an in_kind_valuation proposal has executed.
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


@dataclass(frozen=True, slots=True)
class JournalLine:
    """One posting with its entry's date, order and kind: the raw stuff of capital accounts."""

    effective_date: date
    seq: int
    kind: str
    account: str
    amount: int
    currency: str


def ensure_accounts(conn: Connection, wanted: Iterable[Account]) -> None:
    """Open the accounts that do not exist yet; leave existing ones as they are."""
    wanted = list(wanted)
    known = accounts_by_name(conn, (a.name for a in wanted))
    for account in wanted:
        if account.name not in known:
            open_account(conn, account)


# --- contributions -----------------------------------------------------------------------


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
            raise ConflictError(f"contribution {key} was recorded with other details")
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
        raise NotFoundError(f"no contribution {contribution_id}")
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


# --- investments -------------------------------------------------------------------------


def insert_investment(conn: Connection, row: InvestmentRow) -> None:
    """Record a commitment; an id already used is a conflict."""
    if conn.execute(select(investments.c.id).where(investments.c.id == row.id)).first():
        raise ConflictError(f"investment {row.id} exists already")
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
        raise NotFoundError(f"no investment {investment_id!r}")
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


# --- journal slices ----------------------------------------------------------------------


def journal_lines(
    conn: Connection, prefixes: Iterable[str], as_of: date | None = None
) -> list[JournalLine]:
    """Postings to accounts under any of `prefixes`, in date then chain order, up to `as_of`."""
    where = or_(
        *(
            or_(accounts.c.name == p, accounts.c.name.like(p.replace("%", r"\%") + ":%"))
            for p in prefixes
        )
    )
    stmt = (
        select(
            entries.c.effective_date,
            entries.c.seq,
            entries.c.kind,
            accounts.c.name,
            postings.c.amount,
            postings.c.currency,
        )
        .join(postings, postings.c.entry_seq == entries.c.seq)
        .join(accounts, accounts.c.id == postings.c.account_id)
        .where(where)
        .order_by(entries.c.effective_date, entries.c.seq, postings.c.idx)
    )
    if as_of is not None:
        stmt = stmt.where(entries.c.effective_date <= as_of)
    return [
        JournalLine(r.effective_date, int(r.seq), r.kind, r.name, int(r.amount), r.currency)
        for r in conn.execute(stmt)
    ]


def _partner_in(name: str) -> str | None:
    parts = name.split(":")
    if len(parts) >= 3 and parts[0] == "Equity" and parts[1] in ("Capital", "InKind"):
        return parts[2]
    return None


def open_accounts_for(conn: Connection, batch: Iterable[Entry], opened_on: date) -> None:
    """Open every account `batch` posts to that does not exist yet (cash may not go negative)."""
    wanted: dict[str, Account] = {}
    for entry in batch:
        for posting in entry.postings:
            wanted.setdefault(
                posting.account,
                Account(
                    posting.account,
                    posting.currency,
                    opened_on,
                    partner=_partner_in(posting.account),
                    non_negative=posting.account.startswith("Assets:Cash:"),
                ),
            )
    ensure_accounts(conn, wanted.values())


def entry_exists(conn: Connection, key: str) -> bool:
    """Whether an entry with this idempotency key is posted."""
    return conn.execute(select(entries.c.seq).where(entries.c.key == key)).first() is not None
