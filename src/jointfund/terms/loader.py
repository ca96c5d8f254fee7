"""Load term sheets from YAML files or bundled presets; each problem names its key path."""

from __future__ import annotations

import difflib
from functools import cache, lru_cache
from importlib import resources as package_files
from importlib.resources.abc import Traversable
from pathlib import Path

import yaml
from pydantic import ValidationError

from jointfund.errors import InputError, Problem
from jointfund.i18n.message import Message
from jointfund.terms.said_errors import message_of
from jointfund.terms.schema import CrossReferenceError, TermSheet
from jointfund.yaml_keys import SafeBase, refuse_duplicate_keys

DEFAULT_PRESET = "ua-us-2025-04-30-agreement"
_PRESET_DIR = "presets"
_SUFFIX = ".yaml"
_VALUE_ERROR_PREFIX = "Value error, "
# How a term sheet starts (YAML), shown as what was expected of a file that is not a mapping.
_SHEET_START = "metadata: ..."


class _TermSheetLoader(SafeBase):  # type: ignore[valid-type,misc]
    """Safe YAML that keeps dates as text (pydantic checks them, with a key path) and refuses
    duplicate keys (PyYAML would silently keep the last one)."""


# Without the timestamp resolver a bad date like 2025-13-01 reaches pydantic as a string
# and is reported at its key path, instead of crashing PyYAML's date constructor.
_TermSheetLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


refuse_duplicate_keys(_TermSheetLoader)


def _key_path(loc: tuple[int | str, ...]) -> str:
    """Render a pydantic location as a key path: ('inflow', 0, 'share') -> inflow[0].share."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part == "[key]":
            continue
        else:
            out += f".{part}" if out else str(part)
    return out


def _problems(exc: ValidationError, file: str | None) -> list[Problem]:
    """Turn pydantic's errors into Problems naming the file and the key path of each."""
    problems: list[Problem] = []
    for error in exc.errors(include_url=False):
        ctx = error.get("ctx") or {}
        cause = ctx.get("error")
        if isinstance(cause, CrossReferenceError):
            problems.extend(Problem(msg, file=file, field=path) for path, msg in cause.problems)
            continue
        message = message_of(error, error["msg"].removeprefix(_VALUE_ERROR_PREFIX))
        expected = ctx.get("expected")
        problems.append(
            Problem(
                message,
                file=file,
                field=_key_path(error["loc"]) or None,
                expected=expected
                if isinstance(expected, str) or expected is None
                else str(expected),
            )
        )
    return problems


def parse_terms(data: object, *, file: str | None = None) -> TermSheet:
    """Validate parsed YAML/JSON data into a TermSheet, or raise InputError with every problem."""
    if not isinstance(data, dict):
        raise InputError(
            [
                Problem(
                    Message("a term sheet is a mapping of sections"),
                    file=file,
                    expected=_SHEET_START,
                )
            ]
        )
    try:
        return TermSheet.model_validate(data)
    except ValidationError as exc:
        raise InputError(_problems(exc, file)) from None


def parse_terms_yaml(text: str, *, file: str | None = None) -> TermSheet:
    """Parse YAML text into a TermSheet; YAML syntax errors carry their line number.

    The books ask for the terms in force on every write, so each distinct text is parsed once
    (TermSheets are immutable, so sharing one is safe; errors are not cached).
    """
    return _parse_terms_yaml(text, file)


@lru_cache(maxsize=32)
def _parse_terms_yaml(text: str, file: str | None) -> TermSheet:
    try:
        data = yaml.load(text, Loader=_TermSheetLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise InputError(
            [Problem(Message("invalid YAML: {problem}", problem=exc.problem), file=file, row=line)]
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(
            [Problem(Message("invalid YAML: {exc}", exc=str(exc)), file=file)]
        ) from None
    return parse_terms(data, file=file)


def _preset_dir() -> Traversable:
    """The folder of term sheets shipped inside the package."""
    return package_files.files(__package__).joinpath(_PRESET_DIR)


@cache
def preset_ids() -> list[str]:
    """Ids of the bundled presets, sorted (they sort by date of the text)."""
    names = (entry.name for entry in _preset_dir().iterdir() if entry.name.endswith(_SUFFIX))
    return sorted(name.removesuffix(_SUFFIX) for name in names)


@cache
def _load_preset(preset_id: str) -> TermSheet:
    """Load one bundled preset once; TermSheets are immutable so sharing is safe."""
    entry = _preset_dir().joinpath(preset_id + _SUFFIX)
    return parse_terms_yaml(entry.read_text(encoding="utf-8"), file=f"presets/{entry.name}")


def load_terms(source: str | Path = DEFAULT_PRESET) -> TermSheet:
    """Load a term sheet from a preset id or a YAML file path."""
    if isinstance(source, str) and source in preset_ids():
        return _load_preset(source)
    path = Path(source)
    if not path.is_file():
        hint = difflib.get_close_matches(str(source), preset_ids(), n=1)
        raise InputError(
            [
                Problem(
                    Message("no term-sheet file or preset named {name!r}", name=str(source)),
                    file=str(source),
                    expected=hint[0]
                    if hint
                    else Message(
                        "a YAML path or one of {presets}", presets=", ".join(preset_ids())
                    ),
                )
            ]
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            [Problem(Message("cannot read term sheet: {exc}", exc=str(exc)), file=str(path))]
        ) from None
    return parse_terms_yaml(text, file=str(path))


def terms_to_yaml(terms: TermSheet) -> str:
    """Write a term sheet back as YAML that load_terms reads to an equal TermSheet."""
    data = terms.model_dump(mode="json", exclude_defaults=False)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
