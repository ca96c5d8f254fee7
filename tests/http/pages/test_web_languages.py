"""Every role in both languages and at both sizes, in Chromium: it lands where its work is,
its menu offers only pages it may open, and the page has no console error, no horizontal
overflow and, in Ukrainian, no English text from the catalogue."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

from jointfund.i18n import catalogue_path

from .test_web_browser import new_page
from .web_site import ADMIN, UA_MANAGER, US_MANAGER, Site

FILER = "velta-filings"
AUDITOR = "auditor"
SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
BROWSER_LOCALE = {"en": "en-US", "uk": "uk-UA"}
# Where each role's work is: its landing after sign-in.
LANDINGS = {
    ADMIN: "/",
    US_MANAGER: "/proposals?status=open",
    UA_MANAGER: "/proposals?status=open",
    AUDITOR: "/ledger/verify",
    FILER: "/filings",
}
# The visible text of a page, one string per text node, leaving out code and data people
# type or name (ids, keys, hashes, user names).
TEXT_NODES = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    // Text marked lang="en" is quoted as written (a term sheet's own words), not interface.
    if (!parent || parent.closest("code, pre, script, style, .who, option, [lang=en]")) continue;
    const text = node.textContent.trim();
    if (text && parent.offsetParent !== null) found.push(text);
  }
  for (const el of document.querySelectorAll("[aria-label], [title], [placeholder]")) {
    for (const name of ["aria-label", "title", "placeholder"]) {
      const value = el.getAttribute(name);
      if (value) found.push(value.trim());
    }
  }
  return found;
}"""
# Tables whose content is wider than the box that holds them (the box scrolls).
OVERFLOWING_TABLES = """() => Array.from(document.querySelectorAll("table")).filter(
  (t) => t.offsetParent !== null && t.scrollWidth > t.parentElement.clientWidth + 1
).map((t) => t.id || t.className || "table")"""


def english_msgids() -> set[str]:
    """English messages of the catalogue that read differently in Ukrainian, without
    placeholders (a text node equal to one of them is English left on a Ukrainian page)."""
    with open(catalogue_path("uk"), encoding="utf-8") as po:
        catalogue = read_po(po)
    return {
        m.id
        for m in catalogue
        if isinstance(m.id, str)
        and m.id
        and m.id != m.string
        and "%(" not in m.id
        and "{" not in m.id
    }


ENGLISH = english_msgids()


def sign_in_to_landing(page: Any, site: Site, name: str) -> str:
    """Sign in from the sign-in form with no destination; the path and query landed on."""
    page.goto("/signin")
    page.fill("input[name=name]", name)
    page.fill("input[name=token]", site.tokens[name])
    page.click("#signin-form button[type=submit]")
    page.wait_for_load_state("load")
    page.wait_for_selector(".who", state="attached")
    url = page.url.removeprefix(site.url)
    return url


def check_page(page: Any, lang: str, size: str) -> None:
    """The page speaks `lang`, shows no catalogue English in Ukrainian, does not overflow the
    window, and (at desktop size) no table is wider than its box."""
    assert page.get_attribute("html", "lang") == lang
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url
    if size == "desktop":
        assert page.evaluate(OVERFLOWING_TABLES) == [], page.url
    if lang == "uk":
        left = sorted({t for t in page.evaluate(TEXT_NODES) if t in ENGLISH})
        assert left == [], f"English on the Ukrainian page {page.url}: {left}"


