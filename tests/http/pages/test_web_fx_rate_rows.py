"""An FX rate's page names the file and the row of it the rate was read from: an NBU table
uploaded over the API, then its rates opened over HTTP as an auditor, in English and in
Ukrainian, page and JSON twin; a rate stored before rows were kept says the row is unknown."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from jointfund import store
from jointfund.fund import demo
from jointfund.fund.setup import set_up_fund
from jointfund.intake.records import FxRecord
from jointfund.store import open_database

from .test_web_http import signed_in
from .test_web_languages import AUDITOR
from .trace_site import DRAFT
from .web_site import ADMIN, Server, Site, free_port, make_app

# The NBU's own download (Ukrainian column names, `;`, decimal commas, some rates per 100).
NBU = Path(__file__).parents[2] / "intake" / "samples" / "fx_nbu_uk.csv"
UPLOADED = "nbu-official-rates.csv"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    from jointfund.config import Settings

    folder = tmp_path_factory.mktemp("fx-rows")
    settings = Settings(database_url=str(folder / "books.db"), runs_dir=folder / "runs")
    db = open_database(settings.database_url)
    set_up_fund(db, DRAFT)
    _, logins, _ = demo._people(db)
    with db.write() as conn:  # a rate stored as before rows were kept
        store.fx_rates.insert_fx_rates(
            conn, [(None, FxRecord(date(2024, 1, 2), "USD", "UAH", Decimal("38.0")))], "old.csv"
        )
    port = free_port()
    with Server(make_app(settings), port):
        served = Site(f"http://127.0.0.1:{port}", db, settings, {x.name: x.token for x in logins})
        with httpx.Client(base_url=served.url, timeout=30) as api:
            sent = api.post(
                "/api/fx",
                params={"confirm_jumps": "true"},  # 2017's rate is far from 2025's
                headers={"Authorization": f"Bearer {served.tokens[ADMIN]}"},
                files={"file": (UPLOADED, NBU.read_bytes(), "text/csv")},
            )
            assert sent.status_code == 200, sent.text
        yield served
    db.dispose()


def _row_of(html: str) -> str:
    found = re.search(r'<span class="source-row"[^>]*>(.*?)</span>', html, re.S)
    assert found is not None, "the page names the row"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


@pytest.mark.parametrize(
    ("address", "row"),
    [
        ("/ledger/fx-rates/2025-06-02/USD-UAH", 2),  # the first line under the header
        ("/ledger/fx-rates/2025-06-02/EUR-UAH", 3),
        ("/ledger/fx-rates/2017-10-23/USD-UAH", 5),  # quoted per 100 dollars, after a metal
    ],
)
def test_a_rates_page_names_its_file_and_row_in_both_languages(
    site: Site, address: str, row: int
) -> None:
    with signed_in(site, AUDITOR) as client:
        twin = client.get(address, params={"format": "json"}).json()
        english = client.get(address).text
        client.get("/language/uk")
        ukrainian = client.get(address).text
    assert (twin["source"], twin["source_row"]) == (UPLOADED, row), (
        "the upload's name, not a temp copy"
    )
    assert _row_of(english) == f"row {row}"
    assert _row_of(ukrainian) == f"рядок {row}"
    assert f">{UPLOADED}</code>, <span" in english, "file, row N"


def test_a_rate_stored_before_rows_were_kept_says_its_row_is_unknown(site: Site) -> None:
    address = "/ledger/fx-rates/2024-01-02/USD-UAH"
    with signed_in(site, AUDITOR) as client:
        twin = client.get(address, params={"format": "json"}).json()
        english = client.get(address).text
        client.get("/language/uk")
        ukrainian = client.get(address).text
    assert (twin["source"], twin["source_row"]) == ("old.csv", None), "unknown, not guessed"
    assert _row_of(english) == "row unknown (stored before rows were recorded)"
    assert _row_of(ukrainian).startswith("рядок невідомий")
