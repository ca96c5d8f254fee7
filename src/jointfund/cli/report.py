"""`jointfund report …`: transparency data, statements, reconciliation, shadow book, GAPP, exports.

Every command writes one file (`--out`, or stdout for text formats) and records the production
in the append-only report log, which the GAPP checklist reads.
"""

from __future__ import annotations

import sys
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from jointfund.cli.options import DbOption, TokenOption, acting, parse_day
from jointfund.cli.output import code_words, err, out, table
from jointfund.cli.progress import row_progress
from jointfund.clock import utcnow
from jointfund.config import Settings
from jointfund.errors import InputError, Problem
from jointfund.fund import code_reconciliation, documents, statement_documents
from jointfund.i18n import N_, gettext
from jointfund.i18n.message import Message, localised
from jointfund.intake.treasury_licence_file import read_treasury
from jointfund.reports.administrator_file import read_administrator
from jointfund.reports.periods import parse_period

app = typer.Typer(
    help=N_("Reports people exchange: transparency, statements, checks."), no_args_is_help=True
)
export_app = typer.Typer(
    help=N_("Export the journal or the balances as CSV or XLSX."), no_args_is_help=True
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
    Path | None, typer.Option("--out", help=N_("File to write (text formats default to stdout)"))
]


def _needs_file(out_file: Path | None, fmt: str) -> None:
    """Refuse, before any work, a binary or page format with nowhere to write it."""
    if out_file is None and fmt in {"xlsx", "pdf", "html"}:
        raise InputError(
            [
                Problem(
                    Message("{fmt} output needs a file", fmt=fmt),
                    field="--out",
                    expected=Message("a path"),
                )
            ]
        )


def _write(document: documents.Document, out_file: Path | None) -> None:
    if out_file is None:
        sys.stdout.write(document.content.decode("utf-8"))
        return
    out_file.write_bytes(document.content)
    err.print(
        localised(Message("wrote {file} (sha256 {sha256})", file=out_file, sha256=document.sha256))
    )


@app.command("transparency")
def transparency(
    year: Annotated[
        int | None, typer.Option("--year", help=N_("Fiscal year (default: every year)"))
    ] = None,
    fmt: Annotated[
        DataFormat, typer.Option("--format", help=N_("csv (payments), xlsx (with totals), json"))
    ] = DataFormat.XLSX,
    out_file: OutOption = None,
    token: TokenOption = None,
    db: DbOption = None,
) -> None:
    """EITI summary data: every filed payment with GFS code, entity, company, licence; totals."""
    _needs_file(out_file, fmt.value)
    opened, actor = acting(token, db)
    # Every format is written as the payments are read: memory flat in the filings.
    if out_file is None:
        documents.transparency_streamed(opened, actor, sys.stdout.buffer, year=year, fmt=fmt.value)
        return
    with out_file.open("wb") as handle:
        done = documents.transparency_streamed(opened, actor, handle, year=year, fmt=fmt.value)
    err.print(
        localised(Message("wrote {file} (sha256 {sha256})", file=out_file, sha256=done.sha256))
    )


@app.command("eiti")
def eiti(
    out_file: Annotated[Path, typer.Option("--out", help=N_("The workbook to write (.xlsx)"))],
    year: Annotated[
        int | None, typer.Option("--year", help=N_("Fiscal year (default: the newest filed)"))
    ] = None,
    token: TokenOption = None,
    db: DbOption = None,
) -> None:
    """The EITI Summary Data Template workbook of a fiscal year, amounts in hryvnias."""
    opened, actor = acting(token, db)
    _write(documents.eiti_summary(opened, actor, year=year), out_file)


@app.command("statement")
def statement(
    period: Annotated[str, typer.Option("--period", help=N_("Quarter (2026Q1), month or year"))],
    fmt: Annotated[PageFormat, typer.Option("--format")] = PageFormat.HTML,
    out_file: OutOption = None,
    restate: Annotated[
        bool,
        typer.Option(
            "--restate",
            help=N_(
                "Issue a new version as the books are known now, listing what changed "
                "(without it, an issued statement is reproduced byte for byte)"
            ),
        ),
    ] = False,
    token: TokenOption = None,
    db: DbOption = None,
) -> None:
    """The quarterly fund report: balance sheet, investments, operations, cash, capital, NAV."""
    _needs_file(out_file, fmt.value)
    opened, actor = acting(token, db)
    found = statement_documents.statement(
        opened,
        actor,
        parse_period(period),
        fmt=fmt.value,
        restate=restate,
        stale_after_days=Settings().fx_stale_days,
    )
    _write(found, out_file)


