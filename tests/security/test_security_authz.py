"""The authorisation matrix: every API route and every page, for every role and for nobody,
is allowed exactly where the permission table says and refused (401/403) everywhere else.

The route list comes from the app itself, so a route added without a place in this matrix
fails the inventory test instead of going unchecked.
"""

from __future__ import annotations

import re

import httpx
import pytest

from jointfund.governance import PERMISSIONS
from jointfund.http.api import ROUTERS
from jointfund.http.api.permit import route_actions
from tests.http.api.conftest import Fund

from .security_roles import CALLERS, ROLE_OF, app_routes, browser, may

API_ACTIONS = route_actions(ROUTERS)
# What each page needs; a tuple means any one of the actions will do (a reporting entity sees
# the filings page for its upload form without reading other filers' filings).
WEB_ACTIONS: dict[tuple[str, str], str | tuple[str, ...] | None] = {
    ("GET", "/signin"): None,
    ("GET", "/transparency"): None,
    ("GET", "/assets/plotly.min.js"): None,
    ("GET", "/docs"): None,
    ("GET", "/"): "ledger.read",
    ("GET", "/ledger"): "ledger.read",
    ("GET", "/ledger/entries/{seq}"): "ledger.read",
    ("GET", "/ledger/verify"): "ledger.verify",
    ("GET", "/ledger/entries/by-key"): "ledger.read",
    ("GET", "/ledger/accounts/{name}"): "ledger.read",
    ("GET", "/ledger/trial-balance"): "ledger.read",
    ("GET", "/ledger/balance-sheet"): "ledger.read",
    ("GET", "/ledger/fx-rates/{on}/{pair}"): "ledger.read",
    ("POST", "/ledger/verify"): "ledger.verify",
    ("GET", "/language/{lang}"): None,
    ("GET", "/filings/template.csv"): None,
    ("GET", "/licences"): ("licences.read", "licences.read_own"),
    ("GET", "/filings"): ("filings.read", "filings.submit"),
    ("POST", "/filings/upload"): "filings.submit",
    ("GET", "/treasury"): "receipts.read",
    ("POST", "/treasury/upload"): "receipts.import",
    ("POST", "/auctions/upload"): "receipts.import",
    ("GET", "/proposals"): "proposals.read",
    ("GET", "/proposals/{proposal_id}"): "proposals.read",
    ("POST", "/proposals/{proposal_id}/approve"): "proposals.approve",
    ("POST", "/proposals/{proposal_id}/reject"): "proposals.approve",
    ("POST", "/proposals/{proposal_id}/recommend"): "committees.recommend",
    # The confirmation step sends anyone who may not act back to the proposal.
    ("GET", "/proposals/{proposal_id}/{action}"): "proposals.read",
    # The form shows the position (a read); its review and the booking need the record right.
    ("GET", "/investments/{investment_id}/disburse"): "investments.read",
    ("POST", "/investments/{investment_id}/disburse/review"): "investments.record",
    ("POST", "/investments/{investment_id}/disburse"): "investments.record",
    ("GET", "/transparency/{name}"): None,
    ("GET", "/governance"): "committees.read",
    ("GET", "/statements"): "statements.read",
    ("GET", "/statements/report.{fmt}"): "statements.read",
    ("POST", "/statements/report.{fmt}"): "statements.read",
    ("GET", "/calendar"): "contributions.read",
    ("GET", "/contributions/transfers"): "contributions.read",
    ("GET", "/contributions/in-kind"): "contributions.read",
    ("GET", "/forecast"): "forecast.run",
    ("POST", "/forecast/runs"): "forecast.run",
    ("POST", "/forecast/whatif"): "forecast.run",
    ("GET", "/forecast/runs/{run_id}"): "forecast.run",
    ("GET", "/forecast/compare"): "forecast.run",
    ("GET", "/terms"): "transparency.read",
    ("GET", "/audit"): "audit.read",
    # Sign-in and sign-out are the doors themselves: see the throttle and CSRF tests.
    ("POST", "/signin"): None,
    ("POST", "/signout"): None,
}
DOORS = {("POST", "/signin"), ("POST", "/signout")}
# Path values that name nothing, so an allowed write finds nothing to change (404, 422).
PATH_VALUES = {
    "seq": "1",
    "lang": "uk",
    "proposal_id": "999999",
    "run_id": "no-such-run",
    "partner": "US",
    "quarter": "2026Q1",
    "terms_id": "ua-us-2025-04-30-agreement",
    "name": "no-such-scenario",
    "action": "approve",
    "investment_id": "no-such-investment",
    "on": "1999-01-01",
    "pair": "USD-UAH",
    "fmt": "html",
}
# Form fields that make an allowed page write refuse its input rather than act.
WEB_FORMS = {
    "/forecast/runs": {"paths": "not-a-number"},
    "/forecast/whatif": {"paths": "not-a-number"},
    "/statements/report.{fmt}": {"quarter": "not-a-quarter"},
}


