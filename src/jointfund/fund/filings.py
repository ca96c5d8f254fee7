"""Revenue filings as users touch them: import a file (validate everything, then book it in one
transaction) and list what is stored, with the terms' decision on each filing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jointfund.clock import stamp_now as booked_now
from jointfund.errors import InputError, OutOfRangeError, PermissionDeniedError, Problem
from jointfund.fund import door, said
from jointfund.fund.booking import (
    Decider,
    FilingDecision,
    ThresholdState,
    correction_entries,
    filing_postings,
    inflow_postings,
    licence_facts,
    summary_entries,
)
from jointfund.fund.filing_problems import (
    Earlier,
    changed_version,
    in_closed_period,
    not_the_same_filing,
    out_of_range,
    received_later,
    stale_version,
    unknown_licence,
)
from jointfund.fund.setup import terms_in_force
from jointfund.governance import PERMISSIONS, Interface, User, allowed, require
from jointfund.i18n.message import Message
from jointfund.intake.filings import read_filings
from jointfund.intake.records import FilingRecord
from jointfund.intake.sources import Progress, cyclic_gc_paused
from jointfund.ledger import Posting, chart
from jointfund.money import MissingRateError
from jointfund.store import Database, Tx
from jointfund.store.balances import subtree_totals
from jointfund.store.closes import closed_through
from jointfund.store.filings import (
    BookingStamp,
    filings_by_reference,
    insert_booked,
    next_filing_ids,
)
from jointfund.store.fx_rates import rate_table
from jointfund.store.head import lock_books
from jointfund.store.licences import licences_by_id
from jointfund.store.posting import post_batch
from jointfund.terms import RevenueStream, TermSheet
from jointfund.terms.rent import (
    RentPeriod,
    payment_due,
    period_span,
    rent_findings,
    rent_period,
)

Stage = Callable[[str], None]


def _quiet(_what: str) -> None:
    """A stage report nobody listens to."""


@dataclass(frozen=True, slots=True)
class FilingImport:
    """What a filings import did."""

    filings: int
    booked: int
    corrected: int
    unchanged: int
    ineligible: int
    entries: int
    fund_minor_by_currency: dict[str, int]
    # Rent filings that break a Tax Code Art. 257 rule (period or deadline): how many, and the
    # first RENT_FLAGS_WORDED of them worded (a bulk file of wrong periods would hold millions).
    rent_flags: tuple[str, ...] = ()
    rent_flagged: int = 0


def _threshold_state(
    conn: Any, partners: tuple[str, ...], contributor: str | None
) -> ThresholdState:
    state = ThresholdState()
    if contributor is None:
        return state
    for partner in partners:
        total = -subtree_totals(conn, chart.capital_contributions(partner)).get("USD", 0)
        if partner == contributor:
            state.contributed_minor = total
        else:
            state.later_aid_minor += total
    return state


def import_filings(
    db: Database,
    actor: User,
    path: Path,
    *,
    progress: Progress | None = None,
    stage: Stage = _quiet,
    name: str | None = None,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> FilingImport:
    """Book every new filing in a file in one transaction; re-importing it changes nothing.

    Every licence in the file, and every licence a corrected version replaces, must be one
    the actor may file for (a reporting entity files only for its own licences).
    """
    with cyclic_gc_paused():
        # The millions of objects an import makes die when `_import` returns, before the
        # collector is back: re-enabled while they lived, it would walk them all once (~1 s).
        return _import(db, actor, path, progress, stage, name, interface, now)


def _import(
    db: Database,
    actor: User,
    path: Path,
    progress: Progress | None,
    stage: Stage,
    name: str | None,
    interface: Interface,
    now: datetime | None,
) -> FilingImport:
    """The import itself: read, decide and book in one transaction (see `import_filings`)."""
    if actor.role not in PERMISSIONS["filings.submit"]:
        require(actor, "filings.submit")  # before looking at what was sent
    read = read_filings(path, progress=progress, name=name)
    first = _check_may_file(actor, {record.licence_id for _, record in read.items})
    with door.act(
        db, actor, "filings.submit", interface=interface, licence_id=first, now=now
    ) as act:
        conn = act.tx
        lock_books(conn)  # before reading what is stored, so two imports of one file serialise
        terms = terms_in_force(conn)
        stage(f"deciding {len(read.items):,} filings")
        sorted_out = _sort_filings(conn, act.user, read.path, read.items, terms, act.now.date())
        entries, keys = summary_entries(sorted_out.fresh, terms)
        for decision, earlier in sorted_out.corrections:
            more, new_key = correction_entries(_booked_postings(earlier, terms), decision, terms)
            entries.extend(more)
            keys.append(new_key)
        stage(f"booking {len(entries):,} ledger entries")
        booked = sorted_out.fresh + [d for d, _ in sorted_out.corrections]
        try:
            post_batch(conn, entries)
        except OutOfRangeError as exc:
            raise out_of_range(read.path, read.items, booked, keys, exc) from None
        stage(f"storing {len(booked):,} filings")
        ids = next_filing_ids(conn, len(booked))
        stamp = BookingStamp(terms.id, booked_now(), read.path[-512:])
        insert_booked(conn, ids, booked, keys, stamp)
        if not booked:
            act.unchanged()
        else:
            act.note(
                "filings.submit",
                f"file:{Path(read.path).name}",
                {
                    "filings": len(read.items),
                    "booked": len(sorted_out.fresh),
                    "corrected": len(sorted_out.corrections),
                    "entries": len(entries),
                    "first_id": ids[0],
                    "last_id": ids[-1],
                },
            )
    totals: dict[str, int] = {}
    for decision in booked:
        ccy = decision.filing.currency
        totals[ccy] = totals.get(ccy, 0) + decision.fund_minor
    return FilingImport(
        filings=len(read.items),
        booked=len(sorted_out.fresh),
        corrected=len(sorted_out.corrections),
        unchanged=sorted_out.unchanged,
        ineligible=sum(1 for d in booked if not d.eligible),
        entries=len(entries),
        fund_minor_by_currency=totals,
        **_rent_flags(booked, sorted_out.resources),
    )


RENT_FLAGS_WORDED = 1000


def _rent_flags(
    booked: list[FilingDecision], resources: dict[str, tuple[str, ...]]
) -> dict[str, Any]:
    """Every Tax Code Art. 257 rule the booked rent filings break, worded per filing.

    Bulk imports hold a few dozen periods and licences: each period's deadline and each
    licence's rent period are worked out once, and only a filing that breaks one is worded.
    """
    flags: list[str] = []
    flagged = 0
    due: dict[str, tuple[RentPeriod, date] | None] = {}
    expected: dict[str, RentPeriod] = {}
    for decision in booked:
        f = decision.filing
        if f.stream is not RevenueStream.ROYALTY:
            continue
        if f.period not in due:
            span = period_span(f.period)
            due[f.period] = (span.kind, payment_due(span)) if span else None
        known = due[f.period]
        kind = expected.get(f.licence_id)
        if kind is None:
            kind = expected[f.licence_id] = rent_period(resources.get(f.licence_id, ()))
        if known is not None and known[0] is kind and f.received_on <= known[1]:
            continue
        flagged += 1
        if len(flags) >= RENT_FLAGS_WORDED:
            continue
        for finding in rent_findings(
            resources.get(f.licence_id, ()), f.stream, f.period, f.received_on
        ):
            flags.append(f"{f.payer_reference} v{f.version} ({f.licence_id}): {finding.message}")
    return {"rent_flags": tuple(flags), "rent_flagged": flagged}


# What a correction undoes: the stored version, or a version earlier in the same file.


@dataclass(frozen=True, slots=True)
class _Sorted:
    """A file's filings sorted out: new ones, corrections (with what they undo), repeats."""

    fresh: list[FilingDecision]
    corrections: list[tuple[FilingDecision, Earlier]]
    unchanged: int
    resources: dict[str, tuple[str, ...]]


