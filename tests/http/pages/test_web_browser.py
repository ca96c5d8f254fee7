"""The pages in a real browser (headless Chromium): the board approving from both sides, a bad
filings upload, the forecast's charts, the phone layout and the public page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jointfund.store.books import Books

from .web_site import ADMIN, UA_MANAGER, US_MANAGER, Site

BAD_FILINGS = (
    "licence_id,period,stream,gross_amount,currency,payer_reference,version,costs,received_on\n"
    "UA-SP-2012-0907,2026-01,royalty,1000.00,UAH,WEB-OK-1,1,0.00,2026-02-15\n"
    "UA-SP-2012-0907,2026-13,royalty,1000.00,UAH,WEB-BAD-1,1,0.00,2026-02-15\n"
    "UA-SP-2012-0907,2026-01,royalty,12x.00,UAH,WEB-BAD-2,1,0.00,2026-02-15\n"
)
UNKNOWN_LICENCE = (
    "licence_id,period,stream,gross_amount,currency,payer_reference,version,costs,received_on\n"
    "UA-NO-SUCH-LICENCE,2026-01,royalty,1000.00,UAH,WEB-BAD-3,1,0.00,2026-02-15\n"
)


def new_page(browser: Any, site: Site, **options: Any) -> Any:
    """A fresh browser context (no cookies) and a page in it that fails on page errors."""
    context = browser.new_context(base_url=site.url, **options)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error" else None)
    page.on(
        "response",
        lambda answer: (
            page.errors.append(f"{answer.status} {answer.url}") if answer.status == 404 else None
        ),
    )
    return page


def sign_in(page: Any, site: Site, name: str, target: str = "/") -> None:
    """Fill the sign-in form as `name` and land on `target`."""
    page.goto(f"/signin?next={target}")
    page.fill("input[name=name]", name)
    page.fill("input[name=token]", site.tokens[name])
    page.click("#signin-form button[type=submit]")
    page.wait_for_url(f"**{target}")
    assert name in (page.locator(".who").text_content() or "")


def sign_out(page: Any) -> None:
    """Press the sign-out button."""
    page.click(".signout button")
    page.wait_for_url("**/signin")


def test_a_manager_of_each_partner_approves_and_the_entry_is_booked(
    browser: Any, site: Site
) -> None:
    assert site.proposal is not None
    number = site.proposal.id
    page = new_page(browser, site)
    # An in-kind valuation goes to the Audit Committee first: the board cannot approve yet.
    sign_in(page, site, US_MANAGER, f"/proposals/{number}")
    assert page.inner_text("#proposal-status") == "open"
    page.click("#approve-link")
    page.wait_for_selector("#approve-form")
    page.click("#approve-form button")
    page.wait_for_selector(".flash")
    assert "awaits more approvals" in page.inner_text(".flash")
    assert "approved" in page.inner_text("[data-partner=US] h3")
    assert "waiting" in page.inner_text("[data-partner=UA] h3")
    assert page.locator("#approve-link").count() == 0, "no second vote from the same manager"
    sign_out(page)

    sign_in(page, site, UA_MANAGER, f"/proposals/{number}")
    page.click("#approve-link")
    page.wait_for_selector("#approve-form")
    page.click("#approve-form button")
    page.wait_for_selector(".flash")
    assert "executed" in page.inner_text(".flash")
    assert page.inner_text("#proposal-status") == "executed"
    page.click("#entry-link")
    page.wait_for_selector("#entry-key")
    assert page.inner_text("#entry-key") == f"proposal:{number}"
    assert "Equity:Capital:US:Contributions" in page.inner_text("#postings")
    assert "-20,000,000.00" in page.inner_text("#postings")
    assert len(page.inner_text("#entry-hash")) == 64

    page.goto("/ledger")
    page.select_option("#ledger-filters select[name=kind]", "contribution")
    page.click("#ledger-filters button")
    page.wait_for_url("**kind=contribution**")
    row = page.locator(f"#journal tr[data-key='proposal:{number}']")
    assert row.count() == 1
    assert "20,000,000.00 USD" in row.inner_text()
    page.click("#verify-form button")
    assert "The books verify." in page.inner_text("#verify-result")

    # The in-kind page shows the chain that led here, and the example's pending report.
    page.goto("/contributions/in-kind")
    booked = page.locator(".in-kind-chain", has_text="MoD-2025-001")
    assert booked.get_attribute("data-needed") == "nothing"
    assert "Cost reported by Ministry of Defence of Ukraine" in booked.inner_text()
    assert "assessed value 20,000,000.00 USD" in booked.inner_text()
    assert "Recommended by the Audit Committee" in booked.inner_text()
    assert "Booked: 20,000,000.00 USD" in booked.inner_text()
    pending = page.locator(".in-kind-chain", has_text="ILLUSTRATIVE-MOD-USAI-FY2026")
    assert pending.get_attribute("data-needed") == "not_booked"
    assert "illustrative, never booked" in pending.inner_text()
    assert "Valuation: not yet" in pending.inner_text()
    assert page.errors == []
    page.context.close()


def test_the_investment_committee_recommends_from_both_sides_before_the_board(
    browser: Any, site: Site
) -> None:
    """The demo's investment proposal waits for the Investment Committee: one partner's member
    alone is not enough, and only once both recommend may the board approve."""
    page = new_page(browser, site)
    sign_in(page, site, US_MANAGER, "/proposals")
    page.goto("/proposals/1")
    assert page.get_attribute("#committee-step", "data-committee") == "investment"
    assert page.get_attribute("#committee-step", "data-recommended") == "no"
    assert page.locator("#approve-link").count() == 0, "the board waits for the committee"
    page.click("#recommend-form button")
    page.wait_for_selector(".flash")
    assert page.get_attribute("#committee-step", "data-recommended") == "no"
    assert page.locator("#recommend-form").count() == 0, "no second recommendation"
    assert page.locator("#approve-link").count() == 0
    assert "acting through DFC Ukraine Subsoil LLC" in page.inner_text("[data-partner=US]")
    sign_out(page)
    sign_in(page, site, UA_MANAGER, "/proposals")
    page.goto("/proposals/1")
    page.click("#recommend-form button")
    page.wait_for_selector(".flash")
    assert page.get_attribute("#committee-step", "data-recommended") == "yes"
    assert page.locator("#approve-link").count() == 1, "now the board may approve"


def test_a_bad_filings_upload_shows_each_row_error_and_books_nothing(
    browser: Any, site: Site, tmp_path: Path
) -> None:
    before = len(Books(site.db).journal(limit=100_000))
    upload = tmp_path / "march-filings.csv"
    upload.write_text(BAD_FILINGS, encoding="utf-8")
    page = new_page(browser, site)
    sign_in(page, site, ADMIN, "/filings")
    page.set_input_files("#upload-form input[type=file]", str(upload))
    page.click("#upload-form button")
    page.wait_for_selector("#upload-errors")
    assert "march-filings.csv" in page.inner_text("#upload-errors h2")
    assert "nothing was booked" in page.inner_text("#upload-errors h2")
    lines = page.locator("#upload-errors tr.bad-row")
    assert [lines.nth(i).get_attribute("data-line") for i in range(lines.count())] == ["3", "4"]
    assert "period" in page.inner_text("tr.bad-row[data-line='3'] .row-problems")
    assert "gross_amount" in page.inner_text("tr.bad-row[data-line='4'] .row-problems")
    assert page.inner_text("tr.bad-row[data-line='3'] td.bad-cell") == "2026-13"
    assert page.inner_text("tr.bad-row[data-line='4'] td.bad-cell") == "12x.00"
    assert page.locator("tr.bad-row[data-line='2']").count() == 0

    upload.write_text(UNKNOWN_LICENCE, encoding="utf-8")
    page.set_input_files("#upload-form input[type=file]", str(upload))
    page.click("#upload-form button")
    page.wait_for_selector("tr.bad-row[data-line='2']")
    assert "unknown licence" in page.inner_text("tr.bad-row[data-line='2'] .row-problems")
    assert len(Books(site.db).journal(limit=100_000)) == before
    page.context.close()


def test_the_forecast_runs_and_draws_its_charts(browser: Any, site: Site, artefacts: Path) -> None:
    page = new_page(browser, site, viewport={"width": 1280, "height": 900})
    sign_in(page, site, "auditor", "/forecast")
    page.select_option("#forecast-form select[name=scenario]", "base")
    page.fill("#forecast-form input[name=paths]", "400")
    page.fill("#forecast-form input[name=years]", "25")
    page.click("#forecast-form button[type=submit]")
    page.wait_for_url("**/forecast/runs/**")
    page.wait_for_selector("[data-figure='figure-survival'][data-drawn=true]", timeout=60_000)
    for name in ("fan", "nav", "p_target", "survival"):
        chart = page.locator(f"#chart-{name} svg.main-svg")
        assert chart.count() >= 1, name
    assert page.locator("#chart-fan .scatterlayer .trace").count() == 5, "two bands and a median"
    assert page.locator("#chart-p_target .scatterlayer .trace").count() >= 1
    labels = page.locator("#chart-p_target .annotation").all_text_contents()
    assert len(labels) == 6, f"each of the six comparison lines labelled: {labels}"
    ticks = page.locator("#chart-p_target .ytick text").all_text_contents()
    assert any("−" in t for t in ticks), f"probabilities on a log axis (10⁻ⁿ ticks): {ticks}"
    shot = artefacts / "forecast.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert page.errors == []
    page.context.close()


def test_the_overview_fits_a_phone_and_draws_its_inflow_chart(
    browser: Any, site: Site, artefacts: Path
) -> None:
    page = new_page(browser, site, viewport={"width": 390, "height": 844}, is_mobile=True)
    sign_in(page, site, ADMIN)
    page.wait_for_selector("#chart-inflows svg.main-svg")
    assert page.locator("#chart-inflows .barlayer .trace").count() >= 1
    assert "USD" in page.inner_text("#nav-total")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert not page.is_visible("header nav a[href='/ledger']"), "the menu folds on a phone"
    page.click("label.nav-button")
    assert page.is_visible("header nav a[href='/ledger']")
    page.screenshot(path=str(artefacts / "overview-phone.png"), full_page=True)
    assert page.errors == []
    page.context.close()


def test_the_public_page_shows_public_totals_only(browser: Any, site: Site) -> None:
    page = new_page(browser, site)
    page.goto("/transparency")
    text = page.inner_text("body")
    assert page.locator("#by-resource tbody tr").count() >= 1
    assert page.locator("#by-oblast tbody tr").count() >= 1
    for private in ("Equity:Capital", "Sign out", "administrator", "auditor", "manager"):
        assert private not in text
    html = page.content()
    for secret in site.tokens.values():
        assert secret not in html
    assert page.errors == []
    page.context.close()
