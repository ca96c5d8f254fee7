"""Governance as reported over HTTP: the committees with seats, sources and members."""

from __future__ import annotations

from tests.http.api.conftest import Fund


def test_the_committees_are_listed_with_their_standing_and_members(fund: Fund) -> None:
    with fund.client("auditor") as auditor:
        answer = auditor.get("/api/governance/committees")
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert data["general_partner"]["name"] == "DFC Ukraine Subsoil LLC"
    assert data["general_partner"]["acts_for"] == "US"
    found = {c["id"]: c for c in data["committees"]}
    assert {k: (c["ratio"], c["standing"]) for k, c in found.items()} == {
        "investment": ("3:2", "reported"),
        "audit": ("2:2", "reported"),
        "project-search": ("2:3", "reported"),
        "administrative": ("2:2", "uncertain"),
    }
    assert "3:2" in found["administrative"]["note"]
    assert all(c["sources"] for c in found.values())
    investment = found["investment"]
    assert investment["members"] == {
        "US": ["us-manager-1", "us-manager-2", "us-manager-3"],
        "UA": ["ua-manager-1", "ua-manager-2"],
    }
    assert {r["decision"] for r in investment["routes"]} == {
        "investment",
        "valuation_mark",
        "write_down",
    }
    assert {m["reserved_to"] for m in data["reserved"]} == {"both_partners", "partner"}
    with fund.client("filer") as filer:
        assert filer.get("/api/governance/committees").status_code == 403
