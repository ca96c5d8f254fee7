"""Term sheet shapes: the presets, one sheet in full, and the differences between two."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class TermsSummaryOut(BaseModel):
    """A bundled term sheet."""

    id: str
    title: str
    status: str


class TermsOut(BaseModel):
    """A term sheet in full, as data and as the YAML it is kept in."""

    id: str
    title: str
    status: str
    terms: dict[str, Any]
    yaml: str


class TermDifferenceOut(BaseModel):
    """One key path whose value differs (null: the sheet lacks the key)."""

    path: str
    a: str | None
    b: str | None


class TermsDiffOut(BaseModel):
    """Every term that differs between sheets `a` and `b`."""

    a: str
    b: str
    differences: list[TermDifferenceOut] = Field(default_factory=list)
