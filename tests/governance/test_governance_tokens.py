"""API tokens and the audit log: shown once, stored hashed, revocable, expiring, append-only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from jointfund import store
from jointfund.errors import AuthenticationError, PermissionDeniedError
from jointfund.fund import users
from jointfund.governance import Role, token_hash
from jointfund.store import Database

from ..fund.fund_board import NOW, make_board


def test_bootstrap_makes_only_the_first_administrator(db: Database) -> None:
    admin, issued = users.bootstrap_admin(db, "first", now=NOW)
    assert admin.role is Role.ADMINISTRATOR
    assert users.authenticate(db, issued.secret, now=NOW) == admin
    with pytest.raises(AuthenticationError, match="users exist already"):
        users.bootstrap_admin(db, "second", now=NOW)


def test_only_the_hash_is_stored(db: Database) -> None:
    _, issued = users.bootstrap_admin(db, "first", now=NOW)
    with db.read() as conn:
        stored = conn.execute(text("SELECT token_hash FROM api_tokens")).scalars().all()
        dump = " ".join(str(v) for r in conn.execute(text("SELECT * FROM api_tokens")) for v in r)
    assert stored == [token_hash(issued.secret)]
    assert issued.secret not in dump


def test_unknown_revoked_and_expired_tokens_are_refused(db: Database) -> None:
    board = make_board(db)
    ua = board.manager("UA")
    issued = users.issue_token(db, board.admin, ua.name, days=10, now=NOW)
    assert users.authenticate(db, issued.secret, now=NOW) == ua
    with pytest.raises(AuthenticationError, match="unknown"):
        users.authenticate(db, issued.secret + "x", now=NOW)
    with pytest.raises(AuthenticationError, match="expired"):
        users.authenticate(db, issued.secret, now=NOW + timedelta(days=10))
    assert users.revoke_token(db, ua, issued.id, now=NOW)  # an owner may revoke its own
    with pytest.raises(AuthenticationError, match="revoked"):
        users.authenticate(db, issued.secret, now=NOW)


def test_deactivated_users_cannot_authenticate(db: Database) -> None:
    board = make_board(db)
    issued = users.issue_token(db, board.admin, "auditor", now=NOW)
    users.deactivate_user(db, board.admin, "auditor", now=NOW)
    with pytest.raises(AuthenticationError, match="deactivated"):
        users.authenticate(db, issued.secret, now=NOW)


def test_only_administrators_revoke_other_peoples_tokens(db: Database) -> None:
    board = make_board(db)
    issued = users.issue_token(db, board.admin, "auditor", now=NOW)
    with pytest.raises(PermissionDeniedError):
        users.revoke_token(db, board.manager("US"), issued.id, now=NOW)


def test_every_write_is_audited_and_the_log_refuses_change(db: Database) -> None:
    board = make_board(db)
    with db.read() as conn:
        records = store.audit.audit_records(conn)
    actions = [r["action"] for r in records]
    assert actions[:2] == ["fund.setup", "users.bootstrap"]
    assert actions.count("users.add") == 9
    assert all(r["interface"] == "cli" and r["at"] for r in records)
    assert records[2]["actor"] == board.admin.label
    for statement in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), db.write() as conn:
            conn.execute(text(statement))
