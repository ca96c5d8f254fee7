"""Who the security tests speak as: each role's token key and user name, and a web sign-in."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from jointfund.governance import PERMISSIONS, Role
from tests.http.api.conftest import Fund

ROLE_OF = {
    "admin": Role.ADMINISTRATOR,
    "us_manager": Role.BOARD_MANAGER,
    "ua_manager": Role.BOARD_MANAGER,
    "auditor": Role.AUDITOR,
    "filer": Role.REPORTING_ENTITY,
    "public": Role.PUBLIC,
}
"""Every role the fund knows, by token key (both partners' managers)."""
USER_NAME = {
    "admin": "administrator",
    "us_manager": "us-manager-1",
    "ua_manager": "ua-manager-1",
    "auditor": "auditor",
    "filer": "filer",
    "public": "public",
}
CALLERS: list[str | None] = [*ROLE_OF, None]
"""Every role, and no token at all."""
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def may(who: str | None, action: str | None) -> bool:
    """What the permission table says: may `who` (None: nobody signed in) perform `action`?

    A None action marks a public route, open to everyone.
    """
    if action is None:
        return True
    return who is not None and ROLE_OF[who] in PERMISSIONS[action]


def csrf_of(client: httpx.Client, path: str = "/signin") -> str:
    """The CSRF token a page's forms carry for this browser's session."""
    found = _CSRF.search(client.get(path).text)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


@contextmanager
def browser(fund: Fund, who: str | None) -> Iterator[tuple[httpx.Client, str]]:
    """A cookie-keeping client signed in as `who` (None: signed out) and its CSRF token."""
    with httpx.Client(base_url=fund.base, timeout=30) as client:
        csrf = csrf_of(client)
        if who is not None:
            signed = client.post(
                "/signin",
                data={"csrf_token": csrf, "name": USER_NAME[who], "token": fund.tokens[who]},
            )
            assert signed.status_code == 303, signed.text
            csrf = csrf_of(client, "/terms")
        yield client, csrf


def served_routes(app: Any) -> set[tuple[str, str]]:
    """Every (method, path) the app answers through a route function, however it was included
    (FastAPI keeps included routers as lazily expanded branches)."""
    found: set[tuple[str, str]] = set()
    for route in app.routes:
        contexts = (
            route.effective_route_contexts()
            if hasattr(route, "effective_route_contexts")
            else [route]
        )
        for ctx in contexts:
            if not hasattr(ctx, "dependant"):
                continue  # the docs pages and static files are not route functions
            for method in ctx.methods or ():
                found.add((method, ctx.path))
    return found


def app_routes() -> set[tuple[str, str]]:
    """Every (method, path) of a throwaway app built on an empty database."""
    from jointfund.config import Settings
    from jointfund.http import create_app
    from jointfund.http.state import state_of

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            Settings(database_url=f"sqlite:///{folder}/routes.db", runs_dir=Path(folder))
        )
        state_of(app).books.dispose()
        return served_routes(app)
