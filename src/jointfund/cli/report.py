"""`jointfund report …`: transparency data, statements, reconciliation, shadow book, GAPP, exports.

Every command writes one file (`--out`, or stdout for text formats) and records the production
in the append-only report log, which the GAPP checklist reads.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from jointfund.cli.options import DbOption, database, parse_day
from jointfund.cli.output import err, out, table
from jointfund.cli.progress import row_progress
from jointfund.errors import InputError, Problem
from jointfund.fund import report_data
from jointfund.reports.administrator_file import read_administrator
from jointfund.reports.csv_out import csv_text
from jointfund.reports.gapp import checklist, checklist_table
from jointfund.reports.ledger_exports import balances_table, journal_table
from jointfund.reports.periods import parse_period
from jointfund.reports.reconciliation import reconcile, reconciliation_tables
from jointfund.reports.rendering import html_to_pdf, render_html
from jointfund.reports.shadow_book import shadow_check, shadow_table
from jointfund.reports.statement import build_statement
from jointfund.reports.tables import Table
from jointfund.reports.transparency import transparency_json, transparency_tables
from jointfund.reports.treasury_file import read_treasury
from jointfund.reports.xlsx_out import workbook_bytes

app = typer.Typer(
    help="Reports people exchange: transparency, statements, checks.", no_args_is_help=True
)
export_app = typer.Typer(
    help="Export the journal or the balances as CSV or XLSX.", no_args_is_help=True
)
app.add_typer(export_app, name="export")


class TableFormat(StrEnum):
    """Formats for tabular reports."""

    CSV = "csv"
    XLSX = "xlsx"


class DataFormat(StrEnum):
    """Formats for the transparency data."""

    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"


class PageFormat(StrEnum):
    """Formats for page reports."""

    HTML = "html"
    PDF = "pdf"


class ChecklistFormat(StrEnum):
    """Formats for the governance checklist."""

    HTML = "html"
    PDF = "pdf"
    CSV = "csv"
    JSON = "json"


OutOption = Annotated[
    Path | None, typer.Option("--out", help="File to write (text formats default to stdout)")
]


def _today() -> date:
    return datetime.now(UTC).date()


def _write(content: bytes, out_file: Path | None, fmt: str) -> None:
    if out_file is None:
        if fmt in {"xlsx", "pdf"}:
            raise InputError(
                [Problem(f"{fmt} output needs a file", field="--out", expected="a path")]
            )
        sys.stdout.write(content.decode("utf-8"))
        return
    out_file.write_bytes(content)
    err.print(f"wrote {out_file}")


def _tables(tables: list[Table], fmt: str) -> bytes:
    if fmt == "xlsx":
        return workbook_bytes(tables)
    return csv_text(tables[0]).encode("utf-8")


@app.command("transparency")
def transparency(
    year: Annotated[
        int | None, typer.Option("--year", help="Fiscal year (default: every year)")
    ] = None,
    fmt: Annotated[
        DataFormat, typer.Option("--format", help="csv (payments), xlsx (with totals), json")
    ] = DataFormat.XLSX,
    out_file: OutOption = None,
    db: DbOption = None,
) -> None:
    """EITI summary data: every filed payment with GFS code, entity, company, licence; totals."""
    opened = database(db)
    report = report_data.transparency_report(opened, year)
    if fmt is DataFormat.JSON:
        content = (
            json.dumps(transparency_json(report), indent=2, ensure_ascii=False) + "\n"
        ).encode()
    else:
        content = _tables(transparency_tables(report), fmt.value)
    _write(content, out_file, fmt.value)
    report_data.record_report(
        opened,
        "transparency",
        str(year) if year else "all",
        fmt.value,
        content,
        f"{len(report.rows)} rows",
    )


@app.command("statement")
def statement(
    period: Annotated[str, typer.Option("--period", help="Quarter (2026Q1), month or year")],
    fmt: Annotated[PageFormat, typer.Option("--format")] = PageFormat.HTML,
    out_file: OutOption = None,
    db: DbOption = None,
) -> None:
    """The quarterly fund report: balance sheet, investments, operations, cash, capital, NAV."""
    opened = database(db)
    built = build_statement(report_data.statement_input(opened, parse_period(period)))
    # Rendering loads matplotlib (~0.4 s): only the commands that draw pay for it.
    from jointfund.reports.statement_render import statement_html

    html = statement_html(built, generated=_today())
    content = html_to_pdf(html) if fmt is PageFormat.PDF else html.encode("utf-8")
    _write(content, out_file, fmt.value)
    report_data.record_report(
        opened,
        "statement",
        built.source.period.label,
        fmt.value,
        content,
        f"NAV {built.nav_closing}",
    )


@app.command("reconcile")
def reconcile_command(
    treasury: Annotated[Path, typer.Option("--treasury", help="Treasury receipts CSV")],
    year: Annotated[int | None, typer.Option("--year", help="Only this year's periods")] = None,
    amount_tolerance: Annotated[int, typer.Option(help="Allowed difference, minor units")] = 0,
    fx_tolerance: Annotated[
        int, typer.Option(help="Allowed USD value difference, minor units")
    ] = 0,
    fmt: Annotated[TableFormat, typer.Option("--format")] = TableFormat.CSV,
    out_file: OutOption = None,
    db: DbOption = None,
) -> None:
    """Filings vs treasury receipts vs the fund's books: every difference with size and cause."""
    opened = database(db)
    receipts = [
        r for r in read_treasury(treasury) if year is None or r.period.startswith(f"{year}-")
    ]
    result = reconcile(
        report_data.latest_filings(opened, year),
        receipts,
        report_data.fund_receipts(opened, year),
        report_data.fund_rates(opened),
        amount_tolerance=amount_tolerance,
        fx_tolerance=fx_tolerance,
    )
    content = _tables(reconciliation_tables(result), fmt.value)
    _write(content, out_file, fmt.value)
    counts = result.by_cause()
    err.print(
        f"{result.keys} receipts, {result.matched_keys} matched; "
        + (", ".join(f"{c.value}: {n}" for c, n in sorted(counts.items())) or "no differences")
    )
    report_data.record_report(
        opened,
        "reconciliation",
        str(year) if year else "all",
        fmt.value,
        content,
        f"{len(result.differences)} differences",
    )


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise InputError([Problem(f"not a number: {text!r}", field="--pct-tolerance")]) from None