def _sort_filings(
    conn: Tx,
    actor: User,
    label: str,
    items: list[tuple[int, FilingRecord]],
    terms: TermSheet,
    today: date,
) -> _Sorted:
    """Decide every filing against what is stored; raise one InputError naming every problem."""
    licences = licences_by_id(conn, {r.licence_id for _, r in items}, checked=True)
    facts = {lid: licence_facts(record) for lid, record in licences.items()}
    stored = filings_by_reference(conn, (r.payer_reference for _, r in items))
    closed = closed_through(conn)
    contributor = terms.threshold.contributor if terms.threshold else None
    decider = Decider(
        terms,
        rate_table(conn, for_days=(r.received_on for _, r in items)),
        _threshold_state(conn, terms.partner_ids, contributor),
    )
    problems: list[Problem] = []
    fresh: list[FilingDecision] = []
    corrections: list[tuple[FilingDecision, Earlier]] = []
    # The newest version of each reference seen so far (stored, or earlier in this file).
    latest: dict[str, tuple[int, Earlier]] = {
        ref: (top, versions[top]) for ref, versions in stored.items() for top in (max(versions),)
    }
    unchanged = 0
    decide = decider.decide
    for line, record in items:
        licence = facts.get(record.licence_id)
        if licence is None:
            problems.append(unknown_licence(label, line, record))
            continue
        ref = record.payer_reference
        versions = stored.get(ref) if stored else None
        if versions and record.version in versions:
            if versions[record.version].same_content(record):
                unchanged += 1
            else:
                problems.append(changed_version(label, line, record, max(versions)))
            continue
        previous = latest.get(ref)
        if previous is not None and record.version <= previous[0]:
            problems.append(stale_version(label, line, record, previous[0]))
            continue
        if previous is not None:
            mismatch = not_the_same_filing(label, line, record, previous[1], actor)
            if mismatch is not None:
                problems.append(mismatch)
                continue
        if record.received_on > today:
            problems.append(received_later(label, line, record, today))
            continue
        if closed is not None and record.received_on <= closed:
            problems.append(in_closed_period(label, line, record, closed))
            continue
        try:
            decision = decide(record.licence_id, licence, record)
        except MissingRateError as exc:
            problems.append(
                Problem(
                    said.reason(exc),
                    label,
                    line,
                    "received_on",
                    Message("an FX rate imported with `jointfund fx import`"),
                )
            )
            continue
        except InputError as exc:
            problems.extend(
                Problem(p.message, label, line, p.field or "stream", p.expected)
                for p in exc.problems
            )
            continue
        if previous is not None:
            corrections.append((decision, previous[1]))
        else:
            fresh.append(decision)
        latest[ref] = (record.version, decision)
    if problems:
        raise InputError(problems)
    resources = {lid: record.resources for lid, record in licences.items()}
    return _Sorted(fresh, corrections, unchanged, resources)


def _check_may_file(actor: User, licence_ids: set[str]) -> str | None:
    """Refuse a file holding a licence the actor may not file for; the first licence."""
    first = min(licence_ids, default=None)
    require(actor, "filings.submit", licence_id=first)
    refused = sorted(i for i in licence_ids if not allowed(actor, "filings.submit", licence_id=i))
    if refused:
        raise PermissionDeniedError(
            Message(
                "{actor} may submit filings only for its own licences, not {refused}",
                actor=actor.label,
                refused=", ".join(refused),
            )
        )
    return first


def _booked_postings(earlier: Earlier, terms: TermSheet) -> list[Posting]:
    """What an earlier version booked (nothing when none of it reached the fund)."""
    if isinstance(earlier, FilingDecision):
        return filing_postings(earlier, terms)
    if earlier.credit_account is None or earlier.entry_key is None or not earlier.fund_minor:
        return []  # nothing reached the books, or it accrued awaiting a transfer
    return inflow_postings(
        earlier.currency,
        terms.reporting_currency,
        earlier.fund_minor,
        earlier.reporting_minor,
        earlier.credit_account,
    )
