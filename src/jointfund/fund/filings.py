"""Revenue filings as users touch them: import a file (validate everything, then book it in one
transaction) and list what is stored, with the terms' decision on each filing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jointfund import store
from jointfund.clock import stamp_now as booked_now
from jointfund.errors import InputError, OutOfRangeError, PermissionDeniedError, Problem
from jointfund.fund import door
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
from jointfund.fund.setup import terms_in_force
from jointfund.governance import PERMISSIONS, Interface, User, allowed, require
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
    FilingRow,
    StoredFiling,
    filing_sort_key,
    filings_by_reference,
    insert_booked,
    next_filing_ids,
)
from jointfund.store.fx_rates import rate_table
from jointfund.store.head import lock_books
from jointfund.store.keyset import Sort
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
            raise _out_of_range(read.path, read.items, booked, keys, exc) from None
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
Earlier = StoredFiling | FilingDecision


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
            problems.append(_unknown_licence(label, line, record))
            continue
        ref = record.payer_reference
        versions = stored.get(ref) if stored else None
        if versions and record.version in versions:
            if versions[record.version].same_content(record):
                unchanged += 1
            else:
                problems.append(_changed_version(label, line, record, max(versions)))
            continue
        previous = latest.get(ref)
        if previous is not None and record.version <= previous[0]:
            problems.append(_stale_version(label, line, record, previous[0]))
            continue
        if previous is not None:
            mismatch = _not_the_same_filing(label, line, record, previous[1], actor)
            if mismatch is not None:
                problems.append(mismatch)
                continue
        if record.received_on > today:
            problems.append(_received_later(label, line, record, today))
            continue
        if closed is not None and record.received_on <= closed:
            problems.append(_in_closed_period(label, line, record, closed))
            continue
        try:
            decision = decide(record.licence_id, licence, record)
        except MissingRateError as exc:
            problems.append(
                Problem(
                    str(exc),
                    label,
                    line,
                    "received_on",
                    "an FX rate imported with `jointfund fx import`",
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


def _unknown_licence(label: str, line: int, record: FilingRecord) -> Problem:
    """A filing for a licence the registry does not hold."""
    return Problem(
        f"unknown licence {record.licence_id!r}",
        label,
        line,
        "licence_id",
        "a licence registered with `jointfund licences import`",
    )


def _changed_version(label: str, line: int, record: FilingRecord, top: int) -> Problem:
    """A stored reference and version filed again with other content."""
    return Problem(
        f"payer reference {record.payer_reference} version "
        f"{record.version} was already imported with other content",
        label,
        line,
        "payer_reference",
        f"version {top + 1} to correct it",
    )


def _stale_version(label: str, line: int, record: FilingRecord, newest: int) -> Problem:
    """A version no newer than one stored or earlier in the file."""
    return Problem(
        f"version {record.version} is not newer than version {newest} "
        "already stored or earlier in this file",
        label,
        line,
        "version",
        f"a version above {newest}",
    )


def _received_later(label: str, line: int, record: FilingRecord, today: date) -> Problem:
    """A receipt dated after the day it is submitted: money not yet received is not booked."""
    return Problem(
        f"received on {record.received_on.isoformat()}, after today ({today.isoformat()})",
        label,
        line,
        "received_on",
        f"a day no later than {today.isoformat()}",
    )


def _in_closed_period(label: str, line: int, record: FilingRecord, closed: date) -> Problem:
    """A receipt dated inside a closed period."""
    return Problem(
        f"received on {record.received_on}, inside the period closed through {closed}",
        label,
        line,
        "received_on",
        f"a date after {closed}",
    )


def _out_of_range(
    label: str,
    items: list[tuple[int, FilingRecord]],
    booked: list[FilingDecision],
    keys: list[str | None],
    error: OutOfRangeError,
) -> InputError:
    """The refusal located at the largest filing of the entry that would overflow."""
    line_of = {id(record): line for line, record in items}
    carried = [d for d, key in zip(booked, keys, strict=True) if key == error.key]
    largest = max(carried, key=lambda d: d.filing.gross_minor, default=None)
    row = line_of.get(id(largest.filing)) if largest is not None else None
    return InputError(
        [Problem(str(error), label, row, "gross_amount", "amounts the books can hold")]
    )


def _not_the_same_filing(
    label: str, line: int, record: FilingRecord, earlier: Earlier, actor: User
) -> Problem | None:
    """A correction must replace a version of the same filing (licence, period and stream),
    which the submitter may file for; anything else would reverse someone else's receipt."""
    was = _identity(earlier)
    if was[0] != record.licence_id or not allowed(actor, "filings.submit", licence_id=was[0]):
        return Problem(
            f"payer reference {record.payer_reference} belongs to a filing of licence "
            f"{was[0]}; a correction keeps the licence of the version it replaces",
            label,
            line,
            "licence_id",
            was[0],
        )
    for field_name, before, after in (
        ("period", was[1], record.period),
        ("stream", was[2], str(record.stream)),
    ):
        if before != after:
            return Problem(
                f"payer reference {record.payer_reference} was filed for {field_name} {before}; "
                f"a correction keeps the {field_name} of the version it replaces",
                label,
                line,
                field_name,
                before,
            )
    return None


