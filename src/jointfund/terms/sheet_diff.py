"""Compare two term sheets key by key and render the differences side by side as plain lines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jointfund.terms.schema import TermSheet

MISSING = "—"
_METADATA = "metadata"


@dataclass(frozen=True, slots=True)
class TermDifference:
    """One key path whose value differs; a side without the key shows as None."""

    path: str
    a_value: str | None
    b_value: str | None


def _scalar(value: Any) -> str:
    """Render a leaf value as the YAML would show it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _flatten(value: Any, path: str, out: dict[str, str]) -> None:
    """Flatten nested data to dotted key paths; lists of plain values stay one leaf."""
    if isinstance(value, dict):
        if not value:
            out[path] = "{}"
        for key, item in value.items():
            _flatten(item, f"{path}.{key}" if path else str(key), out)
    elif isinstance(value, list) and any(isinstance(item, dict | list) for item in value):
        for index, item in enumerate(value):
            _flatten(item, f"{path}[{index}]", out)
    elif isinstance(value, list):
        out[path] = "[" + ", ".join(_scalar(item) for item in value) + "]"
    else:
        out[path] = _scalar(value)


def flatten_terms(terms: TermSheet) -> dict[str, str]:
    """Every leaf of a term sheet as key path -> rendered value, in document order."""
    out: dict[str, str] = {}
    _flatten(terms.model_dump(mode="json"), "", out)
    return out


def diff_terms(
    a: TermSheet, b: TermSheet, *, include_metadata: bool = True
) -> list[TermDifference]:
    """Key paths whose values differ between two term sheets, in a's order then b's extras."""
    flat_a, flat_b = flatten_terms(a), flatten_terms(b)
    sections = list(TermSheet.model_fields)
    merged = list(flat_a) + [p for p in flat_b if p not in flat_a]
    # Keep each section's keys together even when only b has some of them.
    paths = sorted(merged, key=lambda p: sections.index(_section(p)))
    return [
        TermDifference(path, flat_a.get(path), flat_b.get(path))
        for path in paths
        if flat_a.get(path) != flat_b.get(path)
        and (include_metadata or not path.startswith(_METADATA))
    ]


def _section(path: str) -> str:
    """The top-level section a key path belongs to."""
    return path.split(".", 1)[0].split("[", 1)[0]


def _cut(text: str, width: int) -> str:
    """Fit text into a column, marking what was cut."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def render_side_by_side(
    a: TermSheet, b: TermSheet, *, width: int = 120, include_metadata: bool = False
) -> list[str]:
    """Plain-text table of the differences: key path | a's value | b's value, one line per key."""
    diffs = diff_terms(a, b, include_metadata=include_metadata)
    if not diffs:
        return [f"{a.id} and {b.id} have the same terms"]
    path_width = min(max(len(d.path) for d in diffs), max(width // 3, 10))
    value_width = max((width - path_width - 6) // 2, 8)
    lines = [
        f"{'key':<{path_width}} | {_cut(a.id, value_width):<{value_width}} | "
        f"{_cut(b.id, value_width)}",
        f"{'-' * path_width}-+-{'-' * value_width}-+-{'-' * value_width}",
    ]
    for diff in diffs:
        left = MISSING if diff.a_value is None else diff.a_value
        right = MISSING if diff.b_value is None else diff.b_value
        lines.append(
            f"{_cut(diff.path, path_width):<{path_width}} | "
            f"{_cut(left, value_width):<{value_width}} | {_cut(right, value_width)}".rstrip()
        )
    return lines
