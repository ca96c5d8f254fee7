"""The core of the API on PostgreSQL: paging, balances, filings 422, a proposal executed once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from jointfund.store.books import Books
from tests.http.api.conftest import MANAGERS, demo_fund

pytestmark = pytest.mark.postgres


def test_core_api_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    with demo_fund(pg_url, tmp_path / "runs") as fund, fund.client("admin") as http:
        seqs: list[int] = []
        url: str | None = "/api/ledger/journal?limit=5"
        while url:
            page = http.get(url).json()
            seqs += [e["seq"] for e in page["items"]]
            url = page["next"]
        assert seqs == [s.seq for s in Books(fund.db).journal(limit=100_000)]

        got = http.get("/api/ledger/balances", params={"as_of": "2025-12-31"}).json()
        assert [(b["account"], b["balance"]["minor"]) for b in got["balances"]] == [
            (r.account, r.amount) for r in Books(fund.db).balances(date(2025, 12, 31))
        ]

        bad = http.post(
            "/api/filings",
            files={
                "file": (
                    "bad.csv",
                    b"licence_id,period,stream,gross_amount,currency,payer_reference\n"
                    b"NOPE,2026-04,not_a_stream,1.00,UAH,PG-1\nNOPE,2026-99,royalty,x,UAH,PG-2\n",
                )
            },
        )
        assert bad.status_code == 422
        assert {p["row"] for p in bad.json()["error"]["problems"]} == {2, 3}

        shown = http.get("/api/proposals", params={"status": "open"}).json()["items"][0]
        pid, seen = shown["id"], {"payload_hash": shown["payload_hash"]}
        for who in ("us_manager", "ua_manager"):  # the Investment Committee first
            with fund.client(who) as member:
                answer = member.post(f"/api/proposals/{pid}/recommend", json=seen)
                assert answer.status_code == 200, answer.text
        outcomes = []
        for who in MANAGERS:
            with fund.client(who) as manager:
                outcomes.append(manager.post(f"/api/proposals/{pid}/approve", json=seen).json())
        assert [o["executed"] for o in outcomes] == [False] * 5 + [True]
        with fund.client("ua_manager") as ua:
            assert ua.post(f"/api/proposals/{pid}/approve", json=seen).status_code == 409
        assert http.get(f"/api/proposals/{pid}").json()["status"] == "executed"
