"""A negotiator's what-if: a term sheet's scenario with its main levers moved, as a new scenario.

The levers are the price level (a factor on every commodity's price path), licence timing
(every licence-year triangle shifted by whole years), the territory assumption (the moderate
two-way risk of the term sheets' scenario, a frozen line, or a gradual return) and U.S. in-kind
aid (none, the FY2026-27 USAI authorisation, or larger packages from 2028). Each lever has a
range; a value outside it is a located Problem. The derived scenario keeps the provenance rule:
a number a lever changes is relabelled as a named assumption that states the lever and the
value it replaced, and a swapped block (territory, contributions) keeps the labels of the
bundled scenario it comes from, so the census stays at zero uncovered numbers.

A price-level factor scales each price path exactly: every model is on the log price, so
multiplying the start price (and the long-run level of a mean-reverting model) adds a constant
to the log path drawn from the same shocks. Royalty brackets stay in the law's prices.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import Any, Literal, get_args

from jointfund.errors import InputError, Problem
from jointfund.forecast.scenario import Scenario, build_scenario, bundled_raw, scenario_names
from jointfund.forecast.validation import label_names
from jointfund.i18n.message import Message

TerritoryChoice = Literal["moderate", "frozen", "return"]
InKindChoice = Literal["usai", "none", "larger"]

TERM_SHEETS = ("terms-2025-02-21", "terms-2025-02-26", "terms-2025-03", "terms-2025-04-30")
"""The bundled scenarios of the four term sheets, oldest first: the what-if's bases."""

PRICE_FACTOR = (0.25, 4.0)
LICENCE_SHIFT = (-5, 15)
TERRITORY_SOURCE: dict[str, str | None] = {
    "moderate": None,
    "frozen": "frozen-line",
    "return": "gradual-return",
}
"""Where each territory choice takes its `territory:` block from (None: the scenario's own)."""
IN_KIND_SOURCE: dict[str, str | None] = {
    "usai": None,
    "none": "inkind-none",
    "larger": "inkind-larger",
}
"""Where each in-kind choice takes its `contributions:` list from (None: the scenario's own)."""


@dataclass(frozen=True, slots=True)
class Levers:
    """The what-if's levers; the defaults leave the term sheet's scenario as it is."""

    price_factor: float = 1.0
    licence_shift: int = 0
    territory: TerritoryChoice = "moderate"
    in_kind: InKindChoice = "usai"

    def label(self) -> str:
        """A short label of the moved levers, without spaces (the derived scenario's name
        carries it), e.g. `prices-x1.2~licences+2y~territory-frozen~in-kind-none`."""
        parts = []
        if self.price_factor != 1.0:
            parts.append(f"prices-x{self.price_factor:g}")
        if self.licence_shift:
            parts.append(f"licences{self.licence_shift:+d}y")
        if self.territory != "moderate":
            parts.append(f"territory-{self.territory}")
        if self.in_kind != "usai":
            parts.append(f"in-kind-{self.in_kind}")
        return "~".join(parts) or "no-lever-moved"


def check_levers(base: str, levers: Levers) -> Levers:
    """The levers, or an InputError naming every one out of range (and an unknown base)."""
    problems: list[Problem] = []
    if base not in TERM_SHEETS:
        problems.append(
            Problem(
                Message("unknown term sheet {name!r}", name=base),
                field="scenario",
                expected=Message("{choices}", choices=", ".join(TERM_SHEETS)),
            )
        )
    low, high = PRICE_FACTOR
    if not (math.isfinite(levers.price_factor) and low <= levers.price_factor <= high):
        problems.append(
            Problem(
                Message("price level {factor:g} is out of range", factor=levers.price_factor),
                field="price_factor",
                expected=Message("{low:g}..{high:g}", low=low, high=high),
            )
        )
    first, last = LICENCE_SHIFT
    if not first <= levers.licence_shift <= last:
        problems.append(
            Problem(
                Message("licence shift {years} is out of range", years=levers.licence_shift),
                field="licence_shift",
                expected=Message("{first}..{last}", first=first, last=last),
            )
        )
    for field, value, choices in (
        ("territory", levers.territory, get_args(TerritoryChoice)),
        ("in_kind", levers.in_kind, get_args(InKindChoice)),
    ):
        if value not in choices:
            problems.append(
                Problem(
                    Message("unknown choice {value!r}", value=value),
                    field=field,
                    expected=Message("{choices}", choices=", ".join(choices)),
                )
            )
    if problems:
        raise InputError(problems)
    return levers


