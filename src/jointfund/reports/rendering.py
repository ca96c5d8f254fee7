"""HTML from the package's Jinja2 templates, and PDF from that HTML through WeasyPrint.

Reports speak the language in force (`jointfund.i18n.language`), as the pages do: text in the
templates is wrapped for the catalogue ({% trans %}, _()), amounts, ratios and dates pass
through filters that write them the language's way, and English output is what it always was.
"""

from __future__ import annotations

import warnings
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from jointfund import i18n
from jointfund.money import format_amount
from jointfund.reports.report_words import said


def money(minor: int, currency: str = "USD") -> str:
    """Minor units for people: grouped, negatives in parentheses, in the language in force
    (English `1,234,567.89`, Ukrainian `1 234 567,89`)."""
    text = i18n.localise_numbers(format_amount(abs(minor), currency, grouping=True))
    return f"({text})" if minor < 0 else text


def percent(value: Fraction | Decimal | float | None, places: int = 2) -> str:
    """A ratio as a percentage, or an en dash when there is none."""
    if value is None:
        return "–"
    return i18n.localise_numbers(f"{float(value) * 100:.{places}f}%")


def ratio(value: Fraction | Decimal | None) -> str:
    """A multiple such as TVPI to four places (as `metrics` prints it), or an en dash."""
    if value is None:
        return "–"
    exact = Fraction(value)
    return i18n.localise_numbers(
        f"{round(Decimal(exact.numerator) / Decimal(exact.denominator), 4)}x"
    )


def day(value: date) -> str:
    """A date: ISO in English (as reports always wrote it), the language's words otherwise."""
    if i18n.current() == i18n.DEFAULT:
        return value.isoformat()
    return i18n.localise_date(value)


def number(value: object) -> str:
    """A decimal such as an FX rate in the language's digits."""
    return i18n.localise_numbers(value)


@cache
def environment() -> Environment:
    """The template environment (autoescaped, undefined names are errors, gettext installed
    with the same callables as the pages', so the language in force decides the words)."""
    env = Environment(
        loader=PackageLoader("jointfund.reports", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext, i18n.ngettext, newstyle=True, pgettext=i18n.pgettext
    )
    env.filters["money"] = money
    env.filters["percent"] = percent
    env.filters["ratio"] = ratio
    env.filters["day"] = day
    env.filters["num"] = number
    # Words that come with the data (bridge steps, entry kinds, the books' sentences): plain
    # text, so autoescaping still applies to it (a `_()` result would be markup).
    env.filters["said"] = said
    return env


def render_html(template: str, **context: Any) -> str:
    """Render one template with the house stylesheet inlined (context names `generated`)."""
    env = environment()
    # The stylesheet is a template too: its page footer ("page 1 of 3") is words.
    lang = i18n.current()
    css = env.get_template("report.css").render(lang=lang)
    return env.get_template(template).render(css=css, lang=lang, **context)


def html_to_pdf(html: str) -> bytes:
    """The HTML as PDF bytes (images must be embedded as data URIs)."""
    with warnings.catch_warnings():
        # A packaging notice about the system's HarfBuzz build (raised on import), not about
        # our document; importing here also keeps WeasyPrint's start-up off other commands.
        warnings.filterwarnings("ignore", message="HarfBuzz-Subset", category=DeprecationWarning)
        from weasyprint import HTML

        result: bytes = HTML(string=html, base_url=".").write_pdf()
    return result
