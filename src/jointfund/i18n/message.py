"""A sentence the books say to people, kept with its catalogue message and its parts, so every
adapter can say it again in the language in force.

`Message("row {row}: no licence {licence}", row=3, licence="UA-1")` is the English text itself
(a `str`: logs, JSON bodies, tests and `str(error)` read it as before) and remembers the
template and the parts. `localised(text)` writes it from the Ukrainian catalogue, each part in
the language's way: numbers whose template groups them (`{amount:,}`) and decimals in the
locale's digits, dates in its calendar words, a nested Message said again. `make messages`
extracts the first argument of every `Message(...)` call, as gettext's own `_()` is extracted.
"""

from __future__ import annotations

import numbers
from datetime import date
from decimal import Decimal
from string import Formatter
from typing import Any

from jointfund.errors import InputError, JointfundError, Problem
from jointfund.i18n import (
    DEFAULT,
    LANGUAGES,
    N_,
    current,
    gettext,
    language,
    localise_date,
    localise_numbers,
)
from jointfund.i18n.vocabulary import term

__all__ = ["Codes", "Message", "Said", "error_text", "localised", "problem_text", "said_in_all"]


class Message(str):
    """English text that remembers the catalogue message it came from and its parts."""

    template: str
    params: dict[str, object]

    def __new__(cls, template: str, /, **params: object) -> Message:
        text = template.format(**params) if params else template
        made = super().__new__(cls, text)
        made.template = template
        made.params = params
        return made

    def __getnewargs_ex__(self) -> tuple[tuple[str], dict[str, object]]:
        # Worker processes (verify, Dask) pickle errors: keep the template and the parts.
        return (self.template,), self.params


class Said(str):
    """English text kept with what it says in every language, as it was said when stored (a
    failed run's reason outlives the process that could say it again from its parts)."""

    said: dict[str, str]

    def __new__(cls, english: str, said: dict[str, str] | None = None) -> Said:
        made = super().__new__(cls, english)
        made.said = dict(said or {})
        return made

    def __reduce__(self) -> tuple[type[Said], tuple[str, dict[str, str]]]:
        return (Said, (str(self), self.said))


def said_in_all(text: object) -> Said:
    """`text` (a Message, an error, or plain text) said now in every language, to be stored."""
    said: dict[str, str] = {}
    for lang in LANGUAGES:
        with language(lang):
            said[lang] = error_text(text) if isinstance(text, JointfundError) else localised(text)
    return Said(said[DEFAULT], said)


class Codes(tuple[str, ...]):
    """Stored codes listed in a message ("lithium, oil"): English joins them as they are; another
    language writes each in its words (`i18n.vocabulary`)."""

    def __format__(self, spec: str) -> str:
        return format(", ".join(self), spec)


class _Localising(Formatter):
    """`str.format` that writes each part the way the language in force writes it."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, Message | Said):
            return localised(value)
        if isinstance(value, Codes) and current() != DEFAULT:
            return format(", ".join(term(code) for code in value), format_spec)
        if isinstance(value, bool) or current() == DEFAULT:
            return format(value, format_spec)
        if isinstance(value, date):
            return localise_date(value)
        # numbers.* so NumPy's scalars (a float32 share, an int64 count) are said the same way
        if isinstance(value, numbers.Integral) and not any(c in format_spec for c in ",_%eEfFgG"):
            return format(value, format_spec)  # a year, a row, an id: digits as they are
        if isinstance(value, numbers.Real | Decimal):
            return localise_numbers(format(value, format_spec or ","))
        return format(value, format_spec)


_FORMATTER = _Localising()


def localised(text: object) -> str:
    """`text` in the language in force: a Message from the catalogue with its parts localised;
    any other text as it is (English, a code, a name)."""
    if isinstance(text, Said):
        return text.said.get(current(), str(text))
    if not isinstance(text, Message):
        return "" if text is None else str(text)
    if current() == DEFAULT:
        return str(text)
    template = gettext(text.template)
    if not text.params:
        return template
    return _FORMATTER.vformat(template, (), text.params)


def problem_text(problem: Problem) -> str:
    """One located problem in the language in force: where, what, and what was expected."""
    where = ":".join(str(p) for p in (problem.file, problem.row, problem.field) if p is not None)
    said = localised(problem.message)
    if problem.expected:
        said += (
            " ("
            + gettext(N_("expected {expected}")).format(expected=localised(problem.expected))
            + ")"
        )
    return f"{where}: {said}" if where else said


def error_text(error: JointfundError) -> str:
    """An error's one-line message in the language in force (an input error: its first
    problem, and how many more)."""
    if isinstance(error, InputError):
        if not error.problems:
            return gettext(N_("invalid input"))
        first = problem_text(error.problems[0])
        more = len(error.problems) - 1
        if more <= 0:
            return first
        return first + " " + gettext(N_("(and {count} more problems)")).format(count=more)
    return localised(error.args[0]) if error.args else gettext(N_("error"))
