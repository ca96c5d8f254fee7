"""Shared input-validation pieces: the "every parameter cites a source or states an assumption" base
model, and conversion of pydantic errors into located Problems."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from jointfund.errors import InputError, Problem
from jointfund.yaml_keys import UniqueKeyLoader


class Strict(BaseModel):
    """A model that refuses unknown keys and is immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


LABEL_FIELDS = frozenset({"source", "assumption", "sourced", "assumed"})


def label_names(key: str) -> list[str]:
    """The field names a `sourced:` / `assumed:` key names: one, or several separated by commas."""
    return [part.strip() for part in key.split(",") if part.strip()]


def carries_number(value: Any) -> bool:
    """True when a field's value is, or contains, a number that no labelled block inside it
    answers for (bools are categorical, not numbers)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    if isinstance(value, Labelled):
        return False
    if isinstance(value, BaseModel):
        return any(carries_number(getattr(value, k)) for k in type(value).model_fields)
    if isinstance(value, dict):
        return any(carries_number(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(carries_number(v) for v in value)
    return False


class Labelled(Strict):
    """A block whose every stated number is either stated by a cited source or named in an
    assumption: `sourced: {field: quote or table reference}`, `assumed: {field: why this value}`
    (a key may name several fields, comma-separated). A number covered by neither is refused."""

    sourced: dict[str, str] = Field(default_factory=dict)
    assumed: dict[str, str] = Field(default_factory=dict)

    def label_of(self, name: str) -> tuple[str, str] | None:
        """("sourced" | "assumed", text) for a field; a source wins over an assumption."""
        for kind, labels in (("sourced", self.sourced), ("assumed", self.assumed)):
            for key, text in labels.items():
                if name in label_names(key):
                    return kind, text
        return None

    def numeric_fields(self, covered: frozenset[str] | set[str] = frozenset()) -> list[str]:
        """Fields stated in the file (not defaults) whose value carries a number, except the
        `covered` ones (skipped before the recursive look at the value: most are covered)."""
        return [
            name
            for name in type(self).model_fields
            if name not in LABEL_FIELDS
            and name not in covered
            and name in self.model_fields_set
            and carries_number(getattr(self, name))
        ]

    @model_validator(mode="after")
    def _every_number_covered(self) -> Labelled:
        fields = type(self).model_fields
        covered: set[str] = set()
        for kind, labels in (("sourced", self.sourced), ("assumed", self.assumed)):
            for key, text in labels.items():
                if not text.strip():
                    raise ValueError(f"the {kind} label for {key!r} is empty")
                for name in label_names(key):
                    if name not in fields or name in LABEL_FIELDS:
                        raise ValueError(f"{kind}: {name!r} is not a field of this block")
                    covered.add(name)
        missing = self.numeric_fields(covered)
        if missing:
            raise ValueError(
                "no source states and no assumption names "
                + ", ".join(missing)
                + ": add it to 'sourced:' (quote or table reference) or to 'assumed:'"
            )
        return self


class Sourced(Labelled):
    """A parameter block that says where its numbers come from: per number (`sourced:` /
    `assumed:`), with optional block-level narrative (`source:`, `assumption:`)."""

    source: str | None = None
    assumption: str | None = None

    @model_validator(mode="after")
    def _cites_something(self) -> Sourced:
        texts = [self.source, self.assumption, *self.sourced.values(), *self.assumed.values()]
        if not any((t or "").strip() for t in texts):
            raise ValueError("every parameter needs a 'source:' or an 'assumption:'")
        return self


def dotted(loc: Iterable[int | str], prefix: str = "") -> str:
    """Turn a pydantic location tuple into a dotted key path (list indices included)."""
    parts = [prefix] if prefix else []
    parts.extend(str(p) for p in loc)
    return ".".join(parts)


def problems_from(error: ValidationError, file: str, prefix: str = "") -> list[Problem]:
    """One Problem per invalid value, keyed by its dotted path."""
    out: list[Problem] = []
    for item in error.errors(include_url=False):
        loc = [p for p in item["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        out.append(Problem(message=item["msg"], file=file, field=dotted(loc, prefix) or None))
    return out


def read_yaml(path: Path) -> Any:
    """Read a YAML file, turning unreadable or malformed files into an InputError."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputError([Problem(f"cannot read file: {exc}", file=str(path))]) from exc
    except UnicodeDecodeError as exc:
        raise InputError(
            [Problem("file is not valid UTF-8", file=str(path), expected="UTF-8 text")]
        ) from exc
    try:
        return yaml.load(text, Loader=UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise InputError([Problem(f"malformed YAML: {exc}", file=str(path))]) from exc
