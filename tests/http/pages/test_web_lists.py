"""Lists an auditor reads through: the FX rate an entry was booked at and the entries booked
at a rate, the journal, filings, licences and audit log sorted by a column (the sort in the
URL, cursor paging correct under each), in-kind amounts grouped as every other amount, and
the audit log and licence tables fitting a phone. Real HTTP on a real SQLite file; Chromium
in both languages and at both sizes."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from .test_web_http import signed_in
from .test_web_languages import AUDITOR
from .trace_site import build_trace_books
from .web_site import Server, Site, free_port, make_app


@pytest.fixture(scope="module")
def traced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The fund whose inflow entries sum filings converted at stored rates, over real HTTP."""
    folder = tmp_path_factory.mktemp("lists-site")
    db, settings, tokens = build_trace_books(folder)
    port = free_port()
    with Server(make_app(settings), port):
        yield Site(f"http://127.0.0.1:{port}", db, settings, tokens)
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
