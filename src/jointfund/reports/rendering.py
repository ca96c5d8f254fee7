"""HTML from the package's Jinja2 templates, and PDF from that HTML through WeasyPrint."""

from __future__ import annotations

import warnings
from decimal import Decimal
from fractions import Fraction
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from jointfund.money import format_amount


def money(minor: int, currency: str = "USD") -> str:
    """Minor units for people: grouped, negatives in parentheses."""
    text = format_amount(abs(minor), currency, grouping=True)
    return f"({text})" if minor < 0 else text


def percent(value: Fraction | Decimal | float | None, places: int = 2) -> str:
    """A ratio as a percentage, or an en dash when there is none."""
    if value is None:
        return "–"
    return f"{float(value) * 100:.{places}f}%"


def ratio(value: Fraction | Decimal | None) -> str:
    """A multiple such as TVPI to four places (as `metrics` prints it), or an en dash."""
    if value is None:
        return "–"
    exact = Fraction(value)
    return f"{round(Decimal(exact.numerator) / Decimal(exact.denominator), 4)}x"


@cache
def environment() -> Environment:
    """The template environment (autoescaped, undefined names are errors)."""
    env = Environment(
        loader=PackageLoader("jointfund.reports", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["money"] = money
    env.filters["percent"] = percent
    env.filters["ratio"] = ratio
    return env


def render_html(template: str, **context: Any) -> str:
    """Render one template with the house stylesheet inlined (context names `generated`)."""
    env = environment()
    css = env.loader.get_source(env, "report.css")[0] if env.loader else ""
    return env.get_template(template).render(css=css, **context)


def html_to_pdf(html: str) -> bytes:
    """The HTML as PDF bytes (images must be embedded as data URIs)."""
    with warnings.catch_warnings():
        # A packaging notice about the system's HarfBuzz build (raised on import), not about
        # our document; importing here also keeps WeasyPrint's start-up off other commands.
        warnings.filterwarnings("ignore", message="HarfBuzz-Subset", category=DeprecationWarning)
        from weasyprint import HTML

        result: bytes = HTML(string=html, base_url=".").write_pdf()
    return result
