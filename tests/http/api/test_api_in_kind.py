"""In-kind aid over HTTP: cost report → valuation → recommendation → proposal → approvals →
booked, each step by the role the permission table names, shown with what it still needs."""

from __future__ import annotations

from typing import Any

from tests.http.api.conftest import MANAGERS, Fund

REF = "API-MoD-2026-7"


def _chain(fund: Fund, reference: str = REF) -> dict[str, Any]:
    with fund.client("auditor") as http:
        answer = http.get("/api/contributions/in-kind")
    assert answer.status_code == 200, answer.text
    return next(c for c in answer.json() if c["reference"] == reference)


def test_the_chain_over_http_books_one_credit(fund: Fund) -> None:
    report = {
        "reference": REF,
        "reported_on": "2026-07-15",
        "items": [{"description": "artillery rounds", "cost": "5000000.00"}],
    }
    with fund.client("us_manager") as http:  # a manager does not file the ministry's report
        assert http.post("/api/contributions/in-kind/cost-reports", json=report).status_code == 403
    with fund.client("admin") as http:
        made = http.post("/api/contributions/in-kind/cost-reports", json=report)
        again = http.post("/api/contributions/in-kind/cost-reports", json=report)
    assert made.status_code == 200 and made.json()["created"] is True
    assert again.json() == {**made.json(), "created": False}
    assert _chain(fund)["needed"] == "valuation"
    valuation = {
        "cost_report": REF,
        "reference": "EC-API-7",
        "consultant": "evaluation consultant",
        "method": "reported cost",
        "assessed_value": "4750000.00",
        "valued_on": "2026-08-01",
        "evidence": [{"reference": "MoD letter", "sha256": "d" * 64}],
    }
    with fund.client("admin") as http:
        valued = http.post("/api/contributions/in-kind/valuations", json=valuation)
        bad = http.post(
            "/api/contributions/in-kind/valuations",
            json={**valuation, "assessed_value": "many"},
        )
    assert valued.status_code == 200, valued.text
    assert bad.status_code == 422 and "assessed_value" in bad.text
    recommendation = {
        "valuation_id": valued.json()["id"],
        "assessed_value": "4750000.00",
        "recommended_on": "2026-08-15",
    }
    with fund.client("admin") as http:  # the administrator does not sit on the committee
        refused = http.post("/api/contributions/in-kind/recommendations", json=recommendation)
    assert refused.status_code == 403
    with fund.client("ua_manager") as http:
        assert (
            http.post("/api/contributions/in-kind/recommendations", json=recommendation).status_code
            == 200
        )
    assert _chain(fund)["needed"] == "proposal"
    with fund.client("admin") as http:
        proposed = http.post("/api/contributions/in-kind/proposals", json={"cost_report": REF})
    assert proposed.status_code == 200, proposed.text
    pid, digest = proposed.json()["id"], proposed.json()["payload_hash"]
    assert proposed.json()["payload"]["assessed_value"] == "4750000.00"
    approvals = 0
    for who in MANAGERS:
        with fund.client(who) as http:
            done = http.post(f"/api/proposals/{pid}/approve", json={"payload_hash": digest})
        assert done.status_code == 200, done.text
        approvals += 1
        if done.json()["executed"]:
            break
    assert approvals == len(MANAGERS)  # unanimity: every sitting manager of both partners
    chain = _chain(fund)
    assert chain["needed"] == "nothing"
    assert chain["booked"]["amount"] == "4750000.00" and chain["booked"]["proposal_id"] == pid
    with fund.client("admin") as http:
        listed = http.get("/api/contributions").json()
        twice = http.post("/api/contributions/in-kind/proposals", json={"cost_report": REF})
    credit = [c for c in listed if c["reference"] == REF]
    assert len(credit) == 1 and credit[0]["approved_basis"] == "assessed_value"
    assert twice.status_code == 409


def test_the_example_fund_shows_its_pending_illustrative_report(fund: Fund) -> None:
    chain = _chain(fund, "ILLUSTRATIVE-MOD-USAI-FY2026")
    assert (chain["illustrative"], chain["needed"], chain["booked"]) == (True, "not_booked", None)
