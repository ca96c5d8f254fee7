"""Backup and restore: the demo fund round-trips exactly; a damaged backup changes nothing."""

from __future__ import annotations

import os
import shutil
import threading
from datetime import date
from pathlib import Path

import pytest
import typer
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from jointfund.cli.backup import backup as backup_command
from jointfund.cli.backup import restore as restore_command
from jointfund.errors import ConflictError, InputError, IntegrityError
from jointfund.fund import users
from jointfund.fund.backup import backup, restore
from jointfund.fund.demo import build_demo
from jointfund.fund.setup import set_up_fund
from jointfund.ledger import Entry, Posting, chart
from jointfund.store import open_database
from jointfund.store.backup import current_schema
from jointfund.store.books import Books
from tests.fund.booking.booking_fixtures import snapshot
from tests.operator import operator

from ..conftest import pg_admin_url


def _demo(url: str) -> dict[str, list[tuple[object, ...]]]:
    db = open_database(url)
    try:
        build_demo(db)
        assert Books(db).verify().ok
        return snapshot(db)
    finally:
        db.dispose()


def _snapshot(url: str) -> dict[str, list[tuple[object, ...]]]:
    db = open_database(url, migrate=False)
    try:
        return snapshot(db)
    finally:
        db.dispose()


def test_sqlite_demo_round_trips_to_an_identical_snapshot(tmp_path: Path) -> None:
    source = f"sqlite:///{tmp_path / 'demo.db'}"
    before = _demo(source)
    db = open_database(source)
    done = backup(db, operator(db), tmp_path / "fund.backup")
    db.dispose()
    assert done.entries == len(before["entries"]) > 0

    target = f"sqlite:///{tmp_path / 'restored' / 'fund.db'}"
    restored = restore(done.path, target)
    assert (restored.entries, restored.last_hash) == (done.entries, done.last_hash)
    assert _snapshot(target) == before
    again = open_database(target)
    assert Books(again).verify().ok
    again.dispose()


def test_restore_refuses_a_target_with_books_unless_forced(tmp_path: Path) -> None:
    source = f"sqlite:///{tmp_path / 'demo.db'}"
    before = _demo(source)
    db = open_database(source)
    saved = backup(db, operator(db), tmp_path / "fund.backup").path
    db.dispose()
    other = f"sqlite:///{tmp_path / 'other.db'}"
    build = open_database(other)
    set_up_fund(build, "ua-us-2025-02-26-framework")
    build.dispose()
    kept = _snapshot(other)
    with pytest.raises(ConflictError, match="--force"):
        restore(saved, other)
    assert _snapshot(other) == kept
    restore(saved, other, force=True)
    assert _snapshot(other) == before


def _books_with_target(tmp_path: Path) -> tuple[Path, str, dict[str, list[tuple[object, ...]]]]:
    source = f"sqlite:///{tmp_path / 'demo.db'}"
    _demo(source)
    db = open_database(source)
    saved = backup(db, operator(db), tmp_path / "fund.backup").path
    db.dispose()
    target = f"sqlite:///{tmp_path / 'target.db'}"
    tdb = open_database(target)
    set_up_fund(tdb, "ua-us-2025-03-us-draft")
    tdb.dispose()
    return saved, target, _snapshot(target)


def test_truncated_sqlite_backup_is_refused_and_the_target_left_as_it_was(tmp_path: Path) -> None:
    saved, target, kept = _books_with_target(tmp_path)
    data = saved.read_bytes()
    saved.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="refused"):
        restore(saved, target, force=True)
    assert _snapshot(target) == kept
    assert sorted(p.name for p in tmp_path.iterdir() if "restoring" in p.name) == []


def test_backup_with_an_edited_entry_is_refused_by_verify(tmp_path: Path) -> None:
    saved, target, kept = _books_with_target(tmp_path)
    db = open_database(f"sqlite:///{tmp_path / 'demo.db'}")
    stored_hash = Books(db).entry(seq=3).hash
    db.dispose()
    data = saved.read_bytes()
    at = data.index(stored_hash.encode())
    flipped = b"0" if data[at : at + 1] != b"0" else b"1"
    saved.write_bytes(data[:at] + flipped + data[at + 1 :])
    with pytest.raises(IntegrityError, match="verify failed"):
        restore(saved, target, force=True)
    assert _snapshot(target) == kept


