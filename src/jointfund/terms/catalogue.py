"""Covered resources and revenue-stream types: the shared vocabulary every term sheet refers to."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources as package_files
from typing import Any

import yaml

from jointfund.errors import InputError, Problem
from jointfund.i18n.message import Message
from jointfund.yaml_keys import UniqueKeyLoader

_DATA_FILE = "resources.yaml"
_PARENTHETICAL = re.compile(r"\s*\([^)]*\)\s*")
_SPACES = re.compile(r"[\s_]+")


class ResourceKind(StrEnum):
    """Broad class of a resource; hydrocarbons and minerals carry different rent rules."""

    MINERAL = "mineral"
    HYDROCARBON = "hydrocarbon"


@dataclass(frozen=True, slots=True)
class Resource:
    """One natural resource: canonical slug, display name, whether Annex A covers it, aliases."""

    slug: str
    name: str
    kind: ResourceKind
    covered: bool
    group: str | None = None
    aliases: tuple[str, ...] = ()


class RevenueStream(StrEnum):
    """The kinds of state receipts a term sheet can route into the fund."""

    ROYALTY = "royalty"
    PERMIT_FEE = "permit_fee"
    AUCTION_PROCEEDS = "auction_proceeds"
    PSA_STATE_SHARE = "psa_state_share"
    SIGNATURE_BONUS = "signature_bonus"


@dataclass(frozen=True, slots=True)
class StreamInfo:
    """A revenue stream with its EITI summary-data (IMF GFS 2014) classification."""

    stream: RevenueStream
    label: str
    gfs_code: str
    gfs_label: str


# Codes and labels checked against the EITI summary-data template as used in NRGI's
# eiti-parser (github.com/NRGI/eiti-parser). Auction proceeds have no code of their own:
# the price paid at auction for a subsoil permit is a payment to the resource owner for the
# right to extract, i.e. rent, so it goes to "other rent payments" [our classification].
STREAMS: dict[RevenueStream, StreamInfo] = {
    info.stream: info
    for info in (
        StreamInfo(RevenueStream.ROYALTY, "Subsoil rent (royalty)", "1415E1", "Royalties"),
        StreamInfo(RevenueStream.PERMIT_FEE, "Special-permit issue fee", "114521E", "Licence fees"),
        StreamInfo(
            RevenueStream.AUCTION_PROCEEDS,
            "Proceeds from selling permits at auction",
            "1415E5",
            "Other rent payments",
        ),
        StreamInfo(
            RevenueStream.PSA_STATE_SHARE,
            "Sale of the state's share of output under PSAs",
            "1415E31",
            "Production entitlements: delivered/paid directly to government",
        ),
        StreamInfo(RevenueStream.SIGNATURE_BONUS, "Signature bonus", "1415E2", "Bonuses"),
    )
}


def _normalise(name: str) -> str:
    """Fold case, spaces and underscores so "Natural_Gas " and "natural gas" meet."""
    return _SPACES.sub(" ", name.strip().lower()).strip()


@cache
def _load() -> tuple[dict[str, Resource], dict[str, str]]:
    """Read the bundled resource list into slug -> Resource and alias -> slug."""
    text = package_files.files(__package__).joinpath(_DATA_FILE).read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.load(text, Loader=UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    by_slug: dict[str, Resource] = {}
    names: dict[str, str] = {}
    for row in data["resources"]:
        item = Resource(
            slug=row["slug"],
            name=row["name"],
            kind=ResourceKind(row["kind"]),
            covered=bool(row["covered"]),
            group=row.get("group"),
            aliases=tuple(row.get("aliases", ())),
        )
        by_slug[item.slug] = item
        for key in (item.slug, item.name, *item.aliases):
            names[_normalise(key)] = item.slug
    return by_slug, names


def all_resources() -> tuple[Resource, ...]:
    """Every resource the catalogue knows, in file order, for pickers and documentation."""
    return tuple(_load()[0].values())


def covered_resources() -> tuple[Resource, ...]:
    """The resources Annex A of the final agreement covers (partial list, see resources.yaml)."""
    return tuple(r for r in all_resources() if r.covered)


def closest_resource(name: str) -> str | None:
    """The slug whose name or alias is nearest to `name`, for "did you mean" hints."""
    by_slug, names = _load()
    key = _normalise(name)
    # Canonical slugs and names first, so "grafite" suggests graphite rather than the
    # alias "granite"; aliases only when no canonical name is close.
    canonical = {_normalise(k): r.slug for r in by_slug.values() for k in (r.slug, r.name)}
    for pool in (canonical, names):
        match = difflib.get_close_matches(key, list(pool), n=1, cutoff=0.6)
        if match:
            return pool[match[0]]
    return None


def find_resource(name: str) -> Resource | None:
    """Resolve a slug, name or alias (ignoring a trailing parenthetical note); None if unknown."""
    by_slug, names = _load()
    key = _normalise(name)
    slug = names.get(key) or names.get(_normalise(_PARENTHETICAL.sub(" ", key)))
    return by_slug[slug] if slug else None


def resource(name: str) -> Resource:
    """Resolve a resource name such as "lithium (spodumene)" or raise InputError with a hint."""
    found = find_resource(name) if isinstance(name, str) else None
    if found is not None:
        return found
    hint = closest_resource(name) if isinstance(name, str) else None
    raise InputError(
        [
            Problem(
                Message("unknown resource {name!r}", name=name),
                field="resource",
                expected=hint
                or Message("a resource slug such as lithium, natural_gas or titanium"),
            )
        ]
    )


def stream_info(stream: RevenueStream | str) -> StreamInfo:
    """The label and GFS classification of a revenue stream."""
    return STREAMS[RevenueStream(stream)]
