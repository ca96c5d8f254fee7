"""Treasury receipts by code and subsoil auctions over real HTTP: uploads that store, lists that
read them back, a bad upload refused (422) with its problems named after the upload and nothing
stored, and the reconciliation by code."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.http.api.conftest import Fund, demo_fund

SAMPLES = Path(__file__).parents[2] / "intake" / "samples"
TREASURY = SAMPLES / "treasury_special_fund_2025_cp1251.csv"
AUCTIONS = SAMPLES / "prozorro_sale_procedures.json"


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fund]:
    """A demo fund of this module's own: its imports change what the shared one holds."""
    folder = tmp_path_factory.mktemp("receipts-api")
    with demo_fund(f"sqlite:///{folder / 'books.db'}", folder / "runs") as running:
        yield running


def test_treasury_upload_list_and_idempotent_repeat(own: Fund) -> None:
    with own.client() as http:
        body = TREASURY.read_bytes()
        first = http.post("/api/treasury", files={"file": (TREASURY.name, body, "text/csv")})
        assert first.status_code == 200, first.text
        assert first.json() == {
            "source": TREASURY.name,
            "created": 6,
            "revised": 0,
            "unchanged": 0,
        }
        again = http.post("/api/treasury", files={"file": (TREASURY.name, body, "text/csv")})
        assert again.json()["unchanged"] == 6
        listed = http.get("/api/treasury").json()
    royalty = [x for x in listed if x["code"] == "13030100"]
    assert [(x["period"], x["amount"]["amount"], x["fell"]) for x in royalty] == [
        ("2025-01", "1250000.00", False),
        ("2025-02", "1230500.25", False),
        ("2025-03", "-50000.00", True),
        ("2025-05", "1569499.75", False),
    ]
    with own.client("auditor") as http:
        assert http.get("/api/treasury").status_code == 200
        refused = http.post(
            "/api/treasury", files={"file": (TREASURY.name, TREASURY.read_bytes(), "text/csv")}
        )
        assert refused.status_code == 403


def test_a_bad_treasury_upload_is_422_with_located_problems_and_nothing_stored(
    own: Fund,
) -> None:
    bad = b"REP_PERIOD;FUND_TYP;COD_INCO;NAME_INC;FAKT_AMT\n1.2026;S;13030100;x;12,5.0\n"
    with own.client() as http:
        before = http.get("/api/treasury").json()
        got = http.post("/api/treasury", files={"file": ("bad.csv", bad, "text/csv")})
        assert got.status_code == 422
        problems = got.json()["error"]["problems"]
        assert [(p["file"], p["row"], p["field"]) for p in problems] == [("bad.csv", 2, "FAKT_AMT")]
        assert problems[0]["expected"]
        assert http.get("/api/treasury").json() == before


def test_auction_upload_registers_the_licence_and_lists_the_proceeds(own: Fund) -> None:
    with own.client() as http:
        got = http.post(
            "/api/auctions",
            files={"file": (AUCTIONS.name, AUCTIONS.read_bytes(), "application/json")},
        )
        assert got.status_code == 200, got.text
        assert (got.json()["created"], got.json()["licences_created"]) == (3, 1)
        sold = [a for a in http.get("/api/auctions").json() if a["proceeds"]]
        assert [(a["auction_id"], a["proceeds"]["amount"], a["counts_for_fund"]) for a in sold] == [
            ("SUE001-UA-20250915-10001", "2115000.00", False)
        ]
        listed = http.get("/api/licences", params={"limit": 1000}).json()["items"]
        ids = {x["licence_id"] for x in listed}
        assert "SUE001-UA-20250915-10001" in ids
        broken = http.post("/api/auctions", files={"file": ("x.json", b"[{", "application/json")})
        assert broken.status_code == 422
        assert broken.json()["error"]["problems"][0]["file"] == "x.json"


def test_the_reconciliation_by_code_reads_the_stored_receipts(own: Fund) -> None:
    with own.client() as http:
        # Stored here too (a repeat changes nothing), so the test holds whatever ran before it.
        body = TREASURY.read_bytes()
        stored = http.post("/api/treasury", files={"file": (TREASURY.name, body, "text/csv")})
        assert stored.status_code == 200, stored.text
        got = http.get("/api/treasury/reconciliation", params={"year": 2025})
        assert got.status_code == 200, got.text
        body = got.json()
    # The sample's 2025 royalties under 13030100 (March: a refund) were filed by nobody here.
    missing = [
        d
        for d in body["differences"]
        if d["cause"] == "missing_in_filings" and d["budget_code"] == "13030100"
    ]
    assert [d["period"] for d in missing] == ["2025-01", "2025-02", "2025-03", "2025-05"]
    with own.client("public") as http:
        assert http.get("/api/treasury/reconciliation").status_code == 403
