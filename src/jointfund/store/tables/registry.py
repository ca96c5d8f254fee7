"""Tables of the registry: the adopted term sheets, licences, revenue filings and FX rates."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ColumnElement,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    literal_column,
    text,
)

from jointfund.store.tables.ledger import metadata

term_sheets = Table(
    "term_sheets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("terms_id", String(64), nullable=False),
    Column("yaml", Text, nullable=False),
    Column("adopted_at", String(32), nullable=False),
    Column("adopted_by", String(128), nullable=False),
)

licences = Table(
    "licences",
    metadata,
    Column("licence_id", String(64), primary_key=True),
    Column("holder", Text, nullable=False),
    Column("holder_registry_id", String(64), nullable=False),
    Column("deposit", Text, nullable=False),
    Column("resources", Text, nullable=False),
    Column("oblast", String(64), nullable=False),
    Column("instrument", String(16), nullable=False),
    Column("issued_on", Date, nullable=False),
    Column("status", String(16), nullable=False),
    Column("is_new", Boolean),
    Column("territory", String(16), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("row_version", Integer, nullable=False, default=1, server_default="1"),
    # The register sorted by issue date or holder, a page at a time (migration 0025).
    Index("ix_licences_issued", "issued_on", "licence_id"),
    Index("ix_licences_holder", "holder", "licence_id"),
)

filings = Table(
    "filings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("payer_reference", String(128), nullable=False),
    Column("version", Integer, nullable=False),
    Column("licence_id", String(64), ForeignKey("licences.licence_id"), nullable=False),
    Column("period", String(7), nullable=False),
    Column("period_end", Date, nullable=False),
    Column("stream", String(32), nullable=False),
    Column("gross_minor", BigInteger, nullable=False),
    Column("costs_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("received_on", Date, nullable=False),
    Column("eligible", Boolean, nullable=False),
    Column("fund_minor", BigInteger, nullable=False),
    Column("budget_minor", BigInteger, nullable=False),
    Column("reporting_minor", BigInteger, nullable=False),
    Column("fx_rate", String(48)),
    Column("rule_id", String(64)),
    Column("share", String(32), nullable=False),
    Column("reason", Text),
    Column("entry_key", String(200)),
    Column("credit_account", String(200)),
    Column("terms_id", String(64), nullable=False),
    Column("imported_at", String(32), nullable=False),
    Column("source", String(512), nullable=False),
    UniqueConstraint("payer_reference", "version", name="uq_filings_reference_version"),
    Index("ix_filings_licence", "licence_id", "period"),
    # Pages of the public data walk the periods in order (migration 0018).
    Index("ix_filings_period", "period", "id"),
    # An entry's filings, for tracing a daily summary back to what it sums (migration 0024).
    Index("ix_filings_entry", "entry_key", "id"),
    # The filings page sorted by the day received or by amount (per currency), and the
    # entries booked at one FX rate (migration 0025).
    Index("ix_filings_received", "received_on", "id"),
    Index("ix_filings_gross", "currency", "gross_minor", "id"),
    Index("ix_filings_fx_rate", "fx_rate", "entry_key"),
    # The filings whose share accrues to a contribution account until a transfer books it
    # (migration 0028): under the agreement's cycle every filing of the year until the
    # transfer, summed by `store.transfers.accrual_sums`. Partial, so the filings booked
    # directly (the drafts' terms, or no cycle) cost it nothing.
    Index(
        "ix_filings_accruing",
        "credit_account",
        "payer_reference",
        sqlite_where=text("credit_account IS NOT NULL"),
        postgresql_where=text("credit_account IS NOT NULL"),
    ),
)

# A period's calendar year, spelled as the year index holds it: the numbers are literals, not
# bound parameters, so SQLite's planner sees the indexed expression in a query's WHERE.
FILING_YEAR: ColumnElement[str] = func.substr(
    filings.c.period, literal_column("1"), literal_column("4")
)

# A year's filings in id order (`GET /api/filings?year=`), read along the index instead of
# walking every filing since the first (migration 0029).
Index("ix_filings_year", FILING_YEAR, filings.c.id)

fx_rates = Table(
    "fx_rates",
    metadata,
    Column("on", Date, primary_key=True),
    Column("base", String(3), primary_key=True),
    Column("quote", String(3), primary_key=True),
    Column("rate", String(48), nullable=False),
    Column("source", String(512), nullable=False),
    # The line of `source` the rate was read from (the row a spreadsheet shows, header
    # included; the line of a JSON file): NULL for rates stored before migration 0026.
    Column("source_row", Integer),
)

REGISTRY_APPEND_ONLY = ("term_sheets", "filings", "fx_rates")


def _filing_sums() -> list[Column[int]]:
    """The five sums every kept table of filings holds: how many latest filings, their gross,
    the fund's and the budget's shares, and the fund's share in the reporting currency."""
    names = ("payments", "gross_minor", "fund_minor", "budget_minor", "reporting_minor")
    return [Column(name, BigInteger, nullable=False) for name in names]


