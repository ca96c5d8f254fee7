"""Schemathesis against the running server's OpenAPI: no 5xx, responses match their schemas.

The operations are driven through Hypothesis directly (seeded, few examples each) rather
than the schemathesis pytest plugin, which does not load under our pytest.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, seed, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.http.api.conftest import Fund, demo_fund

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
SKIP = {("POST", "/api/forecast/runs")}  # starts CPU-heavy simulations; tested on its own


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fund]:
    """A fund of its own, so generated writes do not disturb the other tests."""
    folder: Path = tmp_path_factory.mktemp("openapi")
    with demo_fund(f"sqlite:///{folder / 'books.db'}", folder / "runs") as running:
        yield running


def test_the_api_keeps_its_documented_contract(fuzzed: Fund) -> None:
    schema = schemathesis.openapi.from_url(f"{fuzzed.base}/openapi.json")
    headers = {"Authorization": f"Bearer {fuzzed.tokens['admin']}"}
    failures: list[str] = []
    tried = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIP:
            continue
        tried += 1

        @seed(20250430)
        @settings(
            max_examples=6,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def exercise(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            exercise()
        except Exception as exc:  # gather every operation's failure, report them together
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert tried >= 25
    assert not failures, "\n\n".join(failures)
