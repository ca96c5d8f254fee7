"""The term-sheet comparison reads in plain words, economic terms first, in both languages; the
raw keys stay one click away."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .test_web_browser import new_page, sign_in
from .test_web_http import signed_in
from .test_web_languages import BROWSER_LOCALE, SIZES, check_page
from .web_site import Site

DRAFT_VS_AGREEMENT = {"a": "ua-us-2025-02-21-draft", "b": "ua-us-2025-04-30-agreement"}


def rows_of(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["topic"]: r for g in data["plain"] for r in g["rows"]}


def test_the_economic_terms_come_first_in_plain_words(site: Site) -> None:
    with signed_in(site, "auditor") as client:
        data = client.get("/terms", params={**DRAFT_VS_AGREEMENT, "format": "json"}).json()
    groups = [g["group"] for g in data["plain"]]
    assert groups == ["Economic terms", "Governance", "The text"]
    first = data["plain"][0]["rows"][0]
    assert first["topic"] == "Fund's share of receipts"
    rows = rows_of(data)
    assert rows["Taken from"]["a"] == "net of costs" or "net" in rows["Taken from"]["a"]
    assert rows["Taken from"]["b"] == "gross"
    assert rows["Licences counted"] == {
        "topic": "Licences counted",
        "a": "every licence, old and new",
        "b": "new licences only",
        "differs": True,
    }
    assert rows["Contribution threshold"]["a"].startswith("UA pays in until $500.0 bn")
    assert rows["Contribution threshold"]["b"] == "none"
    assert rows["Reinvestment lock"]["b"].startswith("10 years")
    assert not any("http" in r["a"] + r["b"] for r in rows.values()), "no source URLs"


def test_only_differences_leaves_out_the_terms_that_agree(site: Site) -> None:
    with signed_in(site, "auditor") as client:
        data = client.get(
            "/terms", params={**DRAFT_VS_AGREEMENT, "only": "1", "format": "json"}
        ).json()
    rows = rows_of(data)
    assert rows and all(r["differs"] for r in rows.values())
    assert "Contribution threshold" in rows
    assert "Fund's share of receipts" in rows


def test_the_plain_terms_read_in_ukrainian(site: Site) -> None:
    with signed_in(site, "auditor") as client:
        data = client.get(
            "/terms",
            params={**DRAFT_VS_AGREEMENT, "format": "json"},
            headers={"Accept-Language": "uk"},
        ).json()
    assert data["plain"][0]["group"] == "Економічні умови"
    rows = rows_of(data)
    assert rows["Які ліцензії враховуються"]["b"] == "лише нові ліцензії"


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("lang", sorted(BROWSER_LOCALE))
def test_the_term_sheet_comparison_fits_and_reads_in_each_language(
    browser: Any, site: Site, artefacts: Path, lang: str, size: str
) -> None:
    page = new_page(browser, site, viewport=SIZES[size], locale=BROWSER_LOCALE[lang])
    target = "/terms?a=ua-us-2025-02-21-draft&b=ua-us-2025-04-30-agreement"
    sign_in(page, site, "auditor", "/terms")
    page.goto(target)
    check_page(page, lang, size)
    first = page.locator("#terms-plain tbody tr.group th").first.inner_text()
    assert first.lower() == ("економічні умови" if lang == "uk" else "economic terms")
    assert not page.is_visible("#terms"), "the raw keys are folded away"
    page.screenshot(path=str(artefacts / f"terms-{lang}-{size}.png"), full_page=True)
    page.click("#every-key summary")
    assert page.is_visible("#terms")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.errors == []
    page.context.close()
