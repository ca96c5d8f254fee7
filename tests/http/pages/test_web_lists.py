"""Lists an auditor reads through: the FX rate an entry was booked at and the entries booked
at a rate, the journal, filings, licences and audit log sorted by a column (the sort in the
URL, cursor paging correct under each), in-kind amounts grouped as every other amount, and
the audit log and licence tables fitting a phone. Real HTTP on a real SQLite file; Chromium
in both languages and at both sizes."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from .test_web_http import csrf_of, signed_in
from .test_web_languages import AUDITOR
from .trace_site import build_trace_books
from .web_site import ADMIN, Server, Site, free_port, make_app

# Two more receipts on 2026-05-20, of other streams than the royalties booked that day: two
# more entries converted at that day's USD/UAH rate.
SAME_DAY = (
    "licence_id,period,stream,gross_amount,currency,payer_reference,version,costs,received_on\n"
    "UA-SP-2026-0402,2026-05,auction_proceeds,1000000.00,UAH,LISTS-SAME-DAY-A,1,0.00,2026-05-20\n"
    "UA-PSA-2026-0001,2026-05,signature_bonus,2000000.00,UAH,LISTS-SAME-DAY-S,1,0.00,2026-05-20\n"
)
SAME_DAY_RATE = "/ledger/fx-rates/2026-05-20/USD-UAH"
JSON = {"Accept": "application/json"}  # the JSON twin, keeping the address's own query


@pytest.fixture(scope="module")
def traced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The fund whose inflow entries sum filings converted at stored rates, over real HTTP."""
    folder = tmp_path_factory.mktemp("lists-site")
    db, settings, tokens = build_trace_books(folder)
    port = free_port()
    with Server(make_app(settings), port):
        served = Site(f"http://127.0.0.1:{port}", db, settings, tokens)
        with signed_in(served, ADMIN) as client:
            sent = client.post(
                "/filings/upload",
                params={"format": "json"},
                data={"csrf_token": csrf_of(client, "/filings")},
                files={"file": ("same-day.csv", SAME_DAY.encode(), "text/csv")},
            )
            assert sent.status_code == 200 and sent.json()["booked"] == 2, sent.text
        yield served
    db.dispose()


def text_of(html: str, element_id: str) -> str:
    """The text inside the element with this id (tags dropped, spaces collapsed)."""
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</(?:li|p|section|dd|td|span)>', html, re.S)
    assert found is not None, element_id
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


@pytest.mark.parametrize(
    ("lang", "written"), [("en", "400,000,000.00"), ("uk", "400\u00a0000\u00a0000,00")]
)
def test_in_kind_amounts_are_grouped_as_the_language_writes_them(
    site: Site, lang: str, written: str
) -> None:
    with signed_in(site, AUDITOR) as client:
        client.get(f"/language/{lang}")
        html = client.get("/contributions/in-kind").text
        twin = client.get("/contributions/in-kind", params={"format": "json"}).json()
    assert twin["chains"][0]["cost"] == "400,000,000.00"
    assert written in html, "the cost is grouped in the page's language"
    assert "400000000" not in html


def test_an_entry_links_to_the_stored_fx_rates_it_was_booked_at_and_back(traced: Site) -> None:
    with signed_in(traced, AUDITOR) as client:
        inflows = client.get("/ledger", params={"kind": "inflow", "format": "json"}).json()
        first = inflows["entries"][0]
        entry = client.get(f"/ledger/entries/{first['seq']}", params={"format": "json"}).json()
        used = {f["fx_rate"] for f in entry["filings"] if f["fx_rate"]}
        assert used, "an inflow in UAH was converted at a rate"
        rates = entry["fx_rates"]
        assert {f"{r['pair']} {r['rate']} on {r['on']}" for r in rates} == used
        assert all(r["source"].endswith("fx.csv") for r in rates), "the file it came from"
        assert sum(r["filings"] for r in rates) == len(
            [f for f in entry["filings"] if f["fx_rate"]]
        )
        html = client.get(f"/ledger/entries/{first['seq']}").text
        assert f'href="{rates[0]["href"]}"' in html, "the entry page links to the rate"

        # And back: the rate's page lists this entry among those booked at it.
        rate = client.get(rates[0]["href"], params={"format": "json"}).json()
    assert (rate["on"], rate["pair"], rate["rate"]) == (
        rates[0]["on"],
        rates[0]["pair"],
        rates[0]["rate"],
    )
    assert first["seq"] in [e["seq"] for e in rate["entries"]]
    assert rate["count"] == str(len(rate["entries"]))


def test_the_entries_booked_at_a_rate_page_in_chain_order(traced: Site) -> None:
    with signed_in(traced, AUDITOR) as client:
        whole = client.get(SAME_DAY_RATE, params={"format": "json"}).json()
        seqs = [e["seq"] for e in whole["entries"]]
        assert len(seqs) == 3 and seqs == sorted(seqs), "the royalties and both new receipts"
        assert whole["count"] == "3" and whole["next"] is None
        assert sum(e["filings"] for e in whole["entries"]) == whole["filings"]
        paged: list[int] = []
        url: str | None = SAME_DAY_RATE + "?limit=2"
        while url:
            part = client.get(url, headers=JSON).json()
            assert len(part["entries"]) <= 2
            paged += [e["seq"] for e in part["entries"]]
            url = part["next"]
        assert paged == seqs, "pages of two neither repeat nor skip"
        html = client.get(SAME_DAY_RATE).text
        for seq in seqs:
            assert f'href="/ledger/entries/{seq}"' in html


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/ledger/fx-rates/2026-05-20/USD-XYZ", 404),
        ("/ledger/fx-rates/1999-01-01/USD-UAH", 404),
        ("/ledger/fx-rates/2026-5-20/USD-UAH", 422),
        ("/ledger/fx-rates/2026-05-20/USDUAH", 404),
        (SAME_DAY_RATE + "?after=x", 422),
        (SAME_DAY_RATE + "?limit=0", 422),
    ],
)
def test_a_rate_page_refuses_what_names_no_rate(traced: Site, path: str, status: int) -> None:
    with signed_in(traced, AUDITOR) as client:
        assert client.get(path, headers=JSON).status_code == status
