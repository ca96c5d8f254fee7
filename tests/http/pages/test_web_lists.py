"""Lists an auditor reads through: the FX rate an entry was booked at and the entries booked
at a rate, the journal, filings, licences and audit log sorted by a column (the sort in the
URL, cursor paging correct under each), in-kind amounts grouped as every other amount, and
the audit log and licence tables fitting a phone. Real HTTP on a real SQLite file; Chromium
in both languages and at both sizes."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from .test_web_http import csrf_of, signed_in
from .test_web_languages import (
    AUDITOR,
    BROWSER_LOCALE,
    FILER,
    SIZES,
    check_page,
    require_axe,
    sign_in_to_landing,
)
from .test_web_trace import axe_clean, watched
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
        # Each filing, on the entry's page and on the filings page, links to its own rate.
        hrefs = {r["href"] for r in rates}
        assert {f["fx_href"] for f in entry["filings"] if f["fx_rate"]} == hrefs
        listed = client.get(
            f"/filings?entry={first['key']}", headers={"Accept": "application/json"}
        ).json()
        assert {f["fx_href"] for f in listed["filings"] if f["fx_rate"]} == hrefs
        assert (
            f'class="rate-link" href="{rates[0]["href"]}"'
            in client.get("/filings", params={"entry": first["key"]}).text
        )

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


def walk(
    client: httpx.Client, url: str, rows: str, step: Callable[[dict, str], str | None]
) -> list[dict]:
    """Every row of a list, following its pager from `url` to the last page."""
    found: list[dict] = []
    next_url: str | None = url
    pages = 0
    while next_url:
        answer = client.get(next_url, headers=JSON)
        assert answer.status_code == 200, answer.text
        data = answer.json()
        found += data[rows]
        next_url = step(data, next_url)
        pages += 1
        assert pages < 100
    return found


def after_link(data: dict, url: str) -> str | None:
    """The next page of a list whose twin names the last row seen (`next_after`)."""
    if data["next_after"] is None:
        return None
    base, _, query = url.partition("?")
    kept = [p for p in query.split("&") if p and not p.startswith("after=")]
    kept.append(f"after={data['next_after']}")
    return base + "?" + "&".join(kept)


def pager_link(data: dict, url: str) -> str | None:
    """The next page of a list whose twin carries its pager's addresses."""
    return data["pager"]["next"]


AUDIT_SORTS = {
    "seq": ("seq",),
    "actor": ("actor", "seq"),
    "action": ("action", "seq"),
    "target": ("target", "seq"),
}


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("column", sorted(AUDIT_SORTS))
def test_the_audit_log_sorts_by_a_column_and_pages_without_repeat_or_skip(
    traced: Site, column: str, descending: bool
) -> None:
    sort = ("-" if descending else "") + column
    with signed_in(traced, AUDITOR) as client:
        everything = walk(client, "/audit?limit=200", "records", after_link)
        paged = walk(client, f"/audit?sort={sort}&limit=5", "records", after_link)
        first = client.get("/audit", params={"sort": sort, "format": "json"}).json()
    assert len(everything) > 10
    assert sorted(r["seq"] for r in paged) == sorted(r["seq"] for r in everything)
    keys = [tuple(r[k] for k in AUDIT_SORTS[column]) for r in paged]
    assert keys == sorted(keys, reverse=descending), "each page continues the order"
    assert first["sort"] == sort
    link = first["sorts"][column]
    assert link["aria"] == ("descending" if descending else "ascending")
    assert link["href"] == (
        f"/audit?sort={column}"
        if descending and column != "seq"
        else "/audit"
        if descending
        else f"/audit?sort=-{column}"
    )


