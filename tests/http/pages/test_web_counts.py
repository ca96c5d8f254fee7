"""Counts on the public page are grouped as the reader's language groups them: "1,001
payments", "1 001" in Ukrainian, never "1001" (a registry's counts run to tens of thousands)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from jointfund.fund.filings import import_filings
from jointfund.fund.users import authenticate
from tests.http.pages.web_site import ADMIN, Server, build_books, free_port, make_app

LICENCE = "UA-SP-2025-0711"
ROWS = 1_001


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("counts")
    db, settings, tokens, _ = build_books(folder)
    filings = folder / "many.csv"
    lines = [
        "licence_id,period,stream,gross_amount,currency,payer_reference,version,costs,received_on"
    ]
    lines += [
        f"{LICENCE},2026-Q3,royalty,100.00,UAH,COUNT-{i:05d},1,0.00,2026-11-25" for i in range(ROWS)
    ]
    filings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_filings(db, authenticate(db, tokens[ADMIN]), filings)
    port = free_port()
    with Server(make_app(settings), port):
        yield f"http://127.0.0.1:{port}"
    db.dispose()


def _cells(html: str, table_id: str) -> str:
    start = html.index(f'id="{table_id}"')
    return html[start : html.index("</table>", start)]


@pytest.mark.parametrize(("lang", "sep"), [("en", ","), ("uk", "\u00a0")])
def test_payment_counts_are_grouped_in_the_readers_language(
    site_url: str, lang: str, sep: str
) -> None:
    with httpx.Client(base_url=site_url) as client:
        data = client.get("/transparency", params={"format": "json"}).json()
        html = client.get("/transparency", headers={"Accept-Language": lang}).text
    project = next(p for p in data["projects"] if p["licence_id"] == LICENCE)
    company = next(c for c in data["companies"] if c["name"] == project["company"])
    assert project["payments"] > ROWS, "the project holds the imported payments"
    for table, count in (("by-project", project["payments"]), ("by-company", company["payments"])):
        assert f"{count:,}".replace(",", sep) in _cells(html, table), table
    assert max(t["payments"] for t in data["overall"]) > ROWS
    for line in data["overall"]:
        assert f"{line['payments']:,}".replace(",", sep) in html
