"""The attack review's bad inputs, each answered with a located error: never a 5xx, never a
traceback, nothing written. On SQLite and on PostgreSQL (NUL and over-long text differ there).
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from jointfund.cli.app import main
from tests.conftest import pg_admin_url, require_pg
from tests.http.api.conftest import Fund, demo_fund

HEADER = "licence_id,period,stream,gross_amount,currency,payer_reference,version,costs,received_on"
LICENCE = "UA-SP-2025-0711"


def _filing(cells: str) -> bytes:
    return f"{HEADER}\n{cells}\n".encode()


def _deep(levels: int) -> Any:
    value: Any = {"x": 1}
    for _ in range(levels):
        value = {"d": value}
    return value


def _journal_payload(metadata: Any) -> dict[str, Any]:
    return {
        "entries": [
            {
                "key": "deep-1",
                "date": "2026-11-20",
                "kind": "adjustment",
                "memo": "",
                "metadata": metadata,
                "links": [],
                "postings": [
                    {"account": "Assets:Cash:USD", "amount": "1.00", "currency": "USD"},
                    {"account": "Assets:Cash:USD", "amount": "-1.00", "currency": "USD"},
                ],
            }
        ]
    }


UPLOADS: dict[str, tuple[str, str, bytes]] = {
    "deep JSON": ("/api/filings", "f.json", b"[" * 200_000),
    "5000-digit version": (
        "/api/filings",
        "f.json",
        json.dumps([{"licence_id": LICENCE, "period": "2026-10", "stream": "royalty"}])
        .replace(
            "}",
            ', "gross_amount": "1.00", "currency": "USD", "payer_reference": "B1", '
            '"version": ' + "9" * 5000 + "}",
        )
        .encode(),
    ),
    "received 0001": (
        "/api/filings",
        "f.csv",
        _filing(f"{LICENCE},2026-10,royalty,1.00,USD,Y1,1,0.00,0001-01-01"),
    ),
    "received 9999": (
        "/api/filings",
        "f.csv",
        _filing(f"{LICENCE},2026-10,royalty,1.00,USD,Y2,1,0.00,9999-12-31"),
    ),
    "received later than today": (
        "/api/filings",
        "f.csv",
        _filing(f"{LICENCE},2026-10,royalty,1.00,USD,Y3,1,0.00,2099-01-01"),
    ),
    "period 9999-12": (
        "/api/filings",
        "f.csv",
        _filing(f"{LICENCE},9999-12,royalty,1.00,USD,Y4,1,0.00,"),
    ),
    "reference of 200": (
        "/api/filings",
        "f.csv",
        _filing(f"{LICENCE},2026-10,royalty,1.00,USD,{'R' * 200},1,0.00,2026-11-02"),
    ),
    "licence of 100": (
        "/api/filings",
        "f.csv",
        _filing(f"{'L' * 100},2026-10,royalty,1.00,USD,Y5,1,0.00,2026-11-02"),
    ),
    "NUL in a cell": (
        "/api/filings",
        "f.csv",
        _filing(f"{LICENCE},2026-10,royalty,1.00,USD,Y\x006,1,0.00,2026-11-02"),
    ),
    "NUL escaped in JSON": (
        "/api/filings",
        "f.json",
        json.dumps(
            [
                {
                    "licence_id": LICENCE,
                    "period": "2026-10",
                    "stream": "royalty",
                    "gross_amount": "1.00",
                    "currency": "USD",
                    "payer_reference": "Y\u00007",
                }
            ]
        ).encode(),
    ),
    "FX in year 1": ("/api/fx", "fx.csv", b"date,base,quote,rate\n0001-01-01,USD,UAH,41.5\n"),
    "FX in 2101": ("/api/fx", "fx.csv", b"date,base,quote,rate\n2101-01-01,USD,UAH,41.5\n"),
    "licence issued in 2101": (
        "/api/licences",
        "l.csv",
        b"licence_id,holder,holder_registry_id,deposit,resources,oblast,instrument,issued_on,status\n"
        b"UA-X-1,H,1,D,titanium,Kyiv,special_permit,2101-05-01,active\n",
    ),
}

CASH = {"partner": "US", "amount": "1.00", "currency": "USD", "value_date": "2026-11-02"}
BODIES: dict[str, tuple[str, dict[str, Any]]] = {
    "rate 1e400": (
        "/api/contributions/cash",
        {**CASH, "currency": "UAH", "usd_rate": "1e400", "reference": "b1"},
    ),
    "rate of 30 nines": (
        "/api/contributions/cash",
        {**CASH, "currency": "UAH", "usd_rate": "9" * 30, "reference": "b2"},
    ),
    "contribution in 9999": (
        "/api/contributions/cash",
        {**CASH, "value_date": "9999-12-31", "reference": "b3"},
    ),
    "contribution later than today": (
        "/api/contributions/cash",
        {**CASH, "value_date": "2099-01-01", "reference": "b4"},
    ),
    "contribution as seconds": (
        "/api/contributions/cash",
        {**CASH, "value_date": 0, "reference": "b5"},
    ),
    "contribution in ISO week": (
        "/api/contributions/cash",
        {**CASH, "value_date": "2026-W48-3", "reference": "b6"},
    ),
    "recommendation id 10^23": (
        "/api/proposals",
        {
            "kind": "in_kind_valuation",
            "payload": {"recommendation_id": 10**23, "assessed_value": "1.00"},
        },
    ),
    "in-kind cost 10^30": (
        "/api/contributions/in-kind/cost-reports",
        {
            "reference": "r",
            "reported_on": "2025-11-01",
            "items": [{"description": "d", "cost": "1" + "0" * 30}],
        },
    ),
    "in-kind evidence not a hash": (
        "/api/contributions/in-kind/valuations",
        {
            "cost_report": "r",
            "reference": "v",
            "consultant": "c",
            "method": "m",
            "assessed_value": "1.00",
            "valued_on": "2025-11-01",
            "evidence": [{"reference": "e", "sha256": "zz"}],
        },
    ),
    "900-deep metadata": (
        "/api/proposals",
        {"kind": "journal_entry", "payload": _journal_payload(_deep(900))},
    ),
    "NUL in a journal kind": (
        "/api/proposals",
        {
            "kind": "journal_entry",
            "payload": {"entries": [{**_journal_payload({})["entries"][0], "kind": "a\x00b"}]},
        },
    ),
    "journal entry later than today": (
        "/api/proposals",
        {
            "kind": "journal_entry",
            "payload": {"entries": [{**_journal_payload({})["entries"][0], "date": "2099-01-01"}]},
        },
    ),
    "kind of 100": (
        "/api/proposals",
        {
            "kind": "journal_entry",
            "payload": {"entries": [{**_journal_payload({})["entries"][0], "kind": "k" * 100}]},
        },
    ),
}

READS = [
    "/api/statements/US/9999Q4",
    "/api/statements/US/0001Q1",
    "/api/filings?licence=%00",
    "/api/ledger/entries/by-key?key=a%00b",
    "/api/ledger/journal?kind=%00",
    "/api/ledger/journal?account=%00",
    "/api/ledger/balances?root=%00",
    "/api/ledger/balances?as_of=0001-01-01",
    "/api/ledger/journal?from=20261125",
    "/api/capital?as_of=9999-12-31",
]


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Fund]:
    """A demo fund on each database, served over HTTP."""
    folder: Path = tmp_path_factory.mktemp("bad-inputs")
    if request.param == "sqlite":
        with demo_fund(f"sqlite:///{folder / 'books.db'}", folder / "runs") as running:
            yield running
        return
    require_pg()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_admin_url())
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in pg_admin_url() else "?"
    url = f"{pg_admin_url()}{sep}options={quote(f'-csearch_path={schema}')}"
    try:
        with demo_fund(url, folder / "runs") as running:
            yield running
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def _refused(response: Any) -> None:
    assert response.status_code == 422, (response.status_code, response.text[:400])
    error = response.json()["error"]
    assert error["code"] == "invalid_input" and error["problems"], error


def test_bad_uploads_are_located_refusals(served: Fund) -> None:
    with served.client("admin") as http:
        head = http.get("/api/ledger/verify").json()
        for name, (path, filename, content) in UPLOADS.items():
            got = http.post(path, files={"file": (filename, content)})
            assert got.status_code == 422, (name, got.status_code, got.text[:300])
            problems = got.json()["error"]["problems"]
            assert problems and problems[0]["file"], (name, problems)
        assert http.get("/api/ledger/verify").json() == head


def test_bad_bodies_and_queries_are_located_refusals(served: Fund) -> None:
    with served.client("admin") as http, served.client("us_manager") as manager:
        for name, (path, body) in BODIES.items():
            client = manager if path == "/api/proposals" and "in_kind" in str(body) else http
            got = client.post(path, json=body)
            assert got.status_code == 422, (name, got.status_code, got.text[:300])
            assert got.json()["error"]["problems"], name
        for path in READS:
            got = http.get(path)
            assert got.status_code == 422, (path, got.status_code, got.text[:300])
        # The journal reads as before: nothing deep was ever accepted.
        assert http.get("/api/ledger/journal").status_code == 200


CLI_CASES: dict[str, list[str]] = {
    "rate 0": [
        "contributions",
        "add-cash",
        "--partner",
        "US",
        "--amount",
        "1.00",
        "--currency",
        "EUR",
        "--rate",
        "0",
        "--date",
        "2026-11-02",
        "--reference",
        "c1",
    ],
    "rate -1.1": [
        "contributions",
        "add-cash",
        "--partner",
        "US",
        "--amount",
        "1.00",
        "--currency",
        "EUR",
        "--rate",
        "-1.1",
        "--date",
        "2026-11-02",
        "--reference",
        "c2",
    ],
    "rate of 30 nines": [
        "contributions",
        "add-cash",
        "--partner",
        "US",
        "--amount",
        "1.00",
        "--currency",
        "EUR",
        "--rate",
        "9" * 30,
        "--date",
        "2026-11-02",
        "--reference",
        "c3",
    ],
    "rate NaN": [
        "contributions",
        "add-cash",
        "--partner",
        "US",
        "--amount",
        "1.00",
        "--currency",
        "EUR",
        "--rate",
        "NaN",
        "--date",
        "2026-11-02",
        "--reference",
        "c4",
    ],
    "rate with USD": [
        "contributions",
        "add-cash",
        "--partner",
        "US",
        "--amount",
        "1.00",
        "--rate",
        "1.5",
        "--date",
        "2026-11-02",
        "--reference",
        "c5",
    ],
    "date 9999": [
        "contributions",
        "add-cash",
        "--partner",
        "US",
        "--amount",
        "1.00",
        "--date",
        "9999-12-31",
        "--reference",
        "c6",
    ],
    "date later than today": [
        "contributions",
        "add-cash",
        "--partner",
        "US",
        "--amount",
        "1.00",
        "--date",
        "2099-12-31",
        "--reference",
        "c7",
    ],
    "compact date": [
        "contributions",
        "add-cash",
        "--partner",
        "US",
        "--amount",
        "1.00",
        "--date",
        "20261102",
        "--reference",
        "c8",
    ],
    "quarter 9999Q4": ["statement", "--partner", "US", "--quarter", "9999Q4"],
    "close 9999-12-30": ["close", "--through", "9999-12-30"],
    "journal from year 1": ["journal", "--from", "0001-01-01"],
    "token for a billion days": ["users", "token", "auditor", "--days", "1000000000"],
}


@pytest.fixture(scope="module")
def cli_books(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A demo fund on a SQLite file and its administrator's token."""
    from jointfund.fund.demo import build_demo
    from jointfund.store import open_database

    path = tmp_path_factory.mktemp("bad-cli") / "books.db"
    db = open_database(f"sqlite:///{path}")
    logins = build_demo(db).logins
    db.dispose()
    return str(path), next(login.token for login in logins if login.name == "administrator")


