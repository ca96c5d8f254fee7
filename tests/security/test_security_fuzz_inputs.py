"""Fuzzing the places bad input enters: every API route on PostgreSQL (schemathesis, from the
app's own OpenAPI document, served here offline), hostile values in the query strings and
bodies of the routes that take free text and dates, and the command line (no traceback).

Seeded and derandomized, so a run replays; sized to stay far under a minute.
"""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import schemathesis
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from sqlalchemy import create_engine, text

from jointfund.cli.app import main
from jointfund.fund.demo import build_demo
from jointfund.store import open_database
from tests.conftest import pg_admin_url, require_pg
from tests.http.api.conftest import Fund, demo_fund

SKIP = {  # a valid body starts a CPU-heavy simulation
    ("POST", "/api/forecast/runs"),
    ("POST", "/api/forecast/whatif"),
}
FUZZ = settings(
    max_examples=4,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
HOSTILE = settings(FUZZ, max_examples=40)

# Text meant to break a reader, a column or a serialiser rather than a rule.
NASTY_WORDS = st.sampled_from(
    [
        "\x00",
        "a\x00b",
        "x" * 5000,
        "9" * 5000,
        "0001-01-01",
        "9999-12-31",
        "20261125",
        "2026-W48-3",
        "2026-02-30",
        "9999Q4",
        "1e400",
        "NaN",
        "-0",
        "=HYPERLINK(1)",
        "%00",
        "' OR 1=1 --",
        "\u202e",
        "",
        "0",
        "-1.1",
        "1000000000",
        "999999999999999999999999999999",
    ]
)
NASTY_TEXT = st.one_of(NASTY_WORDS, st.text(max_size=300))
DEEP = st.integers(1, 2000).map(lambda n: "[" * n + "]" * n)
JSON_VALUES: st.SearchStrategy[Any] = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**30), 10**30),
        NASTY_TEXT,
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(NASTY_TEXT, inner, max_size=3),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def pg_fund(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fund]:
    """A demo fund on a PostgreSQL schema of its own, served over HTTP."""
    require_pg()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_admin_url())
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in pg_admin_url() else "?"
    url = f"{pg_admin_url()}{sep}options={quote(f'-csearch_path={schema}')}"
    folder: Path = tmp_path_factory.mktemp("fuzz-pg")
    try:
        with demo_fund(url, folder / "runs") as running:
            yield running
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.mark.postgres
def test_no_generated_request_makes_the_api_fail_on_postgresql(pg_fund: Fund) -> None:
    """Every value off its schema (the positive mode runs on SQLite in test_security_fuzz_api)."""
    schema = schemathesis.openapi.from_url(f"{pg_fund.base}/openapi.json")
    headers = {"Authorization": f"Bearer {pg_fund.tokens['admin']}"}
    failures: list[str] = []
    tried = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIP:
            continue
        tried += 1

        @seed(20261206)
        @FUZZ
        @given(case=operation.as_strategy(GenerationMode.NEGATIVE))
        def exercise(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        try:
            exercise()
        except Exception as exc:  # gather every operation's failure, report them together
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert tried >= 25
    assert not failures, "\n\n".join(failures)


READS = [
    ("/api/ledger/journal", ("account", "kind", "from", "to")),
    ("/api/ledger/balances", ("root", "as_of")),
    ("/api/ledger/entries/by-key", ("key",)),
    ("/api/filings", ("licence",)),
    ("/api/audit", ("actor", "action", "object", "from", "to")),
    ("/api/capital", ("as_of",)),
    ("/api/contributions", ("as_of",)),
]


@pytest.mark.postgres
def test_hostile_values_in_queries_and_bodies_never_fail_the_api(pg_fund: Fund) -> None:
    with pg_fund.client("admin") as http:

        @seed(20261206)
        @HOSTILE
        @given(
            read=st.sampled_from(READS),
            value=NASTY_TEXT,
            cash=st.fixed_dictionaries(
                {
                    "partner": NASTY_TEXT,
                    "amount": NASTY_TEXT,
                    "currency": st.sampled_from(["USD", "UAH", "EUR", "\x00AH"]),
                    "value_date": NASTY_TEXT | st.integers(-(10**20), 10**20),
                    "reference": NASTY_TEXT,
                    "usd_rate": NASTY_TEXT,
                }
            ),
            payload=st.dictionaries(NASTY_TEXT, JSON_VALUES, max_size=4),
            kind=st.sampled_from(["journal_entry", "distribution", "in_kind_valuation"]),
            upload=st.one_of(NASTY_TEXT, DEEP),
        )
        def probe(
            read: tuple[str, tuple[str, ...]],
            value: str,
            cash: dict[str, Any],
            payload: dict[str, Any],
            kind: str,
            upload: str,
        ) -> None:
            path, names = read
            answers = [
                http.get(path, params={name: value for name in names}),
                http.post("/api/contributions/cash", json=cash),
                http.post("/api/proposals", json={"kind": kind, "payload": payload}),
                http.post("/api/filings", files={"file": ("f.json", upload.encode())}),
            ]
            for answer in answers:
                assert answer.status_code < 500, (answer.request.url, answer.text[:300])

        probe()
        assert http.get("/api/ledger/journal").status_code == 200
        assert http.get("/api/ledger/verify").json()["ok"] is True


COMMANDS: list[list[str]] = [
    ["journal", "--from", "{v}"],
    ["journal", "--account", "{v}", "--kind", "{v}"],
    ["balances", "--as-of", "{v}"],
    ["statement", "--partner", "US", "--quarter", "{v}"],
    ["audit", "--actor", "{v}", "--from", "{v}"],
    ["contributions", "add-cash", "--partner", "US", "--amount", "{v}", "--date", "{v}",
     "--reference", "{v}"],
    ["contributions", "add-cash", "--partner", "UA", "--amount", "1.00", "--currency", "EUR",
     "--rate", "{v}", "--date", "2026-11-02", "--reference", "r-{v}"],
    ["close", "--through", "{v}"],
    ["users", "token", "auditor", "--days", "{v}"],
    ["proposal", "{v}"],
]  # fmt: skip


@pytest.fixture(scope="module")
def cli_fund(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A demo fund on a SQLite file and its administrator's token."""
    path = tmp_path_factory.mktemp("fuzz-cli") / "books.db"
    db = open_database(f"sqlite:///{path}")
    token = next(x.token for x in build_demo(db).logins if x.name == "administrator")
    db.dispose()
    return str(path), token


def test_no_command_line_ends_in_a_traceback(cli_fund: tuple[str, str]) -> None:
    path, token = cli_fund

    @seed(20261206)
    @settings(FUZZ, max_examples=60)
    @given(command=st.sampled_from(COMMANDS), value=NASTY_WORDS, as_json=st.booleans())
    def run(command: list[str], value: str, as_json: bool) -> None:
        args = [part.replace("{v}", value) for part in command]
        args += ["--db", path, "--token", token, *(["--json"] if as_json else [])]
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = main(args)  # an exception escaping here is the traceback a user would see
        assert "Traceback" not in out.getvalue() + err.getvalue()
        assert 0 <= code <= 10, (args, code, err.getvalue()[-300:])
        if as_json and code not in (0, 2):
            json.loads(out.getvalue())  # the error is one parseable JSON document

    run()
