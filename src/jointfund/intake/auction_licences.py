"""The licence record a sold subsoil auction leads to, its resources named from the lot title.

Derzhheonadra's lot titles name the mineral in Ukrainian, e.g. "Ділянка «Приклад» (каолін
первинний)". `data/resource_names_uk.csv` maps word stems to the catalogue's resources (a user
file of the same shape adds stems); the text in the title's parentheses is searched first,
then the whole title. The procedure carries no permit number (the permit is issued after the
sale), so the record is keyed by the auction id, issued on the day the sale contract was
signed; the licence register supplies the rest when it is imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from jointfund.errors import InputError, Problem
from jointfund.i18n.message import Message
from jointfund.intake.cells import Cells
from jointfund.intake.records import LicenceRecord
from jointfund.intake.sources import csv_rows, read_text
from jointfund.intake.subsoil_auctions import SubsoilAuction, auction_licence
from jointfund.terms import Instrument, all_resources

COLUMNS = ("stem", "resource", "source")
SHIPPED = "data/resource_names_uk.csv"
_PARENS = re.compile(r"\(([^)]*)\)")


@dataclass(frozen=True, slots=True)
class ResourceNames:
    """Ukrainian word stems and the resource each names, longest stem first."""

    stems: tuple[tuple[str, str], ...]

    def find(self, title: str) -> tuple[str, ...]:
        """The resources a lot title names (its parentheses first), in the order found."""
        lowered = title.lower()
        for text in [*_PARENS.findall(lowered), lowered]:
            found: list[str] = []
            for stem, slug in self.stems:
                if stem in text and slug not in found:
                    found.append(slug)
            if found:
                return tuple(found)
        return ()


def resource_names(extra: Path | None = None) -> ResourceNames:
    """The shipped stems, with a user's file (if given) adding more."""
    shipped = resources.files("jointfund.intake").joinpath(SHIPPED)
    pairs = _parse(shipped.read_text("utf-8"), SHIPPED)
    if extra is not None:
        pairs += _parse(read_text(extra, name=str(extra)), str(extra))
    return ResourceNames(tuple(sorted(set(pairs), key=lambda p: (-len(p[0]), p[0]))))


def _parse(text: str, label: str) -> list[tuple[str, str]]:
    slugs = tuple(r.slug for r in all_resources())
    problems: list[Problem] = []
    found: list[tuple[str, str]] = []
    for row in csv_rows(text, label, COLUMNS):
        at = Cells(label, row.line, problems)
        stem = at.text("stem", row.value["stem"])
        slug = at.choice("resource", row.value["resource"], slugs)
        source = at.text("source", row.value["source"])
        if stem is not None and slug is not None and source is not None:
            found.append((stem.lower(), slug))
    if problems:
        raise InputError(problems)
    return found


def licence_record(
    auction: SubsoilAuction, names: ResourceNames, *, label: str, line: int, problems: list[Problem]
) -> LicenceRecord | None:
    """The licence a signed sale leads to (None while unsigned); a title naming no known
    resource is a problem located at the auction's line."""
    sold = auction_licence(auction)
    if sold is None:
        return None
    found = names.find(auction.title) or names.find(auction.description)
    if not found:
        problems.append(
            Problem(
                Message(
                    "auction {auction_id}: the lot title names no known resource: {title!r}",
                    auction_id=auction.auction_id,
                    title=auction.title,
                ),
                label,
                line,
                "title",
                Message(
                    "a mineral in the title, e.g. (титанові руди), or its stem in a --names file"
                ),
            )
        )
        return None
    return LicenceRecord(
        licence_id=sold.auction_id,
        holder=sold.holder,
        holder_registry_id=sold.holder_registry_id,
        deposit=sold.deposit[:500],
        resources=found,
        oblast=(sold.region or "-")[:64],
        instrument=Instrument.SPECIAL_PERMIT,
        issued_on=sold.sold_on,
        status="active",
    )
