"""Assets that work offline and small: the API docs from installed files with every outside
request blocked, answers compressed, and the charts' plotly.js no bigger than they need."""

from __future__ import annotations

from typing import Any

import httpx

from .test_web_browser import new_page
from .web_site import PARTIAL_PLOTLY, Site

FULL_PLOTLY_BYTES = 4_000_000  # the plotly package's full bundle is about 4.8 MB


def offline(page: Any, site: Site) -> list[str]:
    """Refuse every request that leaves the site, as on a machine with no network; the list
    fills with what was refused."""
    refused: list[str] = []
    page.route("**/*", lambda route, request: _route(route, request, site, refused))
    return refused


def _route(route: Any, request: Any, site: Site, refused: list[str]) -> None:
    if request.url.startswith(site.url):
        route.continue_()
    else:
        refused.append(request.url)
        route.abort()


def test_the_api_docs_draw_offline_from_installed_files(browser: Any, site: Site) -> None:
    page = new_page(browser, site)
    refused = offline(page, site)
    page.goto("/docs")
    page.wait_for_selector(".opblock", timeout=30_000)
    assert page.locator(".opblock").count() >= 10, "every API operation is listed"
    assert "/api/ledger/journal" in page.inner_text("body")
    assert refused == [], f"the docs page asked the network for {refused}"
    assert page.errors == []
    page.context.close()


def test_answers_are_compressed_for_clients_that_accept_it(site: Site) -> None:
    with httpx.Client(base_url=site.url) as http:
        plain = http.get("/assets/plotly.min.js", headers={"Accept-Encoding": "identity"})
        packed = http.get("/assets/plotly.min.js", headers={"Accept-Encoding": "gzip"})
        page = http.get("/transparency", headers={"Accept-Encoding": "gzip"})
    assert plain.status_code == packed.status_code == 200
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip"
    sent = int(packed.headers["content-length"])
    assert sent < len(plain.content) / 2, (sent, len(plain.content))
    assert packed.content == plain.content, "the same script once unpacked"
    assert page.headers["content-encoding"] == "gzip"


def test_the_charts_load_the_partial_plotly_bundle(site: Site) -> None:
    assert PARTIAL_PLOTLY.is_file(), "make setup installs it (npm ci): see package.json"
    with httpx.Client(base_url=site.url) as http:
        served = http.get("/assets/plotly.min.js", headers={"Accept-Encoding": "identity"})
    assert served.content == PARTIAL_PLOTLY.read_bytes()
    assert len(served.content) < FULL_PLOTLY_BYTES / 3