def menu_links(page: Any) -> list[str]:
    """The pages the header's menu offers."""
    hrefs = page.eval_on_selector_all(
        "header nav a[href^='/']", "els => els.map(e => e.getAttribute('href'))"
    )
    return [h for h in hrefs if not h.startswith("/language/")]


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("lang", sorted(BROWSER_LOCALE))
def test_each_role_lands_on_its_work_and_every_menu_link_opens(
    browser: Any, site: Site, artefacts: Path, lang: str, size: str
) -> None:
    for who, landing in LANDINGS.items():
        page = new_page(browser, site, viewport=SIZES[size], locale=BROWSER_LOCALE[lang])
        assert sign_in_to_landing(page, site, who) == landing, who
        check_page(page, lang, size)
        page.screenshot(path=str(artefacts / f"landing-{who}-{lang}-{size}.png"), full_page=True)
        links = menu_links(page)
        assert "/transparency" in links
        for href in links:
            answer = page.request.get(href)
            assert answer.status == 200, f"{who}: menu link {href} answers {answer.status}"
        for href in links:
            if href == "/transparency" or href == landing:
                continue
            page.goto(href)
            check_page(page, lang, size)
        assert page.errors == [], f"{who}: {page.errors}"
        page.context.close()


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("lang", sorted(BROWSER_LOCALE))
def test_the_public_lands_on_the_transparency_page_in_its_language(
    browser: Any, site: Site, artefacts: Path, lang: str, size: str
) -> None:
    page = new_page(browser, site, viewport=SIZES[size], locale=BROWSER_LOCALE[lang])
    page.goto("/signin")
    page.click("a.brand")
    page.wait_for_url("**/transparency")
    check_page(page, lang, size)
    assert sorted(menu_links(page)) == ["/signin", "/transparency"]
    page.screenshot(path=str(artefacts / f"public-{lang}-{size}.png"), full_page=True)
    assert page.errors == []
    page.context.close()


def test_the_language_link_switches_and_is_remembered(browser: Any, site: Site) -> None:
    page = new_page(browser, site, locale="en-US")
    page.goto("/transparency?year=")
    assert page.inner_text("h1") == "Public transparency report"
    page.click("header a[hreflang=uk]")
    page.wait_for_url("**/transparency?year=")
    assert page.inner_text("h1") == "Публічний звіт про прозорість"
    page.goto("/signin")
    assert page.get_attribute("html", "lang") == "uk", "the choice outlives the page"
    page.click("header a[hreflang=en]")
    page.wait_for_url("**/signin")
    assert page.inner_text("h1") == "Sign in"
    assert page.errors == []
    page.context.close()


def test_a_reporting_entity_files_a_month_in_ukrainian_on_a_phone_and_sees_its_filings(
    browser: Any, site: Site, artefacts: Path, tmp_path: Path
) -> None:
    page = new_page(browser, site, viewport=SIZES["phone"], locale="uk-UA", is_mobile=True)
    assert sign_in_to_landing(page, site, FILER) == "/filings"
    assert "Ви увійшли як velta-filings" in page.inner_text(".flash")
    template = page.request.get("/filings/template.csv")
    header = template.text().splitlines()[0]
    upload = tmp_path / "velta-2026-10.csv"
    upload.write_text(
        f"{header}\nUA-SP-2025-0711,2026-10,royalty,123456.78,UAH,VELTA-UK-1,1,0.00,2026-11-15\n",
        encoding="utf-8",
    )
    page.set_input_files("#upload-form input[type=file]", str(upload))
    page.click("#upload-form button")
    page.wait_for_selector(".flash")
    assert "проведено 1" in page.inner_text(".flash")
    digest = hashlib.sha256(upload.read_bytes()).hexdigest()
    assert f"Квитанція: SHA-256 {digest}" in page.inner_text(".flash"), "a receipt for the upload"
    rows = page.inner_text("#filings")
    assert "VELTA-UK-1" in rows
    assert "123\xa0456,78" in rows, "amounts in the Ukrainian way"
    licences = {
        page.inner_text(f"#filings tbody tr:nth-child({i + 1}) td:nth-child(2)")
        for i in range(page.locator("#filings tbody tr").count())
    }
    assert licences <= {"UA-SP-2015-0777", "UA-SP-2025-0711"}, "its own filings only"
    check_page(page, "uk", "phone")
    page.screenshot(path=str(artefacts / "filer-upload-uk-phone.png"), full_page=True)
    page.goto("/licences")
    shown = page.locator("#licences tbody tr")
    assert shown.count() == 2
    assert "UA-SP-2025-0711" in page.inner_text("#licences")
    check_page(page, "uk", "phone")
    assert page.errors == []
    page.context.close()


AXE = Path(__file__).resolve().parents[3] / "node_modules/axe-core/axe.min.js"
AXE_RUN = """async () => {
  const found = await axe.run(document, {resultTypes: ["violations"]});
  return found.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}"""


