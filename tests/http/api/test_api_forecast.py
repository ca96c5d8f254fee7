"""Forecast runs over HTTP: start in the background, poll progress, fetch saved results."""

from __future__ import annotations

import json
import time
from typing import Any

from jointfund.forecast import census, load_scenario
from tests.http.api.conftest import Fund


def fresh_census(name: str) -> dict[str, Any]:
    """A bundled scenario's census computed now, not the one the server keeps."""
    return census(load_scenario(name)).as_dict()


def test_a_run_starts_polls_to_done_and_returns_its_results(fund: Fund) -> None:
    with fund.client("auditor") as http:
        started = http.post(
            "/api/forecast/runs", json={"scenario": "base", "paths": 200, "years": 5, "seed": 7}
        )
        assert started.status_code == 202, started.text
        run = started.json()
        assert run["state"] in {"queued", "running", "done"}
        deadline = time.monotonic() + 60
        while run["state"] not in {"done", "failed"}:
            assert time.monotonic() < deadline, run
            time.sleep(0.1)
            run = http.get(run["url"]).json()
        assert run["state"] == "done", run["error"]
        assert run["done"] == run["total"] == 200
        results = http.get(run["results"]).json()
        listed = http.get("/api/forecast/runs").json()
    assert results["manifest"]["paths"] == 200
    assert results["manifest"]["scenario"] == "base"
    assert len(results["calendar_years"]) == 5
    assert run["id"] in {r["id"] for r in listed}


def test_unknown_scenarios_and_runs_are_refused(fund: Fund) -> None:
    with fund.client("auditor") as http:
        bad = http.post("/api/forecast/runs", json={"scenario": "../../etc", "paths": 10})
        missing = http.get("/api/forecast/runs/no-such-run")
        traversal = http.get("/api/forecast/runs/..%2F..%2Fetc/results")
    assert bad.status_code == 422
    assert bad.json()["error"]["problems"][0]["field"] == "scenario"
    assert missing.status_code == 404
    assert traversal.status_code == 404


def test_results_say_they_are_conditional_and_the_census_they_link_is_served(fund: Fund) -> None:
    with fund.client("auditor") as http:
        started = http.post(
            "/api/forecast/runs", json={"scenario": "base", "paths": 200, "years": 5, "seed": 7}
        )
        run = started.json()
        deadline = time.monotonic() + 120
        while run["state"] not in {"done", "failed"}:
            assert time.monotonic() < deadline, run
            time.sleep(0.1)
            run = http.get(run["url"]).json()
        results = http.get(run["results"]).json()
        census = http.get("/api/forecast/scenarios/base/provenance")
        again = http.get("/api/forecast/scenarios/base/provenance")
        unknown = http.get("/api/forecast/scenarios/no-such/provenance")
    assert "Conditional on the assumptions of scenario 'base'" in results["conditional_on"]
    assert "/api/forecast/scenarios/base/provenance" in results["conditional_on"]
    assert {t["measure"] for t in results["targets"]} == {"us_value"}
    assert {t["measure"] for t in results["inflow_targets"]} == {"cum_inflow"}
    assert census.status_code == 200, census.text
    assert census.json()["counts"]["uncovered"] == 0
    # Computed once per process, and the same answer as the scenario's census computed now.
    assert again.json() == census.json() == json.loads(json.dumps(fresh_census("base")))
    assert unknown.status_code == 404


def test_a_what_if_runs_beside_its_term_sheet_and_bad_levers_are_located(fund: Fund) -> None:
    body = {"term_sheet": "terms-2025-04-30", "paths": 200, "years": 5, "seed": 7}
    with fund.client("auditor") as http:
        started = http.post("/api/forecast/whatif", json=body | {"price_factor": 1.5})
        assert started.status_code == 202, started.text
        run = started.json()
        deadline = time.monotonic() + 120
        while run["state"] not in {"done", "failed"}:
            assert time.monotonic() < deadline, run
            time.sleep(0.1)
            run = http.get(run["url"]).json()
        assert run["state"] == "done", run["error"]
        results = http.get(run["results"]).json()
        listed = {r["scenario"] for r in http.get("/api/forecast/runs").json()}
        bad = http.post(
            "/api/forecast/whatif", json=body | {"term_sheet": "base", "price_factor": 99}
        )
        wrong_kind = http.post("/api/forecast/whatif", json=body | {"territory": "everywhere"})
    assert "prices-x1.5" in results["manifest"]["scenario"]
    assert results["manifest"]["paths"] == 200
    assert "terms-2025-04-30" in listed  # the base ran too, through the same runner
    assert bad.status_code == 422
    fields = {p["field"] for p in bad.json()["error"]["problems"]}
    assert fields == {"term_sheet", "price_factor"}, bad.text
    assert wrong_kind.status_code == 422 and "territory" in wrong_kind.text
