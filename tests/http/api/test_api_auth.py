"""Every route refuses a missing, unknown, expired, revoked or deactivated token (401) and a
role the permission table does not allow (403); only transparency is public."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest

from jointfund.config import Settings
from jointfund.governance import PERMISSIONS, Role
from jointfund.http import create_app
from jointfund.http.api import ROUTERS
from jointfund.http.api.permit import route_actions
from jointfund.http.state import state_of
from tests.http.api.conftest import Fund

PUBLIC = {("GET", "/api/transparency"), ("GET", "/api/transparency/eiti")}
PATH_VALUES = {
    "seq": "1",
    "proposal_id": "1",
    "run_id": "base-run",
    "partner": "US",
    "quarter": "2026Q1",
    "terms_id": "x",
    "name": "base",
}
WHO_HAS_ROLE = {
    Role.ADMINISTRATOR: "admin",
    Role.BOARD_MANAGER: "us_manager",
    Role.AUDITOR: "auditor",
    Role.REPORTING_ENTITY: "filer",
    Role.PUBLIC: "public",
}


def _documented_operations() -> set[tuple[str, str]]:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            Settings(database_url=f"sqlite:///{folder}/routes.db", runs_dir=Path(folder))
        )
        paths = app.openapi()["paths"]
        state_of(app).books.dispose()
    return {
        (method.upper(), path)
        for path, operations in paths.items()
        if path.startswith("/api/")
        for method in operations
    }


ROUTES = route_actions(ROUTERS)
GUARDED = sorted(k for k, action in ROUTES.items() if action is not None)
# Routes whose action some role lacks (transparency.read is every role's).
RESTRICTED = sorted(k for k in GUARDED if set(Role) - PERMISSIONS[str(ROUTES[k])])


def _url(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES[m.group(1)], path)


def test_every_api_route_checks_an_action_except_the_public_ones() -> None:
    assert set(ROUTES) == _documented_operations()
    assert {k for k, action in ROUTES.items() if action is None} == PUBLIC
    assert all(action in PERMISSIONS for action in ROUTES.values() if action is not None)
    assert len(GUARDED) >= 25


@pytest.mark.parametrize(("method", "path"), GUARDED)
@pytest.mark.parametrize("who", [None, "unknown", "expired", "revoked", "deactivated"])
def test_route_refuses_a_caller_without_a_usable_token(
    fund: Fund, method: str, path: str, who: str | None
) -> None:
    with fund.client(who) as http:
        got = http.request(method, _url(path))
    assert got.status_code == 401, got.text
    assert got.json()["error"]["code"] == "unauthenticated"
    assert got.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(("method", "path"), RESTRICTED)
def test_route_refuses_a_role_the_permission_table_does_not_allow(
    fund: Fund, method: str, path: str
) -> None:
    action = ROUTES[(method, path)]
    assert action is not None
    outsiders = [r for r in Role if r not in PERMISSIONS[action]]
    for role in outsiders:
        with fund.client(WHO_HAS_ROLE[role]) as http:
            got = http.request(method, _url(path))
        assert got.status_code == 403, (role, got.text)
        assert got.json()["error"]["code"] == "permission_denied"
