"""The three-way reconciliation by budget code as users run it: on the stored Treasury
receipts, or on a Treasury file read for the occasion (nothing of it stored)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from jointfund import store
from jointfund.fund import documents
from jointfund.fund.treasury import ReceiptLine, period_lines
from jointfund.governance import Interface, User, require
from jointfund.intake.budget_codes import budget_codes
from jointfund.intake.sources import read_bytes
from jointfund.intake.treasury_receipts import read_treasury_receipts
from jointfund.reports.code_reconciliation import (
    UAH,
    CodeFilings,
    CodeReceipt,
    CodeReconciliation,
    YearTransfer,
    code_tables,
    reconcile_codes,
)
from jointfund.store import Database
from jointfund.store.journal import entry_cash
from jointfund.store.receipts import StoredReceipt
from jointfund.store.transfers import transfers as stored_transfers

__all__ = ["code_reconciliation", "file_lines", "is_by_code", "reconcile_by_code"]

SPECIAL = "special"


def is_by_code(path: Path) -> bool:
    """Whether a treasury file is by budget code (Treasury / openbudget), not by licence."""
    head = read_bytes(path, name=str(path)).split(b"\n", 1)[0]
    return b"COD_INCO" in head or b"REP_PERIOD" in head


def file_lines(path: Path, *, name: str | None = None) -> list[ReceiptLine]:
    """A Treasury file's receipts as period lines, read but not stored."""
    read = read_treasury_receipts(path, name=name)
    source = Path(read.path).name
    return period_lines(
        StoredReceipt(
            id=0,
            budget=r.budget,
            fund_type=r.fund.value,
            code=r.code,
            period=r.period,
            version=0,
            name=r.name,
            stream=r.stream.value if r.stream is not None else None,
            currency=r.currency,
            cumulative_minor=r.cumulative_minor,
            source=source,
            imported_at="",
        )
        for _, r in read.items
    )


def _receipts(lines: Sequence[ReceiptLine], year: int | None) -> list[CodeReceipt]:
    return [
        CodeReceipt(x.code, x.stream, x.period, x.covers_from, x.period_minor)
        for x in lines
        if x.fund_type == SPECIAL
        and x.stream is not None
        and x.currency == UAH
        and (year is None or x.period.startswith(f"{year}-"))
    ]


def code_reconciliation(
    db: Database,
    actor: User,
    *,
    lines: Sequence[ReceiptLine] | None = None,
    year: int | None = None,
    tolerance: int = 0,
) -> CodeReconciliation:
    """Filings ↔ Treasury receipts ↔ accruals and transfers ↔ books, by code and month, on
    `lines` (a file read for the occasion) or else on the stored receipts; read only."""
    require(actor, "reports.produce")
    with db.read() as tx:
        stored = list(store.receipts.latest_treasury(tx).values()) if lines is None else []
        months = store.fund_share.fund_share_by_month(tx, UAH, year=year)
        moved = stored_transfers(tx)
        cash = entry_cash(tx, {t.entry_key for t in moved if t.entry_key})
    treasury = _receipts(lines if lines is not None else period_lines(stored), year)
    filings = [
        CodeFilings(m.stream, m.month, m.filings, m.fund_minor, m.accrued_minor, m.booked_minor)
        for m in months
    ]
    transfers = [
        YearTransfer(
            t.period_year,
            t.reference,
            t.amount_minor,
            t.entry_key,
            cash.get(t.entry_key) if t.entry_key else None,
        )
        for t in moved
        if t.currency == UAH and (year is None or t.period_year == year)
    ]
    return reconcile_codes(
        treasury, filings, transfers, budget_codes().codes_by_stream(), tolerance=tolerance
    )


def reconcile_by_code(
    db: Database,
    actor: User,
    *,
    lines: Sequence[ReceiptLine] | None = None,
    year: int | None = None,
    tolerance: int = 0,
    fmt: str = "csv",
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> tuple[documents.Document, CodeReconciliation]:
    """The reconciliation by code as a document (CSV: the differences; XLSX: every sheet),
    its production logged."""
    result = code_reconciliation(db, actor, lines=lines, year=year, tolerance=tolerance)
    content = documents._tables(code_tables(result), fmt)
    summary = f"{len(result.differences)} differences by budget code"
    document = documents.logged(
        db,
        actor,
        "reconciliation-by-code",
        str(year) if year else "all",
        fmt,
        content,
        summary,
        interface=interface,
        now=now,
    )
    return document, result