def test_garbage_is_not_a_backup(tmp_path: Path) -> None:
    junk = tmp_path / "junk.backup"
    junk.write_bytes(os.urandom(4096))
    with pytest.raises(InputError, match="not a jointfund backup"):
        restore(junk, f"sqlite:///{tmp_path / 'x.db'}")
    assert not (tmp_path / "x.db").exists()


def test_backup_and_restore_commands(tmp_path: Path) -> None:
    app = typer.Typer()
    app.command()(backup_command)
    app.command()(restore_command)
    source = str(tmp_path / "demo.db")
    _demo(f"sqlite:///{source}")
    runner = CliRunner()
    made = runner.invoke(
        app, ["backup", "--out", str(tmp_path / "b.backup"), "--db", source, "--token", "x"]
    )
    assert made.exit_code != 0  # no usable token, no backup
    db = open_database(source)
    token = users.issue_token(db, operator(db), "administrator", label="backup").secret
    db.dispose()
    before = _snapshot(f"sqlite:///{source}")
    made = runner.invoke(
        app, ["backup", "--out", str(tmp_path / "b.backup"), "--db", source, "--token", token]
    )
    assert made.exit_code == 0, made.output
    target = str(tmp_path / "t.db")
    done = runner.invoke(app, ["restore", str(tmp_path / "b.backup"), "--db", target, "--json"])
    assert done.exit_code == 0, done.output
    assert '"ok": true' in done.output
    assert _snapshot(f"sqlite:///{target}") == before


def _require_pg_tools() -> None:
    missing = [t for t in ("pg_dump", "pg_restore") if shutil.which(t) is None]
    if not missing:
        return
    if os.environ.get("JOINTFUND_REQUIRE_PG") == "1":
        pytest.fail(f"{missing} not installed but JOINTFUND_REQUIRE_PG=1")
    pytest.skip(f"{missing} not installed: PostgreSQL backups cannot be tested here")


def _drop_schema(schema: str) -> None:
    admin = create_engine(pg_admin_url())
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


@pytest.mark.postgres
def test_postgresql_round_trip_restores_the_lost_schema(pg_url: str, tmp_path: Path) -> None:
    _require_pg_tools()
    before = _demo(pg_url)
    db = open_database(pg_url)
    schema = current_schema(db)
    done = backup(db, operator(db), tmp_path / "fund.dump")
    db.dispose()
    with pytest.raises(ConflictError, match="--force"):
        restore(done.path, pg_url)
    assert _snapshot(pg_url) == before

    data = done.path.read_bytes()
    broken = tmp_path / "broken.dump"
    broken.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(InputError, match=r"refused|failed"):
        restore(broken, pg_url, force=True)
    assert _snapshot(pg_url) == before

    _drop_schema(schema)
    restored = restore(done.path, pg_url)
    assert restored.last_hash == done.last_hash
    assert _snapshot(pg_url) == before
    restore(done.path, pg_url, force=True)
    assert _snapshot(pg_url) == before


def test_sqlite_backup_taken_while_another_thread_posts_is_consistent(tmp_path: Path) -> None:
    source = f"sqlite:///{tmp_path / 'busy.db'}"
    db = open_database(source)
    set_up_fund(db, "ua-us-2025-04-30-agreement")
    stop = threading.Event()

    def keep_posting() -> None:
        writer = open_database(source)
        books = Books(writer)
        n = 0
        while not stop.is_set():
            n += 1
            books.post(
                Entry(
                    f"busy-{n:05d}",
                    date(2025, 9, 1),
                    "contribution",
                    (
                        Posting(chart.cash("USD"), 100, "USD"),
                        Posting(chart.capital_contributions("US"), -100, "USD"),
                    ),
                )
            )
        writer.dispose()

    thread = threading.Thread(target=keep_posting)
    thread.start()
    try:
        backups = [backup(db, operator(db), tmp_path / f"busy-{i}.backup") for i in range(5)]
    finally:
        stop.set()
        thread.join()
    db.dispose()
    for i, made in enumerate(backups):
        target = f"sqlite:///{tmp_path / f'busy-restored-{i}.db'}"
        restored = restore(made.path, target)
        assert restored.last_seq >= made.last_seq
        check = open_database(target)
        books = Books(check)
        assert books.balance(chart.cash("USD")) == 100 * restored.entries
        check.dispose()
