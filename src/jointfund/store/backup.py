"""A whole database to one file and back: SQLite's online backup API, `pg_dump`/`pg_restore`.

Restores are staged so that a bad backup never replaces good books: a SQLite backup is checked
in a scratch copy next to the target and swapped in only when `verify` is green; a PostgreSQL
archive is read in full by `pg_restore` before anything is written, restored in one
transaction, and dropped again when `verify` of the restored schema fails on a target that was
empty before.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import make_url

from jointfund.errors import ConfigError, ConflictError, InputError, IntegrityError, Problem
from jointfund.i18n.message import Message
from jointfund.ledger import VerifyReport
from jointfund.store.database import Database, is_empty, open_database
from jointfund.store.verification import verify_books

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"

Verifier = Callable[[Database], VerifyReport]


def _verify(db: Database) -> VerifyReport:
    with db.read() as conn:
        return verify_books(conn)


def backup_sqlite(db: Database, out: Path) -> None:
    """Copy a live SQLite database page by page (consistent even while others write)."""
    partial = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.partial")
    raw = db.engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        target = sqlite3.connect(partial)
        try:
            source.backup(target)
        finally:
            target.close()
        _fsync(partial)
        os.replace(partial, out)
    finally:
        raw.close()
        partial.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def libpq_url(db: Database) -> str:
    """The database's URL as libpq (pg_dump, psql) spells it, password included."""
    url = db.engine.url.set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def current_schema(db: Database) -> str:
    """The schema the connection writes to (its search_path's first existing schema)."""
    with db.read() as conn:
        return str(conn.exec_driver_sql("SELECT current_schema()").scalar_one())


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ConfigError(
            Message("{name} is not installed; PostgreSQL backups need the client tools", name=name)
        )
    return found


def _run(args: list[str], what: str) -> str:
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise InputError(
            [
                Problem(
                    Message("{what} failed: {detail}", what=what, detail=done.stderr.strip()[:2000])
                )
            ]
        )
    return done.stdout


def backup_postgresql(db: Database, out: Path) -> None:
    """`pg_dump` the books' schema in custom format to `out` (written whole, then renamed)."""
    partial = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        _run(
            [
                _pg_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--schema={current_schema(db)}",
                f"--file={partial}",
                f"--dbname={_dump_url(db)}",
            ],
            "pg_dump",
        )
        _fsync(partial)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)


def _dump_url(db: Database) -> str:
    # pg_dump sets its own search_path; the schema is named with --schema instead.
    parts = urlsplit(libpq_url(db))
    return parts._replace(query="").geturl()


def backup_kind(path: Path) -> str:
    """`sqlite` or `postgresql`, from the file's first bytes; refuse anything else."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise InputError(
            [Problem(Message("cannot read backup: {exc}", exc=str(exc)), file=str(path))]
        ) from exc
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgresql"
    raise InputError(
        [
            Problem(
                Message("not a jointfund backup"),
                file=str(path),
                expected=Message("a file written by `jointfund backup`"),
            )
        ]
    )


def _refuse(path: Path, why: str) -> InputError:
    return InputError(
        [
            Problem(
                Message("backup refused: {why}", why=why),
                file=str(path),
                expected=Message("an intact backup"),
            )
        ]
    )


def sqlite_target_path(url: str) -> Path:
    """The file a SQLite URL names."""
    database = make_url(url).database
    if not database or database == ":memory:":
        raise ConfigError(Message("cannot restore into {url!r}: name a SQLite file", url=url))
    return Path(database)


def _check_sqlite_file(path: Path) -> None:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchall()
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise _refuse(
            path, Message("not a readable SQLite database ({exc})", exc=str(exc))
        ) from exc
    if result != [("ok",)]:
        raise _refuse(
            path, Message("SQLite integrity check failed: {result}", result=str(result[:3]))
        )
    if not {"entries", "postings", "ledger_head"} <= tables:
        raise _refuse(path, Message("it holds no jointfund books"))


def restore_sqlite(
    source: Path, target_url: str, *, force: bool, verifier: Verifier = _verify
) -> VerifyReport:
    """Restore a SQLite backup over `target_url`'s file; swapped in only when verify is green."""
    target = sqlite_target_path(target_url)
    if target.exists() and not force:
        existing = open_database(target_url, migrate=False, pool=False)
        try:
            if not is_empty(existing):
                raise ConflictError(
                    Message(
                        "{target} holds books; restore over it with --force", target=str(target)
                    )
                )
        finally:
            existing.dispose()
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.restoring")
    try:
        shutil.copyfile(source, staged)
        _check_sqlite_file(staged)
        db = open_database(f"sqlite:///{staged}", pool=False)
        try:
            report = verifier(db)
            with db.engine.connect() as conn:
                # Fold the WAL back so the one file moved into place is the whole database.
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.dispose()
        if not report.ok:
            raise IntegrityError(
                Message("backup refused: verify failed at {first_bad}", first_bad=report.first_bad)
            )
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        _fsync(staged)
        os.replace(staged, target)
        return report
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{staged}{suffix}").unlink(missing_ok=True)


