"""API tokens are kept only as hashes: no table row, and no session cookie, holds a secret."""

from __future__ import annotations

import base64

from jointfund.fund import users
from jointfund.http.session import COOKIE
from tests.fund.booking.booking_fixtures import snapshot
from tests.http.api.conftest import Fund

from .security_roles import browser


def _secrets(fund: Fund) -> list[str]:
    return [s for who, s in fund.tokens.items() if who != "unknown"]


def test_no_table_row_holds_a_token_secret(fund: Fund) -> None:
    admin = users.authenticate(fund.db, fund.tokens["admin"])
    fresh = users.issue_token(fund.db, admin, "auditor", label="scan").secret
    assert users.authenticate(fund.db, fresh).name == "auditor"
    rows = repr(snapshot(fund.db))
    for secret in [*_secrets(fund), fresh]:
        assert secret not in rows
        assert secret.removeprefix("jf_") not in rows


def test_the_session_cookie_holds_no_token_secret(fund: Fund) -> None:
    with browser(fund, "auditor") as (client, _):
        cookie = client.cookies[COOKIE]
    body = cookie.partition(".")[0]
    decoded = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode()
    for secret in _secrets(fund):
        assert secret not in cookie
        assert secret not in decoded
