"""Term sheets for any role, and the transparency data for anyone, token or not."""

from __future__ import annotations

from tests.api.conftest import Fund


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
