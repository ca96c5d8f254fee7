"""The pages over real HTTP without a browser: JSON twins, sign-in, CSRF, the public page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from jointfund.http.pages.routes import registry

from .web_site import ADMIN, Site

PAGES = {
    "/": "nav",
    "/ledger": "entries",
    "/ledger/entries/1": "postings",
    "/licences": "licences",
    "/filings": "filings",
    "/proposals": "proposals",
    "/statements": "statement",
    "/forecast": "scenarios",
    "/terms": "rows",
    "/transparency": "totals",
    "/contributions/in-kind": "chains",
}


@contextmanager
def signed_in(site: Site, name: str) -> Iterator[httpx.Client]:
    """A client whose session is signed in as `name`, through the JSON twin of the form."""
    with httpx.Client(base_url=site.url, timeout=30) as client:
        form = client.get("/signin", params={"format": "json"}).json()
        answer = client.post(
            "/signin",
            params={"format": "json"},
            data={"csrf_token": form["csrf_token"], "name": name, "token": site.tokens[name]},
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["user"] == name
        yield client


def csrf_of(client: httpx.Client, path: str) -> str:
    """The CSRF token a page's forms carry."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert found is not None
    return found.group(1)


@pytest.mark.parametrize("how", ["query", "accept"])
def test_every_page_has_a_json_twin(site: Site, how: str) -> None:
    with signed_in(site, ADMIN) as client:
        for path, key in PAGES.items():
            if how == "query":
                answer = client.get(path, params={"format": "json"})
            else:
                answer = client.get(path, headers={"Accept": "application/json"})
            assert answer.status_code == 200, (path, answer.text[:300])
            assert answer.headers["content-type"].startswith("application/json"), path
            assert key in answer.json(), path
            html = client.get(path)
            assert html.headers["content-type"].startswith("text/html"), path


def test_json_twin_of_the_overview_carries_what_the_page_shows(site: Site) -> None:
    with signed_in(site, ADMIN) as client:
        data = client.get("/", params={"format": "json"}).json()
        page = client.get("/").text
    assert data["nav"]["total"] in page
    assert {c["currency"] for c in data["cash"]} <= {"USD", "UAH"}
    assert {a["partner"] for a in data["capital"]} == {"US", "UA"}
    assert [r["amount"] for r in data["recoupment"]] == ["66,900,000,000.00", "500,000,000,000.00"]
    assert data["lock_end"] is not None
    assert data["figures"]["inflows"]["data"], "inflow chart has no series"


def test_pages_send_strangers_to_the_sign_in_form(site: Site) -> None:
    with httpx.Client(base_url=site.url) as client:
        page = client.get("/ledger", params={"kind": "inflow"})
        twin = client.get("/ledger", params={"format": "json"})
    assert page.status_code == 303
    assert page.headers["location"] == "/signin?next=/ledger%3Fkind%3Dinflow"
    assert twin.status_code == 401
    assert twin.json()["error"]["code"] == "sign_in_required"


def test_a_wrong_token_does_not_sign_in(site: Site) -> None:
    with httpx.Client(base_url=site.url) as client:
        csrf = csrf_of(client, "/signin")
        answer = client.post(
            "/signin", data={"csrf_token": csrf, "name": ADMIN, "token": "jf_not-a-token"}
        )
        other = client.post(
            "/signin",
            data={"csrf_token": csrf, "name": "auditor", "token": site.tokens[ADMIN]},
        )
        after = client.get("/", params={"format": "json"})
    assert answer.status_code == 401
    assert "unknown user name or access token" in answer.text
    assert other.status_code == 401, "a token signs in only the user it belongs to"
    assert after.status_code == 401


def test_forms_refuse_a_missing_or_wrong_csrf_token(site: Site) -> None:
    assert site.proposal is not None
    approve = f"/proposals/{site.proposal.id}/approve"
    with signed_in(site, "us-manager-1") as client:
        for data in ({}, {"csrf_token": "forged"}):
            for path in (approve, "/ledger/verify", "/signout", "/forecast/runs"):
                answer = client.post(path, data=data, params={"format": "json"})
                assert answer.status_code == 403, (path, data)
                assert answer.json()["error"]["code"] == "csrf"
        page = client.post(approve, data={})
        state = client.get(f"/proposals/{site.proposal.id}", params={"format": "json"}).json()
    assert page.status_code == 403
    assert "CSRF" in page.text
    assert state["status"] == "open"
    assert state["partners"][0]["approved_by"] == []


def test_sign_in_itself_needs_the_csrf_token(site: Site) -> None:
    with httpx.Client(base_url=site.url) as client:
        answer = client.post("/signin", data={"name": ADMIN, "token": site.tokens[ADMIN]})
        after = client.get("/", params={"format": "json"})
    assert answer.status_code == 403
    assert after.status_code == 401


