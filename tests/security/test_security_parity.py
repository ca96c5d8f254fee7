"""Parity through the API: no single partner can satisfy a both-partners rule, whether by two
of its managers, forged partner fields, a replayed approval or approving before an amendment."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from jointfund.fund import investments
from tests.http.api.conftest import MANAGERS, Fund
from tests.operator import operator

INVESTMENT = "velta-titanium"


def _approve(fund: Fund, who: str, pid: int, body: Any = None) -> Any:
    """Approve as `who`, naming the payload hash the proposal shows now unless `body` does."""
    with fund.client(who) as http:
        if body is None:
            shown = http.get(f"/api/proposals/{pid}")
            body = {"payload_hash": shown.json()["payload_hash"]} if shown.is_success else {}
        return http.post(f"/api/proposals/{pid}/approve", json=body)


def _recommended(fund: Fund, pid: int) -> None:
    """The Investment Committee recommends the current payload (a U.S. and a Ukrainian member)."""
    for who in ("us_manager", "ua_manager"):
        with fund.client(who) as http:
            digest = http.get(f"/api/proposals/{pid}").json()["payload_hash"]
            answer = http.post(f"/api/proposals/{pid}/recommend", json={"payload_hash": digest})
            assert answer.status_code == 200, answer.text


def _show(fund: Fund, pid: int) -> dict[str, Any]:
    with fund.client("auditor") as http:
        shown: dict[str, Any] = http.get(f"/api/proposals/{pid}").json()
    return shown


def _sides(shown: dict[str, Any]) -> dict[str, bool]:
    return {p["partner"]: p["approved"] for p in shown["partners"]}


@pytest.fixture(scope="module")
def invested(fund: Fund) -> Fund:
    """The demo's titanium investment executed, so its value can be marked."""
    with fund.client("auditor") as auditor:
        open_ = auditor.get("/api/proposals", params={"status": "open"}).json()["items"]
    demo = next(p for p in open_ if p["payload"].get("investment_id") == INVESTMENT)
    _recommended(fund, demo["id"])
    for who in MANAGERS:
        _approve(fund, who, demo["id"])
    assert _show(fund, demo["id"])["status"] == "executed"
    # A mark needs money in the investment: the first tranche goes out before any mark.
    investments.disburse(
        fund.db,
        operator(fund.db),
        INVESTMENT,
        amount_minor=1_000_000_00,
        on=date(2026, 9, 1),
        reference="WIRE-PARITY-1",
    )
    return fund


def _mark(fund: Fund, on: str, value: str = "20000000.00") -> dict[str, Any]:
    payload = {"investment_id": INVESTMENT, "fair_value": value, "method": "board", "on": on}
    with fund.client("admin") as admin:
        made = admin.post("/api/proposals", json={"kind": "valuation_mark", "payload": payload})
    assert made.status_code == 201, made.text
    assert made.json()["rule"] == "each_partner"
    created: dict[str, Any] = made.json()
    _recommended(fund, created["id"])
    return created


def test_every_manager_of_one_partner_together_cannot_execute(invested: Fund) -> None:
    pid = _mark(invested, "2026-09-30")["id"]
    for who in ("us_manager", "us_manager_2", "us_manager_3"):
        answer = _approve(invested, who, pid)
        assert answer.status_code == 200 and answer.json()["executed"] is False
    shown = _show(invested, pid)
    assert (shown["status"], shown["satisfied"]) == ("open", False)
    assert _sides(shown) == {"US": True, "UA": False}


def test_forged_partner_fields_in_the_body_count_for_nothing(invested: Fund) -> None:
    made = _mark(invested, "2026-10-31")
    with invested.client("ua_manager") as ua:
        ua_id = ua.get("/api/me").json()["id"]
    forged = [
        {"partner": "UA", "payload_hash": made["payload_hash"]},
        {"partner": "UA", "user_id": ua_id, "approved_by": [ua_id], "interface": "cli"},
        {"approvals": [{"user_id": ua_id, "partner": "UA"}], "executed": True},
    ]
    for body in forged:
        answer = _approve(invested, "us_manager", made["id"], body)
        assert answer.status_code in (200, 409, 422), answer.text
    shown = _show(invested, made["id"])
    assert shown["status"] == "open"
    assert _sides(shown) == {"US": True, "UA": False}
    assert {a["partner"] for a in shown["approvals"]} == {"US"}
    with invested.client("admin") as admin:
        sneaky = admin.post(
            "/api/proposals",
            json={
                "kind": "valuation_mark",
                "payload": {**made["payload"], "on": "2026-11-30"},
                "approvals": [{"user_id": ua_id, "partner": "UA"}],
                "status": "executed",
            },
        )
    if sneaky.status_code == 201:
        assert sneaky.json()["status"] == "open"
        assert sneaky.json()["approvals"] == []


def test_a_replayed_approval_is_refused_and_counts_once(invested: Fund) -> None:
    made = _mark(invested, "2026-11-15")
    body = {"payload_hash": made["payload_hash"]}
    assert _approve(invested, "us_manager", made["id"], body).status_code == 200
    for _ in range(3):
        replay = _approve(invested, "us_manager", made["id"], body)
        assert replay.status_code == 409, replay.text
    shown = _show(invested, made["id"])
    assert shown["status"] == "open"
    assert len(shown["approvals"]) == 1


def test_approvals_given_before_an_amendment_stop_counting(invested: Fund) -> None:
    made = _mark(invested, "2026-11-20")
    pid = made["id"]
    assert _approve(invested, "us_manager", pid).json()["executed"] is False
    amended_payload = {**made["payload"], "fair_value": "90000000.00"}
    with invested.client("us_manager") as us:
        amended = us.put(f"/api/proposals/{pid}/payload", json={"payload": amended_payload})
    assert amended.status_code == 200, amended.text
    assert _sides(amended.json()) == {"US": False, "UA": False}
    stale = _approve(invested, "ua_manager", pid, {"payload_hash": made["payload_hash"]})
    assert stale.status_code in (409, 422), "approving the payload one saw, not the new one"
    unrecommended = _approve(invested, "ua_manager", pid)
    assert unrecommended.status_code == 409, "the committee recommended the old payload only"
    assert "Investment Committee" in unrecommended.text
    _recommended(invested, pid)
    done = _approve(invested, "ua_manager", pid)
    assert done.json()["executed"] is False, "the US approval was of the old payload"
    shown = _show(invested, pid)
    assert (shown["status"], _sides(shown)) == ("open", {"US": False, "UA": True})
    assert _approve(invested, "us_manager", pid).json()["executed"] is True
