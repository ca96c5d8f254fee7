"""The partners' quarterly statement as a document: issues that block signing, the statement in
each format (with its restatement against the version first produced), logged like every report."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from jointfund import clock, store
from jointfund.errors import ConflictError
from jointfund.fund import report_data
from jointfund.fund.documents import Document, logged
from jointfund.fund.position import FX_STALE_DAYS
from jointfund.governance import Interface, User, require
from jointfund.i18n import DEFAULT, current
from jointfund.i18n.message import Message
from jointfund.reports.periods import Period
from jointfund.reports.rendering import html_to_pdf, money
from jointfund.reports.statement import build_statement
from jointfund.reports.statement_data import StatementInput
from jointfund.store import Database


@dataclass(frozen=True, slots=True)
class Issue:
    """A statement issued for a period and format: the books as known at `known_at`."""

    known_at: str
    sha256: str
    restated: bool


_KNOWN = re.compile(r"known at (\S+)")


def statement_issues(db: Database, period: str, fmt: str) -> list[Issue]:
    """Every issue of a period's statement in one format, oldest first (copies excluded)."""
    with db.read() as conn:
        records = store.report_log.reports_of(conn, "statement")
    found = []
    for r in records:
        known = _KNOWN.search(r.detail)
        if r.period == period and r.format == fmt and known is not None:
            found.append(Issue(known.group(1), r.sha256, r.detail.startswith("restated")))
    return found


def _figures(data: StatementInput) -> dict[str, str]:
    """The statement's headline figures, to list what a restatement changed."""
    built = build_statement(data)
    found = {"Net asset value, closing": money(built.nav_closing)}
    for row in built.capital:
        found[f"{row.partner} closing capital"] = money(row.closing)
    found["Paid in"] = money(built.performance.paid_in)
    found["Distributed"] = money(built.performance.distributed)
    for line in built.schedule:
        found[f"Investment {line.name}, committed"] = money(line.committed, line.currency)
    return found


def restatement_differences(before: StatementInput, after: StatementInput) -> tuple[str, ...]:
    """Each headline figure that differs between two versions of a statement, in words."""
    old, new = _figures(before), _figures(after)
    return tuple(
        f"{label}: {old.get(label, 'not shown')} then, {new.get(label, 'not shown')} now"
        for label in sorted(set(old) | set(new))
        if old.get(label) != new.get(label)
    )


def statement(
    db: Database,
    actor: User,
    period: Period,
    *,
    fmt: str,
    restate: bool = False,
    issue: bool = True,
    stale_after_days: int = FX_STALE_DAYS,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> Document:
    """The quarterly fund report: balance sheet, investments, operations, cash, capital, NAV.

    The first production issues it, as the books are known at that moment. Asked again, it
    reproduces the latest issue byte for byte (books as known then, the same generation date),
    whatever was booked since. With `restate`, it issues a new version as known now, titled
    restated and listing every headline figure that differs from the issue it replaces. With
    `issue=False` (a download by link, which must not fix the books' moment by being
    followed) a period never issued is a ConflictError and nothing is written.
    """
    require(actor, "statements.read")
    issues = statement_issues(db, period.label, fmt)
    if not issues and not issue:
        raise ConflictError(
            Message(
                "the quarterly report of {period} ({fmt}) has not been issued yet; issue it "
                "first, and every download after reproduces that issue",
                period=period.label,
                fmt=fmt.upper(),
            )
        )
    moment = now or clock.utcnow()
    restated: tuple[str, ...] = ()
    if issues and not restate:
        known_at, kind = issues[-1].known_at, "statement-copy"
        if issues[-1].restated:
            previous = issues[-2].known_at if len(issues) > 1 else None
            restated = _restated(db, period, stale_after_days, previous, known_at)
    else:
        known_at, kind = clock.stamp(moment), "statement"
        if issues:
            restated = _restated(db, period, stale_after_days, issues[-1].known_at, known_at)
            restated = restated or ("no figure changed",)
    data = report_data.statement_input(
        db, period, stale_after_days=stale_after_days, known_at=known_at, restated=restated
    )
    built = build_statement(data)
    # Rendering loads matplotlib (~0.4 s): only the documents that draw pay for it.
    from jointfund.reports.statement_render import statement_html

    html = statement_html(built, generated=clock.unstamp(known_at).date())
    content = html_to_pdf(html) if fmt == "pdf" else html.encode("utf-8")
    # The bytes (and so the logged digest) are those of the language in force: say which.
    lang = "" if current() == DEFAULT else f"; language {current()}"
    summary = f"NAV {built.nav_closing}{lang}; known at {known_at}"
    if restated and kind == "statement":
        summary = f"restated; {summary}"
    if kind == "statement-copy":
        summary = f"copy of the issue known at {known_at}{lang}"
    return logged(
        db,
        actor,
        kind,
        built.source.period.label,
        fmt,
        content,
        summary,
        interface=interface,
        now=now,
    )


def _restated(
    db: Database, period: Period, stale_after_days: int, before: str | None, after: str
) -> tuple[str, ...]:
    if before is None:
        return ()
    old = report_data.statement_input(
        db, period, stale_after_days=stale_after_days, known_at=before
    )
    new = report_data.statement_input(db, period, stale_after_days=stale_after_days, known_at=after)
    return restatement_differences(old, new)
