"""Shared input-validation pieces: the "every parameter cites a source or states an assumption" base
model, and conversion of pydantic errors into located Problems."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from jointfund.errors import InputError, Problem


class Strict(BaseModel):
    """A model that refuses unknown keys and is immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Sourced(Strict):
    """A parameter block that must say where its numbers come from."""

    source: str | None = None
    assumption: str | None = None

    @model_validator(mode="after")
    def _cites_something(self) -> Sourced:
        if not (self.source or "").strip() and not (self.assumption or "").strip():
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
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError([Problem(f"malformed YAML: {exc}", file=str(path))]) from exc
