"""The Santiago Principles reporting and audit items (GAPP 11, 12, 17, 23) and related NRGI RGI
questions, each answered from what the fund's books and report log show, or marked missing.

What jointfund cannot know (an auditor's opinion, a legislature's review) is said so, never
assumed: such items are at best `partial`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from jointfund.i18n.message import Message
from jointfund.reports.tables import Table

ANNUAL_REPORT_DAYS = 90


class Status(StrEnum):
    """How far the fund's own data meets an item."""

    MET = "met"
    PARTIAL = "partial"
    MISSING = "missing"


@dataclass(frozen=True, slots=True)
class Produced:
    """The last time a report of one kind was produced, and for which period."""

    period: str
    produced_at: str


@dataclass(frozen=True, slots=True)
class GovernanceFacts:
    """What the books and the report log say about reporting, audit and the fund's rules."""

    as_of: date
    closed_through: date | None
    checkpoints: int
    verify_findings: int | None
    verified_at: str | None
    latest: Mapping[str, Produced]
    statement_periods: tuple[Produced, ...]
    transparency_periods: tuple[str, ...]
    auditors: int
    filings: int
    filings_under_other_terms: int
    distributions_in_lock: int
    lock_end: date | None


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One principle or question, its status and the evidence behind it."""

    ref: str
    question: str
    status: Status
    evidence: str
    last_produced: str | None = None


def _joined(parts: list[Message]) -> Message:
    """Evidence of several parts, "; " between them (each part said in the language)."""
    template = "; ".join(f"{{part{n}}}" for n in range(len(parts)))
    return Message(template, **{f"part{n}": part for n, part in enumerate(parts)})


def _stamp(kind: str, facts: GovernanceFacts) -> str | None:
    found = facts.latest.get(kind)
    return (
        Message("{period} at {moment}", period=found.period, moment=found.produced_at)
        if found
        else None
    )


def _annual(facts: GovernanceFacts, year: int) -> tuple[Status, str]:
    deadline = date(year, 12, 31) + timedelta(days=ANNUAL_REPORT_DAYS)
    produced = [p for p in facts.statement_periods if p.period in (str(year), f"{year}Q4")]
    closed = facts.closed_through is not None and facts.closed_through >= date(year, 12, 31)
    if not produced:
        return Status.MISSING, Message(
            "no statement for {year} (annual or {year}Q4) was produced", year=year
        )
    if not closed:
        return Status.PARTIAL, Message(
            "statement for {year} produced; books not closed through year end", year=year
        )
    if min(p.produced_at[:10] for p in produced) > deadline.isoformat():
        return Status.PARTIAL, Message(
            "statement for {year} produced after the deadline {deadline}",
            year=year,
            deadline=deadline,
        )
    return Status.MET, Message(
        "statement for {year} produced; books closed through {day}",
        year=year,
        day=facts.closed_through,
    )


def _audit(facts: GovernanceFacts) -> tuple[Status, str]:
    basis: list[Message] = []
    if facts.auditors:
        basis.append(Message("{count} auditor account(s)", count=facts.auditors))
    if facts.checkpoints:
        basis.append(
            Message(
                "{count} close checkpoint(s), through {day}",
                count=facts.checkpoints,
                day=facts.closed_through,
            )
        )
    if facts.verify_findings is not None:
        basis.append(
            Message("journal verifies")
            if facts.verify_findings == 0
            else Message("verify found {count} problem(s)", count=facts.verify_findings)
        )
    status = Status.PARTIAL if basis and facts.verify_findings == 0 else Status.MISSING
    return status, _joined([*basis, Message("the external auditor's opinion is not in jointfund")])


def _public(facts: GovernanceFacts, year: int) -> tuple[Status, str]:
    years = sorted(facts.transparency_periods)
    if str(year) in years or "all" in years:
        return Status.MET, Message("EITI summary data covering {year} exported", year=year)
    if years:
        return Status.PARTIAL, Message(
            "transparency exports for {years}, not for {year}", years=", ".join(years), year=year
        )
    return Status.MISSING, Message("no transparency export produced")


def _performance(facts: GovernanceFacts) -> tuple[Status, str]:
    if "statement" not in facts.latest:
        return Status.MISSING, Message("no statement with performance produced")
    text = Message("quarterly statement with IRR, TVPI, DPI and RVPI produced")
    if "shadow" in facts.latest:
        return Status.MET, _joined(
            [text, Message("administrator's statement checked (shadow book)")]
        )
    return Status.PARTIAL, _joined([text, Message("the administrator's statement not yet checked")])


def _deposits(facts: GovernanceFacts) -> tuple[Status, str]:
    parts = [Message("{count} filing(s) decided under the adopted term sheet", count=facts.filings)]
    if facts.filings_under_other_terms:
        parts.append(Message("{count} under another", count=facts.filings_under_other_terms))
    verified = facts.verify_findings == 0
    parts.append(Message("books verify") if verified else Message("books not verified clean"))
    ok = verified and not facts.filings_under_other_terms
    return (Status.MET if ok else Status.PARTIAL), _joined(parts)


def _withdrawals(facts: GovernanceFacts) -> tuple[Status, str]:
    if facts.distributions_in_lock:
        return Status.MISSING, Message(
            "{count} distribution posting(s) in the lock", count=facts.distributions_in_lock
        )
    if facts.lock_end is None:
        return Status.MET, Message("the terms have no reinvestment lock")
    return Status.MET, Message("no distribution before the lock ends on {day}", day=facts.lock_end)


def checklist(facts: GovernanceFacts) -> tuple[ChecklistItem, ...]:
    """Every item, answered from `facts` (the fiscal year judged is the one before `as_of`)."""
    year = facts.as_of.year - 1
    statement = _stamp("statement", facts)
    annual, audit = _annual(facts, year), _audit(facts)
    size = (
        (
            Status.MET,
            Message("the statement shows NAV, balance sheet and schedule of investments"),
        )
        if "statement" in facts.latest
        else (Status.MISSING, Message("no statement produced"))
    )
    rows = [
        (
            "GAPP 11",
            Message("Annual report and financial statements, on time, recognised standards"),
            annual,
            statement,
        ),
        (
            "GAPP 12",
            Message("Annual statements independently audited under recognised standards"),
            audit,
            facts.verified_at,
        ),
        (
            "GAPP 17",
            Message("Relevant financial information disclosed publicly"),
            _public(facts, year),
            _stamp("transparency", facts),
        ),
        (
            "GAPP 23",
            Message("Performance measured and reported to the owner"),
            _performance(facts),
            statement,
        ),
        ("RGI 1", Message("Does the fund publish annual financial reports?"), annual, statement),
        ("RGI 2", Message("Are the fund's financial reports audited?"), audit, facts.verified_at),
        (
            "RGI 3",
            Message("Does the legislature review the fund's reports?"),
            (Status.MISSING, Message("not recorded in jointfund")),
            None,
        ),
        (
            "RGI 4",
            Message("Do the reports give the fund's size and asset allocation?"),
            size,
            statement,
        ),
        ("RGI 5", Message("Were the fund's deposit rules followed?"), _deposits(facts), None),
        ("RGI 6", Message("Were the fund's withdrawal rules followed?"), _withdrawals(facts), None),
    ]
    return tuple(
        ChecklistItem(ref, question, status, evidence, last)
        for ref, question, (status, evidence), last in rows
    )


def checklist_table(items: tuple[ChecklistItem, ...]) -> Table:
    """The checklist as a table."""
    return Table(
        "gapp",
        ("ref", "question", "status", "evidence", "last_produced"),
        tuple((i.ref, i.question, i.status.value, i.evidence, i.last_produced) for i in items),
    )
