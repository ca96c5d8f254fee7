"""Prozorro.Sale subsoil auctions as users touch them: import procedures, list the sales.

The price paid under a signed sale contract is a receipt of the state (permit sale proceeds,
stream `auction_proceeds`); the Budget Code as amended on 3 Jul 2025 sends half of the proceeds
of permits for Annex A minerals to the special fund, and the term sheet's inflow rules decide
what share is the fund's. Each signed sale also registers the licence it leads to, through the
licence register's own use case, in the same transaction. Every auction read is kept as a
version: the same file again changes nothing, a changed procedure is a new version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jointfund import store
from jointfund.errors import InputError, Problem
from jointfund.fund import door
from jointfund.fund.booking import licence_facts
from jointfund.fund.licences import register_licences
from jointfund.fund.setup import terms_in_force
from jointfund.fund.treasury import file_digest
from jointfund.governance import Interface, User, require
from jointfund.intake.auction_licences import licence_record, resource_names
from jointfund.intake.records import LicenceRecord
from jointfund.intake.subsoil_auctions import STREAM, SubsoilAuction, read_subsoil_auctions
from jointfund.money import format_amount
from jointfund.store import Database
from jointfund.store.receipts import AUCTION_FACTS, StoredAuction
from jointfund.terms import TermSheet, assess_inflow

__all__ = ["AuctionImport", "StoredAuction", "auction_dict", "import_auctions", "list_auctions"]


@dataclass(frozen=True, slots=True)
class AuctionImport:
    """What an import stored: auctions new, changed (a new version) or as stored; procedures
    that are not subsoil auctions; licences registered or updated from signed sales."""

    source: str
    created: int
    revised: int
    unchanged: int
    skipped: int
    licences_created: int
    licences_updated: int


def _facts(
    auction: SubsoilAuction, licence: LicenceRecord | None, terms: TermSheet
) -> dict[str, Any]:
    """The stored facts of one auction, with the fund's share of its proceeds under `terms`."""
    proceeds = auction.proceeds()
    counts, fund_minor, reason = False, None, None
    if proceeds is None or licence is None:
        reason = "no signed sale contract: no proceeds yet"
    else:
        decision = assess_inflow(
            terms,
            stream=STREAM,
            licence=licence_facts(licence),
            gross_minor=proceeds[1],
            period_end=proceeds[0],
        )
        counts, fund_minor, reason = decision.eligible, decision.fund_minor, decision.reason
    return {
        "lot_id": auction.lot_id,
        "selling_method": auction.selling_method,
        "status": auction.status,
        "title": auction.title,
        "region": auction.region[:200],
        "currency": auction.currency,
        "start_minor": auction.start_minor,
        "proceeds_minor": proceeds[1] if proceeds else None,
        "contract_number": auction.contract_number,
        "contract_signed_on": proceeds[0] if proceeds else None,
        "winner": auction.winner,
        "winner_id": auction.winner_id,
        "licence_id": licence.licence_id if licence else None,
        "counts": counts,
        "fund_minor": fund_minor,
        "reason": reason,
    }


def _same(stored: StoredAuction, facts: dict[str, Any]) -> bool:
    return all(getattr(stored, name) == facts[name] for name in AUCTION_FACTS)


def import_auctions(
    db: Database,
    actor: User,
    path: Path,
    *,
    name: str | None = None,
    names: Path | None = None,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> AuctionImport:
    """Store a file's subsoil auctions and register the licences signed sales lead to: all of
    them, or none and every problem located."""
    require(actor, "receipts.import")  # before looking at what was sent
    require(actor, "licences.import")
    label = name or str(path)
    read = read_subsoil_auctions(path, name=label)
    stems = resource_names(names)
    problems: list[Problem] = []
    licences: dict[str, tuple[int, LicenceRecord]] = {}
    for line, auction in read.items:
        record = licence_record(auction, stems, label=label, line=line, problems=problems)
        if record is not None:
            licences[auction.auction_id] = (line, record)
    if problems:
        raise InputError(problems)
    digest = file_digest(path, label)
    source = Path(label).name
    with door.act(db, actor, "receipts.import", interface=interface, now=now) as act:
        terms = terms_in_force(act.tx)
        registered = register_licences(act, list(licences.values()), label)
        latest = store.receipts.latest_auctions(act.tx)
        fresh: list[dict[str, Any]] = []
        created = revised = 0
        for _, auction in read.items:
            found = licences.get(auction.auction_id)
            facts = _facts(auction, found[1] if found else None, terms)
            stored = latest.get(auction.auction_id)
            if stored is not None and _same(stored, facts):
                continue
            created, revised = (created + 1, revised) if stored is None else (created, revised + 1)
            version = 1 if stored is None else stored.version + 1
            fresh.append({"auction_id": auction.auction_id, "version": version, **facts})
        result = AuctionImport(
            source,
            created,
            revised,
            len(read.items) - created - revised,
            read.skipped,
            registered.created,
            registered.updated,
        )
        if fresh:
            store.receipts.insert_auctions(
                act.tx,
                fresh,
                source=source,
                file_sha256=digest,
                imported_by=act.user.id,
                at=act.now,
            )
            act.note(
                "auctions.import",
                f"file:{source}",
                {"sha256": digest, "created": created, "revised": revised, "skipped": read.skipped},
            )
        elif not act.notes:
            act.unchanged()
    return result


def list_auctions(db: Database, actor: User) -> list[StoredAuction]:
    """The newest version of every auction stored, by signing day then id."""
    require(actor, "receipts.read")
    with db.read() as tx:
        latest = store.receipts.latest_auctions(tx)
    return sorted(latest.values(), key=lambda a: (a.contract_signed_on or date.max, a.auction_id))


def auction_dict(row: StoredAuction) -> dict[str, Any]:
    """One auction as plain JSON values (amounts as decimal strings)."""

    def amount(value: int | None) -> str | None:
        return None if value is None else format_amount(value, row.currency)

    return {
        "auction_id": row.auction_id,
        "version": row.version,
        "status": row.status,
        "selling_method": row.selling_method,
        "title": row.title,
        "region": row.region,
        "currency": row.currency,
        "start_price": amount(row.start_minor),
        "proceeds": amount(row.proceeds_minor),
        "contract_number": row.contract_number,
        "signed_on": row.contract_signed_on.isoformat() if row.contract_signed_on else None,
        "winner": row.winner,
        "winner_id": row.winner_id,
        "licence_id": row.licence_id,
        "counts_for_fund": row.counts,
        "fund_share": amount(row.fund_minor),
        "reason": row.reason,
        "source": row.source,
    }
