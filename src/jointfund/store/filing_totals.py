"""Filing totals: the latest version of every filing, summed per fiscal year, licence, stream
and currency, so the transparency totals cost the size of the register, not of its history.

Kept set-based in SQL by `add_filings`, in the transaction that stores the filings; `verify`
recomputes the sums from the filings and names any key that differs (`totals_findings`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Table, inspect, text

from jointfund.i18n.message import Message
from jointfund.ledger import Finding
from jointfund.store.tables.registry import filing_totals as filing_totals_table
from jointfund.terms.catalogue import RevenueStream


@dataclass(frozen=True, slots=True)
class _Kept:
    """One table of sums: its keys (as stored, and as computed from a filing `f`), its sums."""

    table: str
    keys: tuple[str, ...]
    key_sql: tuple[str, ...]
    sums: tuple[str, ...]
    sum_sql: tuple[str, ...]
    source: str = "filings f"
    only: str = ""
    """A condition on the filings counted (all of them when empty)."""
    checked_from: str | None = None
    """The sums `verify` expects when not summed from the filings again: those of another kept
    table that is itself checked against the filings."""

    def grouped(self, sign: str, where: str) -> str:
        """The latest filings matching `where`, summed per key (negated with sign "-")."""
        keys = ", ".join(self.key_sql)
        sums = ", ".join(f"{sign}{s}" for s in self.sum_sql)
        # The condition on the row first: the newest-version test is a lookup per row.
        where = f"{self.only} AND ({where})" if self.only else where
        return f"SELECT {keys}, {sums} FROM {self.source} WHERE {where} GROUP BY {keys}"

    def add(self, select: str) -> str:
        """Add the rows of `select` to the sums already kept."""
        return (
            f"INSERT INTO {self.table} ({', '.join((*self.keys, *self.sums))}) {select} "
            f"ON CONFLICT ({', '.join(self.keys)}) DO UPDATE SET "
            + ", ".join(f"{c} = {self.table}.{c} + excluded.{c}" for c in self.sums)
        )


RECEIVED_YEAR = "{received_year}"
"""The year a filing was received, as text: spelled per database by `_spelled`."""
_RECEIVED_YEAR = {
    "sqlite": "substr(f.received_on, 1, 4)",  # a day is stored as its ISO text
    "postgresql": "to_char(f.received_on, 'YYYY')",
}


def _spelled(conn: Connection, sql: str) -> str:
    """`sql` with the expressions that differ between the databases spelled for `conn`'s."""
    return sql.replace(RECEIVED_YEAR, _RECEIVED_YEAR[conn.dialect.name])


TOTALS = _Kept(
    "filing_totals",
    ("fiscal_year", "licence_id", "stream", "currency"),
    ("substr(f.period, 1, 4)", "f.licence_id", "f.stream", "f.currency"),
    tuple(c.name for c in filing_totals_table.columns if not c.primary_key),
    (
        "count(*)",
        "sum(f.gross_minor)",
        "sum(f.fund_minor)",
        "sum(f.budget_minor)",
        "sum(f.reporting_minor)",
    ),
)
MONTHS = _Kept(
    "filing_months",
    ("period", "resources"),
    ("f.period", "l.resources"),
    ("payments", "eligible_usd_minor"),
    ("count(*)", "sum(CASE WHEN f.eligible THEN f.reporting_minor ELSE 0 END)"),
    "filings f JOIN licences l ON l.licence_id = f.licence_id",
)


def _from_totals(table: str, keys: tuple[str, ...], key_sql: tuple[str, ...]) -> _Kept:
    """Sums kept like filing_totals on fewer keys; `verify` sums filing_totals to check them."""
    sums = ", ".join(f"sum({c})" for c in TOTALS.sums)
    grouped = ", ".join(keys)
    checked = f"SELECT {grouped}, {sums} FROM filing_totals GROUP BY {grouped}"
    return _Kept(table, keys, key_sql, TOTALS.sums, TOTALS.sum_sql, checked_from=checked)


