"""The board and the public in Chromium, in both languages and at both sizes: a manager sees
what awaits them, each side approves through a confirmation step, the executed investment
names its next step and the disbursement is recorded on a page; the public reads company and
project tables with the fund's share on a phone and downloads every file."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from jointfund.fund import committees, investments, proposals, users
from jointfund.i18n import language, localise_numbers
from jointfund.i18n.vocabulary import term
from jointfund.reports.eiti_workbook import ABOUT, PAYMENTS
from jointfund.reports.eiti_workbook_reader import read_eiti_workbook

from .test_web_browser import new_page
from .test_web_languages import (
    AXE,
    AXE_RUN,
    BROWSER_LOCALE,
    OVERFLOWING_TABLES,
    SIZES,
    check_page,
    require_axe,
    sign_in_to_landing,
)
from .web_site import ADMIN, UA_MANAGER, US_MANAGER, M, Site

SIGN_OUT = ".signout button"


def _failed(page: Any, request: Any) -> None:
    # A request the browser itself cancels (a favicon left behind by a navigation, a link
    # turned download) is not a failure of the site.
    if "ERR_ABORTED" not in (request.failure or ""):
        page.errors.append(f"failed {request.url} {request.failure}")


def watched(page: Any) -> Any:
    """Also fail on any failed request and any answer of 400 or more (404s are counted by
    `new_page` already)."""
    page.on("requestfailed", lambda r: _failed(page, r))
    page.on(
        "response",
        lambda a: page.errors.append(f"{a.status} {a.url}") if 400 <= a.status != 404 else None,
    )
    return page


def sign_out(page: Any) -> None:
    """Press sign-out (on a phone, from the folded menu)."""
    if not page.is_visible(SIGN_OUT):
        page.click("label.nav-button")
    page.click(SIGN_OUT)
    page.wait_for_url("**/signin")


def accessible(page: Any, found: list[str]) -> None:
    """Run axe-core in the page; collect serious and critical violations."""
    page.add_script_tag(path=str(AXE))
    found += [f"{page.url}: {v}" for v in page.evaluate(AXE_RUN)]


def said(lang: str, text: str) -> str:
    """Numbers in `text` as the page writes them in `lang`."""
    with language(lang):
        return localise_numbers(text)


def propose_investment(site: Site, slug: str, millions: int) -> int:
    """An investment proposal made by the administrator (its setup, not what is tested)."""
    admin = users.authenticate(site.db, site.tokens[ADMIN])
    payload = {
        "investment_id": slug,
        "name": f"Test works {slug}",
        "amount": f"{millions * M // 100}.00",
        "currency": "USD",
        "on": "2026-10-01",
    }
    proposal = proposals.propose(site.db, admin, "investment", payload)
    # The Investment Committee recommends it first (its own browser test is in test_web_browser).
    for member in (US_MANAGER, UA_MANAGER):
        actor = users.authenticate(site.db, site.tokens[member])
        committees.recommend(site.db, actor, proposal.id, payload_hash=proposal.payload_hash)
    return proposal.id


def approve_on_page(page: Any, number: int, lang: str, size: str, shots: Path) -> None:
    """From the list (where it awaits the viewer) to the proposal, then confirm the approval."""
    row = page.locator(f"#proposals tr[data-id='{number}']")
    assert row.locator(".awaits-you").count() == 1, "the list says it awaits this manager"
    page.click(f"#proposals tr[data-id='{number}'] td.decision a")
    page.wait_for_selector("#approve-link")
    check_page(page, lang, size)
    page.click("#approve-link")
    page.wait_for_selector("#approve-form")
    check_page(page, lang, size)
    assert page.locator("#approve-form input[name=payload_hash]").count() == 1
    page.screenshot(path=str(shots / f"{lang}-proposal-confirm-{size}.png"), full_page=True)
    page.click("#approve-form button[type=submit]")
    page.wait_for_selector(".flash")


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("lang", sorted(BROWSER_LOCALE))
def test_managers_approve_from_both_sides_and_the_administrator_records_the_disbursement(
    browser: Any, site: Site, artefacts: Path, lang: str, size: str
) -> None:
    require_axe()
    slug = f"board-{lang}-{size}"
    number = propose_investment(site, slug, millions=4)
    found: list[str] = []
    options = {"viewport": SIZES[size], "locale": BROWSER_LOCALE[lang], "bypass_csp": True}
    page = watched(new_page(browser, site, **options))

    assert sign_in_to_landing(page, site, US_MANAGER) == "/proposals?status=open"
    assert page.locator("#awaiting-you").count() == 1
    row = page.locator(f"#proposals tr[data-id='{number}']")
    assert f"Test works {slug}" in row.inner_text()
    assert row.locator("td.amount").inner_text() == said(lang, "4,000,000.00 USD")
    check_page(page, lang, size)
    assert page.evaluate(OVERFLOWING_TABLES) == [], "the list fits its box at both sizes"
    accessible(page, found)
    page.screenshot(path=str(artefacts / f"{lang}-proposals-{size}.png"), full_page=True)
    approve_on_page(page, number, lang, size, artefacts)
    with language(lang):
        assert page.inner_text("#proposal-status") == term("open")
    assert page.locator("[data-partner=US].done").count() == 1
    assert page.locator("[data-partner=UA].waiting").count() == 1
    assert US_MANAGER in page.inner_text("[data-partner=US] .approvals")
    assert page.locator("#approve-link").count() == 0, "no second vote from the same manager"
    sign_out(page)

    sign_in_to_landing(page, site, UA_MANAGER)
    approve_on_page(page, number, lang, size, artefacts)
    with language(lang):
        assert page.inner_text("#proposal-status") == term("executed")
    assert page.locator("[data-partner] p:not(.acting)").count() == 0, "it waits for nobody"
    assert page.locator(".seat-card.waiting").count() == 0
    assert slug in page.inner_text("#next-step")
    assert page.locator("#next-step a").count() == 0, "the administrator records it"
    check_page(page, lang, size)
    accessible(page, found)
    page.screenshot(path=str(artefacts / f"{lang}-proposal-executed-{size}.png"), full_page=True)
    page.goto("/proposals?status=executed")
    executed = page.locator(f"#proposals tr[data-id='{number}']")
    assert executed.locator(".next-step").count() == 1
    assert executed.locator(".seat.waiting").count() == 0
    sign_out(page)

    sign_in_to_landing(page, site, ADMIN)
    page.goto(f"/proposals/{number}")
    page.click("#next-step a")
    page.wait_for_selector("#disburse-form")
    check_page(page, lang, size)
    accessible(page, found)
    page.fill("#disburse-form input[name=amount]", "1500000.00")
    page.fill("#disburse-form input[name=on]", "2026-10-15")
    page.fill("#disburse-form input[name=reference]", f"WIRE-{slug}")
    page.click("#disburse-form button[type=submit]")
    page.wait_for_selector("#confirm-form")
    assert said(lang, "1,500,000.00 USD") in page.inner_text("#disbursement-words")
    assert f"WIRE-{slug}" in page.inner_text("#disbursement-words")
    check_page(page, lang, size)
    accessible(page, found)
    page.screenshot(path=str(artefacts / f"{lang}-disburse-confirm-{size}.png"), full_page=True)
    page.click("#confirm-form button[type=submit]")
    page.wait_for_selector(".flash")
    assert said(lang, "1,500,000.00 USD") in page.inner_text(".flash")
    assert page.inner_text("#disbursed") == said(lang, "1,500,000.00 USD")
    assert page.inner_text("#undrawn") == said(lang, "2,500,000.00 USD")
    admin = users.authenticate(site.db, site.tokens[ADMIN])
    held = investments.position(site.db, admin, slug)
    assert (held.cost, held.undrawn) == (150_000_000, 250_000_000)
    page.screenshot(path=str(artefacts / f"{lang}-disburse-{size}.png"), full_page=True)
    assert page.errors == []
    assert found == [], "\n".join(found)
    page.context.close()


@pytest.mark.parametrize("lang", sorted(BROWSER_LOCALE))
def test_a_rejection_needs_a_reason_and_says_who_rejected_it(
    browser: Any, site: Site, lang: str
) -> None:
    number = propose_investment(site, f"reject-{lang}", millions=2)
    page = watched(new_page(browser, site, locale=BROWSER_LOCALE[lang]))
    sign_in_to_landing(page, site, UA_MANAGER)
    page.goto(f"/proposals/{number}")
    page.click("#reject-link")
    page.wait_for_selector("#reject-form")
    assert page.get_attribute("#reject-form textarea[name=reason]", "required") is not None
    page.click("#reject-form button[type=submit]")  # the browser holds an empty reason back
    assert page.url.endswith(f"/proposals/{number}/reject")
    page.fill("#reject-form textarea[name=reason]", "   x")  # long enough for the browser
    with page.expect_response(lambda a: a.request.method == "POST") as answered:
        page.click("#reject-form button[type=submit]")
    assert answered.value.status == 422
    page.wait_for_load_state("load")
    said = "a rejection says why" if lang == "en" else "відхилення має містити причину"
    assert said in page.inner_text("main"), "the fund names the reason, in the reader's language"
    assert page.locator("#reject-form").count() == 0
    assert page.errors and all("422" in e for e in page.errors), "only the refusal itself"
    page.errors.clear()
    page.goto(f"/proposals/{number}")
    with language(lang):
        assert page.inner_text("#proposal-status") == term("open")
    page.click("#reject-link")
    page.fill("#reject-form textarea[name=reason]", "The price is too high.")
    page.click("#reject-form button[type=submit]")
    page.wait_for_selector(".flash")
    with language(lang):
        assert page.inner_text("#proposal-status") == term("rejected")
    assert UA_MANAGER in page.inner_text("#rejected-by")
    assert "The price is too high." in page.inner_text("#rejected-by")
    assert page.locator("#approve-link, #reject-link").count() == 0
    assert page.errors == []
    page.context.close()


FUND_SHARE_VISIBLE = """() => Array.from(document.querySelectorAll("table.numbers")).filter(
  (t) => t.offsetParent !== null
).map((t) => {
  const cells = Array.from(t.querySelectorAll("thead th")).filter((c) => c.offsetParent !== null);
  const last = cells[cells.length - 1].getBoundingClientRect();
  return [t.id, last.right <= window.innerWidth && last.width > 0];
}).filter(([, seen]) => !seen).map(([id]) => id)"""


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("lang", sorted(BROWSER_LOCALE))
def test_the_public_reads_company_and_project_tables_and_downloads_every_file(
    browser: Any, site: Site, artefacts: Path, lang: str, size: str
) -> None:
    require_axe()
    options = {"viewport": SIZES[size], "locale": BROWSER_LOCALE[lang], "bypass_csp": True}
    page = watched(new_page(browser, site, accept_downloads=True, **options))
    page.goto("/transparency")
    check_page(page, lang, size)
    assert page.evaluate(OVERFLOWING_TABLES) == [], "no table is wider than its box"
    assert page.evaluate(FUND_SHARE_VISIBLE) == [], "the fund's share column is on screen"
    assert page.locator("#by-company tbody tr").count() >= 2
    assert page.locator("#by-project tbody tr").count() >= 2
    assert page.locator("#year-chart .bar-row").count() >= 1
    assert page.inner_text("#as-of").strip() != ""
    assert page.locator("#method p").count() >= 2
    found: list[str] = []
    accessible(page, found)
    assert found == [], "\n".join(found)
    page.screenshot(path=str(artefacts / f"{lang}-transparency-{size}.png"), full_page=True)
    data = page.evaluate("fetch('/transparency?format=json').then((r) => r.json())")

    files: dict[str, bytes] = {}
    for link in ("csv", "xlsx", "json", "eiti"):
        with page.expect_download() as started:
            page.click(f"#download-{link}")
        saved = Path(started.value.path())
        files[link] = saved.read_bytes()
    payments = list(csv.DictReader(io.StringIO(files["csv"].decode("utf-8"))))
    assert payments and {"company", "project", "fund_share_usd"} <= set(payments[0])
    summary = json.loads(files["json"])
    assert len(summary["rows"]) == len(payments)
    shown = sum(c["payments"] for c in data["companies"])
    assert shown == len(payments), "the company table counts every payment downloaded"
    book = load_workbook(io.BytesIO(files["xlsx"]), read_only=True)
    assert book.sheetnames[0] == "payments"
    eiti = tmp_book(artefacts, f"eiti-{lang}-{size}.xlsx", files["eiti"])
    opened = load_workbook(eiti)
    assert ABOUT in opened.sheetnames and PAYMENTS in opened.sheetnames
    read_back = read_eiti_workbook(eiti)
    assert read_back.about.reporting_currency == "UAH"
    assert read_back.payments and read_back.companies
    assert page.errors == []
    page.context.close()


def tmp_book(folder: Path, name: str, content: bytes) -> Path:
    """The downloaded workbook as a file of its own (openpyxl and the reader open paths)."""
    path = folder / name
    path.write_bytes(content)
    return path
