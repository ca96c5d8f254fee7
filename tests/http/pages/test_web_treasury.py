"""The Treasury receipts page in a real browser: an administrator uploads a Treasury file and a
Prozorro.Sale file, sees them listed, and a bad file shows its located problems, storing nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .test_web_browser import new_page, sign_in
from .web_site import Site

SAMPLES = Path(__file__).parents[2] / "intake" / "samples"
ADMIN = "administrator"


def test_uploads_list_and_a_refused_file(
    browser: Any, site: Site, tmp_path: Path, artefacts: Path
) -> None:
    page = new_page(browser, site)
    sign_in(page, site, ADMIN, "/treasury")
    page.set_input_files(
        "#treasury-form input[type=file]", str(SAMPLES / "treasury_special_fund_2025_cp1251.csv")
    )
    page.click("#treasury-form button")
    page.wait_for_url("**/treasury")
    rows = page.locator("#receipts tbody tr")
    assert rows.count() == 6
    assert "1230500.25 UAH" in page.inner_text("#receipts")
    assert "-50000.00 UAH" in page.inner_text("#receipts")  # March: a fall, a refund
    page.set_input_files(
        "#auctions-form input[type=file]", str(SAMPLES / "prozorro_sale_procedures.json")
    )
    page.click("#auctions-form button")
    page.wait_for_url("**/treasury")
    assert "SUE001-UA-20250915-10001" in page.inner_text("#auctions")
    bad = tmp_path / "bad-treasury.csv"
    bad.write_text("REP_PERIOD;FUND_TYP;COD_INCO;NAME_INC;FAKT_AMT\n13.2025;S;13030100;x;1\n")
    page.set_input_files("#treasury-form input[type=file]", str(bad))
    page.click("#treasury-form button")
    page.wait_for_selector("#upload-errors")
    assert "bad-treasury.csv" in page.inner_text("#upload-errors h2")
    assert "REP_PERIOD" in page.inner_text("#upload-errors")
    assert page.locator("#receipts tbody tr").count() == 6
    page.screenshot(path=str(artefacts / "treasury.png"), full_page=True)
    page.context.close()


def test_an_auditor_reads_but_has_no_upload_form(browser: Any, site: Site) -> None:
    page = new_page(browser, site)
    sign_in(page, site, "auditor", "/treasury")
    assert page.locator("#treasury-form").count() == 0
    assert page.locator("#receipts").count() == 1
    page.context.close()
