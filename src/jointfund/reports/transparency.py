"""EITI summary data for a fiscal year: one row per filed payment, totals, public fields only.

The receiving government entity is not in the filing; we map it from the revenue stream:

- royalty -> State Tax Service: subsoil rent is a national tax the STS administers;
- permit_fee, auction_proceeds -> State Geology Service: it issues special permits and runs
  their auctions;
- psa_state_share, signature_bonus -> PPP Agency: it administers Ukraine's side of PSAs and of
  the fund (Res. 1616).

The mapping is ours (fund-facts.md §2.11 names the three bodies, not who takes which stream).
A PSA state share is the state's share of output, so it is reported as in-kind (EITI 4.2) at
its sale value; every other stream is cash. Totals by resource use the licence's first-listed
resource, so each totals table partitions the payments and sums to the grand total.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from jointfund.ledger import chart
from jointfund.reports.tables import Cell, RowStream, Table, major
from jointfund.terms import stream_info

GOVERNMENT_ENTITIES: dict[str, str] = {
    "royalty": "State Tax Service of Ukraine",
    "permit_fee": "State Service of Geology and Subsoil of Ukraine",
    "auction_proceeds": "State Service of Geology and Subsoil of Ukraine",
    "psa_state_share": "PPP Agency of Ukraine",
    "signature_bonus": "PPP Agency of Ukraine",
}
IN_KIND_STREAMS = frozenset({"psa_state_share"})


@dataclass(frozen=True, slots=True)
class PublicLicence:
    """The public register facts about a licence."""

    licence_id: str
    holder: str
    holder_registry_id: str
    deposit: str
    resources: tuple[str, ...]
    oblast: str


class FiledPayment(NamedTuple):
    """The latest version of one filed payment with the fund's decision on it (a NamedTuple:
    the streamed exports build one per filing, and it builds in a third of the time a frozen
    dataclass takes)."""

    licence_id: str
    period: str
    stream: str
    currency: str
    gross_minor: int
    fund_minor: int
    budget_minor: int
    reporting_minor: int
    received_on: date
    eligible: bool


@dataclass(frozen=True, slots=True)
class TransparencyRow:
    """One line of the EITI summary data: who paid what to which entity under which licence."""

    fiscal_year: int
    government_entity: str
    gfs_code: str
    gfs_label: str
    revenue_stream: str
    stream_name: str
    company: str
    company_registry_id: str
    licence_id: str
    project: str
    resources: tuple[str, ...]
    oblast: str
    payment_form: str
    period: str
    received_on: date
    currency: str
    amount_minor: int
    fund_share_minor: int
    budget_share_minor: int
    fund_share_usd_minor: int
    flows_to_fund: bool


@dataclass(frozen=True, slots=True)
class TotalLine:
    """The sum of payments sharing one value of a dimension, in one currency."""

    key: str
    currency: str
    payments: int
    amount_minor: int
    fund_share_minor: int
    budget_share_minor: int
    fund_share_usd_minor: int


@dataclass(frozen=True, slots=True)
class TransparencyReport:
    """A fiscal year's summary data with its totals by resource, oblast, stream and year."""

    fiscal_year: int | None
    reporting_currency: str
    rows: tuple[TransparencyRow, ...]
    totals: Mapping[str, tuple[TotalLine, ...]]


def transparency_row(payment: FiledPayment, licence: PublicLicence) -> TransparencyRow:
    """The summary data's line for one payment under its licence."""
    info = stream_info(payment.stream)
    return TransparencyRow(
        fiscal_year=int(payment.period[:4]),
        government_entity=GOVERNMENT_ENTITIES[info.stream.value],
        gfs_code=info.gfs_code,
        gfs_label=info.gfs_label,
        revenue_stream=info.stream.value,
        stream_name=info.label,
        company=licence.holder,
        company_registry_id=licence.holder_registry_id,
        licence_id=licence.licence_id,
        project=licence.deposit,
        resources=licence.resources,
        oblast=licence.oblast,
        payment_form="in-kind" if info.stream.value in IN_KIND_STREAMS else "cash",
        period=payment.period,
        received_on=payment.received_on,
        currency=payment.currency,
        amount_minor=payment.gross_minor,
        fund_share_minor=payment.fund_minor,
        budget_share_minor=payment.budget_minor,
        fund_share_usd_minor=payment.reporting_minor,
        flows_to_fund=payment.eligible and payment.fund_minor != 0,
    )


DIMENSIONS: dict[str, Callable[[TransparencyRow], str]] = {
    "resource": lambda r: r.resources[0] if r.resources else "unspecified",
    "oblast": lambda r: r.oblast,
    "stream": lambda r: r.revenue_stream,
    "year": lambda r: str(r.fiscal_year),
}


def totals_by(
    rows: Iterable[TransparencyRow], key: Callable[[TransparencyRow], str]
) -> tuple[TotalLine, ...]:
    """Rows summed per (key, currency), sorted by key then currency."""
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for row in rows:
        s = sums[(key(row), row.currency)]
        s[0] += 1
        s[1] += row.amount_minor
        s[2] += row.fund_share_minor
        s[3] += row.budget_share_minor
        s[4] += row.fund_share_usd_minor
    return tuple(TotalLine(k, c, *v) for (k, c), v in sorted(sums.items()))


def transparency_rows(
    payments: Iterable[FiledPayment], licences: Mapping[str, PublicLicence]
) -> Iterator[TransparencyRow]:
    """The summary data's rows, one per payment as it comes (already in reading order)."""
    for p in payments:
        yield transparency_row(p, licences[p.licence_id])


