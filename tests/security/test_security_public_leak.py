"""The public page and the public API show no private field: every user name, token (secret or
hash), payer reference, entry key, account name, contribution reference and hash in the
database is looked for in every public response, and none is found."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import text

from tests.http.api.conftest import Fund

# Each query names strings that are private by construction.
PRIVATE = {
    "user name": "SELECT name FROM users",
    "token hash": "SELECT token_hash FROM api_tokens",
    "token label": "SELECT label FROM api_tokens WHERE label <> ''",
    "payer reference": "SELECT payer_reference FROM filings",
    # Under the agreement filings accrue without entries; a transfer's entry key stands in.
    "booked entry key": (
        "SELECT entry_key FROM filings WHERE entry_key IS NOT NULL "
        "UNION SELECT entry_key FROM contributions WHERE entry_key IS NOT NULL"
    ),
    "entry key": "SELECT key FROM entries",
    "entry hash": "SELECT hash FROM entries",
    "account name": "SELECT name FROM accounts",
    "contribution reference": "SELECT reference FROM contributions WHERE reference IS NOT NULL",
    "contribution key": "SELECT key FROM contributions",
    "proposal payload hash": "SELECT payload_hash FROM proposals",
    "audit actor": "SELECT actor FROM audit_log WHERE actor IS NOT NULL",
}
# Words a public page uses in its own right, which happen to be user names in the demo.
ORDINARY_WORDS = {"public", "auditor"}


def _private(fund: Fund) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    with fund.db.read() as conn:
        for what, query in PRIVATE.items():
            found[what] = {str(r[0]) for r in conn.execute(text(query)) if r[0]}
    found["token secret"] = set(fund.tokens.values())
    assert all(found.values()), {k for k, v in found.items() if not v}
    return found


def _public_responses(fund: Fund) -> dict[str, str]:
    with fund.client(None) as anyone:
        years = [
            t["key"]
            for t in anyone.get("/transparency", params={"format": "json"}).json()["totals"]["year"]
        ]
        answers = {
            "/api/transparency": anyone.get("/api/transparency"),
            "/transparency": anyone.get("/transparency"),
            "/transparency json": anyone.get("/transparency", params={"format": "json"}),
        }
        for year in years:
            answers[f"/api/transparency {year}"] = anyone.get(
                "/api/transparency", params={"year": year}
            )
            answers[f"/transparency {year}"] = anyone.get("/transparency", params={"year": year})
    with fund.client("public") as public:
        for path in ("/api/terms", "/api/terms/ua-us-2025-04-30-agreement", "/api/terms/diff"):
            params = (
                {"a": "ua-us-2025-04-30-agreement", "b": "ua-us-2025-04-30-agreement"}
                if "diff" in path
                else {}
            )
            answers[f"{path} (public token)"] = public.get(path, params=params)
    refused = {k: a.status_code for k, a in answers.items() if a.status_code != 200}
    assert not refused, refused
    assert len(years) >= 1
    return {k: a.text for k, a in answers.items()}


@pytest.fixture(scope="module")
def public_text(fund: Fund) -> dict[str, str]:
    return _public_responses(fund)


def test_public_responses_show_no_private_string(fund: Fund, public_text: dict[str, str]) -> None:
    leaks: list[str] = []
    for what, values in _private(fund).items():
        for value in values:
            if value in ORDINARY_WORDS:
                continue
            pattern = re.compile(rf"(?<![\w-]){re.escape(value)}(?![\w-])")
            for where, body in public_text.items():
                if pattern.search(body):
                    leaks.append(f"{what} {value!r} in {where}")
    assert not leaks, "\n".join(sorted(leaks)[:50])


def test_public_responses_carry_no_private_field_names(public_text: dict[str, str]) -> None:
    fields = ("payer_reference", "token", "capital", "entry_key", "user", "created_by", "holder")
    for where, body in public_text.items():
        if "/api/terms" in where:
            continue  # the term sheets are public documents with their own vocabulary
        for field in fields:
            assert f'"{field}' not in body, (where, field)


def test_the_public_api_needs_no_token_and_ignores_a_bad_one(fund: Fund) -> None:
    with httpx.Client(base_url=fund.base, headers={"Authorization": "Bearer jf_bad"}) as bad:
        assert bad.get("/api/transparency").status_code == 200
