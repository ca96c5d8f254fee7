"""Shared input-validation pieces: the "every parameter cites a source or states an assumption" base
model, and conversion of pydantic errors into located Problems."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, model_validator

from jointfund.errors import InputError, Problem
from jointfund.i18n import N_
from jointfund.i18n.message import Message
from jointfund.yaml_keys import UniqueKeyLoader


class Strict(BaseModel):
    """A model that refuses unknown keys and is immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


LABEL_FIELDS = frozenset({"source", "assumption", "sourced", "assumed"})
# Validation context key: the numbers' labels were already checked on the scenario this data
# varies (a sensitivity variant changes values of labelled fields, never which fields are stated).
LABELS_CHECKED = "labels_checked"


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
    def _every_number_covered(self, info: ValidationInfo) -> Labelled:
        if info.context and info.context.get(LABELS_CHECKED):
            return self
        fields = type(self).model_fields
        covered: set[str] = set()
        for kind, labels in (("sourced", self.sourced), ("assumed", self.assumed)):
            for key, text in labels.items():
                if not text.strip():
                    raise ValueError(
                        Message("the {kind} label for {key!r} is empty", kind=kind, key=key)
                    )
                for name in label_names(key):
                    if name not in fields or name in LABEL_FIELDS:
                        raise ValueError(
                            Message(
                                "{kind}: {name!r} is not a field of this block",
                                kind=kind,
                                name=name,
                            )
                        )
                    covered.add(name)
        missing = self.numeric_fields(covered)
        if missing:
            raise ValueError(
                Message(
                    "no source states and no assumption names {names}: add it to 'sourced:' "
                    "(quote or table reference) or to 'assumed:'",
                    names=", ".join(missing),
                )
            )
        return self


class Sourced(Labelled):
    """A parameter block that says where its numbers come from: per number (`sourced:` /
    `assumed:`), with optional block-level narrative (`source:`, `assumption:`)."""

    source: str | None = None
    assumption: str | None = None

    @model_validator(mode="after")
    def _cites_something(self, info: ValidationInfo) -> Sourced:
        if info.context and info.context.get(LABELS_CHECKED):
            return self
        texts = [self.source, self.assumption, *self.sourced.values(), *self.assumed.values()]
        if not any((t or "").strip() for t in texts):
            raise ValueError(Message("every parameter needs a 'source:' or an 'assumption:'"))
        return self


def dotted(loc: Iterable[int | str], prefix: str = "") -> str:
    """Turn a pydantic location tuple into a dotted key path (list indices included)."""
    parts = [prefix] if prefix else []
    parts.extend(str(p) for p in loc)
    return ".".join(parts)


# Pydantic's English for the errors a scenario or register file meets, by error type, so a
# located problem is said in the catalogue's language; the parts are pydantic's own context.
_PYDANTIC: dict[str, str] = {
    "missing": N_("Field required"),
    "extra_forbidden": N_("Extra inputs are not permitted"),
    "greater_than": N_("Input should be greater than {gt}"),
    "greater_than_equal": N_("Input should be greater than or equal to {ge}"),
    "less_than": N_("Input should be less than {lt}"),
    "less_than_equal": N_("Input should be less than or equal to {le}"),
    "float_type": N_("Input should be a valid number"),
    "float_parsing": N_("Input should be a valid number, unable to parse string as a number"),
    "int_type": N_("Input should be a valid integer"),
    "int_parsing": N_("Input should be a valid integer, unable to parse string as an integer"),
    "int_from_float": N_("Input should be a valid integer, got a number with a fractional part"),
    "string_type": N_("Input should be a valid string"),
    "bool_type": N_("Input should be a valid boolean"),
    "bool_parsing": N_("Input should be a valid boolean, unable to interpret input"),
    "list_type": N_("Input should be a valid list"),
    "dict_type": N_("Input should be a valid dictionary"),
    "model_type": N_("Input should be a valid dictionary or instance of {class_name}"),
    "literal_error": N_("Input should be {expected}"),
    "literal_error/or": N_("Input should be {choices} or {last}"),
    "string_pattern_mismatch": N_("String should match pattern '{pattern}'"),
    # pydantic's English names the kind of value and says "item" or "items": one template each
    "too_short/List/n": N_(
        "List should have at least {min_length} items after validation, not {actual_length}"
    ),
    "too_short/List/1": N_(
        "List should have at least {min_length} item after validation, not {actual_length}"
    ),
    "too_short/Dictionary/1": N_(
        "Dictionary should have at least {min_length} item after validation, not {actual_length}"
    ),
    "too_long/List/n": N_(
        "List should have at most {max_length} items after validation, not {actual_length}"
    ),
}


def _part(value: object) -> object:
    """A context value as pydantic writes it (a whole float bound reads `1`, not `1.0`)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _said(item: Any) -> str:
    """A pydantic error's message as a catalogue Message (our validators' reasons said again),
    or pydantic's own English where no template of ours reads exactly the same."""
    kind, ctx = item["type"], item.get("ctx") or {}
    made: Message | None = None
    if kind == "value_error" and isinstance(ctx.get("error"), ValueError):
        reason = ctx["error"].args[0] if ctx["error"].args else str(ctx["error"])
        made = Message("Value error, {reason}", reason=reason)
    else:
        parts = {k: _part(v) for k, v in ctx.items()}
        if kind in ("too_short", "too_long"):
            count = parts.get("min_length", parts.get("max_length"))
            kind += f"/{parts.get('field_type')}/{'1' if count == 1 else 'n'}"
        elif kind == "literal_error" and " or " in str(parts.get("expected")):
            parts["choices"], _, parts["last"] = str(parts["expected"]).rpartition(" or ")
            kind += "/or"
        try:
            made = Message(_PYDANTIC[kind], **parts) if kind in _PYDANTIC else None
        except (KeyError, IndexError, ValueError):
            made = None
    msg: str = item["msg"]
    return made if made is not None and made == msg else msg


def problems_from(error: ValidationError, file: str, prefix: str = "") -> list[Problem]:
    """One Problem per invalid value, keyed by its dotted path."""
    out: list[Problem] = []
    for item in error.errors(include_url=False):
        loc = [p for p in item["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        out.append(Problem(message=_said(item), file=file, field=dotted(loc, prefix) or None))
    return out


def read_yaml(path: Path) -> Any:
    """Read a YAML file, turning unreadable or malformed files into an InputError."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputError(
            [Problem(Message("cannot read file: {reason}", reason=str(exc)), file=str(path))]
        ) from exc
    except UnicodeDecodeError as exc:
        raise InputError(
            [
                Problem(
                    Message("file is not valid UTF-8"),
                    file=str(path),
                    expected=Message("UTF-8 text"),
                )
            ]
        ) from exc
    try:
        return yaml.load(text, Loader=UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise InputError(
            [Problem(Message("malformed YAML: {reason}", reason=str(exc)), file=str(path))]
        ) from exc