def build_transparency(
    payments: Iterable[FiledPayment],
    licences: Mapping[str, PublicLicence],
    fiscal_year: int | None = None,
    *,
    ordered: bool = True,
) -> TransparencyReport:
    """The summary data for one fiscal year (every year when None), ordered for reading
    (`ordered`; a page read in the books' own order keeps it)."""
    rows = [
        transparency_row(p, licences[p.licence_id])
        for p in payments
        if fiscal_year is None or p.period.startswith(f"{fiscal_year}-")
    ]
    if ordered:
        rows.sort(key=lambda r: (r.period, r.licence_id, r.revenue_stream, r.received_on))
    totals = {name: totals_by(rows, key) for name, key in DIMENSIONS.items()}
    return TransparencyReport(fiscal_year, chart.REPORTING_CURRENCY, tuple(rows), totals)


ROW_COLUMNS = (
    "fiscal_year",
    "government_entity",
    "gfs_code",
    "gfs_label",
    "revenue_stream",
    "revenue_stream_name",
    "company",
    "company_registry_id",
    "licence_id",
    "project",
    "resources",
    "oblast",
    "payment_form",
    "period",
    "received_on",
    "currency",
    "amount",
    "fund_share",
    "budget_share",
    "fund_share_usd",
    "flows_to_fund",
)
TOTAL_COLUMNS = ("currency", "payments", "amount", "fund_share", "budget_share", "fund_share_usd")


def row_cells(r: TransparencyRow, usd: str) -> tuple[Cell, ...]:
    """A line's cells in ROW_COLUMNS order, amounts in major units."""
    return (
        r.fiscal_year,
        r.government_entity,
        r.gfs_code,
        r.gfs_label,
        r.revenue_stream,
        r.stream_name,
        r.company,
        r.company_registry_id,
        r.licence_id,
        r.project,
        ";".join(r.resources),
        r.oblast,
        r.payment_form,
        r.period,
        r.received_on,
        r.currency,
        major(r.amount_minor, r.currency),
        major(r.fund_share_minor, r.currency),
        major(r.budget_share_minor, r.currency),
        major(r.fund_share_usd_minor, usd),
        r.flows_to_fund,
    )


def transparency_tables(report: TransparencyReport) -> list[Table]:
    """The payments sheet followed by one sheet per totals dimension."""
    usd = report.reporting_currency
    payments = Table("payments", ROW_COLUMNS, tuple(row_cells(r, usd) for r in report.rows))
    return [payments, *totals_tables(report)]


def streamed_tables(
    payments: Iterable[FiledPayment],
    licences: Mapping[str, PublicLicence],
    totals: TransparencyReport,
) -> list[Table | RowStream]:
    """`transparency_tables` with the payments read as they are written and the totals of
    `totals` (the sums the books keep): the same sheets, in memory flat in the payments."""
    usd = totals.reporting_currency
    rows = (row_cells(transparency_row(p, licences[p.licence_id]), usd) for p in payments)
    return [RowStream("payments", ROW_COLUMNS, rows), *totals_tables(totals)]


def totals_tables(report: TransparencyReport) -> list[Table]:
    """One sheet per totals dimension."""
    usd = report.reporting_currency
    tables = []
    for name, lines in report.totals.items():
        rows = tuple(
            (
                t.key,
                t.currency,
                t.payments,
                major(t.amount_minor, t.currency),
                major(t.fund_share_minor, t.currency),
                major(t.budget_share_minor, t.currency),
                major(t.fund_share_usd_minor, usd),
            )
            for t in lines
        )
        tables.append(Table(f"by {name}", (name, *TOTAL_COLUMNS), rows))
    return tables


def json_cell(cell: Cell) -> str | int | bool | None:
    """A cell as JSON-ready data: dates as ISO text and amounts as exact decimal strings;
    counts and flags as they are."""
    if cell is None or isinstance(cell, bool | int):
        return cell
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


def json_head(report: TransparencyReport) -> dict[str, Any]:
    """What the JSON says before its rows: the standard, year, currency and unit."""
    return {
        "standard": "EITI summary data (company- and project-level payments)",
        "fiscal_year": report.fiscal_year,
        "reporting_currency": report.reporting_currency,
        "unit": "currency units (major)",
    }


def json_row(r: TransparencyRow, usd: str) -> dict[str, Any]:
    """One payment as JSON-ready data; amounts as exact decimal strings."""
    return {
        name: json_cell(cell) for name, cell in zip(ROW_COLUMNS, row_cells(r, usd), strict=True)
    }


def json_totals(report: TransparencyReport) -> dict[str, list[dict[str, Any]]]:
    """Each totals dimension as JSON-ready lines; amounts as exact decimal strings."""
    usd = report.reporting_currency

    def line(t: TotalLine) -> dict[str, Any]:
        return {
            "key": t.key,
            "currency": t.currency,
            "payments": t.payments,
            "amount": str(major(t.amount_minor, t.currency)),
            "fund_share": str(major(t.fund_share_minor, t.currency)),
            "budget_share": str(major(t.budget_share_minor, t.currency)),
            "fund_share_usd": str(major(t.fund_share_usd_minor, usd)),
        }

    return {name: [line(t) for t in lines] for name, lines in report.totals.items()}


def transparency_json(report: TransparencyReport) -> dict[str, Any]:
    """The report as JSON-ready data for the public page; amounts as exact decimal strings."""
    rows = [json_row(r, report.reporting_currency) for r in report.rows]
    return {**json_head(report), "rows": rows, "totals": json_totals(report)}
