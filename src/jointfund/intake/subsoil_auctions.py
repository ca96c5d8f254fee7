"""Prozorro.Sale auctions of subsoil-use special permits read into auction records.

Input: procedures as the Prozorro.Sale procedure API returns them
(procedure.prozorro.sale/api/procedures/{id}): a JSON array of procedure objects, one object
per line (JSON Lines, e.g. a saved feed), or one object. Procedures whose ``sellingMethod``
does not start with ``subsoil`` (land, leases, privatisation, ...) are skipped and counted.

Read from each subsoil procedure (field names and shapes of the API's schema: multilingual
texts are ``{"uk_UA": ..., "en_US": ...}``, values ``{"amount", "currency"}``, organisations
``{"name", "identifier": {"scheme", "id", "legalName"}}``):

* ``auctionId`` (required, e.g. ``SUE001-UA-20210323-22797``), ``sellingMethod``, ``status``,
  ``datePublished`` (required), ``lotId``, ``title``/``description`` (the area and works),
  ``auctionPeriod.startDate``;
* ``value`` (start price, required), ``guarantee`` (the deposit), ``registrationFee``;
* ``sellingEntity`` (the organiser, Derzhheonadra), ``items[0].address.region`` (the oblast);
* the winner: the ``awards`` entry whose status is ``active`` (its first buyer's name and
  identifier; an ``UA-EDR`` identifier must be an 8-digit EDRPOU code), and the ``contracts``
  entry whose status is ``active``: its number, ``dateSigned`` and amount
  (``contractTotalValue`` if given, else ``value``), else the active award's ``value``.

The price paid under a signed contract is the auction proceeds (revenue stream
``auction_proceeds``) on the signing day. The API's procedure carries no permit number: the
special permit is issued after the sale, so a licence record built from an auction names the
sale contract, the winner as holder and the lot as deposit, and the register supplies the rest.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from jointfund.errors import InputError, Problem
from jointfund.i18n.message import Message
from jointfund.intake.cells import Cells
from jointfund.intake.json_fields import JsonFields
from jointfund.intake.records import Read
from jointfund.intake.sources import (
    DuplicateKeyError,
    Located,
    json_records,
    read_text,
    unique_keys,
)
from jointfund.terms import RevenueStream

SUBSOIL = "subsoil"
STREAM = RevenueStream.AUCTION_PROCEEDS
EDR_SCHEME = "UA-EDR"
_AUCTION_ID = re.compile(r"[A-Z]{3}[0-9]{3}-UA-[0-9]{8}-[0-9]{5}")
_EDRPOU = re.compile(r"[0-9]{8}")


@dataclass(frozen=True, slots=True)
class SubsoilAuction:
    """One Prozorro.Sale auction of a subsoil-use special permit, amounts in minor units."""

    auction_id: str
    lot_id: str
    selling_method: str
    status: str
    published_on: date
    auction_on: date | None
    title: str
    description: str
    region: str
    organiser: str
    organiser_id: str
    currency: str
    start_minor: int
    guarantee_minor: int | None
    registration_fee_minor: int | None
    winner: str | None
    winner_scheme: str | None
    winner_id: str | None
    final_minor: int | None
    contract_number: str | None
    contract_signed_on: date | None

    def proceeds(self) -> tuple[date, int] | None:
        """The proceeds the state received, on the day the sale contract was signed."""
        if self.contract_signed_on is None or self.final_minor is None:
            return None
        return self.contract_signed_on, self.final_minor


@dataclass(frozen=True, slots=True)
class AuctionLicence:
    """What an auction says about the special permit it led to (the register adds the rest)."""

    auction_id: str
    contract_number: str
    holder: str
    holder_registry_id: str
    deposit: str
    region: str
    sold_on: date


def auction_licence(auction: SubsoilAuction) -> AuctionLicence | None:
    """The permit a signed sale leads to, or None while no contract is signed."""
    if (
        auction.contract_number is None
        or auction.contract_signed_on is None
        or auction.winner is None
    ):
        return None
    return AuctionLicence(
        auction.auction_id,
        auction.contract_number,
        auction.winner,
        auction.winner_id or "",
        auction.title,
        auction.region,
        auction.contract_signed_on,
    )


def read_subsoil_auctions(path: Path, *, name: str | None = None) -> Read[SubsoilAuction]:
    """Read Prozorro.Sale procedures; subsoil ones become records, others are counted."""
    label = name or str(path)
    records = _procedures(read_text(path, name=label), label)
    problems: list[Problem] = []
    items: list[tuple[int, SubsoilAuction]] = []
    skipped = 0
    first: dict[str, int] = {}
    for located in records:
        at = Cells(label, located.line, problems)
        if not isinstance(located.value, Mapping):
            at.problem(None, Message("not a JSON object"), Message("one procedure object"))
            continue
        method = located.value.get("sellingMethod")
        if not isinstance(method, str):
            at.problem(
                "sellingMethod",
                Message("missing or not text"),
                Message("the procedure's selling method"),
            )
            continue
        if not method.startswith(SUBSOIL):
            skipped += 1
            continue
        auction = _Procedure(at, located.value).auction(method)
        if auction is None:
            continue
        if auction.auction_id in first:
            at.problem(
                "auctionId",
                Message(
                    "auction {auction_id} is already on row {first}",
                    auction_id=auction.auction_id,
                    first=first[auction.auction_id],
                ),
                Message("each auction once"),
            )
            continue
        first[auction.auction_id] = located.line
        items.append((located.line, auction))
    if not items and not skipped and not problems:
        problems.append(Problem(Message("file has no procedures"), file=label))
    if problems:
        raise InputError(problems)
    return Read(label, items, skipped)


def _procedures(text: str, label: str) -> list[Located]:
    """The file's procedure objects: an array, JSON Lines, or one (pretty-printed) object."""
    stripped = text.lstrip()
    if stripped.startswith("{"):
        decoder = json.JSONDecoder(
            parse_float=Decimal, parse_constant=Decimal, object_pairs_hook=unique_keys
        )
        try:
            whole = decoder.decode(text)
        except DuplicateKeyError as exc:
            raise exc.located(label) from None
        except (json.JSONDecodeError, RecursionError):
            whole = None  # several objects, one a line, or broken: json_records says which
        if isinstance(whole, Mapping):
            return [Located(1 + text[: len(text) - len(stripped)].count("\n"), whole)]
    return json_records(text, label, exact_numbers=True)


