"""The compliance calendar: every statutory deadline of the contribution cycle and of rent,
with its status on a day (met, met late, due, overdue) and the amounts at stake.

The cycle's deadlines come from the term sheet (Res. 1616: reports by 15 March, the transfer by
1 April, the PPP Agency's annual report by 1 May, the yearly audit), one set per accrual
period; a transfer meets the transfer deadline, a recorded document meets the others. Rent
deadlines come from the Tax Code (Art. 257, `terms.rent`): one item per rent filing, with the
rules it breaks (a period not its resource's, a payment after the deadline), listed a page at
a time and counted from the kept rent days, since a registry files tens of thousands a month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from jointfund.errors import InputError, Problem
from jointfund.fund import door
from jointfund.fund.cycle_report import PeriodReconciliation, build_cycle_report
from jointfund.fund.kept_reads import kept_read
from jointfund.fund.setup import terms_in_force
from jointfund.fund.transfers import cycle_of
from jointfund.governance import Interface, User, require
from jointfund.i18n.message import Message
from jointfund.ledger import chart
from jointfund.money import format_amount
from jointfund.store import Database, Tx
from jointfund.store.filing_reads import FilingRow
from jointfund.store.licences import licences_by_id
from jointfund.store.rent_calendar import RentDay, rent_days, rent_page
from jointfund.store.transfers import (
    DeadlineRecord,
    accrual_sums,
    deadline_records_of,
    insert_deadline_record,
    transfers,
)
from jointfund.terms import RevenueStream, TermSheet
from jointfund.terms.cycle import ContributionCycle, CycleDeadline, DeadlineKind
from jointfund.terms.rent import (
    declaration_due,
    payment_due,
    period_span,
    rent_findings,
)

__all__ = [
    "Calendar",
    "CalendarItem",
    "RentCounts",
    "calendar_dict",
    "compliance_calendar",
    "record_deadline",
    "rent_counts",
]


@dataclass(frozen=True, slots=True)
class CalendarItem:
    """One statutory deadline and where it stands."""

    kind: str  # report, transfer, annual_report, audit, rent_payment
    deadline_id: str
    what: str
    who: str
    period: str  # "2025" for the cycle, "2025-Q1" / "2025-01" for rent
    due_on: date
    status: str  # met, met late, due, overdue
    done_on: date | None
    amounts: dict[str, int]  # currency -> minor units at stake (accrued, remaining, paid)
    reference: str | None
    breaks: tuple[str, ...]  # the rules it breaks, worded with their article
    source: str
    licence_id: str | None = None
    declare_by: date | None = None


def _status(due: date, done: date | None, as_of: date) -> str:
    if done is not None:
        return "met" if done <= due else "met late"
    return "due" if as_of <= due else "overdue"


def _transfer_item(
    d: CycleDeadline, year: int, period: PeriodReconciliation | None, as_of: date
) -> CalendarItem:
    due = d.due_on(year)
    remaining = period.remaining if period else {}
    settled = (
        period is not None and bool(period.transfers) and not any(v > 0 for v in remaining.values())
    )
    done = max(t.transfer_date for t in period.transfers) if settled and period else None
    amounts = {f"accrued {c}": v for c, v in (period.accrued if period else {}).items()}
    amounts |= {f"remaining {c}": v for c, v in remaining.items() if v}
    breaks: tuple[str, ...] = ()
    status = _status(due, done, as_of)
    if status in ("overdue", "met late"):
        breaks = (f"Res. 1616: the {year} receipts are to be transferred by {due.isoformat()}",)
    return CalendarItem(
        kind=d.kind.value,
        deadline_id=d.id,
        what=d.what,
        who=d.who,
        period=str(year),
        due_on=due,
        status=status,
        done_on=done,
        amounts=amounts,
        reference=", ".join(t.reference for t in period.transfers) if period else None,
        breaks=breaks,
        source=d.source,
    )


def _deadline_item(
    d: CycleDeadline, year: int, records: list[DeadlineRecord], as_of: date
) -> CalendarItem:
    mine = [r for r in records if r.deadline_id == d.id and r.period_year == year]
    done = min((r.done_on for r in mine if r.done_on <= as_of), default=None)
    status = _status(d.due_on(year), done, as_of)
    breaks: tuple[str, ...] = ()
    if status == "overdue":
        breaks = (f"due {d.due_on(year).isoformat()}; the books hold no record of it",)
    return CalendarItem(
        kind=d.kind.value,
        deadline_id=d.id,
        what=d.what,
        who=d.who,
        period=str(year),
        due_on=d.due_on(year),
        status=status,
        done_on=done,
        amounts={},
        reference=", ".join(r.reference for r in mine) or None,
        breaks=breaks + ((d.note,) if d.note else ()),
        source=d.source,
    )


RENT_PAGE = 100
"""Rent filings on a page of the calendar: a registry files tens of thousands a month."""


@dataclass(frozen=True, slots=True)
class RentCounts:
    """Every rent filing as of the day: how many met their payment deadline, how many met it
    late, and how many break a rule of Tax Code Art. 257 (a late payment, or a period that is
    not its resource's)."""

    met: int
    met_late: int
    flagged: int


@dataclass(frozen=True, slots=True)
class Calendar:
    """The statutory calendar on a day: the cycle's deadlines, all of them, by due date; rent
    as counts over every filing and one page of filings, newest receipt first."""

    as_of: date
    deadlines: list[CalendarItem]
    rent: list[CalendarItem]
    rent_counts: RentCounts | None  # None when rent was not asked for
    rent_next: int | None  # the filing the next page of rent starts after

    @property
    def items(self) -> list[CalendarItem]:
        """The cycle's deadlines, then the page of rent."""
        return [*self.deadlines, *self.rent]


def _rent_item(row: FilingRow, resources: tuple[str, ...]) -> CalendarItem:
    span = period_span(row.period)
    found = rent_findings(resources, row.stream, row.period, row.received_on)
    due = payment_due(span) if span else row.period_end
    return CalendarItem(
        kind="rent_payment",
        deadline_id=f"rent:{row.payer_reference}",
        what=f"Rent for {row.period}"
        + (
            f" (fund share {format_amount(row.fund_minor, row.currency)} {row.currency})"
            if row.fund_minor
            else ""
        ),
        who=row.licence_id,
        period=row.period,
        due_on=due,
        status="met" if row.received_on <= due else "met late",
        done_on=row.received_on,
        amounts={row.currency: row.gross_minor},
        reference=f"{row.payer_reference} v{row.version}",
        breaks=tuple(f"{f.rule}: {f.message}" for f in found),
        source=found[0].source
        if found
        else "https://urist-ua.net/кодекси/податковий_кодекс_україни/стаття_257/",
        licence_id=row.licence_id,
        declare_by=declaration_due(span) if span else None,
    )


def rent_counts(days: list[RentDay]) -> RentCounts:
    """Count rent by status and rules broken, from filings counted per period, day received
    and resources (pure: the rules of `terms.rent`, applied once per key)."""
    met = late = flagged = 0
    for day in days:
        span = period_span(day.period)
        on_time = span is not None and day.received_on <= payment_due(span)
        met, late = (met + day.payments, late) if on_time else (met, late + day.payments)
        if rent_findings(day.resources, RevenueStream.ROYALTY, day.period, day.received_on):
            flagged += day.payments
    return RentCounts(met, late, flagged)


def build_calendar(
    terms: TermSheet,
    cycle: ContributionCycle | None,
    periods: dict[int, PeriodReconciliation],
    records: list[DeadlineRecord],
    as_of: date,
) -> list[CalendarItem]:
    """The cycle's deadlines for every year in force, by due date (pure: no database)."""
    items = []
    if cycle is not None:
        for year in range(terms.entry_into_force.year, as_of.year + 1):
            for d in cycle.deadlines:
                if d.kind is DeadlineKind.TRANSFER:
                    items.append(_transfer_item(d, year, periods.get(year), as_of))
                else:
                    items.append(_deadline_item(d, year, records, as_of))
    return sorted(items, key=lambda i: (i.due_on, i.kind, i.deadline_id))


def compliance_calendar(
    db: Database,
    actor: User,
    *,
    as_of: date,
    rent: bool = True,
    after: int | None = None,
    limit: int = RENT_PAGE,
    licence_id: str | None = None,
) -> Calendar:
    """The statutory calendar on `as_of`: the cycle's deadlines per period and, with `rent`,
    the counts of every rent filing and the page of them after filing `after` (of one licence
    when given). The deadlines and the counts are kept per version of the books and day (the
    register of accruals is summed over every filing that accrues, 360 ms at 400,000)."""
    require(actor, "contributions.read")
    with db.read() as tx:
        deadlines = kept_read(tx, db, ("calendar", as_of), lambda t: _deadlines_in(t, as_of))
        if not rent:
            return Calendar(as_of, list(deadlines), [], None, None)
        counts = kept_read(
            tx, db, ("rent counts", as_of), lambda t: rent_counts(rent_days(t, as_of))
        )
        rows = rent_page(tx, as_of, after=after, limit=limit + 1, licence_id=licence_id)
        shown = rows[:limit]
        resources = {
            k: v.resources for k, v in licences_by_id(tx, {r.licence_id for r in shown}).items()
        }
        page = [_rent_item(r, resources.get(r.licence_id, ())) for r in shown]
        following = shown[-1].id if len(rows) > limit else None
        return Calendar(as_of, list(deadlines), page, counts, following)


def _deadlines_in(tx: Tx, as_of: date) -> list[CalendarItem]:
    """The cycle's deadlines on `as_of`, read afresh in `tx`."""
    terms = terms_in_force(tx)
    records = deadline_records_of(tx)
    periods: dict[int, PeriodReconciliation] = {}
    if terms.cycle is not None:
        report = build_cycle_report(
            terms,
            accrual_sums(tx, chart.capital_contributions(terms.cycle.partner), as_of=as_of),
            transfers(tx, as_of=as_of),
            as_of,
        )
        periods = {p.period_year: p for p in report.periods}
    return build_calendar(terms, terms.cycle, periods, records, as_of)


def record_deadline(
    db: Database,
    actor: User,
    *,
    deadline_id: str,
    period_year: int,
    done_on: date,
    reference: str,
    note: str = "",
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> tuple[DeadlineRecord, bool]:
    """Record that a statutory deadline of the cycle was met (a report received, an audit
    done); idempotent by deadline, period and reference. A transfer is recorded as one."""
    if not reference.strip():
        raise InputError([Problem(Message("a document reference is required"), field="reference")])
    with door.act(db, actor, "contributions.record", interface=interface, now=now) as act:
        cycle = cycle_of(terms_in_force(act.tx))
        known = {d.id: d for d in cycle.deadlines}
        chosen = known.get(deadline_id)
        if chosen is None or chosen.kind is DeadlineKind.TRANSFER:
            others = ", ".join(i for i, d in known.items() if d.kind is not DeadlineKind.TRANSFER)
            raise InputError(
                [
                    Problem(
                        Message(
                            "no deadline {deadline_id!r} to record (a transfer is booked with "
                            "`jointfund contributions transfer`)",
                            deadline_id=deadline_id,
                        ),
                        field="deadline",
                        expected=others,
                    )
                ]
            )
        fields: dict[str, Any] = {
            "deadline_id": deadline_id,
            "period_year": period_year,
            "done_on": done_on,
            "reference": reference.strip(),
            "note": note,
        }
        row, created = insert_deadline_record(
            act.tx, fields=fields, recorded_by=act.user.id, at=act.now
        )
        if not created:
            act.unchanged()
            return row, created
        act.note(
            "calendar.record",
            f"deadline:{deadline_id}:{period_year}",
            {**fields, "done_on": done_on.isoformat()},
        )
    return row, created


def calendar_dict(found: Calendar) -> dict[str, Any]:
    """The calendar as plain JSON values, one shape for the CLI, the API and the pages: the
    counts cover every deadline and every rent filing, the items the cycle's deadlines and
    the page of rent (`rent.next` is the filing the next page starts after)."""
    counts: dict[str, int] = {}
    for i in found.deadlines:
        counts[i.status] = counts.get(i.status, 0) + 1
    rent = found.rent_counts
    if rent is not None:
        for status, n in (("met", rent.met), ("met late", rent.met_late)):
            if n:
                counts[status] = counts.get(status, 0) + n
    return {
        "as_of": found.as_of.isoformat(),
        "counts": counts,
        "flagged": rent.flagged if rent else 0,
        "rent": None
        if rent is None
        else {
            "filings": rent.met + rent.met_late,
            "met": rent.met,
            "met_late": rent.met_late,
            "flagged": rent.flagged,
            "shown": len(found.rent),
            "next": found.rent_next,
        },
        "items": [
            {
                "kind": i.kind,
                "deadline_id": i.deadline_id,
                "what": i.what,
                "who": i.who,
                "period": i.period,
                "due_on": i.due_on.isoformat(),
                "declare_by": i.declare_by.isoformat() if i.declare_by else None,
                "status": i.status,
                "done_on": i.done_on.isoformat() if i.done_on else None,
                "amounts": {k: format_amount(v, k.split()[-1]) for k, v in i.amounts.items()},
                "reference": i.reference,
                "breaks": list(i.breaks),
                "source": i.source,
                "licence_id": i.licence_id,
            }
            for i in found.items
        ],
    }