def test_sign_out_ends_the_session(site: Site) -> None:
    with signed_in(site, "auditor") as client:
        csrf = csrf_of(client, "/")
        assert client.post("/signout", data={"csrf_token": csrf}).status_code == 303
        assert client.get("/", params={"format": "json"}).status_code == 401


def test_the_public_page_needs_no_sign_in_and_shows_only_totals(site: Site) -> None:
    with httpx.Client(base_url=site.url) as client:
        page = client.get("/transparency")
        data = client.get("/transparency", params={"format": "json"}).json()
    assert page.status_code == 200
    assert set(data["totals"]) == {"resource", "oblast", "stream", "year"}
    assert all(data["totals"][d] for d in data["totals"])
    assert "rows" not in data, "the public page gives totals, not the payment rows"
    for secret in site.tokens.values():
        assert secret not in page.text
    for private in ("Equity:Capital", "administrator", "us-manager", "csrf_token", "Capital"):
        assert private not in page.text
        assert private not in str(data)


def test_the_public_tables_come_a_page_at_a_time_with_links_to_the_rest(site: Site) -> None:
    with httpx.Client(base_url=site.url) as client:
        first = client.get("/transparency", params={"format": "json"}).json()
        assert first["project_count"] == len(first["projects"]) >= 2  # one page holds them
        assert first["project_pager"] == {"first": None, "next": None}
        head = first["projects"][0]["licence_id"]
        rest = client.get("/transparency", params={"format": "json", "projects_after": head})
        html = client.get("/transparency", params={"projects_after": head})
        wrong = client.get("/transparency", params={"projects_after": "L-NONE", "format": "json"})
        wrong_page = client.get("/transparency", params={"projects_after": "L-NONE"})
    later = rest.json()
    assert later["projects"] == first["projects"][1:]
    assert later["companies"] == first["companies"], "the other table keeps its place"
    assert later["project_count"] == first["project_count"]
    assert later["project_pager"]["first"] == "/transparency?format=json#by-project"
    assert html.status_code == 200 and 'href="/transparency#by-project"' in html.text
    assert f"{first['project_count']} projects" in html.text
    assert wrong.status_code == 422 and wrong_page.status_code == 422
    problem = wrong.json()["error"]["problems"][0]
    assert problem["field"] == "projects_after" and "L-NONE" in problem["message"]


def test_plotly_is_served_from_the_installed_package(site: Site) -> None:
    with httpx.Client(base_url=site.url) as client:
        script = client.get("/assets/plotly.min.js")
        again = client.get(
            "/assets/plotly.min.js", headers={"If-None-Match": script.headers["etag"]}
        )
        page = client.get("/transparency").text
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert len(script.content) > 1_000_000
    assert again.status_code == 304
    assert "cdn" not in page.lower()


def test_the_filings_page_walks_every_stored_version_a_page_at_a_time(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The example holds fewer filings than a page of a hundred: pages of 40 (the server runs
    # in this process) so the walk crosses several.
    monkeypatch.setattr(registry, "PAGE_SIZE", 40)
    with signed_in(site, ADMIN) as client:

        def page(target: str) -> dict[str, Any]:
            answer = client.get(target, headers={"Accept": "application/json"})
            assert answer.status_code == 200, answer.text[:300]
            return dict(answer.json())

        seen, pages, target = [], [], "/filings"
        while target:
            got = page(target)
            pages.append(got)
            seen += [(f["payer_reference"], f["version"]) for f in got["filings"]]
            target = got["pager"]["next"]
        back = page(pages[-1]["pager"]["prev"])
        one_year = page("/filings?year=2025")
        refused = client.get("/filings", params={"after": "x"})
    assert len(pages) > 2 and all(len(p["filings"]) <= 40 for p in pages)
    assert len(seen) == len(set(seen))  # every version, each once
    assert len(seen) > len({ref for ref, _ in seen}), "corrected filings: several versions"
    assert [f["period"] for p in pages for f in p["filings"]] == sorted(
        f["period"] for p in pages for f in p["filings"]
    )
    assert back["filings"] == pages[-2]["filings"] and pages[0]["pager"]["prev"] is None
    assert pages[0]["pager"]["count"] == f"{len({ref for ref, _ in seen}):,}"  # latest versions
    assert {f["period"][:4] for f in one_year["filings"]} == {"2025"}
    assert one_year["pager"]["next"] is None or "year=2025" in one_year["pager"]["next"]
    assert refused.status_code == 422


def test_the_committees_page_lists_seats_standing_and_members(site: Site) -> None:
    with signed_in(site, "auditor") as client:
        html = client.get("/governance")
        data = client.get("/governance", params={"format": "json"}).json()
    assert html.status_code == 200
    assert "DFC Ukraine Subsoil LLC" in html.text and 'data-standing="uncertain"' in html.text
    found = {c["id"]: c for c in data["committees"]}
    assert found["project-search"]["seats"] == {"US": 2, "UA": 3}
    assert found["audit"]["members"]["US"] == ["us-manager-1"]  # us-manager-2 was deactivated
