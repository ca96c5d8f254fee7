"""`jointfund governance` and `jointfund proposal` on the demo fund: committees with seats,
standing and members; the committee step of a proposal; recommending, then approving."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jointfund.fund import open_books
from jointfund.fund.demo import build_demo

EXE = Path(sys.executable).with_name("jointfund")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    """The demo fund on a SQLite file and every demo login's token."""
    folder = tmp_path_factory.mktemp("governance")
    db = open_books(str(folder / "demo.db"))
    logins = {x.name: x.token for x in build_demo(db).logins}
    db.dispose()
    return str(folder / "demo.db"), logins


def run(db: str, token: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "JOINTFUND_LANG": "en", "JOINTFUND_TOKEN": token}
    return subprocess.run(
        [EXE, *args, "--db", db], capture_output=True, text=True, check=False, env=env
    )


def test_committees_list_seats_standing_sources_and_members(
    demo: tuple[str, dict[str, str]],
) -> None:
    db, tokens = demo
    done = run(db, tokens["auditor"], "governance", "committees", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["general_partner"]["name"] == "DFC Ukraine Subsoil LLC"
    ratios = {c["id"]: (c["ratio"], c["standing"]) for c in data["committees"]}
    assert ratios["administrative"] == ("2:2", "uncertain")
    assert ratios["investment"] == ("3:2", "reported")
    audit = next(c for c in data["committees"] if c["id"] == "audit")
    assert audit["members"] == {
        "US": ["us-manager-1", "us-manager-2"],
        "UA": ["ua-manager-1", "ua-manager-3"],
    }
    table = run(db, tokens["auditor"], "governance", "committees")
    assert table.returncode == 0, table.stderr
    assert "DFC Ukraine Subsoil LLC (Delaware), acting for US" in table.stdout
    assert "sources conflict" in table.stdout and "Reserved matters" in table.stdout


def test_the_demo_history_holds_the_two_board_meetings(demo: tuple[str, dict[str, str]]) -> None:
    db, tokens = demo
    listed = json.loads(run(db, tokens["auditor"], "proposals", "--json").stdout)
    meetings = [p for p in listed if p["kind"] == "board_resolution"]
    assert [(m["payload"]["on"], m["payload"]["standing"], m["status"]) for m in meetings] == [
        ("2025-09-03", "reported", "executed"),
        ("2025-12-18", "reported", "executed"),
    ]
    assert "form the committees" in meetings[0]["payload"]["decisions"]
    assert all(m["committee"] is None for m in meetings)


def test_a_member_recommends_then_the_board_can_approve(demo: tuple[str, dict[str, str]]) -> None:
    db, tokens = demo
    shown = json.loads(run(db, tokens["auditor"], "proposal", "1", "--json").stdout)
    assert shown["kind"] == "investment"
    assert shown["committee"]["name"] == "Investment Committee"
    assert shown["committee"]["recommended"] is False
    text = run(db, tokens["auditor"], "proposal", "1").stdout
    assert "committee: Investment Committee" in text and "awaiting its recommendation" in text
    assert "US (through DFC Ukraine Subsoil LLC)" in text
    digest = shown["payload_hash"]
    early = run(db, tokens["us-manager-1"], "approve", "1", "--payload-hash", digest)
    assert early.returncode == 8 and "Investment Committee" in early.stderr
    outsider = run(
        db, tokens["ua-manager-3"], "governance", "recommend", "1", "--payload-hash", digest
    )
    assert outsider.returncode == 7, outsider.stderr
    for who in ("us-manager-1", "ua-manager-2"):
        done = run(db, tokens[who], "governance", "recommend", "1", "--payload-hash", digest)
        assert done.returncode == 0, done.stderr
    assert "recommends proposal 1 to the board" in done.stdout
    approved = run(db, tokens["us-manager-1"], "approve", "1", "--payload-hash", digest)
    assert approved.returncode == 0, approved.stderr
    after = json.loads(run(db, tokens["auditor"], "proposal", "1", "--json").stdout)
    assert after["committee"]["recommended"] is True
    assert after["approvals"]["US"] != []
