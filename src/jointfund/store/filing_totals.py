"""Filing totals: the latest version of every filing, summed per fiscal year, licence, stream
and currency, so the transparency totals cost the size of the register, not of its history.

Kept set-based in SQL by `add_filings`, in the transaction that stores the filings; `verify`
recomputes the sums from the filings and names any key that differs (`totals_findings`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text

from jointfund.ledger import Finding

_SUMS = ("payments", "gross_minor", "fund_minor", "budget_minor", "reporting_minor")
_KEYS = ("fiscal_year", "licence_id", "stream", "currency")
_COLUMNS = ", ".join((*_KEYS, *_SUMS))
_NEWEST = (
    "NOT EXISTS (SELECT 1 FROM filings g WHERE g.payer_reference = f.payer_reference "
    "AND g.version > f.version{also})"
)
_GROUPED = (
    "SELECT substr(f.period, 1, 4), f.licence_id, f.stream, f.currency, {sign}count(*), "
    "{sign}sum(f.gross_minor), {sign}sum(f.fund_minor), {sign}sum(f.budget_minor), "
    "{sign}sum(f.reporting_minor) FROM filings f WHERE {where} "
    "GROUP BY substr(f.period, 1, 4), f.licence_id, f.stream, f.currency"
)
_ADD = (
    f"INSERT INTO filing_totals ({_COLUMNS}) {{select}} "
    f"ON CONFLICT ({', '.join(_KEYS)}) DO UPDATE SET "
    + ", ".join(f"{c} = filing_totals.{c} + excluded.{c}" for c in _SUMS)
)


def add_filings(conn: Connection, first_id: int, last_id: int) -> None:
    """Add the filings just stored with ids `first_id..last_id` to the totals; take out each
    version they supersede. Both statements run on indexes (ids, reference and version)."""
    span = {"a": first_id, "b": last_id}
    newest = _NEWEST.format(also="")
    select = _GROUPED.format(sign="", where=f"f.id BETWEEN :a AND :b AND {newest}")
    conn.execute(text(_ADD.format(select=select)), span)
    # Versions stored before this import that it supersedes, and that were the newest then.
    superseded = (
        "f.id IN (SELECT o.id FROM filings n JOIN filings o ON o.payer_reference = "
        "n.payer_reference AND o.version < n.version WHERE n.id BETWEEN :a AND :b "
        "AND n.version > 1 AND o.id < :a) AND " + _NEWEST.format(also=" AND g.id < :a")
    )
    removed = conn.execute(
        text(_ADD.format(select=_GROUPED.format(sign="-", where=superseded))), span
    ).rowcount
    if removed:
        conn.execute(text("DELETE FROM filing_totals WHERE payments = 0"))


def rebuild_filing_totals(conn: Connection) -> None:
    """Sum every stored filing into the totals afresh (the migration that adds them)."""
    conn.execute(text("DELETE FROM filing_totals"))
    select = _GROUPED.format(sign="", where=_NEWEST.format(also=""))
    conn.execute(text(f"INSERT INTO filing_totals ({_COLUMNS}) {select}"))


@dataclass(frozen=True, slots=True)
class FilingTotal:
    """Latest filings summed for one fiscal year, licence register facts, stream and currency."""

    fiscal_year: str
    resources: str
    oblast: str
    stream: str
    currency: str
    payments: int
    gross_minor: int
    fund_minor: int
    budget_minor: int
    reporting_minor: int


def filing_totals(conn: Connection, year: int | None = None) -> list[FilingTotal]:
    """The totals of one fiscal year (every year when None), summed per the licence's
    resources and oblast as the register holds them now; a few hundred rows at most."""
    where = "WHERE t.fiscal_year = :year" if year is not None else ""
    rows = conn.execute(
        text(
            "SELECT t.fiscal_year, l.resources, l.oblast, t.stream, t.currency, "
            "sum(t.payments), sum(t.gross_minor), sum(t.fund_minor), sum(t.budget_minor), "
            "sum(t.reporting_minor) FROM filing_totals t "
            f"JOIN licences l ON l.licence_id = t.licence_id {where} "
            "GROUP BY t.fiscal_year, l.resources, l.oblast, t.stream, t.currency"
        ),
        {"year": f"{year:04d}"} if year is not None else {},
    )
    return [
        FilingTotal(str(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), *map(int, r[5:]))
        for r in rows
    ]


def latest_filing_count(
    conn: Connection, *, year: int | None = None, licence_id: str | None = None
) -> int:
    """How many filings there are (latest versions), of one year or licence when given."""
    where, params = [], {}
    if year is not None:
        where.append("fiscal_year = :year")
        params["year"] = f"{year:04d}"
    if licence_id is not None:
        where.append("licence_id = :licence")
        params["licence"] = licence_id
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    found = conn.execute(text(f"SELECT sum(payments) FROM filing_totals {clause}"), params)
    return int(found.scalar() or 0)


def filing_years(conn: Connection) -> list[int]:
    """Every fiscal year with a filing, newest first."""
    rows = conn.execute(text("SELECT DISTINCT fiscal_year FROM filing_totals"))
    return sorted((int(r[0]) for r in rows), reverse=True)


def totals_findings(conn: Connection) -> list[Finding]:
    """Every key whose kept totals differ from the sums of the latest filings."""
    select = _GROUPED.format(sign="", where=_NEWEST.format(also=""))
    expected = {tuple(r[:4]): tuple(int(v) for v in r[4:]) for r in conn.execute(text(select))}
    kept = {
        tuple(r[:4]): tuple(int(v) for v in r[4:])
        for r in conn.execute(text(f"SELECT {_COLUMNS} FROM filing_totals"))
    }
    found = []
    for key in sorted(expected.keys() | kept.keys()):
        if expected.get(key) != kept.get(key):
            year, licence, stream, currency = key
            found.append(
                Finding(
                    f"filing totals of {year} {licence} {stream} {currency} are "
                    f"{kept.get(key)}, the filings sum to {expected.get(key)} "
                    f"(payments, gross, fund, budget, USD)"
                )
            )
    return found
