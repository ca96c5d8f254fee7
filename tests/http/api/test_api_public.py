"""Term sheets for any role, and the transparency data for anyone, token or not."""

from __future__ import annotations

from pathlib import Path

from jointfund.intake.filings import COLUMNS
from jointfund.reports.eiti_workbook_reader import read_eiti_workbook
from tests.http.api.conftest import Fund, demo_fund

HEADER = ",".join(COLUMNS)


def test_term_sheets_list_show_and_diff(fund: Fund) -> None:
    with fund.client("public") as http:
        presets = [t["id"] for t in http.get("/api/terms").json()]
        a, b = presets[0], presets[-1]
        shown = http.get(f"/api/terms/{a}").json()
        diff = http.get("/api/terms/diff", params={"a": a, "b": b}).json()
        same = http.get("/api/terms/diff", params={"a": a, "b": a}).json()
        unknown = http.get("/api/terms/diff", params={"a": a, "b": "/etc/passwd"})
    assert len(presets) >= 2
    assert shown["id"] == a and shown["yaml"].strip()
    assert diff["differences"] and all(d["a"] != d["b"] for d in diff["differences"])
    assert same["differences"] == []
    assert unknown.status_code == 404


def test_transparency_needs_no_token(fund: Fund) -> None:
    with fund.client(None) as http:
        got = http.get("/api/transparency", params={"year": 2025})
        everything = http.get("/api/transparency")
    assert got.status_code == 200, got.text
    assert everything.status_code == 200
    assert got.json() and got.json() != everything.json()


def test_transparency_pages_are_bounded_and_walk_every_row_once(fund: Fund) -> None:
    with fund.client(None) as http:
        whole = http.get("/api/transparency", params={"year": 2025}).json()
        rows, target, pages = [], "/api/transparency?year=2025&limit=7", 0
        while target:
            got = http.get(target).json()
            assert len(got["rows"]) <= 7
            assert got["totals"] == whole["totals"]
            rows += got["rows"]
            target, pages = got["next"], pages + 1
        too_many = http.get("/api/transparency", params={"limit": 100_000})
    assert whole["next"] is None and pages == -(-len(whole["rows"]) // 7) > 1
    assert sorted(map(str, rows)) == sorted(map(str, whole["rows"]))
    assert too_many.status_code == 422


def test_public_reads_answer_304_until_the_books_change(tmp_path: Path) -> None:
    with demo_fund(f"sqlite:///{tmp_path / 'books.db'}", tmp_path / "runs") as running:
        with running.client(None) as http:
            first = http.get("/api/transparency", params={"year": 2026})
            tag = first.headers["etag"]
            again = http.get("/api/transparency?year=2026", headers={"If-None-Match": tag})
            other = http.get("/api/transparency?year=2025", headers={"If-None-Match": tag})
            http.get("/transparency")  # the browser gets its session cookie
            page = http.get("/transparency")
            page_again = http.get("/transparency", headers={"If-None-Match": page.headers["etag"]})
        row = "UA-SP-2025-0711,2026-07,royalty,1000.00,UAH,ETAG-1,1,0.00,2026-08-15"
        with running.client("admin") as http:
            upload = http.post(
                "/api/filings", files={"file": ("one.csv", f"{HEADER}\n{row}\n".encode())}
            )
        assert upload.status_code == 200, upload.text
        with running.client(None) as http:
            moved = http.get("/api/transparency?year=2026", headers={"If-None-Match": tag})
    assert first.status_code == 200 and again.status_code == 304 and not again.content
    assert other.status_code == 200
    assert page.status_code == 200 and page_again.status_code == 304
    assert moved.status_code == 200 and moved.headers["etag"] != tag
    assert len(moved.json()["rows"]) == len(first.json()["rows"]) + 1


def test_the_eiti_workbook_needs_no_token_and_reads_back(fund: Fund, tmp_path: Path) -> None:
    with fund.client(None) as http:
        got = http.get("/api/transparency/eiti", params={"year": 2025})
        again = http.get(
            "/api/transparency/eiti",
            params={"year": 2025},
            headers={"If-None-Match": got.headers["etag"]},
        )
        refused = http.get("/api/transparency/eiti", params={"year": 1990})
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert again.status_code == 304
    assert refused.status_code == 422 and refused.json()["error"]["problems"][0]["field"] == "year"
    path = tmp_path / "eiti.xlsx"
    path.write_bytes(got.content)
    summary = read_eiti_workbook(path)
    assert summary.about.reporting_currency == "UAH"
    assert summary.payments and sum(p.amount_minor for p in summary.payments) > 0