@app.command("reconcile")
def reconcile_command(
    treasury: Annotated[
        Path | None,
        typer.Option(
            "--treasury",
            help=N_(
                "Treasury receipts CSV, by budget code or by licence (default: the receipts "
                "stored with `jointfund treasury import`)"
            ),
        ),
    ] = None,
    year: Annotated[int | None, typer.Option("--year", help=N_("Only this year's periods"))] = None,
    amount_tolerance: Annotated[int, typer.Option(help=N_("Allowed difference, minor units"))] = 0,
    fx_tolerance: Annotated[
        int, typer.Option(help=N_("Allowed USD value difference, minor units"))
    ] = 0,
    fmt: Annotated[TableFormat, typer.Option("--format")] = TableFormat.CSV,
    out_file: OutOption = None,
    token: TokenOption = None,
    db: DbOption = None,
) -> None:
    """Filings vs treasury receipts vs accruals and transfers vs the books: every difference
    with size and cause (by budget code and month; by licence for a licence-level file)."""
    _needs_file(out_file, fmt.value)
    opened, actor = acting(token, db)
    if treasury is None or code_reconciliation.is_by_code(treasury):
        lines = code_reconciliation.file_lines(treasury) if treasury is not None else None
        document, by_code = code_reconciliation.reconcile_by_code(
            opened, actor, lines=lines, year=year, tolerance=amount_tolerance, fmt=fmt.value
        )
        _write(document, out_file)
        counts = by_code.by_cause()
        listed = ", ".join(f"{code_words(c.value)}: {n}" for c, n in sorted(counts.items()))
        said = (
            Message("{lines} codes and months; {causes}", lines=len(by_code.lines), causes=listed)
            if listed
            else Message("{lines} codes and months; no differences", lines=len(by_code.lines))
        )
        err.print(localised(said))
        return
    document, result = documents.reconciliation(
        opened,
        actor,
        read_treasury(treasury),
        year=year,
        amount_tolerance=amount_tolerance,
        fx_tolerance=fx_tolerance,
        fmt=fmt.value,
    )
    _write(document, out_file)
    causes = result.by_cause()
    found = ", ".join(f"{c.value}: {n}" for c, n in sorted(causes.items()))
    keys = {"keys": result.keys, "matched": result.matched_keys}
    said = (
        Message("{keys} receipts, {matched} matched; {causes}", causes=found, **keys)
        if found
        else Message("{keys} receipts, {matched} matched; no differences", **keys)
    )
    err.print(localised(said))


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise InputError(
            [Problem(Message("not a number: {text!r}", text=text), field="--pct-tolerance")]
        ) from None


@app.command("shadow")
def shadow(
    admin: Annotated[
        Path, typer.Option("--admin", help=N_("Administrator's capital statement CSV"))
    ],
    period: Annotated[str, typer.Option("--period", help=N_("Quarter (2026Q1), month or year"))],
    money_tolerance: Annotated[int, typer.Option(help=N_("Allowed difference, minor units"))] = 0,
    pct_tolerance: Annotated[
        str, typer.Option(help=N_("Allowed ownership difference, percentage points"))
    ] = "0.0001",
    fmt: Annotated[TableFormat, typer.Option("--format")] = TableFormat.CSV,
    out_file: OutOption = None,
    token: TokenOption = None,
    db: DbOption = None,
) -> None:
    """Check an administrator's capital statement against our books (exit 1 when it differs)."""
    _needs_file(out_file, fmt.value)
    opened, actor = acting(token, db)
    document, check = documents.shadow(
        opened,
        actor,
        read_administrator(admin),
        parse_period(period),
        money_tolerance=money_tolerance,
        pct_tolerance=_decimal(pct_tolerance),
        fmt=fmt.value,
    )
    _write(document, out_file)
    said = Message(
        "{compared} fields compared, {differ} differ beyond tolerance",
        compared=check.compared_fields,
        differ=len(check.differences),
    )
    err.print(localised(said))
    if not check.agrees:
        raise typer.Exit(1)


@app.command("gapp")
def gapp(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help=N_("Date to judge on (default today)"))
    ] = None,
    fmt: Annotated[ChecklistFormat, typer.Option("--format")] = ChecklistFormat.HTML,
    out_file: OutOption = None,
    token: TokenOption = None,
    db: DbOption = None,
) -> None:
    """Santiago Principles 11/12/17/23 and NRGI RGI questions, answered from the fund's data
    (HTML and PDF go to a file, gapp-<date>.<format> unless --out names one)."""
    day = parse_day(as_of, "--as-of") or utcnow().date()
    if out_file is None and fmt.value in {"html", "pdf"}:
        out_file = Path(f"gapp-{day.isoformat()}.{fmt.value}")
    opened, actor = acting(token, db)
    document, items = documents.gapp(opened, actor, day, fmt=fmt.value)
    _write(document, out_file)
    if out_file is not None:
        table(None, ["item", "status"], [(i.ref, gettext(i.status.value)) for i in items])


@export_app.command("journal")
def export_journal(
    fmt: Annotated[TableFormat, typer.Option("--format")] = TableFormat.CSV,
    out_file: OutOption = None,
    token: TokenOption = None,
    db: DbOption = None,
) -> None:
    """Every posting of every entry, in chain order."""
    _needs_file(out_file, fmt.value)
    opened, actor = acting(token, db)
    with row_progress("journal entries") as progress:
        document = documents.journal_export(opened, actor, fmt=fmt.value, progress=progress)
    _write(document, out_file)


@export_app.command("balances")
def export_balances(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help=N_("Balances at the end of this day"))
    ] = None,
    fmt: Annotated[TableFormat, typer.Option("--format")] = TableFormat.CSV,
    out_file: OutOption = None,
    token: TokenOption = None,
    db: DbOption = None,
) -> None:
    """Every account's balance, now or as of a date."""
    _needs_file(out_file, fmt.value)
    opened, actor = acting(token, db)
    day = parse_day(as_of, "--as-of")
    document = documents.balances_export(opened, actor, as_of=day, fmt=fmt.value)
    _write(document, out_file)
    if out_file is not None:
        out.print(document.summary)