def _url(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES[m.group(1)], path)


def _web_may(who: str | None, needed: str | tuple[str, ...] | None) -> bool:
    if needed is None or isinstance(needed, str):
        return may(who, needed)
    return any(may(who, action) for action in needed)


def test_the_matrix_covers_every_route_the_app_serves() -> None:
    served = app_routes()
    api = {r for r in served if r[1].startswith("/api/")}
    assert api == set(API_ACTIONS), "an API route is missing from route_actions"
    assert served - api == set(WEB_ACTIONS), "a page is missing from WEB_ACTIONS"
    needed = [a for a in WEB_ACTIONS.values() if a is not None]
    for action in [*API_ACTIONS.values(), *needed]:
        for name in (action,) if isinstance(action, str) or action is None else action:
            assert name is None or name in PERMISSIONS
    assert set(ROLE_OF.values()) == set(PERMISSIONS["transparency.read"]), "a role is untested"


@pytest.mark.parametrize("who", CALLERS)
def test_every_api_route_allows_exactly_the_roles_the_table_names(
    fund: Fund, who: str | None
) -> None:
    wrong: list[str] = []
    with fund.client(who) as http:
        for (method, path), action in sorted(API_ACTIONS.items()):
            if (method, path) == ("POST", "/api/forecast/runs") and may(who, action):
                got = http.post(_url(path), json={"paths": "many"})
            else:
                got = http.request(method, _url(path), json=[] if method != "GET" else None)
            allowed = may(who, action)
            if allowed:
                ok = got.status_code not in (401, 403) and got.status_code < 500
            else:
                ok = got.status_code == (401 if who is None else 403)
            if not ok:
                wrong.append(f"{who} {method} {path} ({action}): {got.status_code} {got.text}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("who", CALLERS)
def test_every_page_allows_exactly_the_roles_the_table_names(fund: Fund, who: str | None) -> None:
    wrong: list[str] = []
    with browser(fund, who) as (client, csrf):
        for (method, path), needed in sorted(WEB_ACTIONS.items()):
            if (method, path) in DOORS:
                continue
            params = {"format": "json"}
            if method == "GET":
                got = client.get(_url(path), params=params)
            else:
                form = {"csrf_token": csrf, **WEB_FORMS.get(path, {})}
                got = client.post(_url(path), params=params, data=form)
            if _web_may(who, needed):
                ok = got.status_code not in (401, 403) and got.status_code < 500
            else:
                ok = got.status_code == (401 if who is None else 403)
            if not ok:
                wrong.append(
                    f"{who} {method} {path} ({needed}): {got.status_code} {got.text[:300]}"
                )
    assert not wrong, "\n".join(wrong)


def test_a_page_refuses_a_signed_out_browser_by_redirecting_to_sign_in(fund: Fund) -> None:
    with httpx.Client(base_url=fund.base) as client:
        for (method, path), needed in sorted(WEB_ACTIONS.items()):
            if needed is None or method != "GET":
                continue
            got = client.get(_url(path))
            assert got.status_code == 303, path
            assert got.headers["location"].startswith("/signin?next="), path
