"""A built example fund, shared read-only by the report tests of one module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from jointfund.fund.demo import build_demo
from jointfund.store import Database, open_database


def built_demo(url: str) -> Database:
    """The example fund in a fresh database at `url`."""
    db = open_database(url)
    build_demo(db)
    return db


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The example fund on SQLite, built once per test module (tests must not write to it)."""
    path: Path = tmp_path_factory.mktemp("demo") / "books.db"
    db = built_demo(f"sqlite:///{path}")
    yield db
    db.dispose()
