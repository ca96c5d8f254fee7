"""Fixtures for the security tests: a demo fund of their own, served over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.http.api.conftest import Fund, demo_fund


@pytest.fixture(scope="module")
def fund(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fund]:
    """A demo fund with every role's token, API and pages on one uvicorn server."""
    folder = tmp_path_factory.mktemp("security")
    with demo_fund(f"sqlite:///{folder / 'books.db'}", folder / "runs") as running:
        yield running
