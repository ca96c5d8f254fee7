"""Reports people exchange, produced from the books: one use case per document.

Each builds its document from the books, in the format asked for, and records its production
(kind, period, format, SHA-256 of the bytes) in the append-only report log through the door,
so the GAPP checklist and an auditor can see what was issued and check a copy against it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import BinaryIO, cast

from jointfund import clock, store
from jointfund.fund import door, public_reports, report_data, transparency_data
from jointfund.governance import Interface, User, require
from jointfund.intake.sources import Progress
from jointfund.reports.administrator_file import AdministratorLine
from jointfund.reports.csv_out import csv_text
from jointfund.reports.gapp import ChecklistItem, checklist, checklist_table
from jointfund.reports.ledger_exports import balances_table, journal_table
from jointfund.reports.periods import Period
from jointfund.reports.reconciliation import (
    Reconciliation,
    TreasuryReceipt,
    reconcile,
    reconciliation_tables,
)
from jointfund.reports.rendering import html_to_pdf, render_html
from jointfund.reports.shadow_book import ShadowCheck, shadow_check, shadow_table
from jointfund.reports.tables import Table
from jointfund.reports.transparency import (
    transparency_json,
    transparency_tables,
)
from jointfund.reports.xlsx_out import workbook_bytes
from jointfund.store import Database


@dataclass(frozen=True, slots=True)
class Document:
    """A produced report: its bytes, format, a one-line summary and its log record."""

    content: bytes
    fmt: str
    summary: str
    sha256: str


def logged(
    db: Database,
    actor: User,
    kind: str,
    period: str,
    fmt: str,
    content: bytes,
    summary: str = "",
    *,
    interface: Interface,
    now: datetime | None,
    digest: str | None = None,
) -> Document:
    """Record the production of `content` (or, streamed, of bytes whose `digest` is given)."""
    digest = digest or hashlib.sha256(content).hexdigest()
    with door.act(db, actor, "reports.produce", interface=interface, now=now) as act:
        store.report_log.append_report(act.tx, kind, period, fmt, digest, summary)
        act.note("reports.produce", f"report:{kind}:{period}", {"format": fmt, "sha256": digest})
    return Document(content, fmt, summary, digest)


def _tables(tables: Sequence[Table], fmt: str) -> bytes:
    if fmt == "xlsx":
        return workbook_bytes(list(tables))
    return csv_text(tables[0]).encode("utf-8")


def transparency(
    db: Database,
    actor: User,
    *,
    year: int | None,
    fmt: str,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> Document:
    """EITI summary data: every filed payment with GFS code, entity, company, licence; totals."""
    require(actor, "reports.produce")
    report = transparency_data.transparency_report(db, year)
    if fmt == "json":
        text = json.dumps(transparency_json(report), indent=2, ensure_ascii=False) + "\n"
        content = text.encode()
    else:
        content = _tables(transparency_tables(report), fmt)
    period = str(year) if year else "all"
    summary = f"{len(report.rows)} rows"
    return logged(
        db, actor, "transparency", period, fmt, content, summary, interface=interface, now=now
    )


def eiti_summary(
    db: Database,
    actor: User,
    *,
    year: int | None,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> Document:
    """One fiscal year's EITI Summary Data Template workbook (the newest filed year unless
    `year` names one), the same bytes the public page's download serves; logged as issued."""
    require(actor, "reports.produce")
    covered = public_reports.eiti_year(db, year)
    content = public_reports.eiti_workbook(db, covered)
    return logged(
        db, actor, "eiti", str(covered), "xlsx", content, f"EITI summary {covered}",
        interface=interface, now=now,
    )  # fmt: skip


