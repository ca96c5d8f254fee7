"""Two languages, English and Ukrainian: the language in force, its gettext catalogue, and
numbers and dates in its format (Babel).

The catalogue is the `.po` file kept in this package (`locales/uk/LC_MESSAGES/jointfund.po`);
it is compiled in memory the first time a process needs it, so a fresh `pip install -e .`
works with no build step and no `.mo` file to forget. English is the source language: its
messages are the msgids themselves. The language in force is a context variable, set by each
adapter for the call it serves (`language(...)`).
"""

from __future__ import annotations

import gettext as _gettext
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib.resources import files
from io import BytesIO

from babel import Locale
from babel.dates import format_date as _format_date
from babel.dates import format_time as _format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

__all__ = [
    "DEFAULT",
    "DOMAIN",
    "LANGUAGES",
    "N_",
    "catalogue_path",
    "current",
    "gettext",
    "language",
    "localise_date",
    "localise_datetime",
    "localise_numbers",
    "negotiate",
    "ngettext",
    "pgettext",
]

LANGUAGES = ("en", "uk")
DEFAULT = "en"
DOMAIN = "jointfund"
NAMES = {"en": "English", "uk": "Українська"}
_current: ContextVar[str] = ContextVar("jointfund_language", default=DEFAULT)


def catalogue_path(lang: str) -> str:
    """Where the `.po` catalogue of `lang` lives in the installed package."""
    return str(files(__name__) / "locales" / lang / "LC_MESSAGES" / f"{DOMAIN}.po")


@cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalogue of `lang` (English: the msgids themselves); fuzzy entries are
    left out, so a string marked fuzzy shows in English and the catalogue test names it."""
    if lang not in LANGUAGES or lang == DEFAULT:
        return _gettext.NullTranslations()
    with open(catalogue_path(lang), encoding="utf-8") as po:
        catalogue = read_po(po, locale=lang, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalogue, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def current() -> str:
    """The language in force for this call."""
    return _current.get()


@contextmanager
def language(lang: str) -> Iterator[str]:
    """Make `lang` the language in force inside the block (an unknown one means English)."""
    token = _current.set(lang if lang in LANGUAGES else DEFAULT)
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def gettext(message: str) -> str:
    """`message` in the language in force."""
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural of a message for `n`, in the language in force."""
    return translations(_current.get()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` in the language in force, told apart from the same English word by
    `context` (e.g. a status "open" and a verb "open")."""
    return translations(_current.get()).pgettext(context, message)


def N_(message: str) -> str:  # noqa: N802 - the name the extractor knows
    """Mark a message for the catalogue without translating it here (translated where shown)."""
    return message


def negotiate(accept_language: str) -> str | None:
    """The language of ours an `Accept-Language` header prefers most, or None."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and quality > 0:
            ranked.append((-quality, index, tag.strip().lower()))
    for _, _, tag in sorted(ranked):
        primary = tag.split("-")[0]
        if primary in LANGUAGES:
            return primary
    return None


# A number as the books write it for people: "1,234,567.89", "-0.50", "12.5" (a plain integer
# such as a year, a count or an id is left as it is).
_NUMBER = re.compile(
    r"(?<![\w.,])-?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])|(?<![\w.,])-?\d+\.\d+(?![\d.])"
)


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


def _localise_one(match: re.Match[str], lang: str) -> str:
    text = match.group(0)
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return text
    places = len(text.partition(".")[2])
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(value, format=pattern, locale=_locale(lang))


def localise_numbers(text: object) -> str:
    """Every grouped or decimal number in `text` written the way the language in force writes
    it (Ukrainian: `1 234 567,89`), keeping its places; English text comes back unchanged."""
    written = "" if text is None else str(text)
    lang = _current.get()
    if lang == DEFAULT:
        return written
    return _NUMBER.sub(lambda m: _localise_one(m, lang), written)


def localise_date(value: object) -> str:
    """A date (or ISO `YYYY-MM-DD` text) in the language in force; anything else unchanged."""
    if isinstance(value, str):
        text = value
        try:
            value = date.fromisoformat(text)
        except ValueError:
            return text
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        return "" if value is None else str(value)
    return _format_date(value, "medium", locale=_locale(_current.get()))


def localise_datetime(value: object) -> str:
    """A moment (or ISO text) in the language in force, in UTC, to the minute."""
    if isinstance(value, str):
        text = value
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            return text
    if not isinstance(value, datetime):
        return "" if value is None else str(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    locale = _locale(_current.get())
    moment = value.astimezone(UTC)
    day = _format_date(moment.date(), "medium", locale=locale)
    return f"{day}, {_format_time(moment.time(), 'HH:mm', locale=locale)} UTC"