@app.command("shadow")
def shadow(
    admin: Annotated[Path, typer.Option("--admin", help="Administrator's capital statement CSV")],
    period: Annotated[str, typer.Option("--period", help="Quarter (2026Q1), month or year")],
    money_tolerance: Annotated[int, typer.Option(help="Allowed difference, minor units")] = 0,
    pct_tolerance: Annotated[
        str, typer.Option(help="Allowed ownership difference, percentage points")
    ] = "0.0001",
    fmt: Annotated[TableFormat, typer.Option("--format")] = TableFormat.CSV,
    out_file: OutOption = None,
    db: DbOption = None,
) -> None:
    """Check an administrator's capital statement against our books (exit 1 when it differs)."""
    opened = database(db)
    chosen = parse_period(period)
    check = shadow_check(
        chosen.label,
        read_administrator(admin),
        report_data.capital_rows(opened, chosen),
        money_tolerance=money_tolerance,
        pct_tolerance=_decimal(pct_tolerance),
    )
    content = _tables([shadow_table(check)], fmt.value)
    _write(content, out_file, fmt.value)
    report_data.record_report(
        opened, "shadow", chosen.label, fmt.value, content, f"{len(check.differences)} differences"
    )
    err.print(
        f"{check.compared_fields} fields compared, {len(check.differences)} differ beyond tolerance"
    )
    if not check.agrees:
        raise typer.Exit(1)


@app.command("gapp")
def gapp(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date to judge on (default today)")
    ] = None,
    fmt: Annotated[ChecklistFormat, typer.Option("--format")] = ChecklistFormat.HTML,
    out_file: OutOption = None,
    db: DbOption = None,
) -> None:
    """Santiago Principles 11/12/17/23 and NRGI RGI questions, answered from the fund's data."""
    opened = database(db)
    day = parse_day(as_of, "--as-of") or _today()
    items = checklist(report_data.governance_facts(opened, day))
    if fmt is ChecklistFormat.JSON:
        content = (
            json.dumps(
                [
                    {
                        "ref": i.ref,
                        "question": i.question,
                        "status": i.status.value,
                        "evidence": i.evidence,
                        "last_produced": i.last_produced,
                    }
                    for i in items
                ],
                indent=2,
            )
            + "\n"
        ).encode()
    elif fmt is ChecklistFormat.CSV:
        content = csv_text(checklist_table(items)).encode()
    else:
        title = report_data.fund_title(opened)
        html = render_html(
            "gapp.html",
            title="Reporting and audit checklist (GAPP, RGI)",
            fund_name=title,
            as_of=day,
            items=items,
            generated=_today(),
        )
        content = html_to_pdf(html) if fmt is ChecklistFormat.PDF else html.encode()
    _write(content, out_file, fmt.value)
    if out_file is not None:
        table(None, ["item", "status"], [(i.ref, i.status.value) for i in items])
    report_data.record_report(opened, "gapp", day.isoformat(), fmt.value, content)


@export_app.command("journal")
def export_journal(
    fmt: Annotated[TableFormat, typer.Option("--format")] = TableFormat.CSV,
    out_file: OutOption = None,
    db: DbOption = None,
) -> None:
    """Every posting of every entry, in chain order."""
    opened = database(db)
    with row_progress("journal entries") as progress:
        built = journal_table(report_data.all_entries(opened, progress))
    content = _tables([built], fmt.value)
    _write(content, out_file, fmt.value)
    report_data.record_report(
        opened, "export-journal", "all", fmt.value, content, f"{len(built.rows)} postings"
    )


@export_app.command("balances")
def export_balances(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Balances at the end of this day")
    ] = None,
    fmt: Annotated[TableFormat, typer.Option("--format")] = TableFormat.CSV,
    out_file: OutOption = None,
    db: DbOption = None,
) -> None:
    """Every account's balance, now or as of a date."""
    opened = database(db)
    day = parse_day(as_of, "--as-of")
    built = balances_table(report_data.balance_lines(opened, day))
    content = _tables([built], fmt.value)
    _write(content, out_file, fmt.value)
    report_data.record_report(
        opened, "export-balances", day.isoformat() if day else "now", fmt.value, content
    )
    if out_file is not None:
        out.print(f"{len(built.rows)} balances")