LICENCE_SUMS = _from_totals(
    "filing_licences", ("licence_id", "currency"), ("f.licence_id", "f.currency")
)
YEAR_SUMS = _from_totals(
    "filing_year_streams",
    ("fiscal_year", "stream", "currency"),
    ("substr(f.period, 1, 4)", "f.stream", "f.currency"),
)
RENT_DAYS = _Kept(
    "filing_rent_days",
    ("period", "received_on", "resources"),
    ("f.period", "f.received_on", "l.resources"),
    ("payments",),
    ("count(*)",),
    MONTHS.source,
    only=f"f.stream = '{RevenueStream.ROYALTY.value}'",
)
FUND_PLACE = (
    "CASE WHEN f.entry_key IS NOT NULL THEN 'booked' "
    "WHEN f.credit_account IS NOT NULL THEN 'accrued' ELSE 'neither' END"
)
FUND_DAYS = _Kept(
    "filing_fund_days",
    ("stream", "received_on", "currency", "place"),
    ("f.stream", "f.received_on", "f.currency", FUND_PLACE),
    ("payments", "fund_minor"),
    ("count(*)", "sum(f.fund_minor)"),
    only="f.eligible AND f.fund_minor <> 0",
)
ACCRUAL_DAYS = _Kept(
    "filing_accrual_days",
    ("credit_account", "received_on", "currency"),
    ("f.credit_account", "f.received_on", "f.currency"),
    ("payments", "fund_minor", "reporting_minor"),
    ("count(*)", "sum(f.fund_minor)", "sum(f.reporting_minor)"),
    only="f.entry_key IS NULL AND f.credit_account IS NOT NULL AND f.fund_minor <> 0",
)
ACCRUAL_LICENCES = _Kept(
    "filing_accrual_licences",
    ("credit_account", "accrual_year", "licence_id", "stream", "currency"),
    ("f.credit_account", RECEIVED_YEAR, "f.licence_id", "f.stream", "f.currency"),
    ACCRUAL_DAYS.sums,
    ACCRUAL_DAYS.sum_sql,
    only=ACCRUAL_DAYS.only,
)
KEPT = (
    TOTALS,
    MONTHS,
    LICENCE_SUMS,
    YEAR_SUMS,
    RENT_DAYS,
    FUND_DAYS,
    ACCRUAL_DAYS,
    ACCRUAL_LICENCES,
)
_NEWEST = (
    "NOT EXISTS (SELECT 1 FROM filings g WHERE g.payer_reference = f.payer_reference "
    "AND g.version > f.version{also})"
)
# Versions stored before an import that it supersedes, and that were the newest then.
_SUPERSEDED = (
    "f.id IN (SELECT o.id FROM filings n JOIN filings o ON o.payer_reference = "
    "n.payer_reference AND o.version < n.version WHERE n.id BETWEEN :a AND :b "
    "AND n.version > 1 AND o.id < :a) AND " + _NEWEST.format(also=" AND g.id < :a")
)


def add_filings(conn: Connection, first_id: int, last_id: int, *, supersedes: bool = True) -> None:
    """Add the filings just stored with ids `first_id..last_id` to the kept sums; take out
    each version they supersede (none when `supersedes` is False: no row of theirs is a later
    version). The statements run on indexes (ids, reference and version)."""
    span = {"a": first_id, "b": last_id}
    # A version is stored only above the newest one stored (the import refuses a stale one),
    # so without a later version among the new rows every one of them is its filing's newest:
    # the lookup per row and kept table is needed only when they correct.
    fresh = "f.id BETWEEN :a AND :b"
    if supersedes:
        fresh += f" AND {_NEWEST.format(also='')}"
    added = [kept.add(kept.grouped("", fresh)) for kept in KEPT]
    if conn.dialect.name == "postgresql":
        # One round trip for every table (statements in a WITH): an upload holds the books'
        # lock while these run, and each statement is a round trip to the server.
        together = ", ".join(f"k{i} AS ({sql})" for i, sql in enumerate(added))
        conn.execute(text(_spelled(conn, f"WITH {together} SELECT 1")), span)
    else:
        for sql in added:
            conn.execute(text(_spelled(conn, sql)), span)
    if not supersedes:
        return
    for kept in KEPT:
        removed = conn.execute(
            text(_spelled(conn, kept.add(kept.grouped("-", _SUPERSEDED)))), span
        ).rowcount
        if removed:
            conn.execute(text(f"DELETE FROM {kept.table} WHERE payments = 0"))


def rebuild_filing_totals(conn: Connection, tables: tuple[str, ...] | None = None) -> None:
    """Sum every stored filing into the kept sums afresh (all of them, or the tables named):
    the migrations that add or reshape them."""
    for kept in KEPT:
        if tables is not None and kept.table not in tables:
            continue
        conn.execute(text(f"DELETE FROM {kept.table}"))
        columns = ", ".join((*kept.keys, *kept.sums))
        select = kept.grouped("", _NEWEST.format(also=""))
        conn.execute(text(_spelled(conn, f"INSERT INTO {kept.table} ({columns}) {select}")))


def create_kept_tables(conn: Connection, tables: Sequence[Table]) -> None:
    """Make and fill the kept tables a migration adds, where the filings table predates them
    (fresh books get them from revision 0002, with the filings)."""
    present = set(inspect(conn).get_table_names())
    if "filings" not in present:
        return
    for table in tables:
        if table.name not in present:
            table.create(conn)
            rebuild_filing_totals(conn, tables=(table.name,))


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


