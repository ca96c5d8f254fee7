"""One error body shape everywhere, whatever produced the error."""

from __future__ import annotations

from tests.http.api.conftest import Fund

PROBLEM_KEYS = {"file", "row", "field", "message", "expected"}


def _assert_shape(body: object) -> None:
    assert isinstance(body, dict) and set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "problems"}
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    assert all(set(p) == PROBLEM_KEYS for p in error["problems"])


def test_every_error_has_the_one_body_shape(fund: Fund) -> None:
    with fund.client("admin") as admin, fund.client(None) as anonymous:
        cases = {
            401: anonymous.get("/api/ledger/balances"),
            403: admin.post("/api/proposals/1/approve", json={}),
            404: admin.get("/api/ledger/entries/987654"),
            405: admin.delete("/api/ledger/balances"),
            409: admin.post(
                "/api/fx",
                files={"file": ("fx.csv", b"date,base,quote,rate\n2024-11-01,USD,UAH,1\n")},
            ),
            422: admin.get("/api/ledger/balances", params={"as_of": "not-a-date"}),
        }
        cases[404 + 1000] = admin.get("/api/no/such/path")
        cases[422 + 1000] = admin.post("/api/proposals", json={"kind": "investment", "payload": {}})
        cases[409 + 1000] = admin.get("/api/forecast/runs/no-such-run/results")
    for expected, response in cases.items():
        if expected < 1000:
            assert response.status_code == expected, (expected, response.text)
        _assert_shape(response.json())
    assert cases[422].json()["error"]["code"] == "invalid_input"
    assert cases[422].json()["error"]["problems"][0]["field"] == "query.as_of"
    assert cases[405].json()["error"]["code"] == "method_not_allowed"
    assert cases[1404].status_code == 404
    assert cases[1422].status_code == 422
    assert cases[1409].status_code == 404
    assert cases[409].json()["error"]["code"] == "conflict"