def transparency_csv(
    db: Database,
    actor: User,
    out: BinaryIO,
    *,
    year: int | None,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> Document:
    """The payments of the EITI summary data as CSV written to `out` as they are read (the
    same bytes as `transparency(fmt="csv")`, in memory that does not grow with the filings);
    the Document returned holds no content, only its summary and SHA-256."""
    return transparency_streamed(db, actor, out, year=year, fmt="csv", interface=interface, now=now)


class _Digesting:
    """A binary sink that hashes what passes through it to `out` (a workbook's archive
    writer treats it as a stream it cannot seek)."""

    def __init__(self, out: BinaryIO) -> None:
        self.out, self.digest = out, hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self.out.write(data)

    def flush(self) -> None:
        self.out.flush()


def transparency_streamed(
    db: Database,
    actor: User,
    out: BinaryIO,
    *,
    year: int | None,
    fmt: str,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> Document:
    """The EITI summary data as CSV (the payments), JSON or an XLSX workbook (payments and
    the totals the books keep) written to `out` as the payments are read, in memory that
    does not grow with the filings (`public_reports.write_transparency`). The Document
    holds only its SHA-256."""
    require(actor, "reports.produce")
    sink = _Digesting(out)
    rows = public_reports.write_transparency(db, year, fmt, cast(BinaryIO, sink))
    period = str(year) if year else "all"
    return logged(
        db,
        actor,
        "transparency",
        period,
        fmt,
        b"",
        f"{rows} rows",
        interface=interface,
        now=now,
        digest=sink.digest.hexdigest(),
    )


def reconciliation(
    db: Database,
    actor: User,
    treasury: Sequence[TreasuryReceipt],
    *,
    year: int | None,
    amount_tolerance: int,
    fx_tolerance: int,
    fmt: str,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> tuple[Document, Reconciliation]:
    """Filings against treasury receipts against the fund's books: every difference."""
    require(actor, "reports.produce")
    receipts = [r for r in treasury if year is None or r.period.startswith(f"{year}-")]
    result = reconcile(
        transparency_data.latest_filings(db, year),
        receipts,
        report_data.fund_receipts(db, year),
        report_data.fund_rates(db),
        amount_tolerance=amount_tolerance,
        fx_tolerance=fx_tolerance,
    )
    content = _tables(reconciliation_tables(result), fmt)
    summary = f"{len(result.differences)} differences"
    period = str(year) if year else "all"
    document = logged(
        db, actor, "reconciliation", period, fmt, content, summary, interface=interface, now=now
    )
    return document, result


def shadow(
    db: Database,
    actor: User,
    administrator: Sequence[AdministratorLine],
    period: Period,
    *,
    money_tolerance: int,
    pct_tolerance: Decimal,
    fmt: str,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> tuple[Document, ShadowCheck]:
    """An administrator's capital statement checked against our books."""
    require(actor, "reports.produce")
    check = shadow_check(
        period.label,
        list(administrator),
        report_data.capital_rows(db, period),
        money_tolerance=money_tolerance,
        pct_tolerance=pct_tolerance,
    )
    content = _tables([shadow_table(check)], fmt)
    summary = f"{len(check.differences)} differences"
    document = logged(
        db, actor, "shadow", period.label, fmt, content, summary, interface=interface, now=now
    )
    return document, check


def gapp(
    db: Database,
    actor: User,
    as_of: date,
    *,
    fmt: str,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> tuple[Document, tuple[ChecklistItem, ...]]:
    """Santiago Principles 11/12/17/23 and NRGI RGI questions, answered from the fund's data."""
    require(actor, "reports.produce")
    items = checklist(report_data.governance_facts(db, actor, as_of))
    if fmt == "json":
        rows = [
            {
                "ref": i.ref,
                "question": i.question,
                "status": i.status.value,
                "evidence": i.evidence,
                "last_produced": i.last_produced,
            }
            for i in items
        ]
        content = (json.dumps(rows, indent=2) + "\n").encode()
    elif fmt == "csv":
        content = csv_text(checklist_table(items)).encode()
    else:
        html = render_html(
            "gapp.html",
            title="Reporting and audit checklist (GAPP, RGI)",
            fund_name=report_data.fund_title(db),
            fund_name_uk=report_data.fund_title_uk(db),
            as_of=as_of,
            items=items,
            generated=(now or clock.utcnow()).date(),
        )
        content = html_to_pdf(html) if fmt == "pdf" else html.encode()
    document = logged(
        db, actor, "gapp", as_of.isoformat(), fmt, content, interface=interface, now=now
    )
    return document, items


def journal_export(
    db: Database,
    actor: User,
    *,
    fmt: str,
    progress: Progress | None = None,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> Document:
    """Every posting of every entry, in chain order."""
    require(actor, "ledger.read")
    built = journal_table(report_data.all_entries(db, progress))
    content = _tables([built], fmt)
    summary = f"{len(built.rows)} postings"
    return logged(
        db, actor, "export-journal", "all", fmt, content, summary, interface=interface, now=now
    )


def balances_export(
    db: Database,
    actor: User,
    *,
    as_of: date | None,
    fmt: str,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> Document:
    """Every account's balance, now or as of a date."""
    require(actor, "ledger.read")
    built = balances_table(report_data.balance_lines(db, as_of))
    content = _tables([built], fmt)
    period = as_of.isoformat() if as_of else "now"
    summary = f"{len(built.rows)} balances"
    return logged(
        db, actor, "export-balances", period, fmt, content, summary, interface=interface, now=now
    )