filing_totals = Table(
    "filing_totals",
    metadata,
    # The latest version of every filing summed per fiscal year, licence, stream and currency:
    # what the transparency totals read instead of every filing. Kept by the import that
    # stores the filings, in its transaction; `verify` recomputes it from the filings.
    Column("fiscal_year", String(4), primary_key=True),
    Column("licence_id", String(64), primary_key=True),
    Column("stream", String(32), primary_key=True),
    Column("currency", String(3), primary_key=True),
    *_filing_sums(),
)
filing_reasons = Table(
    "filing_reasons",
    metadata,
    Column("filing_id", Integer, primary_key=True),
    Column("reason", Text, nullable=False),
    Column("stored_reason", Text, nullable=False),
    Column("noted_at", String(32), nullable=False),
)
"""The true reason for a stored filing whose kept reason misstated it (migration 0016): the
filing row stays as stored and hashed; this note, chained like every history row, says
what was true of that filing."""

FILING_REASON_APPEND_ONLY = ("filing_reasons",)

filing_months = Table(
    "filing_months",
    metadata,
    # The latest version of every filing summed per period and the resources of its licence
    # (which cannot change once a licence has filings): the fund's share in USD of the
    # eligible ones, for the overview's inflows by resource and month, in rows of periods
    # times resource lists, whatever the register holds (migration 0027). Kept and checked
    # like filing_totals.
    Column("period", String(7), primary_key=True),
    Column("resources", Text, primary_key=True),
    Column("payments", BigInteger, nullable=False),
    Column("eligible_usd_minor", BigInteger, nullable=False),
)

filing_licences = Table(
    "filing_licences",
    metadata,
    # The latest version of every filing summed per licence and currency over every year:
    # what the public page's all-years tables and its totals by resource and oblast read, in
    # rows of licences, not licences times years (migration 0030). Kept like filing_totals;
    # `verify` checks it against filing_totals, which it checks against the filings.
    Column("licence_id", String(64), primary_key=True),
    Column("currency", String(3), primary_key=True),
    *_filing_sums(),
)

filing_rent_days = Table(
    "filing_rent_days",
    metadata,
    # The latest version of every rent (royalty) filing counted per period, day received and
    # the resources of its licence: whether a payment met its Tax Code deadline, and whether
    # its period is its resource's, depend on nothing else, so the calendar's counts of rent
    # met, met late and flagged read rows of periods times days, not filings (migration
    # 0031). Kept and checked like filing_totals.
    Column("period", String(7), primary_key=True),
    Column("received_on", Date, primary_key=True),
    Column("resources", Text, primary_key=True),
    Column("payments", BigInteger, nullable=False),
)

filing_fund_days = Table(
    "filing_fund_days",
    metadata,
    # The fund's share of the latest eligible filings summed per stream, day received,
    # currency and where the share went (`booked` by an entry, `accrued` in the register of
    # accruals until a transfer, or `neither`): the reconciliation by budget code compares
    # them by month with the Treasury's receipts, in rows of days, not filings (migration
    # 0032). Kept and checked like filing_totals.
    Column("stream", String(32), primary_key=True),
    Column("received_on", Date, primary_key=True),
    Column("currency", String(3), primary_key=True),
    Column("place", String(8), primary_key=True),
    Column("payments", BigInteger, nullable=False),
    Column("fund_minor", BigInteger, nullable=False),
)

filing_accrual_days = Table(
    "filing_accrual_days",
    metadata,
    # The register of accruals summed per contribution account, day received and currency:
    # the latest filings whose share waits in a contribution account for a transfer. Under
    # the agreement's cycle that is every filing of the year, and the overview's calendar, a
    # transfer's check and the forecast's start summed them all (2.46 s on the first request
    # at ten million filings); they read rows of days here (migration 0033). Kept and checked
    # like filing_totals.
    Column("credit_account", String(200), primary_key=True),
    Column("received_on", Date, primary_key=True),
    Column("currency", String(3), primary_key=True),
    Column("payments", BigInteger, nullable=False),
    Column("fund_minor", BigInteger, nullable=False),
    Column("reporting_minor", BigInteger, nullable=False),
)

filing_accrual_licences = Table(
    "filing_accrual_licences",
    metadata,
    # The register of accruals summed per contribution account, year received, licence,
    # stream and currency: the cycle report's lines, one per licence and stream of a period,
    # read as rows of licences, not filings (migration 0033). Kept and checked like
    # filing_totals.
    Column("credit_account", String(200), primary_key=True),
    Column("accrual_year", String(4), primary_key=True),
    Column("licence_id", String(64), primary_key=True),
    Column("stream", String(32), primary_key=True),
    Column("currency", String(3), primary_key=True),
    Column("payments", BigInteger, nullable=False),
    Column("fund_minor", BigInteger, nullable=False),
    Column("reporting_minor", BigInteger, nullable=False),
)

filing_year_streams = Table(
    "filing_year_streams",
    metadata,
    # The latest version of every filing summed per fiscal year, stream and currency: the
    # public page's totals by year and by stream without grouping every licence's sums
    # (migration 0030). Kept and checked like filing_licences.
    Column("fiscal_year", String(4), primary_key=True),
    Column("stream", String(32), primary_key=True),
    Column("currency", String(3), primary_key=True),
    *_filing_sums(),
)
