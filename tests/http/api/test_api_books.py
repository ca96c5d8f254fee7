"""The books traced over HTTP: trial balance and balance sheet as of a day, an entry's
filings with their receipt day and FX rate, and an account's history with its balance."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import httpx
import pytest

from jointfund.fund import books
from jointfund.fund.users import authenticate
from tests.http.api.conftest import Fund, serving
from tests.http.pages.trace_site import build_trace_books


@pytest.fixture(scope="module")
def traced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fund]:
    """A fund whose inflow entries each sum filings, served by uvicorn."""
    folder = tmp_path_factory.mktemp("books-api")
    db, settings, tokens = build_trace_books(folder)
    tokens |= {"admin": tokens["administrator"]}
    with serving(settings) as base:
        yield Fund(base, db, tokens)
    db.dispose()


def _inflow(fund: Fund) -> dict[str, object]:
    with fund.client("auditor") as http:
        found = http.get("/api/ledger/journal", params={"kind": "inflow", "limit": 1}).json()
    return dict(found["items"][0])


def test_the_trial_balance_as_of_a_day_has_debits_equal_to_credits(traced: Fund) -> None:
    with traced.client("auditor") as http:
        answer = http.get("/api/ledger/trial-balance", params={"as_of": "2026-09-30"})
        balances = http.get("/api/ledger/balances", params={"as_of": "2026-09-30"}).json()
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["as_of"] == "2026-09-30" and body["balanced"] is True
    for total in body["totals"]:
        assert total["debits_minor"] == total["credits_minor"] > 0
        lines = [x for x in body["lines"] if x["currency"] == total["currency"]]
        assert sum(x["debit_minor"] for x in lines) == total["debits_minor"]
    signed = {(x["account"], x["debit_minor"] - x["credit_minor"]) for x in body["lines"]}
    assert signed == {(b["account"], b["balance"]["minor"]) for b in balances["balances"]}


def test_the_trial_balance_changes_with_the_day_and_refuses_a_loose_date(traced: Fund) -> None:
    with traced.client("auditor") as http:
        early = http.get("/api/ledger/trial-balance", params={"as_of": "2025-01-01"}).json()
        late = http.get("/api/ledger/trial-balance", params={"as_of": "2026-12-31"}).json()
        loose = http.get("/api/ledger/trial-balance", params={"as_of": "2026-9-30"})
    assert early["lines"] == [] and early["balanced"] is True
    assert len(late["lines"]) > 0
    assert loose.status_code == 422
    assert loose.json()["error"]["problems"][0]["field"].endswith("as_of")


def test_the_balance_sheet_balances_in_every_currency(traced: Fund) -> None:
    with traced.client("auditor") as http:
        body = http.get("/api/ledger/balance-sheet", params={"as_of": "2026-12-31"}).json()
    assert body["balanced"] and all(body["balanced"].values())
    kinds = {s["kind"]: s for s in body["sections"]}
    for currency in body["balanced"]:
        assets = kinds["asset"]["totals_minor"].get(currency, 0)
        rest = sum(kinds[k]["totals_minor"].get(currency, 0) for k in ("liability", "equity"))
        assert assets == rest + body["result_minor"].get(currency, 0)


def test_an_entry_traces_to_its_filings_and_each_filing_back_to_it(traced: Fund) -> None:
    entry = _inflow(traced)
    with traced.client("auditor") as http:
        first = http.get(f"/api/ledger/entries/{entry['seq']}/filings", params={"limit": 2})
        assert first.status_code == 200, first.text
        found, url = list(first.json()["items"]), first.json()["next"]
        while url:
            page = http.get(url).json()
            found += page["items"]
            url = page["next"]
    assert first.json()["count"] == len(found) > 0
    assert {f["entry_key"] for f in found} == {entry["key"]}
    assert len({f["id"] for f in found}) == len(found), "each filing once"
    day = date.fromisoformat(str(entry["date"]))
    assert all(date.fromisoformat(f["received_on"]) == day for f in found)
    assert all(
        f["fx_rate"] and day.isoformat() in f["fx_rate"] for f in found if f["currency"] != "USD"
    )
    metadata = dict(entry["metadata"])  # type: ignore[call-overload]
    assert sum(1 for f in found if f["fund_minor"]) == metadata["filings"]


def test_an_account_history_pages_with_a_running_balance(traced: Fund) -> None:
    account = "Assets:Cash:UAH"
    with traced.client("auditor") as http:
        url: str | None = f"/api/ledger/accounts/{account}/history?limit=3"
        lines: list[dict[str, int]] = []
        while url:
            page = http.get(url)
            assert page.status_code == 200, page.text
            body = page.json()
            balance = body["opening_minor"]
            for line in body["items"]:
                balance += line["amount_minor"]
                assert line["balance_minor"] == balance
            lines += body["items"]
            url = body["next"]
        now = http.get("/api/ledger/balances", params={"root": account}).json()["balances"]
        missing = http.get("/api/ledger/accounts/Assets:Nowhere/history")
    assert body["count"] == len(lines) > 3
    assert lines[-1]["balance_minor"] == now[0]["balance"]["minor"]
    assert missing.status_code == 404


def test_the_traces_need_the_right_to_read_them(traced: Fund) -> None:
    entry = _inflow(traced)
    with traced.client("velta-filings") as http:
        assert http.get("/api/ledger/trial-balance").status_code == 403
        assert http.get(f"/api/ledger/entries/{entry['seq']}/filings").status_code == 403
    with httpx.Client(base_url=traced.base) as anonymous:
        assert anonymous.get("/api/ledger/balance-sheet").status_code == 401
    user = authenticate(traced.db, traced.tokens["auditor"])
    assert books.entry(traced.db, user, seq=int(str(entry["seq"]))).entry.key == entry["key"]