def _dump(path: str) -> str:
    """The database's full SQL text (WAL included), to show nothing was written."""
    with closing(sqlite3.connect(path)) as conn:
        return "\n".join(conn.iterdump())


@pytest.mark.parametrize("case", list(CLI_CASES))
def test_bad_command_lines_exit_with_an_input_error(
    case: str, cli_books: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, token = cli_books
    before = _dump(path)
    code = main([*CLI_CASES[case], "--db", path, "--token", token, "--json"])
    out = capsys.readouterr()
    assert code in (2, 3), (code, out.out, out.err)
    assert "Traceback" not in out.err
    if code == 3:
        assert json.loads(out.out)["error"]["problems"], out.out
    assert _dump(path) == before


ENTRY = (
    '{"key": "k1", "date": "2026-11-20", "kind": "adjustment", "metadata": %s, "postings": ['
    '{"account": "Assets:Cash:USD", "amount": "1.00", "currency": "USD"},'
    '{"account": "Expenses:Operating", "amount": "-1.00", "currency": "USD"}]}'
)
FILES: dict[str, tuple[list[str], str]] = {
    "post: deep JSON": (["post"], "[" * 200_000),
    "post: lone surrogate key": (["post"], "[" + ENTRY % '{"\\ud800": 1}' + "]"),
    "post: NaN metadata": (["post"], "[" + ENTRY % '{"x": NaN}' + "]"),
    "post: 900-deep metadata": (["post"], "[" + ENTRY % ('{"d": ' * 900 + "1" + "}" * 900) + "]"),
    "post: 5000-digit integer": (["post"], "[" + ENTRY % ('{"n": ' + "9" * 5000 + "}") + "]"),
    "filings: deep JSON": (["filings", "import"], "[" * 200_000),
    "licences: deep JSON": (["licences", "import"], "[" * 200_000),
    "fx: NUL": (["fx", "import"], "date,base,quote,rate\n2026-11-02,USD,UAH,41\x00.5\n"),
}


@pytest.mark.parametrize("case", list(FILES))
def test_bad_files_exit_with_a_located_input_error(
    case: str, cli_books: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, token = cli_books
    command, content = FILES[case]
    file = tmp_path / ("f.csv" if command[0] == "fx" else "f.json")
    file.write_text(content, encoding="utf-8")
    before = _dump(path)
    code = main([*command, str(file), "--db", path, "--token", token, "--json"])
    out = capsys.readouterr()
    assert code == 3, (code, out.out[-400:], out.err[-400:])
    assert json.loads(out.out)["error"]["problems"][0]["file"] == str(file)
    assert _dump(path) == before
