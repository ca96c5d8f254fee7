"""The audit log, readable: `jointfund audit`, GET /api/audit (cursor-paged) and the /audit page,
for auditors and administrators only; every record names the actor's role and hashes its detail.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from jointfund.cli.app import main
from jointfund.fund.demo import build_demo
from jointfund.ledger.hashing import canonical_row
from jointfund.store import open_database
from jointfund.store.row_chain import RowCanon
from jointfund.store.tables.governance import audit_log
from tests.http.api.conftest import Fund


def _canonical_hash(detail: Any) -> str:
    text = json.dumps(detail, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _all_pages(http: httpx.Client, url: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    next_url: str | None = url
    while next_url:
        got = http.get(next_url)
        assert got.status_code == 200, got.text
        page = got.json()
        items += page["items"]
        next_url = page["next"]
    return items


def test_the_api_pages_every_record_with_its_role_and_detail_hash(fund: Fund) -> None:
    with fund.client("auditor") as http:
        everything = _all_pages(http, "/api/audit?limit=1000")
        paged = _all_pages(http, "/api/audit?limit=3")
    assert everything and paged == everything
    seqs = [r["seq"] for r in everything]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    for record in everything:
        assert set(record) >= {"seq", "at", "actor", "role", "interface", "action", "target"}
        assert record["detail_hash"] == _canonical_hash(record["detail"]), record
    roles = {r["actor"]: r["role"] for r in everything if r["actor"] != "(bootstrap)"}
    assert roles["administrator [administrator]"] == "administrator"


def test_the_api_filters_by_actor_action_and_dates(fund: Fund) -> None:
    with fund.client("admin") as http:
        everything = _all_pages(http, "/api/audit?limit=1000")
        action = everything[-1]["action"]
        by_action = _all_pages(http, f"/api/audit?action={action}")
        by_actor = _all_pages(http, "/api/audit?actor=administrator")
        day = everything[-1]["at"][:10]
        in_day = _all_pages(http, f"/api/audit?from={day}&to={day}")
        none_before = http.get("/api/audit", params={"to": "1999-12-31"}).json()
        bad = http.get("/api/audit", params={"from": "20261125"})
    assert by_action == [r for r in everything if r["action"] == action]
    assert by_actor == [r for r in everything if r["actor"] == "administrator [administrator]"]
    assert by_actor
    assert in_day == [r for r in everything if r["at"][:10] == day]
    assert none_before["items"] == [] and none_before["next"] is None
    assert bad.status_code == 422


@pytest.mark.parametrize(("who", "status"), [("us_manager", 403), ("filer", 403), (None, 401)])
def test_only_auditors_and_administrators_read_the_audit_log(
    fund: Fund, who: str | None, status: int
) -> None:
    with fund.client(who) as http:
        assert http.get("/api/audit").status_code == status


@contextmanager
def _signed_in(fund: Fund, name: str, token: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fund.base, timeout=30) as client:
        yield _sign_in(client, name, token)


def _sign_in(client: httpx.Client, name: str, token: str) -> httpx.Client:
    form = client.get("/signin", params={"format": "json"}).json()
    answer = client.post(
        "/signin",
        params={"format": "json"},
        data={"csrf_token": form["csrf_token"], "name": name, "token": token},
    )
    assert answer.status_code == 200, answer.text
    return client


def test_the_audit_page_shows_records_to_the_auditor(fund: Fund) -> None:
    with _signed_in(fund, "auditor", fund.tokens["auditor"]) as client:
        twin = client.get("/audit", params={"format": "json", "action": "proposals.create"})
        html = client.get("/audit")
    assert twin.status_code == 200
    records = twin.json()["records"]
    assert records and {r["action"] for r in records} == {"proposals.create"}
    assert html.status_code == 200 and 'id="audit"' in html.text
    assert re.search(r"<td[^>]*><code>[0-9a-f]{12}", html.text), "the detail hash is shown"
    with _signed_in(fund, "us-manager-1", fund.tokens["us_manager"]) as manager:
        assert manager.get("/audit").status_code == 403


def test_the_command_filters_and_prints_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "books.db"
    db = open_database(f"sqlite:///{path}")
    logins = {login.name: login.token for login in build_demo(db).logins}
    db.dispose()
    base = ["--db", str(path), "--json"]
    assert main(["audit", "--token", logins["auditor"], *base]) == 0
    everything = json.loads(capsys.readouterr().out)["records"]
    assert everything and all(r["detail_hash"] == _canonical_hash(r["detail"]) for r in everything)
    assert main(["audit", "--action", "proposals.create", "--token", logins["auditor"], *base]) == 0
    chosen = json.loads(capsys.readouterr().out)["records"]
    assert chosen == [r for r in everything if r["action"] == "proposals.create"]
    code = main(["audit", "--from", "2026-13-01", "--token", logins["auditor"], *base])
    assert code == 3 and "Traceback" not in capsys.readouterr().err
    assert main(["audit", "--token", logins["us-manager-1"], *base]) != 0


def test_records_chained_before_the_role_and_hash_columns_keep_their_hash() -> None:
    canon = RowCanon(audit_log)
    old = (7, "2026-01-01T00:00:00.000000Z", 1, "admin", "cli", "x", "t", "{}")
    before = hashlib.sha256(canonical_row(list(old))).hexdigest()
    assert canon.hashed((*old, None, None)) == ("7", before)
    assert canon.hashed((*old, "administrator", "ab" * 32))[1] != before