class _Procedure(JsonFields):
    """One procedure's record, read field by field (each problem named by its JSON path)."""

    def auction(self, method: str) -> SubsoilAuction | None:
        """The record, or None after recording every problem found."""
        at, data = self.at, self.data
        before = len(at.problems)
        auction_id = self.text(data, "auctionId")
        if auction_id is not None and not _AUCTION_ID.fullmatch(auction_id):
            at.problem(
                "auctionId",
                Message("not an auction id: {auction_id!r}", auction_id=auction_id),
                Message("e.g. SUE001-UA-20210323-22797"),
            )
        status = self.text(data, "status")
        published = self.day(data, "datePublished")
        period = self.mapping(data, "auctionPeriod", required=False)
        auction_on = self.day(period, "auctionPeriod.startDate", required=False) if period else None
        value = self.value(data, "value")
        currency = value[1] if value is not None else None
        guarantee = self.value(data, "guarantee", required=False, currency=currency)
        fee = self.value(data, "registrationFee", required=False, currency=currency)
        organiser = self.mapping(data, "sellingEntity", required=False) or {}
        winner = self.winner(currency)
        if len(at.problems) > before or auction_id is None or status is None:
            return None
        if published is None or value is None or winner is None:
            return None
        org_name, _, org_id = self.organisation(organiser, "sellingEntity")
        name, scheme, winner_id, final, number, signed = winner
        return SubsoilAuction(
            auction_id=auction_id,
            lot_id=self.text(data, "lotId", required=False) or "",
            selling_method=method,
            status=status,
            published_on=published,
            auction_on=auction_on,
            title=self.multilang(data, "title"),
            description=self.multilang(data, "description"),
            region=self.region(),
            organiser=org_name or "",
            organiser_id=org_id or "",
            currency=value[1],
            start_minor=value[0],
            guarantee_minor=guarantee[0] if guarantee else None,
            registration_fee_minor=fee[0] if fee else None,
            winner=name,
            winner_scheme=scheme,
            winner_id=winner_id,
            final_minor=final,
            contract_number=number,
            contract_signed_on=signed,
        )

    # --- the winner -----------------------------------------------------------------

    def winner(
        self, currency: str | None
    ) -> tuple[str | None, str | None, str | None, int | None, str | None, date | None] | None:
        """Winner name, id scheme, id, final amount, contract number and signing day."""
        awards_ok, award = self.active("awards")
        contracts_ok, contract = self.active("contracts")
        if not (awards_ok and contracts_ok):
            return None
        name = scheme = winner_id = number = None
        final: int | None = None
        signed: date | None = None
        if award is not None:
            where, entry = award
            buyer = self.first_buyer(entry, where)
            if buyer is not None:
                name, scheme, winner_id = self.organisation(buyer, f"{where}.buyers[0]")
            found = self.value(entry, f"{where}.value", required=False, currency=currency)
            final = found[0] if found else None
        if contract is not None:
            where, entry = contract
            number = self.text(entry, f"{where}.contractNumber", required=False)
            signed = self.day(entry, f"{where}.dateSigned", required=False)
            key = "contractTotalValue" if "contractTotalValue" in entry else "value"
            found = self.value(entry, f"{where}.{key}", required=False, currency=currency)
            if found is not None:
                final = found[0]
            if name is None and (buyer := self.first_buyer(entry, where)) is not None:
                name, scheme, winner_id = self.organisation(buyer, f"{where}.buyers[0]")
        return name, scheme, winner_id, final, number, signed

    def active(self, key: str) -> tuple[bool, tuple[str, Mapping[str, Any]] | None]:
        """Whether the list is sound, and its one entry with status "active" with its path."""
        entries = self.data.get(key, [])
        if not isinstance(entries, list):
            self.at.problem(key, Message("not a list"), Message("a list of {key}", key=key))
            return False, None
        found = [
            (f"{key}[{n}]", e)
            for n, e in enumerate(entries)
            if isinstance(e, Mapping) and e.get("status") == "active"
        ]
        if len(found) > 1:
            self.at.problem(
                key,
                Message("{count} active {key}", count=len(found), key=key),
                Message("at most one active entry in {key}", key=key),
            )
            return False, None
        return True, (found[0] if found else None)

    def first_buyer(self, entry: Mapping[str, Any], where: str) -> Mapping[str, Any] | None:
        buyers = entry.get("buyers")
        if buyers is None:
            return None
        if not isinstance(buyers, list) or not buyers or not isinstance(buyers[0], Mapping):
            self.at.problem(
                f"{where}.buyers",
                Message("not a list of organisations"),
                Message("buyers: [{...}]"),
            )
            return None
        buyer: Mapping[str, Any] = buyers[0]
        return buyer

    def organisation(
        self, org: Mapping[str, Any], where: str
    ) -> tuple[str | None, str | None, str | None]:
        """An organisation's name (legal name first), identifier scheme and id."""
        identifier = self.mapping(org, f"{where}.identifier", required=False, key="identifier")
        legal = self.multilang(identifier, "legalName") if identifier else ""
        name = legal or self.multilang(org, "name") or None
        if identifier is None:
            return name, None, None
        scheme = self.text(identifier, f"{where}.identifier.scheme", required=False, key="scheme")
        number = self.text(identifier, f"{where}.identifier.id", required=False, key="id")
        if scheme == EDR_SCHEME and number is not None and not _EDRPOU.fullmatch(number):
            self.at.problem(
                f"{where}.identifier.id",
                Message("not an EDRPOU code: {number!r}", number=number),
                Message("8 digits"),
            )
        return name, scheme, number

    def region(self) -> str:
        """The oblast of the first item's address, "" if not given."""
        items = self.data.get("items")
        if not isinstance(items, list) or not items or not isinstance(items[0], Mapping):
            return ""
        address = items[0].get("address")
        if not isinstance(address, Mapping):
            return ""
        return self.multilang(address, "region")
