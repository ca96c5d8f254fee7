"""The Ukrainian catalogue is complete and in step with the sources: every string people read
in a template of a page or a report is wrapped for translation, extracted, and translated."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from jinja2 import Environment

from jointfund.i18n import LANGUAGES, catalogue_path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "src/jointfund/http/pages/templates"
REPORT_TEMPLATES = ROOT / "src/jointfund/reports/templates"
# Text a template may show as it is in both languages: codes, units, symbols, abbreviations.
SAME_IN_EVERY_LANGUAGE = {
    "jointfund", "A", "B", "B − A", "P5", "P95", "IRR", "TVPI / DPI / RVPI", "SHA-256", "USD",
    "v", "#", "—", "…", "✓", "·", "%", "95% ≤", "· jointfund", "2026Q1", "(", ")", ";", ":", ",", ".",
    "TVPI", "DPI", "RVPI", "HTML", "PDF",
}  # fmt: skip
READ_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "label"}
_MARK = "\u2063"  # stands for an expression; an attribute name inside a tag, a break in text
_PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+(?:!r)?\}")


def ukrainian() -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) of every message in the Ukrainian catalogue."""
    with open(catalogue_path("uk"), encoding="utf-8") as po:
        catalogue = read_po(po)
    return [(m.id, m.string, m.fuzzy) for m in catalogue if m.id and isinstance(m.id, str)]


def extracted() -> set[str]:
    """Every msgid `pybabel extract -F babel.cfg -k Message src` (`make messages`) finds today."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = {**DEFAULT_KEYWORDS, "Message": None}
    found = extract_from_dir(str(ROOT / "src"), method_map, options_map, keywords=keywords)
    return {m[2] for m in found if isinstance(m[2], str)}


def test_every_message_has_a_ukrainian_translation_with_the_same_placeholders() -> None:
    messages = ukrainian()
    assert len(messages) > 200
    untranslated = [i for i, s, fuzzy in messages if not s.strip() or fuzzy]
    assert not untranslated, f"untranslated (or fuzzy) in jointfund.po: {untranslated}"
    mismatched = [
        i
        for i, s, _ in messages
        if sorted(_PLACEHOLDER.findall(i)) != sorted(_PLACEHOLDER.findall(s))
    ]
    assert not mismatched, f"placeholders differ between msgid and msgstr: {mismatched}"


def test_the_catalogue_holds_exactly_what_the_sources_mark() -> None:
    in_sources = extracted()
    in_catalogue = {i for i, _, _ in ukrainian()}
    missing = sorted(in_sources - in_catalogue)
    stale = sorted(in_catalogue - in_sources)
    assert not missing, (
        f"wrapped in the sources but not in jointfund.po (run make messages): {missing}"
    )
    assert not stale, f"in jointfund.po but no longer in the sources (run make messages): {stale}"


class _Text(HTMLParser):
    """The text and the read attributes of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "code", "pre"):
            self.skip += 1
        self.found += [v for k, v in attrs if k in READ_ATTRIBUTES and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "code", "pre") and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.found.append(data)


def unwrapped_text(source: str) -> list[str]:
    """Text in a template that people read but that no {% trans %} or _() wraps."""
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    raw: list[str] = []
    in_trans = False
    tokens = list(env.lex(source))
    for index, (_, kind, value) in enumerate(tokens):
        if (
            kind == "name"
            and value in ("trans", "endtrans")
            and index
            and tokens[index - 1][1]
            in (
                "block_begin",
                "whitespace",
            )
        ):
            in_trans = value == "trans"
        elif kind == "data" and not in_trans:
            raw.append(value)
        elif kind in ("variable_begin", "block_begin"):
            raw.append(f" {_MARK} ")  # an expression stands here: text on each side is separate
    parser = _Text()
    parser.feed("".join(raw))
    pieces = [p.strip() for text in parser.found for p in text.split(_MARK)]
    return [
        p
        for p in pieces
        if re.search(r"[A-Za-zА-Яа-яІіЇїЄєҐґ]", p) and p not in SAME_IN_EVERY_LANGUAGE
    ]


@pytest.mark.parametrize(
    "template",
    sorted(
        str(p.relative_to(ROOT))
        for folder in (TEMPLATES, REPORT_TEMPLATES)
        for p in folder.rglob("*.html")
    ),
)
def test_templates_show_no_text_outside_the_catalogue(template: str) -> None:
    """Pages and reports (statement, GAPP checklist) alike."""
    assert unwrapped_text((ROOT / template).read_text(encoding="utf-8")) == []


def test_the_lint_finds_an_unwrapped_word() -> None:
    source = (
        '<p>{{ _("Cash") }}</p><p>Ledger</p><input placeholder="name">{% trans %}Fine{% endtrans %}'
    )
    assert unwrapped_text(source) == ["Ledger", "name"]


def test_both_languages_are_offered() -> None:
    assert LANGUAGES == ("en", "uk")