LICENCE_SORTS = {
    "licence": ("licence_id",),
    "holder": ("holder", "licence_id"),
    "issued": ("issued_on", "licence_id"),
}


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("column", sorted(LICENCE_SORTS))
def test_the_licence_register_sorts_and_pages_both_ways(
    traced: Site, column: str, descending: bool
) -> None:
    sort = ("-" if descending else "") + column
    with signed_in(traced, AUDITOR) as client:
        everything = walk(client, "/licences?limit=200", "licences", pager_link)
        paged = walk(client, f"/licences?sort={sort}&limit=4", "licences", pager_link)
        # Back from the last page along the `prev` links: the same rows, page by page.
        last = client.get(f"/licences?sort={sort}&limit=4", headers=JSON).json()
        while last["pager"]["next"]:
            last = client.get(last["pager"]["next"], headers=JSON).json()
        back = walk(
            client, last["pager"]["prev"], "licences", lambda data, _: data["pager"]["prev"]
        )
    assert len(everything) > 8
    assert sorted(r["licence_id"] for r in paged) == sorted(r["licence_id"] for r in everything)
    keys = [tuple(r[k] for k in LICENCE_SORTS[column]) for r in paged]
    assert keys == sorted(keys, reverse=descending), "each page continues the order"
    assert len(set(keys)) == len(keys)
    shown_last = [r["licence_id"] for r in last["licences"]]
    ids_back: list[str] = []
    for chunk in _chunks([r["licence_id"] for r in back], 4):
        ids_back = chunk + ids_back
    assert ids_back + shown_last == [r["licence_id"] for r in paged]


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _minor(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


FILING_SORTS: dict[str, Callable[[dict], tuple]] = {
    "period": lambda f: (f["period"], f["id"]),
    "received": lambda f: (f["received_on"], f["id"]),
    "licence": lambda f: (f["licence_id"], f["period"], f["id"]),
    "gross": lambda f: (f["currency"], _minor(f["gross"]), f["id"]),
}


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("column", sorted(FILING_SORTS))
def test_the_filings_sort_by_a_column_and_page_without_repeat_or_skip(
    traced: Site, column: str, descending: bool
) -> None:
    sort = ("-" if descending else "") + column
    with signed_in(traced, AUDITOR) as client:
        everything = walk(client, "/filings?limit=200", "filings", pager_link)
        paged = walk(client, f"/filings?sort={sort}&limit=7", "filings", pager_link)
        of_one = walk(
            client, f"/filings?sort={sort}&limit=2&licence=UA-SP-2012-0907", "filings", pager_link
        )
        html = client.get("/filings", params={"sort": sort}).text
    assert len(everything) > 90
    assert sorted(f["id"] for f in paged) == sorted(f["id"] for f in everything)
    keys = [FILING_SORTS[column](f) for f in paged]
    assert keys == sorted(keys, reverse=descending), "each page continues the order"
    assert len(of_one) > 2 and {f["licence_id"] for f in of_one} == {"UA-SP-2012-0907"}
    one_keys = [FILING_SORTS[column](f) for f in of_one]
    assert one_keys == sorted(one_keys, reverse=descending), "the filter and the sort hold"
    direction = "descending" if descending else "ascending"
    assert f'aria-sort="{direction}" data-sort="{column}"' in html
    assert html.count("aria-sort=") == 1


@pytest.mark.parametrize("path", ["/filings", "/licences", "/audit", "/ledger"])
@pytest.mark.parametrize("sort", ["amount", "-memo", "--date", "stream"])
def test_a_sort_a_list_does_not_offer_is_refused(traced: Site, path: str, sort: str) -> None:
    with signed_in(traced, AUDITOR) as client:
        answer = client.get(path, params={"sort": sort}, headers=JSON)
    assert answer.status_code == 422
    assert answer.json()["error"]["problems"][0]["field"] == "sort"


JOURNAL_SORTS: dict[str, Callable[[dict], tuple]] = {
    "seq": lambda e: (e["seq"],),
    "date": lambda e: (e["date"], e["seq"]),
    "kind": lambda e: (e["kind"], e["seq"]),
    "key": lambda e: (e["key"], e["seq"]),
}


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("column", sorted(JOURNAL_SORTS))
def test_the_journal_sorts_by_a_column_and_pages_without_repeat_or_skip(
    traced: Site, column: str, descending: bool
) -> None:
    sort = ("-" if descending else "") + column
    with signed_in(traced, AUDITOR) as client:
        everything = walk(client, "/ledger?limit=200", "entries", after_link)
        paged = walk(client, f"/ledger?sort={sort}&limit=4", "entries", after_link)
        inflows = walk(
            client,
            f"/ledger?sort={sort}&limit=3&kind=inflow&start=2025-09-01",
            "entries",
            after_link,
        )
        first = client.get(f"/ledger?sort={sort}&limit=4&kind=inflow", headers=JSON).json()
    assert len(everything) > 30
    assert sorted(e["seq"] for e in paged) == [e["seq"] for e in everything]
    keys = [JOURNAL_SORTS[column](e) for e in paged]
    assert keys == sorted(keys, reverse=descending), "each page continues the order"
    expected = [e["seq"] for e in everything if e["kind"] == "inflow" and e["date"] >= "2025-09-01"]
    assert sorted(e["seq"] for e in inflows) == expected and len(expected) > 3
    inflow_keys = [JOURNAL_SORTS[column](e) for e in inflows]
    assert inflow_keys == sorted(inflow_keys, reverse=descending), "the filter and the sort hold"
    toggled = column if descending else f"-{column}"
    wanted = "limit=4&kind=inflow" + ("" if toggled == "seq" else f"&sort={toggled}")
    assert first["sorts"][column]["href"] == f"/ledger?{wanted}", "filters kept, cursor dropped"


# Tables wider than the box that holds them, at any size (on a phone the wide lists are cards).
WIDER_THAN_BOX = """(ids) => ids.filter((id) => {
  const t = document.getElementById(id);
  return t && t.scrollWidth > t.parentElement.clientWidth + 1;
})"""


def sort_by(page: Any, table: str, column: str) -> str:
    """Click a sortable column's header; the aria-sort it then carries."""
    page.click(f"#{table} thead th[data-sort={column}] a")
    page.wait_for_load_state("load")
    return page.get_attribute(f"#{table} thead th[data-sort={column}]", "aria-sort") or ""


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("lang", sorted(BROWSER_LOCALE))
def test_an_auditor_sorts_the_lists_and_traces_an_fx_rate_in_the_browser(
    browser: Any, traced: Site, artefacts: Path, lang: str, size: str
) -> None:
    require_axe()
    page = watched(browser, traced, lang, size)
    sign_in_to_landing(page, traced, AUDITOR)
    violations: list[str] = []

    def shot(name: str, tables: tuple[str, ...] = ()) -> None:
        check_page(page, lang, size)
        assert page.evaluate(WIDER_THAN_BOX, list(tables)) == [], (page.url, size)
        violations.extend(axe_clean(page))
        page.screenshot(path=str(artefacts / f"lists-{name}-{lang}-{size}.png"), full_page=True)

    # The journal by date, newest first, two clicks on its header; the sort survives paging.
    page.goto("/ledger?kind=inflow&limit=10")
    assert sort_by(page, "journal", "date") == "ascending"
    assert sort_by(page, "journal", "date") == "descending"
    assert "sort=-date" in page.url and "kind=inflow" in page.url
    days = page.eval_on_selector_all("#journal tbody tr", "rs => rs.map(r => r.dataset.day)")
    assert days == sorted(days, reverse=True) and len(days) == 10
    shot("journal")
    page.click("#journal-pager a[rel=next]")
    page.wait_for_load_state("load")
    assert "sort=-date" in page.url
    later = page.eval_on_selector_all("#journal tbody tr", "rs => rs.map(r => r.dataset.day)")
    assert later and later[0] <= days[-1]

    # An inflow entry: the FX rate it was booked at, to the rate's page and back.
    page.click("#journal tbody tr:first-child td:first-child a")
    page.wait_for_selector("#fx-rates-of-entry")
    entry_url = page.url
    shot("entry", ("fx-rates-of-entry",))
    page.click("#fx-rates-of-entry tbody tr:first-child td:first-child a")
    page.wait_for_selector("#entries-at-rate")
    assert page.inner_text("#fx-rate-source").endswith("fx.csv")
    shot("fx-rate", ("entries-at-rate",))
    page.click(f"#entries-at-rate a[href='{entry_url.removeprefix(traced.url)}']")
    page.wait_for_url(entry_url)

    # The filings by amount, largest first.
    page.goto("/filings?limit=20")
    assert sort_by(page, "filings", "gross") == "ascending"
    assert sort_by(page, "filings", "gross") == "descending"
    shot("filings")

    # The audit log and the licence register: sortable, and on a phone they fit their card.
    page.goto("/audit")
    assert sort_by(page, "audit", "actor") == "ascending"
    actors = page.eval_on_selector_all(
        "#audit tbody tr td:nth-child(3)", "cs => cs.map(c => c.textContent.trim())"
    )
    assert actors == sorted(actors) and len(actors) > 5
    shot("audit", ("audit",))
    page.goto("/licences")
    assert sort_by(page, "licences", "issued") == "ascending"
    assert sort_by(page, "licences", "issued") == "descending"
    assert "sort=-issued" in page.url
    shot("licences", ("licences",))

    assert violations == [], "\n".join(violations)
    assert page.errors == []
    page.context.close()


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("lang", sorted(BROWSER_LOCALE))
def test_the_in_kind_page_groups_its_amounts_in_the_browser(
    browser: Any, site: Site, artefacts: Path, lang: str, size: str
) -> None:
    page = watched(browser, site, lang, size)
    sign_in_to_landing(page, site, AUDITOR)
    page.goto(f"/language/{lang}?next=/contributions/in-kind")
    page.wait_for_selector("#in-kind-1")
    check_page(page, lang, size)
    cost = page.inner_text("#in-kind-1 li[data-step=cost_report]")
    assert ("400,000,000.00" if lang == "en" else "400\u00a0000\u00a0000,00") in cost
    page.screenshot(path=str(artefacts / f"lists-in-kind-{lang}-{size}.png"), full_page=True)
    assert page.errors == []
    page.context.close()


@pytest.mark.parametrize("sort", ["-gross", "received", "-licence"])
def test_a_reporting_entity_sorts_its_own_filings_across_its_licences(
    traced: Site, sort: str
) -> None:
    with signed_in(traced, FILER) as client:
        own = walk(client, f"/filings?sort={sort}&limit=3", "filings", pager_link)
        plain = walk(client, "/filings?limit=200", "filings", pager_link)
    assert len({f["licence_id"] for f in own}) > 1, "the filer holds more than one licence"
    assert sorted(f["id"] for f in own) == sorted(f["id"] for f in plain)
    keys = [FILING_SORTS[sort.removeprefix("-")](f) for f in own]
    assert keys == sorted(keys, reverse=sort.startswith("-"))


@pytest.mark.parametrize(
    "path", ["/ledger/fx-rates/not-a-day/XX", SAME_DAY_RATE + "?after=x", "/ledger?sort=nope"]
)
def test_a_reporting_entity_is_refused_before_its_input_is_read(traced: Site, path: str) -> None:
    with signed_in(traced, FILER) as client:
        assert client.get(path, headers=JSON).status_code == 403