def _archive_schema(source: Path) -> str:
    listing = _run([_pg_tool("pg_restore"), "--list", str(source)], Message("reading the archive"))
    for line in listing.splitlines():
        fields = line.split()
        # TOC lines read "<id>; <oid> <oid> SCHEMA - <name> <owner>".
        if len(fields) >= 6 and fields[3] == "SCHEMA" and fields[4] == "-":
            return fields[5]
    raise _refuse(source, Message("the archive holds no schema"))


def _target_schema(target_url: str) -> str | None:
    options = parse_qs(urlsplit(target_url).query).get("options", [])
    for option in options:
        for word in option.split():
            if word.startswith("-csearch_path="):
                return word.split("=", 1)[1].split(",")[0]
    return None


def restore_postgresql(
    source: Path, target_url: str, *, force: bool, verifier: Verifier = _verify
) -> VerifyReport:
    """Restore a `pg_dump` archive into its own schema in the target database."""
    pg_restore = _pg_tool("pg_restore")
    schema = _archive_schema(source)
    wanted = _target_schema(target_url)
    if wanted is not None and wanted != schema:
        raise ConfigError(
            Message(
                "this backup holds schema {schema!r}; point --db at it (search_path={schema})",
                schema=schema,
            )
        )
    # Read every block (data too) before writing: a truncated or damaged archive stops here.
    _run([pg_restore, "--file", os.devnull, str(source)], Message("reading the archive"))
    url = target_url if wanted is not None else _with_schema(target_url, schema)
    db = open_database(url, migrate=False, pool=False)
    try:
        had_schema = _schema_exists(db, schema)
        if had_schema and not force and not _schema_is_empty(db, schema):
            raise ConflictError(
                Message("schema {schema} holds books; restore over it with --force", schema=schema)
            )
        if had_schema:
            with db.write() as conn:
                conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        _run(
            [
                pg_restore,
                "--single-transaction",
                "--exit-on-error",
                "--no-owner",
                "--no-privileges",
                f"--dbname={_dump_url(db)}",
                str(source),
            ],
            "pg_restore",
        )
        db.dispose()
        report = verifier(db)
        if not report.ok:
            if not had_schema:
                with db.write() as conn:
                    conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
            raise IntegrityError(
                Message("backup refused: verify failed at {first_bad}", first_bad=report.first_bad)
            )
        return report
    finally:
        db.dispose()


def _with_schema(url: str, schema: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


def _schema_exists(db: Database, schema: str) -> bool:
    with db.read() as conn:
        found = conn.exec_driver_sql(
            "SELECT 1 FROM information_schema.schemata WHERE schema_name = %(s)s", {"s": schema}
        ).first()
    return found is not None


def _schema_is_empty(db: Database, schema: str) -> bool:
    with db.read() as conn:
        has_accounts = conn.exec_driver_sql(
            "SELECT 1 FROM information_schema.tables "
            "WHERE table_schema = %(s)s AND table_name = 'accounts'",
            {"s": schema},
        ).first()
        if has_accounts is None:
            return True
        count = conn.exec_driver_sql(f'SELECT COUNT(*) FROM "{schema}".accounts').scalar()
    return count == 0
