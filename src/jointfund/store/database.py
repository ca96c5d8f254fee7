"""Opening a database by URL: SQLite (WAL, one writer) or PostgreSQL (psycopg 3), migrated."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from jointfund.config import database_url
from jointfund.errors import ConfigError
from jointfund.i18n.message import Message

WRITE = "jf_write"
# Writes are short and, on PostgreSQL, serialised on the chain heads: a few connections.
_WRITER_POOL = {"pool_size": 2, "max_overflow": 4}


@dataclass(frozen=True)
class Database:
    """An engine plus the knowledge of how to open read and write transactions on it.

    On PostgreSQL, writes take their connections from a pool of their own (`writer`): under
    fifty readers an upload had waited behind them for a pooled connection (p99 3.2 s at one
    uploader, 0.9 s with its own pool; `benchmarks/uploads_under_reads.py`). SQLite has one
    writer at a time anyway and writes on `engine`."""

    engine: Engine
    writer: Engine | None = None

    @property
    def write_engine(self) -> Engine:
        """The engine write transactions run on."""
        return self.writer or self.engine

    @property
    def shared_url(self) -> str | None:
        """The URL another process opens this database by; None for an in-memory SQLite."""
        url = self.engine.url
        if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
            return None
        return url.render_as_string(hide_password=False)

    @property
    def sqlite_file(self) -> str | None:
        """The SQLite database's file, or None (PostgreSQL, or SQLite in memory)."""
        url = self.engine.url
        if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
            return None
        return str(url.database)

    @property
    def dialect(self) -> str:
        """`sqlite` or `postgresql`."""
        return self.engine.dialect.name

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One all-or-nothing write transaction (SQLite: BEGIN IMMEDIATE, one writer at a time)."""
        engine = self.write_engine
        with engine.connect().execution_options(**{WRITE: True}) as conn, conn.begin():
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction that sees one consistent snapshot.

        SQLite's read transactions already do; PostgreSQL's default (READ COMMITTED) takes a
        new snapshot per statement, so `verify` or a statement could mix two states of the
        books: reads there run under REPEATABLE READ, which never fails a read-only transaction.
        """
        with self.engine.connect() as conn:
            if self.dialect == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    def has_idle_connection(self) -> bool:
        """Whether the pool holds a connection it can hand out at once."""
        idle = getattr(self.engine.pool, "checkedin", None)
        return callable(idle) and int(idle()) > 0

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()
        if self.writer is not None:
            self.writer.dispose()


def _sqlite_engine(url: str, **kwargs: Any) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 60}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control from the driver so BEGIN is ours (IMMEDIATE for writers).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(WRITE, False)
        # Straight to the driver: every read pays this, and SQLAlchemy's statement machinery
        # (events, cursor result) costs more than the BEGIN itself.
        driver = conn.connection.driver_connection
        assert driver is not None
        driver.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def open_database(url_or_path: str, *, migrate: bool = True, pool: bool = True) -> Database:
    """Open (and by default migrate) the database at a SQLAlchemy URL or SQLite file path."""
    url = database_url(url_or_path)
    kwargs: dict[str, Any] = {} if pool else {"poolclass": NullPool}
    writer: Engine | None = None
    if url.startswith("sqlite"):
        engine = _sqlite_engine(url, **kwargs)
    elif url.startswith(("postgresql", "postgres")):
        if url.startswith(("postgresql://", "postgres://")):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        engine = create_engine(url, **kwargs)
        writer = create_engine(url, **(kwargs or _WRITER_POOL))
    else:
        raise ConfigError(
            Message(
                "unsupported database URL {url!r}: use a file path, sqlite:// or postgresql://",
                url=url,
            )
        )
    db = Database(engine, writer)
    if migrate:
        try:
            upgrade(db)
        except OperationalError as exc:
            raise ConfigError(
                Message("cannot open database {url!r}: {orig}", url=url, orig=str(exc.orig))
            ) from exc
    return db


def _alembic_config(conn: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("jointfund.store") / "migrations"))
    config.attributes["connection"] = conn
    return config


def code_heads() -> set[str]:
    """The newest migration revision of every branch the code ships."""
    config = Config()
    config.set_main_option("script_location", str(files("jointfund.store") / "migrations"))
    return set(ScriptDirectory.from_config(config).get_heads())


def upgrade(db: Database) -> None:
    """Bring the schema to the newest migration (a no-op when it is there already)."""
    with db.write() as conn:
        config = _alembic_config(conn)
        # Features add their own branches from 0001; upgrading to every head applies them all.
        heads = set(ScriptDirectory.from_config(config).get_heads())
        if set(MigrationContext.configure(conn).get_current_heads()) == heads:
            return
        command.upgrade(config, "heads")


def schema_revision(db: Database) -> str | None:
    """The migration revisions the database is at (comma-joined), or None with no schema yet."""
    with db.read() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return ",".join(sorted(MigrationContext.configure(conn).get_current_heads())) or None


def is_empty(db: Database) -> bool:
    """True when the database holds no jointfund data (no schema, or no accounts)."""
    with db.read() as conn:
        if not inspect(conn).has_table("accounts"):
            return True
        return conn.exec_driver_sql("SELECT COUNT(*) FROM accounts").scalar() == 0


def wipe(db: Database) -> None:
    """Drop every jointfund table (demo `--force` only); the schema is recreated by `upgrade`."""
    from jointfund.store.tables.ledger import metadata

    with db.write() as conn:
        metadata.drop_all(conn)
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        if db.dialect == "postgresql":
            conn.exec_driver_sql("DROP FUNCTION IF EXISTS jf_refuse_change() CASCADE")
            conn.exec_driver_sql("DROP FUNCTION IF EXISTS jf_account_guard() CASCADE")
