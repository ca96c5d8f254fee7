"""What a row edited behind the books' back can no longer do (attack review H4, M3, M7): each
edit is refused where it would act, named by `verify`, and a rewrite of the history with
recomputed hashes is caught by the checkpoint a partner kept."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from jointfund.errors import AuthenticationError, InputError, IntegrityError
from jointfund.fund import backup, books, filings, licences, proposals, users
from jointfund.ledger import Checkpoint, VerifyReport
from jointfund.store import open_database
from tests.fund.booking.booking_fixtures import HEADER, write
from tests.operator import approve_as_seen, operator

from ..store.test_row_chain import forge_row_chain
from .tamper_fund import TamperFund, copy_of, tamper_template, tampering


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Checkpoint]:
    return tamper_template(tmp_path_factory.mktemp("tamper-behaviour"))


@pytest.fixture
def fund(template: tuple[Path, Checkpoint], tmp_path: Path) -> TamperFund:
    return copy_of(template, tmp_path)


def _verify(url: str, kept: Checkpoint | None = None) -> VerifyReport:
    db = open_database(url)
    try:
        with db.read() as conn:
            from jointfund.store.verification import verify_books

            return verify_books(conn, kept)
    finally:
        db.dispose()


def _rows(report: VerifyReport) -> set[str]:
    return {f.row or f.what for f in report.findings}


def _open_investment(fund: TamperFund) -> int:
    db = open_database(fund.url)
    try:
        admin = operator(db)
        payload = {"investment_id": "third", "name": "Third", "amount": "25.00", "on": "2026-11-01"}
        return proposals.propose(db, admin, "investment", payload).id
    finally:
        db.dispose()


def test_a_payload_edited_with_its_hash_kept_executes_nothing(fund: TamperFund) -> None:
    pid = _open_investment(fund)
    with tampering(fund.url) as conn:
        conn.execute(
            text(
                "UPDATE proposals SET payload = replace(payload, '25.00', '150000000.00') "
                "WHERE id = :i"
            ),
            {"i": pid},
        )
    db = open_database(fund.url)
    try:
        manager = next(u for u in users.list_users(db, operator(db)) if u.name == "us-manager-1")
        with pytest.raises(IntegrityError, match=f"proposal {pid}"):
            approve_as_seen(db, manager, pid)
    finally:
        db.dispose()
    assert f"proposals:{pid}" in _rows(_verify(fund.url))


def test_a_manager_reseated_behind_the_books_back_carries_no_vote(fund: TamperFund) -> None:
    pid = _open_investment(fund)
    with tampering(fund.url) as conn:
        conn.execute(text("UPDATE users SET partner = 'UA' WHERE name = 'us-manager-3'"))
    db = open_database(fund.url)
    try:
        manager = next(u for u in users.list_users(db, operator(db)) if u.name == "us-manager-1")
        with pytest.raises(IntegrityError, match="us-manager-3"):
            approve_as_seen(db, manager, pid)
    finally:
        db.dispose()
    assert any(r.startswith("users:") for r in _rows(_verify(fund.url)))


def test_a_planted_token_row_opens_nothing(fund: TamperFund) -> None:
    secret = "jf_planted_by_dba"
    digest = hashlib.sha256(secret.encode()).hexdigest()
    with tampering(fund.url) as conn:
        admin_id = conn.execute(text("SELECT id FROM users WHERE name = 'administrator'")).scalar()
        conn.execute(
            text(
                "INSERT INTO api_tokens (user_id, token_hash, label, created_at, row_version) "
                "VALUES (:u, :h, 'planted', '2026-12-01T00:00:00.000000Z', 1)"
            ),
            {"u": admin_id, "h": digest},
        )
    db = open_database(fund.url)
    try:
        with pytest.raises(AuthenticationError, match="does not match"):
            users.authenticate(db, secret)
    finally:
        db.dispose()
    assert any(r.startswith("api_tokens:") for r in _rows(_verify(fund.url)))


def test_a_licence_made_new_behind_the_books_back_books_nothing(
    fund: TamperFund, tmp_path: Path
) -> None:
    with tampering(fund.url) as conn:
        conn.execute(
            text(
                "UPDATE licences SET issued_on = '2025-06-01' WHERE licence_id = 'UA-SP-2015-0777'"
            )
        )
    body = HEADER + "UA-SP-2015-0777,2026-10,royalty,1000000.00,USD,TAMPER-C-1,1,0.00,2026-11-15\n"
    db = open_database(fund.url)
    try:
        with pytest.raises(IntegrityError, match="licence UA-SP-2015-0777"):
            filings.import_filings(db, operator(db), write(tmp_path, "f.csv", body))
    finally:
        db.dispose()
    assert any("UA-SP-2015-0777" in r for r in _rows(_verify(fund.url)))


def test_a_licence_with_filings_cannot_be_reclassified_by_import(
    fund: TamperFund, tmp_path: Path
) -> None:
    body = (
        "licence_id,holder,holder_registry_id,deposit,resources,oblast,instrument,issued_on,"
        "status,is_new,territory\n"
        "UA-SP-2015-0777,Velta LLC,40000777,Birzulivske titanium deposit,titanium,Kirovohrad,"
        "special_permit,2015-07-07,active,true,controlled\n"
    )
    path = write(tmp_path, "licences.csv", body)
    db = open_database(fund.url)
    try:
        with pytest.raises(InputError) as refused:
            licences.import_licences(db, operator(db), path)
    finally:
        db.dispose()
    [problem] = refused.value.problems
    assert (problem.row, problem.field) == (2, "licence_id")
    assert "is_new" in problem.message


def test_a_rewritten_history_of_users_is_caught_only_by_the_kept_checkpoint(
    fund: TamperFund,
) -> None:
    with tampering(fund.url) as conn:
        conn.execute(text("UPDATE users SET role = 'administrator' WHERE name = 'auditor'"))
        # The careful intruder rehashes the chain over the edit, and every stored checkpoint.
        forge_row_chain(conn)
    assert _verify(fund.url).ok, "a plain verify cannot tell a consistent rewrite"
    report = _verify(fund.url, fund.kept)
    assert not report.ok
    assert any("checkpoint" in f.what for f in report.findings)


def test_verify_names_a_dropped_guard_and_restore_refuses_a_backup_without_guards(
    fund: TamperFund, tmp_path: Path
) -> None:
    db = open_database(fund.url)
    try:
        kept = backup.backup(db, operator(db), tmp_path / "fund.backup")
    finally:
        db.dispose()
    with sqlite3.connect(kept.path) as raw:
        names = [r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='trigger'")]
        for name in names:
            raw.execute(f'DROP TRIGGER "{name}"')
        raw.commit()
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # into the one file a restore copies
    with pytest.raises(IntegrityError, match="schema guard missing"):
        backup.restore(kept.path, f"sqlite:///{tmp_path / 'restored.db'}")
    assert not (tmp_path / "restored.db").exists()
    with sqlite3.connect(fund.url.removeprefix("sqlite:///")) as raw:
        raw.execute("DROP TRIGGER entries_no_update")
    report = _verify(fund.url)
    assert [f.what for f in report.findings] == [
        "schema guard missing: trigger entries_no_update (history can be edited in place)"
    ]
    db = open_database(fund.url)
    try:
        assert not books.verify(db, operator(db)).ok
    finally:
        db.dispose()