def _relabel(block: dict[str, Any], name: str, text: str) -> str:
    """Take field `name` out of the block's `sourced:`/`assumed:` keys (a key naming several
    fields keeps the others) and name it in `assumed:` with `text`; returns the old label."""
    old = ""
    for kind in ("sourced", "assumed"):
        labels = block.get(kind)
        if not isinstance(labels, dict):
            continue
        kept: dict[str, str] = {}
        for key, value in labels.items():
            names = label_names(key)
            if name in names:
                old = old or f"{kind}: {value}"
                rest = [n for n in names if n != name]
                if rest:
                    kept[", ".join(rest)] = value
            else:
                kept[key] = value
        block[kind] = kept
    block.setdefault("assumed", {})[name] = text
    return old


def _scale_prices(raw: dict[str, Any], factor: float) -> None:
    """Scale every commodity's start price and long-run level by `factor` (see the module)."""
    for block in raw["prices"]["commodities"].values():
        for name in ("s0", "long_run"):
            value = block.get(name)
            if value is None:
                continue
            block[name] = float(value) * factor
            old = _relabel(block, name, "")
            block["assumed"][name] = (
                f"what-if lever price level x{factor:g}: {value:g} scaled to {block[name]:g}; "
                f"it replaces {old or 'no label'}"
            )


def _shift_licences(raw: dict[str, Any], years: int, start_year: int) -> None:
    """Shift every licence-year triangle by `years`, none earlier than the start year."""
    pipeline = raw["pipeline"]
    blocks = [*pipeline["classes"].values(), *pipeline.get("overrides", {}).values()]
    for block in blocks:
        tri = block.get("licence_year")
        if not isinstance(tri, dict):
            continue
        before = (tri["min"], tri["mode"], tri["max"])
        after = [max(int(v) + years, start_year) for v in before]
        block["licence_year"] = dict(zip(("min", "mode", "max"), after, strict=True))
        old = _relabel(block, "licence_year", "")
        block["assumed"]["licence_year"] = (
            f"what-if lever licence timing {years:+d} years: min/mode/max "
            f"{before[0]}/{before[1]}/{before[2]} moved to {after[0]}/{after[1]}/{after[2]} "
            f"(none before {start_year}); it replaces {old or 'no label'}"
        )


def _note(block: Any, text: str) -> None:
    """Prefix a block's narrative `assumption:` with the lever that chose it."""
    if isinstance(block, dict):
        block["assumption"] = f"{text}; {block['assumption']}" if block.get("assumption") else text


def derive(base: Scenario, levers: Levers) -> Scenario:
    """The base scenario with the levers applied, validated like any scenario file."""
    check_levers(base.name, levers)
    raw = copy.deepcopy(base.raw)
    hashes = dict(base.input_hashes)
    if levers.price_factor != 1.0:
        _scale_prices(raw, levers.price_factor)
    if levers.licence_shift:
        _shift_licences(raw, levers.licence_shift, int(raw["start_year"]))
    source = TERRITORY_SOURCE[levers.territory]
    if source is not None:
        other, other_hashes = bundled_raw(source)
        raw["territory"] = copy.deepcopy(other["territory"])
        _note(raw["territory"]["transitions"], f"what-if lever territory: {levers.territory}")
        hashes |= other_hashes
    source = IN_KIND_SOURCE[levers.in_kind]
    if source is not None:
        other, other_hashes = bundled_raw(source)
        raw["contributions"] = copy.deepcopy(other["contributions"])
        for item in raw["contributions"]:
            _note(item, f"what-if lever in kind: {levers.in_kind}")
        hashes |= other_hashes
    raw["name"] = f"{base.name}~what-if~{levers.label()}"
    raw["description"] = f"{raw.get('description', '')}; what-if: {levers.label()}"
    return build_scenario(raw, base.path, hashes)


def term_sheets() -> list[str]:
    """The term-sheet scenarios a what-if starts from (those bundled)."""
    known = set(scenario_names())
    return [name for name in TERM_SHEETS if name in known]
