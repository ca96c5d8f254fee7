"""Shared fixtures: a fresh SQLite file or a fresh PostgreSQL schema per test."""

from __future__ import annotations

import os
import uuid
import warnings
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from jointfund.store import Database, open_database

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def pg_admin_url() -> str:
    """The PostgreSQL server tests use: JOINTFUND_TEST_PG_URL, else a local default."""
    return os.environ.get("JOINTFUND_TEST_PG_URL", DEFAULT_PG)


@cache
def pg_unavailable_reason() -> str | None:
    """Why PostgreSQL tests cannot run here, or None when the server answers."""
    engine = create_engine(pg_admin_url(), connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        return f"no PostgreSQL server at {pg_admin_url()} ({str(exc.orig).strip().splitlines()[0]})"
    finally:
        engine.dispose()
    return None


def require_pg() -> None:
    """Skip (or, in CI with JOINTFUND_REQUIRE_PG=1, fail) when PostgreSQL is unreachable."""
    reason = pg_unavailable_reason()
    if reason is None:
        return
    if os.environ.get("JOINTFUND_REQUIRE_PG") == "1":
        pytest.fail(f"PostgreSQL is required here but unavailable: {reason}")
    pytest.skip(f"PostgreSQL test skipped: {reason}; set JOINTFUND_TEST_PG_URL to run it")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """URL of a fresh, empty PostgreSQL schema, dropped after the test."""
    require_pg()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_admin_url())
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in pg_admin_url() else "?"
    yield f"{pg_admin_url()}{sep}options={quote(f'-csearch_path={schema}')}"
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """URL of a fresh SQLite file."""
    return f"sqlite:///{tmp_path / 'books.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """The same test on a SQLite file and on PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A migrated database on each backend."""
    opened = open_database(db_url)
    yield opened
    opened.dispose()


def require_pdf() -> None:
    """Skip (or, with JOINTFUND_REQUIRE_PDF=1 as CI sets, fail) when WeasyPrint cannot load
    its system libraries (Pango): PDF rendering is the only part of jointfund that needs them."""
    try:
        with warnings.catch_warnings():
            # The notice html_to_pdf silences too: a system HarfBuzz without its subset library.
            warnings.filterwarnings(
                "ignore", message="HarfBuzz-Subset", category=DeprecationWarning
            )
            import weasyprint  # noqa: F401
    except OSError as exc:
        reason = f"PDF test skipped: WeasyPrint cannot load its libraries ({exc}); install Pango"
        if os.environ.get("JOINTFUND_REQUIRE_PDF") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
