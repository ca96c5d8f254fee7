"""The auditor in Chromium, in both languages and at both sizes: traces an inflow entry to the
filings it sums and back, opens an account's history, the trial balance as of a day
(debits equal credits) and the balance sheet, and pages through a filtered journal; no
console error, failed request or overflowing table, no serious accessibility violation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .test_web_browser import new_page
from .test_web_http import signed_in
from .test_web_languages import (
    AUDITOR,
    AXE,
    AXE_RUN,
    BROWSER_LOCALE,
    SIZES,
    check_page,
    require_axe,
    sign_in_to_landing,
)
from .trace_site import build_trace_books
from .web_site import Server, Site, free_port, make_app

CHECK = {"en": "Debits equal credits", "uk": "Дебет дорівнює кредиту"}


@pytest.fixture(scope="module")
def traced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The fund whose inflow entries sum filings, served over real HTTP."""
    folder = tmp_path_factory.mktemp("trace-site")
    db, settings, tokens = build_trace_books(folder)
    port = free_port()
    with Server(make_app(settings), port):
        yield Site(f"http://127.0.0.1:{port}", db, settings, tokens)
    db.dispose()


def watched(browser: Any, site: Site, lang: str, size: str) -> Any:
    """A page that also records every failed request and any answer of 400 or more."""
    page = new_page(
        browser,
        site,
        viewport=SIZES[size],
        locale=BROWSER_LOCALE[lang],
        is_mobile=size == "phone",
        bypass_csp=True,  # axe runs as a script of the test's own
    )
    # A request the browser itself cancels (a favicon left behind by a navigation) is not a
    # failure of the site.
    page.on(
        "requestfailed",
        lambda r: (
            None
            if "ERR_ABORTED" in (r.failure or "")
            else page.errors.append(f"failed {r.url} {r.failure}")
        ),
    )
    page.on(
        "response", lambda r: page.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None
    )
    return page


def axe_clean(page: Any) -> list[str]:
    """Serious or critical accessibility violations on the page."""
    page.add_script_tag(path=str(AXE))
    return [f"{page.url}: {v}" for v in page.evaluate(AXE_RUN)]


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("lang", sorted(BROWSER_LOCALE))
def test_an_auditor_traces_an_entry_to_its_filings_and_back(
    browser: Any, traced: Site, artefacts: Path, lang: str, size: str
) -> None:
    require_axe()
    page = watched(browser, traced, lang, size)
    sign_in_to_landing(page, traced, AUDITOR)
    violations: list[str] = []

    def shot(name: str) -> None:
        check_page(page, lang, size)
        violations.extend(axe_clean(page))
        page.screenshot(path=str(artefacts / f"trace-{name}-{lang}-{size}.png"), full_page=True)

    # A filtered journal, a page at a time: every row of the filter, each page different.
    page.goto("/ledger?kind=inflow&limit=10")
    seen: list[str] = []
    while True:
        keys = page.eval_on_selector_all(
            "#journal tbody tr", "rows => rows.map(r => r.dataset.key)"
        )
        assert keys and all(k.startswith(("inflow:", "filing:")) for k in keys), keys
        seen += keys
        if len(seen) == 10:
            shot("journal")
        following = page.locator("#journal-pager a[rel=next]")
        if not following.count():
            break
        following.click()
        page.wait_for_load_state("load")
        assert "kind=inflow" in page.url and "limit=10" in page.url, "the filter stays in the URL"
    assert len(seen) == len(set(seen)) > 10, "pages neither repeat nor skip"
    total = int("".join(ch for ch in page.inner_text("#journal-count") if ch.isdigit()))
    assert total == len(seen), "the count shown is the rows the filter pages through"

    # The first inflow entry: its filings, each with the day received and the FX rate used.
    page.goto("/ledger?kind=inflow")
    page.click("#journal tbody tr:first-child td:first-child a")
    page.wait_for_selector("#filings-of-entry")
    entry_url, key = page.url, page.inner_text("#entry-key")
    count = page.locator("#filings-of-entry tbody tr").count()
    assert count > 0
    uah = page.locator("#filings-of-entry tbody tr", has_text="UAH").first
    assert "USD/UAH" in uah.inner_text(), "the FX rate used is shown"
    shot("entry")

    # To the filings page filtered by this entry, and back to the entry from a filing.
    page.click("#filings-of-entry tbody tr:first-child td:first-child a")
    page.wait_for_selector("#filings")
    assert page.locator("#filings tbody tr").count() == count
    assert page.input_value("input[name=entry]") == key, "the entry filter is in the URL"
    shot("filings")
    page.click("#filings tbody tr:first-child a.entry-link")
    page.wait_for_url(entry_url)
    assert page.inner_text("#entry-key") == key

    # The audit records of the day the entry was booked, each linking to what it touched.
    page.click("#entry-audit")
    page.wait_for_selector("#audit")
    assert page.locator("#audit tbody tr td a.same-target").count() > 0
    shot("audit")
    page.goto(entry_url)

    # An account named in the postings: its history with the running balance.
    page.click("#postings tbody tr:first-child th a")
    page.wait_for_selector("#account-history")
    assert page.locator("#account-history tbody tr").count() > 0
    shot("account")

    # The trial balance as of a day: debits equal credits per currency, and it says so.
    page.goto("/ledger/trial-balance?as_of=2026-09-30")
    assert page.get_attribute("#tb-check", "data-balanced") == "yes"
    assert CHECK[lang] in page.inner_text("#tb-check")
    totals = page.locator("#trial-balance tfoot tr")
    assert totals.count() >= 1
    for i in range(totals.count()):
        row = totals.nth(i)
        assert row.locator(".debits").inner_text() == row.locator(".credits").inner_text()
    shot("trial-balance")
    page.fill("#as-of-form input[name=as_of]", "2026-12-31")
    page.click("#as-of-form button")
    page.wait_for_url("**as_of=2026-12-31")
    assert page.get_attribute("#tb-check", "data-balanced") == "yes"

    page.goto("/ledger/balance-sheet?as_of=2026-12-31")
    checks = page.locator("#sheet-check li")
    assert checks.count() >= 1
    assert all(checks.nth(i).get_attribute("data-balanced") == "yes" for i in range(checks.count()))
    shot("balance-sheet")

    # The licence register searched by id prefix, counted; a licence leads to its filings.
    page.goto("/licences")
    page.fill("#licence-search input[name=q]", "UA-SP-2025")
    page.click("#licence-search button")
    page.wait_for_url("**/licences?q=UA-SP-2025")
    ids = page.eval_on_selector_all(
        "#licences tbody tr td:first-child", "c => c.map(x => x.innerText)"
    )
    assert ids and all(i.startswith("UA-SP-2025") for i in ids)
    assert str(len(ids)) in page.inner_text("#licences-count")
    shot("licences")

    assert violations == [], "\n".join(violations)
    assert page.errors == []
    page.context.close()


def test_the_trial_balance_page_holds_as_of_to_the_strict_day(traced: Site) -> None:
    with signed_in(traced, AUDITOR) as client:
        for loose in ("2026-9-30", "20260930", "9999-12-31x"):
            answer = client.get("/ledger/trial-balance", params={"as_of": loose, "format": "json"})
            assert answer.status_code == 422, loose
            assert answer.json()["error"]["problems"][0]["field"] == "as_of"
        good = client.get("/ledger/balance-sheet", params={"as_of": "2026-09-30", "format": "json"})
    assert good.status_code == 200 and good.json()["as_of"] == "2026-09-30"
    assert all(good.json()["balanced"].values())
