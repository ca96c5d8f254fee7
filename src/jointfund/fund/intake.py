"""Importing licences, FX rates and revenue filings: validate everything, then book in one go."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jointfund.errors import InputError, PermissionDeniedError, Problem
from jointfund.fund.booking import (
    FilingDecision,
    ThresholdState,
    correction_entries,
    decide,
    filing_postings,
    inflow_postings,
    licence_facts,
    summary_entries,
)
from jointfund.fund.setup import fund_terms
from jointfund.governance import User, allowed, require
from jointfund.intake.filings import read_filings
from jointfund.intake.fx_rates import read_fx_rates
from jointfund.intake.licences import read_licences
from jointfund.intake.records import FilingRecord
from jointfund.ledger import Posting, chart
from jointfund.money import MissingRateError
from jointfund.store import Database
from jointfund.store.posting import booked_now, closed_through, lock_books, post_batch
from jointfund.store.queries import subtree_totals
from jointfund.store.registry_repo import (
    StoredFiling,
    UpsertCounts,
    day_value,
    filings_by_reference,
    insert_filings,
    insert_fx_rates,
    licences_by_id,
    rate_table,
    upsert_licences,
)
from jointfund.terms import InflowChoice, TermSheet, choose_inflow

Progress = Callable[[int], None]


def import_licences(db: Database, path: Path, *, progress: Progress | None = None) -> UpsertCounts:
    """Register or update the licences in a file; all of them, or none and every problem."""
    read = read_licences(path, progress=progress)
    with db.write() as conn:
        return upsert_licences(conn, [record for _, record in read.items])


def import_fx_rates(db: Database, path: Path) -> UpsertCounts:
    """Store dated FX rates; a conflicting rate for a stored day is refused."""
    read = read_fx_rates(path)
    with db.write() as conn:
        return insert_fx_rates(conn, [record for _, record in read.items], source=read.path)


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
    path: Path,
    *,
    actor: User | None = None,
    progress: Progress | None = None,
    name: str | None = None,
) -> FilingImport:
    """Book every new filing in a file in one transaction; re-importing it changes nothing.

    With an `actor`, every licence in the file must be one the actor may file for (a reporting
    entity files only for its own licences); the local CLI runs as the books' operator.
    """
    read = read_filings(path, progress=progress, name=name)
    if actor is not None:
        _check_may_file(actor, {record.licence_id for _, record in read.items})
    terms = fund_terms(db)
    label = read.path
    with db.write() as conn:
        lock_books(conn)  # before reading what is stored, so two imports of one file serialise
        licences = licences_by_id(conn, (r.licence_id for _, r in read.items))
        facts = {lid: licence_facts(record) for lid, record in licences.items()}
        stored = filings_by_reference(conn, (r.payer_reference for _, r in read.items))
        rates = rate_table(conn)
        closed = closed_through(conn)
        contributor = terms.threshold.contributor if terms.threshold else None
        threshold = _threshold_state(conn, terms.partner_ids, contributor)
        choices: dict[tuple[str, str, bool], InflowChoice] = {}
        problems: list[Problem] = []
        fresh: list[FilingDecision] = []
        corrections: list[tuple[FilingDecision, list[Posting]]] = []
        # The newest version of each reference seen so far (stored, or earlier in this file)
        # and the postings it booked, so a correction undoes exactly that.
        latest: dict[str, tuple[int, list[Posting]]] = {
            ref: (max(versions), _stored_postings(versions[max(versions)], terms))
            for ref, versions in stored.items()
        }
        unchanged = 0
        for line, record in read.items:
            licence = facts.get(record.licence_id)
            if licence is None:
                problems.append(
                    Problem(
                        f"unknown licence {record.licence_id!r}",
                        label,
                        line,
                        "licence_id",
                        "a licence registered with `jointfund licences import`",
                    )
                )
                continue
            versions = stored.get(record.payer_reference)
            if versions and record.version in versions:
                same = versions[record.version]
                if same.same_content(record):
                    unchanged += 1
                else:
                    problems.append(
                        Problem(
                            f"payer reference {record.payer_reference} version "
                            f"{record.version} was already imported with other content",
                            label,
                            line,
                            "payer_reference",
                            f"version {max(versions) + 1} to correct it",
                        )
                    )
                continue
            previous = latest.get(record.payer_reference)
            if previous is not None and record.version <= previous[0]:
                problems.append(
                    Problem(
                        f"version {record.version} is not newer than version {previous[0]} "
                        "already stored or earlier in this file",
                        label,
                        line,
                        "version",
                        f"a version above {previous[0]}",
                    )
                )
                continue
            if closed is not None and record.received_on <= closed:
                problems.append(
                    Problem(
                        f"received on {record.received_on}, inside the period closed "
                        f"through {closed}",
                        label,
                        line,
                        "received_on",
                        f"a date after {closed}",
                    )
                )
                continue
            key = (record.licence_id, record.stream, record.period_end >= terms.entry_into_force)
            choice = choices.get(key)
            try:
                if choice is None:
                    choice = choices[key] = choose_inflow(
                        terms, stream=record.stream, licence=licence, period_end=record.period_end
                    )
                decision = decide(terms, choice, record, rates, threshold)
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
            latest[record.payer_reference] = (record.version, filing_postings(decision, terms))
        if problems:
            raise InputError(problems)
        entries, keys = summary_entries(fresh, terms)
        entry_of: dict[tuple[str, int], str | None] = dict(keys)
        for decision, old_postings in corrections:
            more, new_key = correction_entries(old_postings, decision, terms)
            entries.extend(more)
            entry_of[(decision.filing.payer_reference, decision.filing.version)] = new_key
        post_batch(conn, entries)
        now = booked_now()
        booked = fresh + [d for d, _ in corrections]
        source = label[-512:]
        day = day_value(conn)
        insert_filings(
            conn,
            [
                _filing_row(
                    d,
                    entry_of.get((d.filing.payer_reference, d.filing.version)),
                    terms.id,
                    now,
                    source,
                    day,
                )
                for d in booked
            ],
        )
    totals: dict[str, int] = {}
    for decision in booked:
        ccy = decision.filing.currency
        totals[ccy] = totals.get(ccy, 0) + decision.fund_minor
    return FilingImport(
        filings=len(read.items),
        booked=len(fresh),
        corrected=len(corrections),
        unchanged=unchanged,
        ineligible=sum(1 for d in booked if not d.eligible),
        entries=len(entries),
        fund_minor_by_currency=totals,
    )


def _check_may_file(actor: User, licence_ids: set[str]) -> None:
    require(actor, "filings.submit", licence_id=next(iter(licence_ids), None))
    refused = sorted(i for i in licence_ids if not allowed(actor, "filings.submit", licence_id=i))
    if refused:
        raise PermissionDeniedError(
            f"{actor.label} may submit filings only for its own licences, not {', '.join(refused)}"
        )


def _stored_postings(old: StoredFiling, terms: TermSheet) -> list[Posting]:
    """What a stored filing version booked (nothing when none of it reached the fund)."""
    if old.credit_account is None or not old.fund_minor:
        return []
    return inflow_postings(
        old.currency,
        terms.reporting_currency,
        old.fund_minor,
        old.reporting_minor,
        old.credit_account,
    )


def _filing_row(
    item: FilingDecision,
    entry_key: str | None,
    terms_id: str,
    now: str,
    source: str,
    day: Callable[[date], Any],
) -> tuple[Any, ...]:
    """A `filings` row in FILING_COLUMNS order."""
    f: FilingRecord = item.filing
    return (
        f.payer_reference,
        f.version,
        f.licence_id,
        f.period,
        day(f.period_end),
        f.stream,
        f.gross_minor,
        f.costs_minor,
        f.currency,
        day(f.received_on),
        item.eligible,
        item.fund_minor,
        f.gross_minor - item.fund_minor,
        item.reporting_minor,
        item.fx_rate,
        item.rule_id,
        str(item.share),
        item.reason,
        entry_key,
        item.credit_account,
        terms_id,
        now,
        source,
    )