def _identity(earlier: Earlier) -> tuple[str, str, str]:
    """(licence, period, stream) of an earlier version, stored or earlier in the file."""
    if isinstance(earlier, FilingDecision):
        f = earlier.filing
        return f.licence_id, f.period, str(f.stream)
    licence_id, period, stream = earlier.content[0], earlier.content[1], earlier.content[2]
    return str(licence_id), str(period), str(stream)


def _check_may_file(actor: User, licence_ids: set[str]) -> str | None:
    """Refuse a file holding a licence the actor may not file for; the first licence."""
    first = min(licence_ids, default=None)
    require(actor, "filings.submit", licence_id=first)
    refused = sorted(i for i in licence_ids if not allowed(actor, "filings.submit", licence_id=i))
    if refused:
        raise PermissionDeniedError(
            f"{actor.label} may submit filings only for its own licences, not {', '.join(refused)}"
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


def _true_reasons(tx: Tx, rows: list[FilingRow]) -> list[FilingRow]:
    """Rows with the reason that is true of each filing: a filing stored with another filing's
    cached text (books from before each reason named its own period) shows its chained note."""
    notes = store.filing_reasons.true_reasons_for(tx, [r.id for r in rows])
    return [replace(r, reason=notes[r.id]) if r.id in notes else r for r in rows]


def list_filings(
    db: Database,
    actor: User,
    *,
    year: int | None = None,
    licence_id: str | None = None,
    after_id: int = 0,
    limit: int = 100,
) -> list[FilingRow]:
    """A page of stored filings (every version) with the terms' decision on each."""
    require(actor, "filings.read")
    with db.read() as tx:
        return _true_reasons(
            tx,
            store.filings.filing_page(
                tx, year=year, licence_id=licence_id, after_id=after_id, limit=limit
            ),
        )


def filings_by_period(
    db: Database,
    actor: User,
    *,
    year: int | None = None,
    licence_id: str | None = None,
    after_id: int = 0,
    before_id: int = 0,
    limit: int = 100,
    sort: Sort | None = None,
) -> tuple[list[FilingRow], int]:
    """A page of stored filings (every version) in period order, or the order of `sort` (one
    of `sorting.FILINGS`), after or before a filing id, and how many filings (latest
    versions) the filters match, from the kept totals."""
    require(actor, "filings.read")
    with db.read() as tx:
        rows = store.filings.filing_page_by_period(
            tx,
            year=year,
            licence_id=licence_id,
            after_id=after_id,
            before_id=before_id,
            limit=limit,
            sort=sort,
        )
        count = store.filing_totals.latest_filing_count(tx, year=year, licence_id=licence_id)
        return _true_reasons(tx, rows), count


def own_filings_by_period(
    db: Database,
    actor: User,
    *,
    year: int | None = None,
    licence_id: str | None = None,
    after_id: int = 0,
    before_id: int = 0,
    limit: int = 100,
    sort: Sort | None = None,
) -> tuple[list[FilingRow], int]:
    """`filings_by_period` for a reporting entity: only the filings of the licences it holds
    (or of the one named, when it holds it), what it submitted and what the terms decided."""
    require(actor, "filings.read_own")
    if licence_id is not None and licence_id not in actor.licence_ids:
        raise PermissionDeniedError(
            f"{actor.label} may read filings only of its own licences "
            f"({', '.join(actor.licence_ids) or 'none'}), not {licence_id!r}"
        )
    wanted = [licence_id] if licence_id is not None else sorted(actor.licence_ids)
    found: list[FilingRow] = []
    count = 0
    with db.read() as tx:
        for licence in wanted:
            found += store.filings.filing_page_by_period(
                tx,
                year=year,
                licence_id=licence,
                after_id=after_id,
                before_id=before_id,
                limit=limit,
                sort=sort,
            )
            count += store.filing_totals.latest_filing_count(tx, year=year, licence_id=licence)
        found = _true_reasons(tx, found)
    order = sort or Sort("period")
    found.sort(key=filing_sort_key(order), reverse=order.descending)
    return (found[-limit:] if before_id else found[:limit]), count
