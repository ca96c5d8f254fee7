"""CSRF: every form the pages accept (listed from the app, so none is missed) refuses a post
without this session's token, with a forged one or with another browser's, and changes nothing."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.fund.booking.booking_fixtures import snapshot_besides_sign_ins
from tests.http.api.conftest import Fund

from .security_roles import USER_NAME, app_routes, browser, csrf_of

FORMS = sorted(
    path for method, path in app_routes() if method == "POST" and not path.startswith("/api/")
)
FIELDS = {
    "/signin": {"name": USER_NAME["admin"]},
    "/forecast/runs": {"scenario": "base", "paths": "100", "years": "5", "seed": "1"},
    "/proposals/{proposal_id}/reject": {"reason": "forged"},
}


def _url(path: str) -> str:
    return re.sub(r"\{\w+\}", "1", path)


def test_the_forms_listed_include_every_page_write() -> None:
    assert {"/signin", "/signout", "/ledger/verify", "/filings/upload"} <= set(FORMS)
    assert len(FORMS) >= 7


@pytest.mark.parametrize("path", FORMS)
def test_a_form_without_this_sessions_token_is_refused(fund: Fund, path: str) -> None:
    before = snapshot_besides_sign_ins(fund.db)
    with httpx.Client(base_url=fund.base) as stranger:
        foreign = csrf_of(stranger)
    who = "us_manager" if path.startswith("/proposals") else "admin"
    with browser(fund, who) as (client, _):
        for sent in ({}, {"csrf_token": "forged"}, {"csrf_token": foreign}):
            form = {**FIELDS.get(path, {}), **sent}
            if path == "/signin":
                form["token"] = fund.tokens["admin"]
            got = client.post(
                _url(path),
                data=form,
                files={"file": ("f.csv", b"x", "text/csv")} if "upload" in path else None,
                params={"format": "json"},
            )
            assert got.status_code == 403, (path, sent, got.text)
            assert got.json()["error"]["code"] == "csrf"
        still = client.get("/terms", params={"format": "json"})
        assert still.status_code == 200, "the refused sign-out did not sign out"
    assert snapshot_besides_sign_ins(fund.db) == before
