"""The contribution cycle through every interface: the CLI, the JSON API and the page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from jointfund.cli.app import main

from .test_web_browser import new_page, sign_in
from .web_site import Site


def _get(site: Site, path: str, who: str = "auditor") -> httpx.Response:
    return httpx.get(
        site.url + path, headers={"Authorization": f"Bearer {site.tokens[who]}"}, timeout=30
    )


def test_the_api_lists_accruals_and_transfers_by_period(site: Site) -> None:
    answer = _get(site, "/api/contributions/transfers?as_of=2026-04-01")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["partner"] == "UA" and body["fx_date"] == "transfer_date"
    [year] = [p for p in body["periods"] if p["period"] == 2025]
    assert (year["status"], year["due_on"]) == ("settled", "2026-04-01")
    assert year["accrued"] == year["transferred"] == {"UAH": "75000000.00"}
    assert year["transfers"][0]["reference"] == "PPP-URIF-TRANSFER-2025"
    public = httpx.get(
        site.url + "/api/contributions/transfers",
        headers={"Authorization": f"Bearer {site.tokens.get('public', 'none')}"},
        timeout=30,
    )
    assert public.status_code in (401, 403)
    bad = httpx.post(
        site.url + "/api/contributions/transfers",
        json={"amount": "1.00", "transfer_date": "2025-06-01", "period": 2025, "reference": "E"},
        headers={"Authorization": f"Bearer {site.tokens['administrator']}"},
        timeout=30,
    )
    assert bad.status_code == 422, bad.text
    assert bad.json()["error"]["problems"][0]["field"] == "transfer_date"


def test_the_cli_prints_the_cycle_as_json(
    site: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOINTFUND_DATABASE_URL", site.settings.database_url)
    monkeypatch.setenv("JOINTFUND_TOKEN", site.tokens["auditor"])
    code = main(["contributions", "transfers", "--as-of", "2026-03-31", "--json"])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    body = json.loads(printed.out)
    assert [p["status"] for p in body["periods"] if p["period"] == 2025] == ["due"]
    assert main(["contributions", "transfers", "--as-of", "2026-03-31"]) == 0
    table = capsys.readouterr().out
    assert "UA-SP-2025-0822" in table and "special fund" in table


def test_the_page_shows_each_period_with_its_status(
    browser: Any, site: Site, artefacts: Path
) -> None:
    page = new_page(browser, site)
    sign_in(page, site, "auditor", "/contributions/transfers?as_of=2026-04-01")
    assert page.get_attribute("#period-2025", "data-status") == "settled"
    assert "75000000.00 UAH" in page.inner_text("#period-2025")
    assert "special fund" in page.inner_text(".lead")
    page.screenshot(path=str(artefacts / "transfers.png"), full_page=True)
    assert page.errors == []
    page.context.close()


def test_the_calendar_through_the_api_and_the_cli(
    site: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    answer = _get(site, "/api/calendar?as_of=2026-04-02&rent=false")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    status = {(i["deadline_id"], i["period"]): i["status"] for i in body["items"]}
    assert status[("transfer-to-partnership", "2025")] == "met"
    assert status[("treasury-receipts-report", "2025")] == "overdue"
    assert all(i["kind"] != "rent_payment" for i in body["items"])
    with_rent = _get(site, "/api/calendar?as_of=2026-12-01").json()
    assert with_rent["flagged"] == 1  # the example's late corrected filing
    assert with_rent["rent"]["flagged"] == 1 and with_rent["rent"]["filings"] > 5
    # Five rent filings a page: the pages hold every rent filing once, newest receipt first.
    path: str | None = "/api/calendar?as_of=2026-12-01&limit=5"
    walked: list[dict[str, Any]] = []
    while path is not None:
        got = _get(site, path).json()
        rent = [i for i in got["items"] if i["kind"] == "rent_payment"]
        assert len(rent) == got["rent"]["shown"] <= 5
        walked += rent
        path = got["rent"]["next"]
    assert len(walked) == with_rent["rent"]["filings"]
    assert len({i["reference"] for i in walked}) == len(walked)
    assert [i["done_on"] for i in walked] == sorted((i["done_on"] for i in walked), reverse=True)
    assert _get(site, "/api/calendar?after=0").status_code == 422
    monkeypatch.setenv("JOINTFUND_DATABASE_URL", site.settings.database_url)
    monkeypatch.setenv("JOINTFUND_TOKEN", site.tokens["auditor"])
    assert main(["calendar", "--as-of", "2026-04-02", "--no-rent", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["items"] == body["items"]
    assert main(["calendar", "--as-of", "2026-04-02"]) == 0
    assert "rent filing(s) flagged" in capsys.readouterr().out
    assert main(["calendar", "--as-of", "2026-12-01", "--limit", "2", "--json"]) == 0
    paged = json.loads(capsys.readouterr().out)
    assert paged["rent"]["shown"] == 2 and paged["rent"]["next"] is not None
    after = str(paged["rent"]["next"])
    assert main(["calendar", "--as-of", "2026-12-01", "--limit", "2", "--after", after]) == 0
    assert "the next page: --after" in capsys.readouterr().out


def test_the_overview_and_the_calendar_page_show_the_deadlines(
    browser: Any, site: Site, artefacts: Path
) -> None:
    page = new_page(browser, site)
    sign_in(page, site, "auditor", "/ledger/verify")  # the auditor lands on verification
    page.goto("/")
    card = page.inner_text("#overview-calendar")
    assert "Transfer of the year's receipts" in card and "PPP Agency" in card
    page.goto("/calendar?as_of=2026-04-02")
    row = page.locator("tr[data-id='transfer-to-partnership-2025']")
    assert row.get_attribute("data-status") == "met"
    late = page.locator("tr[data-kind='rent_payment'][data-status='met late']")
    assert late.count() == 0  # the late corrected filing is paid in September
    page.goto("/calendar?as_of=2026-12-01")
    flagged = page.locator("tr[data-kind='rent_payment'][data-status='met late']")
    assert flagged.count() == 1
    assert "Art. 257" in flagged.inner_text()
    page.screenshot(path=str(artefacts / "calendar.png"), full_page=True)
    page.goto("/calendar?as_of=2026-12-01&limit=3")
    first = page.locator("#rent tbody tr").all_inner_texts()
    assert len(first) == 3
    page.click("#rent-pager a[rel=next]")
    second = page.locator("#rent tbody tr").all_inner_texts()
    assert len(second) == 3 and not set(first) & set(second)
    assert "first page" in page.inner_text("#rent-pager")
    assert page.errors == []
    page.context.close()


@pytest.mark.parametrize("as_of", ["20260401", "9999-01-01", "2026-4-1"])
def test_the_cycle_pages_hold_as_of_to_the_strict_day(site: Site, as_of: str) -> None:
    from .test_web_http import signed_in

    with signed_in(site, "auditor") as client:
        for path in ("/contributions/transfers", "/calendar"):
            answer = client.get(path, params={"as_of": as_of, "format": "json"})
            assert answer.status_code == 422, (path, answer.text)
            problem = answer.json()["error"]["problems"][0]
            assert problem["field"] == "as_of" and "YYYY-MM-DD" in problem["expected"]
