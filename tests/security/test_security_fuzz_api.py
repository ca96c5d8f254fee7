"""Schemathesis against every API route with malformed bodies, queries, paths and uploads
(its negative mode: every value off its schema), plus raw upload noise: never a 5xx.

Driven through Hypothesis directly, seeded, as tests/http/api does; the schemathesis pytest
plugin does not load under our pytest.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from tests.http.api.conftest import Fund, demo_fund

SKIP = {  # a valid body starts a CPU-heavy simulation
    ("POST", "/api/forecast/runs"),
    ("POST", "/api/forecast/whatif"),
}
UPLOADS = ["/api/filings", "/api/licences", "/api/fx"]
FUZZ = settings(
    max_examples=8,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fund]:
    """A fund of its own, so whatever the generated writes do stays here."""
    folder: Path = tmp_path_factory.mktemp("fuzz-api")
    with demo_fund(f"sqlite:///{folder / 'books.db'}", folder / "runs") as running:
        yield running


@pytest.mark.parametrize("mode", [GenerationMode.NEGATIVE, GenerationMode.POSITIVE])
@pytest.mark.parametrize("who", ["admin", "us_manager", "filer"])
def test_no_generated_request_makes_the_api_fail(
    fuzzed: Fund, mode: GenerationMode, who: str
) -> None:
    schema = schemathesis.openapi.from_url(f"{fuzzed.base}/openapi.json")
    headers = {"Authorization": f"Bearer {fuzzed.tokens[who]}"}
    failures: list[str] = []
    tried = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIP:
            continue
        tried += 1

        @seed(20250430)
        @FUZZ
        @given(case=operation.as_strategy(mode))
        def exercise(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        try:
            exercise()
        except Exception as exc:  # gather every operation's failure, report them together
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert tried >= 25
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("path", UPLOADS)
def test_upload_noise_is_refused_without_a_server_error(fuzzed: Fund, path: str) -> None:
    with fuzzed.client("admin") as http:

        @FUZZ
        @given(
            name=st.one_of(st.none(), st.text(max_size=40)),
            content=st.binary(max_size=400),
            field=st.sampled_from(["file", "upload", ""]),
            kind=st.sampled_from(["text/csv", "application/json", "application/octet-stream"]),
        )
        def upload(name: str | None, content: bytes, field: str, kind: str) -> None:
            try:
                got = http.post(path, files={field: (name, content, kind)})
            except (httpx.LocalProtocolError, UnicodeEncodeError):
                return  # the client itself refused to send it
            assert got.status_code < 500, got.text
            assert got.status_code in (200, 409, 422), got.text

        upload()


def test_malformed_forecast_run_bodies_are_refused(fuzzed: Fund) -> None:
    bodies: list[object] = [
        [],
        "x",
        {"paths": -1},
        {"paths": 10**12},
        {"years": 0},
        {"scenario": "../../etc/passwd"},
        {"scenario": "base", "paths": "many"},
        {"seed": "nope"},
    ]
    with fuzzed.client("admin") as http:
        for body in bodies:
            got = http.post("/api/forecast/runs", json=body)
            assert got.status_code in (404, 422), (body, got.text)
