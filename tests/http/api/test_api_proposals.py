"""Proposals over HTTP: create, approve by a US and a UA manager, executed exactly once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import pytest

from jointfund.fund import investments
from tests.http.api.conftest import MANAGERS, Fund
from tests.operator import operator

PAYLOAD = {
    "investment_id": "api-lithium-1",
    "name": "Dobra lithium processing",
    "amount": "5000000.00",
    "currency": "USD",
    "on": "2026-06-30",
}


def _approve(fund: Fund, who: str, pid: int, body: dict[str, str] | None = None) -> Any:
    """Approve as `who`, naming the payload hash the proposal shows now unless `body` does."""
    with fund.client(who) as http:
        if body is None:
            body = {"payload_hash": http.get(f"/api/proposals/{pid}").json()["payload_hash"]}
        return http.post(f"/api/proposals/{pid}/approve", json=body)


def _recommend(fund: Fund, who: str, pid: int) -> Any:
    """Recommend the proposal's current payload as committee member `who`."""
    with fund.client(who) as http:
        body = {"payload_hash": http.get(f"/api/proposals/{pid}").json()["payload_hash"]}
        return http.post(f"/api/proposals/{pid}/recommend", json=body)


def test_an_investment_needs_every_manager_and_executes_once(fund: Fund) -> None:
    with fund.client("admin") as admin:
        created = admin.post("/api/proposals", json={"kind": "investment", "payload": PAYLOAD})
    assert created.status_code == 201, created.text
    proposal = created.json()
    pid = proposal["id"]
    assert (proposal["status"], proposal["rule"]) == ("open", "unanimous")
    assert [(p["partner"], p["approved"]) for p in proposal["partners"]] == [
        ("US", False),
        ("UA", False),
    ]
    assert proposal["committee"] == {
        "committee": "investment",
        "name": "Investment Committee",
        "rule": "each_partner",
        "route_standing": "reported",
        "recommended_by": {"US": [], "UA": []},
        "recommended": False,
    }
    assert proposal["acting"] == {"US": "DFC Ukraine Subsoil LLC"}
    early = _approve(fund, "us_manager", pid)
    assert early.status_code == 409 and "Investment Committee" in early.text
    with fund.client("ua_manager_3") as outsider:  # not seated on the Investment Committee
        body = {"payload_hash": proposal["payload_hash"]}
        assert outsider.post(f"/api/proposals/{pid}/recommend", json=body).status_code == 403
    assert _recommend(fund, "us_manager", pid).json()["recommended"] is False
    assert _recommend(fund, "ua_manager", pid).json()["recommended"] is True
    first = _approve(fund, "us_manager", pid).json()
    assert first["executed"] is False
    assert {p["partner"]: p["approved"] for p in first["proposal"]["partners"]} == {
        "US": True,
        "UA": False,
    }
    for who in ("us_manager_2", "us_manager_3", "ua_manager", "ua_manager_2"):
        assert _approve(fund, who, pid).json()["executed"] is False
    body = {"payload_hash": proposal["payload_hash"]}
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda _: _approve(fund, "ua_manager_3", pid, body), range(2)))
    assert sorted(a.status_code for a in answers) == [200, 409]
    assert [a.json()["executed"] for a in answers if a.status_code == 200] == [True]
    with fund.client("auditor") as auditor:
        shown = auditor.get(f"/api/proposals/{pid}").json()
        executed = auditor.get("/api/proposals", params={"status": "executed"}).json()["items"]
    assert shown["status"] == "executed"
    assert shown["satisfied"] is True
    assert [p["id"] for p in executed].count(pid) == 1
    with fund.client("us_manager") as us:
        late = us.post(f"/api/proposals/{pid}/reject", json={"reason": "too late"})
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "governance"


def test_a_mark_approved_by_a_us_and_a_ua_manager_executes(fund: Fund) -> None:
    with fund.client("auditor") as auditor:
        open_ = auditor.get("/api/proposals", params={"status": "open"}).json()["items"]
    demo = next(p for p in open_ if p["payload"].get("investment_id") == "velta-titanium")
    for who in ("us_manager", "ua_manager"):
        _recommend(fund, who, demo["id"])
    for who in MANAGERS:
        _approve(fund, who, demo["id"])
    mark = {
        "investment_id": "velta-titanium",
        "fair_value": "20000000.00",
        "method": "board estimate",
        "on": "2026-11-30",
    }
    with fund.client("admin") as admin:
        unfunded = admin.post("/api/proposals", json={"kind": "valuation_mark", "payload": mark})
    # A commitment with nothing disbursed has nothing to mark: refused when proposed.
    assert unfunded.status_code == 422
    assert "velta-titanium has 0.00 USD disbursed" in unfunded.json()["error"]["message"]
    investments.disburse(
        fund.db,
        operator(fund.db),
        "velta-titanium",
        amount_minor=1_000_000_00,
        on=date(2026, 11, 2),
        reference="WIRE-API-1",
    )
    with fund.client("admin") as admin:
        made = admin.post("/api/proposals", json={"kind": "valuation_mark", "payload": mark})
    if made.status_code != 201:
        pytest.fail(made.text)
    pid = made.json()["id"]
    assert made.json()["rule"] == "each_partner"
    for who in ("us_manager", "ua_manager"):
        _recommend(fund, who, pid)
    assert _approve(fund, "us_manager", pid).json()["executed"] is False
    done = _approve(fund, "ua_manager", pid).json()
    assert done["executed"] is True
    assert done["proposal"]["status"] == "executed"
    assert _approve(fund, "ua_manager_2", pid).status_code == 409


def test_only_board_managers_approve_and_a_bad_payload_lists_its_problems(fund: Fund) -> None:
    with fund.client("admin") as admin:
        bad = admin.post(
            "/api/proposals",
            json={"kind": "investment", "payload": {"amount": "-1", "on": "someday"}},
        )
        assert bad.status_code == 422
        fields = {p["field"] for p in bad.json()["error"]["problems"]}
        assert {"investment_id", "name", "amount", "on"} <= fields
        made = admin.post(
            "/api/proposals",
            json={"kind": "investment", "payload": PAYLOAD | {"investment_id": "api-other"}},
        ).json()
        refused = admin.post(f"/api/proposals/{made['id']}/approve", json={})
    assert refused.status_code == 403
    with fund.client("ua_manager") as ua:
        rejected = ua.post(f"/api/proposals/{made['id']}/reject", json={"reason": "not now"})
    assert rejected.json()["status"] == "rejected"


def test_the_proposal_list_comes_a_page_at_a_time_after_a_cursor(fund: Fund) -> None:
    with fund.client("auditor") as auditor:
        everything = auditor.get("/api/proposals", params={"limit": 1000}).json()
        assert everything["next"] is None
        ids = [p["id"] for p in everything["items"]]
        assert ids == sorted(ids) and len(ids) >= 2
        seen: list[int] = []
        address: str | None = "/api/proposals?limit=1"
        while address is not None:
            page = auditor.get(address).json()
            assert len(page["items"]) <= 1
            seen += [p["id"] for p in page["items"]]
            address = page["next"]
        assert seen == ids
        for status in {p["status"] for p in everything["items"]}:  # the filter, page by page
            wanted = [p["id"] for p in everything["items"] if p["status"] == status]
            found: list[int] = []
            address = f"/api/proposals?status={status}&limit=1"
            while address is not None:
                page = auditor.get(address).json()
                found += [p["id"] for p in page["items"]]
                address = page["next"]
            assert found == wanted, status
        refused = auditor.get("/api/proposals", params={"limit": 0})
        assert refused.status_code == 422