def require_axe() -> None:
    """Skip without axe-core (`make setup` installs it with npm), unless CI requires it."""
    if AXE.is_file():
        return
    reason = f"accessibility test skipped: no {AXE} (make setup installs it with npm)"
    if os.environ.get("JOINTFUND_REQUIRE_BROWSER") == "1":
        pytest.fail(reason.replace("skipped", "required"))
    pytest.skip(reason)


@pytest.mark.parametrize("lang", sorted(BROWSER_LOCALE))
def test_every_page_of_every_role_has_no_serious_accessibility_violation(
    browser: Any, site: Site, lang: str
) -> None:
    require_axe()
    assert site.proposal is not None
    found: list[str] = []
    seen: set[str] = set()  # each page once, as the first role that may open it sees it
    for who in [*LANDINGS, None]:
        # axe runs as a script of the test's own; the pages' CSP admits only their own scripts
        page = new_page(
            browser, site, viewport=SIZES["desktop"], locale=BROWSER_LOCALE[lang], bypass_csp=True
        )
        if who is None:
            page.goto("/transparency")
        else:
            sign_in_to_landing(page, site, who)
        extra = ["/ledger/entries/1", f"/proposals/{site.proposal.id}"] if who == ADMIN else []
        for href in [page.url.removeprefix(site.url), *menu_links(page), *extra]:
            if href in seen:
                continue
            seen.add(href)
            page.goto(href)
            page.add_script_tag(path=str(AXE))
            found += [f"{who} {href}: {v}" for v in page.evaluate(AXE_RUN)]
        page.context.close()
    assert found == [], "\n".join(found)


# Pages reached from the overview rather than the menu, with a day that has every status.
LINKED_PAGES = ["/", "/calendar?as_of=2026-12-01", "/contributions/transfers", "/audit"]


@pytest.mark.parametrize("size", sorted(SIZES))
def test_the_calendar_transfers_audit_and_forecast_pages_read_in_ukrainian(
    browser: Any, site: Site, artefacts: Path, size: str
) -> None:
    page = new_page(browser, site, viewport=SIZES[size], locale="uk-UA")
    sign_in_to_landing(page, site, ADMIN)
    for href in LINKED_PAGES:
        page.goto(href)
        check_page(page, "uk", size)
        name = href.strip("/").split("?")[0].replace("/", "-") or "overview"
        page.screenshot(path=str(artefacts / f"uk-{name}-{size}.png"), full_page=True)
    page.goto("/calendar?as_of=2026-12-01")
    late = page.inner_text("#rent tr[data-kind='rent_payment'][data-status='met late']")
    assert "виконано із запізненням" in late and "Податкового кодексу" in late
    assert "Агенція ДПП" in page.inner_text("#calendar")
    page.goto("/contributions/transfers")
    assert "Частка UA накопичується в спеціальному фонді" in page.inner_text("p.lead")
    page.context.close()
    page = new_page(browser, site, viewport=SIZES[size], locale="uk-UA")
    sign_in_to_landing(page, site, AUDITOR)
    page.goto("/forecast")
    page.select_option("#forecast-form select[name=scenario]", "base")
    page.fill("#forecast-form input[name=paths]", "400")
    page.fill("#forecast-form input[name=years]", "25")
    page.click("#forecast-form button[type=submit]")
    page.wait_for_url("**/forecast/runs/**")
    page.wait_for_selector("[data-figure='figure-survival'][data-drawn=true]", timeout=60_000)
    check_page(page, "uk", size)
    assert page.inner_text("#run-caveat").startswith("За умови припущень сценарію «base»")
    assert page.inner_text("#run-parameters") == (
        "Параметри цін однакові на всіх траєкторіях; власна похибка оцінок до віяла не входить."
    )
    titles = page.eval_on_selector_all(".gtitle", "els => els.map(e => e.textContent)")
    assert titles and all("за умови припущень сценарію base" in t for t in titles), titles
    page.screenshot(path=str(artefacts / f"uk-forecast-run-{size}.png"), full_page=True)
    assert page.errors == []
    page.context.close()