def licence_sums_select(year: int | None) -> tuple[str, dict[str, Any]]:
    """The query of `public_licence_sums` with a `{where}` slot for a condition on the licence
    `l` (a page's licences or holders), and its parameters."""
    columns = (
        "SELECT l.licence_id, l.holder, l.holder_registry_id, l.deposit, l.oblast, l.resources, "
        "t.currency, {payments}, {gross}, {usd} FROM {table} t "
        "JOIN licences l ON l.licence_id = t.licence_id"
    )
    if year is None:
        query = columns.format(
            payments="t.payments", gross="t.gross_minor", usd="t.reporting_minor",
            table="filing_licences",
        )  # fmt: skip
        return query + " WHERE {where}", {}
    query = columns.format(
        payments="sum(t.payments)", gross="sum(t.gross_minor)", usd="sum(t.reporting_minor)",
        table="filing_totals",
    )  # fmt: skip
    return (
        query + " WHERE t.fiscal_year = :year AND {where} GROUP BY l.licence_id, t.currency",
        {"year": f"{year:04d}"},
    )


def public_licence_sums(conn: Connection, year: int | None = None) -> list[tuple[Any, ...]]:
    """(licence, holder, holder's registry code, deposit, oblast, resources as stored,
    currency, payments, gross minor units, fund's share in USD minor units) per licence and
    currency of one fiscal year (every year when None, from the all-years sums), unordered:
    the public company and project tables in one read, at a cost of licences, not filings."""
    query, params = licence_sums_select(year)
    return [tuple(r) for r in conn.execute(text(query.format(where="1 = 1")), params)]


def all_years_marginals(
    conn: Connection,
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The totals of every year in two small reads instead of one grouping of every licence
    and year: (resources as stored, oblast, currency, the five sums) from the all-years sums
    per licence, and (fiscal year, stream, currency, the five sums) as kept per year and
    stream."""
    sums = ", ".join(f"sum(t.{c})" for c in TOTALS.sums)
    places = conn.execute(
        text(
            f"SELECT l.resources, l.oblast, t.currency, {sums} FROM filing_licences t "
            "JOIN licences l ON l.licence_id = t.licence_id "
            "GROUP BY l.resources, l.oblast, t.currency"
        )
    )
    columns = ", ".join(TOTALS.sums)
    years = conn.execute(
        text(f"SELECT fiscal_year, stream, currency, {columns} FROM filing_year_streams")
    )
    return [tuple(r) for r in places], [tuple(r) for r in years]


def latest_receipt(conn: Connection) -> date | None:
    """The newest receipt day of any stored filing (None before the first)."""
    found = conn.execute(text("SELECT max(received_on) FROM filings")).scalar()
    if found is None or isinstance(found, date):
        return found
    return date.fromisoformat(str(found)[:10])


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
    rows = conn.execute(text("SELECT DISTINCT fiscal_year FROM filing_year_streams"))
    return sorted((int(r[0]) for r in rows), reverse=True)


def inflows_by_month(conn: Connection) -> list[tuple[str, str, int]]:
    """(period, the licence's resources as the register holds them, the fund's share in USD
    minor units of the eligible filings), from the kept monthly sums: what the overview's
    inflow chart needs, at a cost of licences times months, not filings."""
    rows = conn.execute(text("SELECT period, resources, eligible_usd_minor FROM filing_months"))
    return [(str(r[0]), str(r[1]), int(r[2])) for r in rows]


# The latest version of each filing, as the check reads it: not among the versions some later
# version of the same payer reference supersedes. The same rows as _NEWEST (which the writers
# use), found by one pass over the few later versions instead of a lookup per filing.
_LATEST = (
    "f.id NOT IN (SELECT o.id FROM filings n JOIN filings o ON o.payer_reference = "
    "n.payer_reference AND o.version < n.version WHERE n.version > 1)"
)


def totals_findings(conn: Connection) -> list[Finding]:
    """Every key whose kept sums differ from the sums of the latest filings."""
    found = []
    for kept in KEPT:
        summed = kept.checked_from or kept.grouped("", _LATEST)
        held = f"SELECT {', '.join((*kept.keys, *kept.sums))} FROM {kept.table}"
        # The database compares the two sets of rows and hands back only those that differ
        # (none, in books nobody edited): comparing them here row by row was half the time
        # `verify` spent outside the journal.
        expected: dict[tuple[Any, ...], tuple[int, ...]] = {}
        stored: dict[tuple[Any, ...], tuple[int, ...]] = {}
        n = len(kept.keys)
        query = (
            f"WITH s AS ({summed}) "
            f"SELECT 1, d.* FROM (SELECT * FROM s EXCEPT {held}) d UNION ALL "
            f"SELECT 2, d.* FROM ({held} EXCEPT SELECT * FROM s) d"
        )  # the sums computed once: a CTE read twice is materialised (SQLite, PostgreSQL)
        for r in conn.execute(text(_spelled(conn, query))):
            side = expected if r[0] == 1 else stored
            side[tuple(r[1 : n + 1])] = tuple(int(v) for v in r[n + 1 :])
        for key in sorted(expected.keys() | stored.keys()):
            if expected.get(key) != stored.get(key):
                found.append(
                    Finding(
                        Message(
                            "{table} row {value}: stored {value2}, the filings sum to "
                            "{value3} ({value4})",
                            table=kept.table,
                            value=" ".join(map(str, key)),
                            value2=stored.get(key),
                            value3=expected.get(key),
                            value4=", ".join(kept.sums),
                        )
                    )
                )
    return found
