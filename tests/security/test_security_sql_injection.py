"""SQL injection in every text parameter (queries, forms, account names, licence ids, journal
filters): answered exactly like any other unknown value, nothing changes, nothing leaks."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

import httpx
import pytest
from sqlalchemy import text

from tests.fund.booking.booking_fixtures import snapshot_besides_sign_ins as snapshot
from tests.http.api.conftest import Fund

from .security_roles import browser, csrf_of

INJECTIONS = [
    "' OR '1'='1",
    "' OR 1=1 --",
    "x'; DROP TABLE users; --",
    '" OR ""="',
    "%' UNION SELECT token_hash, token_hash FROM api_tokens --",
    "Assets:Cash' OR account LIKE '%",
    "1) OR (1=1",
    "\\'; SELECT sqlite_version(); --",
]
INNOCENT = "zz-no-such-thing"
# Every text parameter of the API: (path, parameter, other parameters it needs).
API_TEXT: list[tuple[str, str, dict[str, str]]] = [
    ("/api/ledger/journal", "account", {}),
    ("/api/ledger/journal", "kind", {}),
    ("/api/ledger/balances", "root", {}),
    ("/api/ledger/entries/by-key", "key", {}),
    ("/api/filings", "licence", {}),
    ("/api/proposals", "status", {}),
    ("/api/terms/diff", "a", {"b": "ua-us-2025-04-30-agreement"}),
    ("/api/terms/diff", "b", {"a": "ua-us-2025-04-30-agreement"}),
]
API_PATHS = [
    "/api/terms/{}",
    "/api/statements/{}/2026Q1",
    "/api/statements/US/{}",
    "/api/forecast/runs/{}",
    "/api/forecast/runs/{}/results",
    "/api/forecast/scenarios/{}/provenance",
]
WEB_TEXT: list[tuple[str, str, dict[str, str]]] = [
    ("/ledger", "account", {}),
    ("/ledger", "kind", {}),
    ("/filings", "licence", {}),
    ("/proposals", "status", {}),
    ("/statements", "partner", {}),
    ("/statements", "quarter", {}),
    ("/terms", "a", {}),
    ("/forecast/compare", "a", {"b": "x"}),
    ("/forecast/runs/{}", "", {}),
]
LEAKS = ("sqlite", "syntax error", "OperationalError", "Traceback", "SELECT ")


def _secrets(fund: Fund) -> list[str]:
    with fund.db.read() as conn:
        hashes = [r[0] for r in conn.execute(text("SELECT token_hash FROM api_tokens"))]
    return hashes + list(fund.tokens.values())


def _shape(got: httpx.Response) -> tuple[int, Any]:
    try:
        body = got.json()
    except ValueError:
        return got.status_code, None
    if isinstance(body, dict):
        for listing in ("items", "entries", "filings", "proposals", "rows", "differences"):
            if isinstance(body.get(listing), list):
                return got.status_code, len(body[listing])
        return got.status_code, body.get("error", {}).get("code")
    return got.status_code, len(body) if isinstance(body, list) else None


def _check(
    got: httpx.Response, innocent: httpx.Response, secrets: list[str], where: str, payload: str
) -> None:
    assert got.status_code < 500, (where, got.text)
    assert _shape(got) == _shape(innocent), (where, got.text[:300], innocent.text[:300])
    shown = got.text
    # The filter echoed back is not a leak: as sent, JSON-escaped, or in the address of a
    # link that keeps it (a sort header's).
    for echo in (payload, payload.replace('"', '\\"').replace("\\", "\\\\"), quote_plus(payload)):
        shown = shown.replace(echo, "")
    for leak in (*LEAKS, *secrets):
        assert leak not in shown, (where, leak, got.text[:300])


@pytest.fixture(scope="module")
def before(fund: Fund) -> dict[str, list[tuple[Any, ...]]]:
    return snapshot(fund.db)


@pytest.mark.parametrize("payload", INJECTIONS)
def test_api_text_parameters_treat_sql_as_data(
    fund: Fund, payload: str, before: dict[str, list[tuple[Any, ...]]]
) -> None:
    secrets = _secrets(fund)
    with fund.client("admin") as http:
        for path, name, rest in API_TEXT:
            innocent = http.get(path, params={name: INNOCENT, **rest})
            got = http.get(path, params={name: payload, **rest})
            _check(got, innocent, secrets, f"{path}?{name}", payload)
        for pattern in API_PATHS:
            innocent = http.get(pattern.format(INNOCENT))
            got = http.get(pattern.format(httpx.URL(path="/" + payload).raw_path.decode()[1:]))
            _check(got, innocent, secrets, pattern, payload)
        bodies = [
            ("/api/contributions/cash", {"partner": payload, "amount": "1.00", "currency": "USD",
             "value_date": "2025-06-01", "reference": "r"}),
            ("/api/proposals", {"kind": payload, "payload": {}}),
            ("/api/proposals/1/reject", {"reason": payload}),
        ]  # fmt: skip
        for path, body in bodies:
            got = http.post(path, json=body)
            assert got.status_code in (403, 404, 409, 422), (path, got.text)
            assert not any(leak in got.text for leak in (*LEAKS, *secrets))
    assert snapshot(fund.db) == before


@pytest.mark.parametrize("payload", INJECTIONS)
def test_page_filters_and_forms_treat_sql_as_data(
    fund: Fund, payload: str, before: dict[str, list[tuple[Any, ...]]]
) -> None:
    secrets = _secrets(fund)
    with browser(fund, "admin") as (client, _):
        for path, name, rest in WEB_TEXT:
            if not name:
                innocent = client.get(path.format(INNOCENT), params={"format": "json"})
                got = client.get(path.format(payload.replace("/", "")), params={"format": "json"})
            else:
                innocent = client.get(path, params={name: INNOCENT, "format": "json", **rest})
                got = client.get(path, params={name: payload, "format": "json", **rest})
            _check(got, innocent, secrets, f"{path}?{name}", payload)
    assert snapshot(fund.db) == before


def test_sign_in_fields_treat_sql_as_data(
    fund: Fund, before: dict[str, list[tuple[Any, ...]]]
) -> None:
    secrets = _secrets(fund)
    # Few attempts, on a name nobody uses, so the sign-in throttle stays out of the way.
    attempts = [(p, fund.tokens["admin"]) for p in INJECTIONS[:3]]
    attempts += [("nobody", p) for p in INJECTIONS[:3]]
    for name, token in attempts:
        with httpx.Client(base_url=fund.base) as stranger:
            got = stranger.post(
                "/signin",
                data={"csrf_token": csrf_of(stranger), "name": name, "token": token},
                params={"format": "json"},
            )
            assert got.status_code == 401, got.text
            assert not any(leak in got.text for leak in (*LEAKS, *secrets))
            assert stranger.get("/", params={"format": "json"}).status_code == 401
    assert snapshot(fund.db) == before
