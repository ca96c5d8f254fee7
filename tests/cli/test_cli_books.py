"""The `jointfund` command as a user runs it: exit codes, messages, JSON, all-or-nothing posts."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from jointfund.cli.app import main
from jointfund.clock import utcnow
from jointfund.fund import open_books as open_database
from jointfund.fund.demo import build_demo

JOURNAL = [
    {
        "key": "fee-1",
        "date": "2026-10-05",
        "kind": "fee",
        "memo": "bank charges, October",
        "postings": [
            {"account": "Expenses:Operating", "amount": "1250.00", "currency": "USD"},
            {"account": "Assets:Cash:USD", "amount": "-1250.00", "currency": "USD"},
        ],
    },
    {
        "key": "fee-2",
        "date": "2026-11-05",
        "kind": "fee",
        "postings": [
            {"account": "Expenses:Operating", "amount": "800.00", "currency": "USD"},
            {"account": "Assets:Cash:USD", "amount": "-800.00", "currency": "USD"},
        ],
    },
]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@dataclass(frozen=True)
class Books:
    """The demo fund on a SQLite file and its logins by user name."""

    db: str
    tokens: dict[str, str]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    db = open_database(str(folder / "demo.db"))
    logins = build_demo(db).logins
    db.dispose()
    (folder / "tokens.json").write_text(json.dumps({x.name: x.token for x in logins}))
    return folder


@pytest.fixture
def books(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Books:
    shutil.copy(built / "demo.db", tmp_path / "demo.db")
    tokens = json.loads((built / "tokens.json").read_text())
    monkeypatch.setenv("JOINTFUND_TOKEN", tokens["administrator"])
    return Books(str(tmp_path / "demo.db"), tokens)


def _as(monkeypatch: pytest.MonkeyPatch, books: Books, name: str) -> None:
    monkeypatch.setenv("JOINTFUND_TOKEN", books.tokens[name])


def test_manual_entries_are_proposed_and_post_only_when_the_board_approves(
    books: Books,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    journal = tmp_path / "j.json"
    journal.write_text(json.dumps(JOURNAL, indent=2))
    before = json.loads(
        run(capsys, "balances", "--root", "Expenses", "--db", books.db, "--json")[1]
    )
    code, out, err = run(capsys, "post", str(journal), "--db", books.db, "--json")
    assert code == 0, err
    proposed = json.loads(out)
    assert proposed["entries"] == 2
    # Nothing is booked by the administrator alone.
    after = json.loads(run(capsys, "balances", "--root", "Expenses", "--db", books.db, "--json")[1])
    assert after == before
    pid, digest = str(proposed["proposal"]), proposed["payload_hash"]
    for manager in ("us-manager-1", "ua-manager-1"):
        _as(monkeypatch, books, manager)
        code, out, err = run(capsys, "approve", pid, "--payload-hash", digest, "--db", books.db)
        assert code == 0, err
    assert "executed" in out
    _as(monkeypatch, books, "auditor")
    code, out, _ = run(capsys, "journal", "--kind", "fee", "--db", books.db, "--json")
    keys = [e["key"] for e in json.loads(out)]
    assert keys == [f"proposal:{pid}:fee-1", f"proposal:{pid}:fee-2"]
    code, out, _ = run(capsys, "balances", "--root", "Expenses", "--db", books.db, "--json")
    assert {r["account"]: r["amount"] for r in json.loads(out)} == {"Expenses:Operating": "2050.00"}


def test_accounts_the_terms_govern_refuse_manual_entries(
    books: Books, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    grab = [
        {
            "key": "grab",
            "date": "2026-11-01",
            "kind": "adjustment",
            "postings": [
                {
                    "account": "Equity:Capital:US:Distributions",
                    "amount": "50000000.00",
                    "currency": "USD",
                },
                {"account": "Assets:Cash:USD", "amount": "-50000000.00", "currency": "USD"},
            ],
        },
        {**JOURNAL[0], "key": "payout", "kind": "distribution"},
    ]
    journal = tmp_path / "grab.json"
    journal.write_text(json.dumps(grab))
    code, out, _ = run(capsys, "post", str(journal), "--db", books.db, "--json")
    assert code == 3
    problems = json.loads(out)["error"]["problems"]
    assert {(p["row"], p["field"]) for p in problems} == {(1, "postings.account"), (2, "kind")}
    code, out, _ = run(capsys, "proposals", "--status", "open", "--db", books.db, "--json")
    assert all(p["kind"] != "journal_entry" for p in json.loads(out))


def test_bad_journal_reports_every_problem_with_line_and_field_and_posts_nothing(
    books: Books, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = json.loads(json.dumps(JOURNAL))
    bad[0]["postings"][0]["amount"] = "1250.001"
    bad[1]["date"] = "2025-13-01"
    bad.append(
        {
            **JOURNAL[0],
            "key": "f3",
            "postings": [
                {"account": "Expenses:Operating", "amount": 5.5, "currency": "USD"},
                {"account": "Assets:Cash:USD", "amount": "-5.50", "currency": "XYZ"},
            ],
        }
    )
    journal = tmp_path / "bad.json"
    journal.write_text(json.dumps(bad, indent=2))
    code, out, _ = run(capsys, "post", str(journal), "--db", books.db, "--json")
    assert code == 3
    problems = json.loads(out)["error"]["problems"]
    located = {(p["row"], p["field"]) for p in problems}
    lines = journal.read_text().splitlines()
    starts = [i + 1 for i, line in enumerate(lines) if line.startswith("  {")]
    assert (starts[0], "postings[0].amount") in located
    assert (starts[1], "date") in located
    assert (starts[2], "postings[0].amount") in located
    assert (starts[2], "postings[1].currency") in located
    assert all(p["file"] == str(journal) for p in problems)


def test_ledger_rule_violation_in_a_file_is_refused_before_anyone_approves(
    books: Books, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_file = tmp_path / "j.csv"
    csv_file.write_text(
        "key,date,kind,memo,account,amount,currency\n"
        "a1,2026-10-17,fee,ok,Expenses:Operating,10.00,USD\n"
        "a1,2026-10-17,fee,ok,Assets:Cash:USD,-10.00,USD\n"
        "a2,2026-10-18,fee,bad,Expenses:Unknown,1.00,USD\n"
        "a2,2026-10-18,fee,bad,Assets:Cash:USD,-1.00,USD\n"
    )
    code, _, err = run(capsys, "post", str(csv_file), "--db", books.db)
    assert code == 3
    assert "no account Expenses:Unknown" in err


def test_a_close_is_approved_by_the_board_and_its_checkpoint_verifies(
    books: Books,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, out, err = run(capsys, "close", "--through", "2025-09-30", "--db", books.db, "--json")
    assert code == 0, err
    proposed = json.loads(out)
    # A period close goes to the Audit Committee before the board.
    for step in ("governance recommend", "approve"):
        for manager in ("us-manager-1", "ua-manager-1"):
            _as(monkeypatch, books, manager)
            code, _, err = run(
                capsys,
                *step.split(),
                str(proposed["proposal"]),
                "--payload-hash",
                proposed["payload_hash"],
                "--db",
                books.db,
            )
            assert code == 0, err
    checkpoint = tmp_path / "close.json"
    _as(monkeypatch, books, "auditor")
    code, _, err = run(capsys, "checkpoint", "--out", str(checkpoint), "--db", books.db)
    assert code == 0, err
    code, out, _ = run(
        capsys, "verify", "--checkpoint", str(checkpoint), "--db", books.db, "--json"
    )
    assert code == 0 and json.loads(out)["ok"] is True
    code, _, err = run(
        capsys, "verify", "--checkpoint", str(tmp_path / "missing.json"), "--db", books.db
    )
    assert code == 3 and "missing.json: cannot read file" in err


def test_a_close_of_a_day_not_yet_ended_is_refused(
    books: Books, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "close", "--through", "9999-12-30", "--db", books.db)
    assert code == 3 and "outside 1991–2100" in err, err
    code, _, err = run(capsys, "close", "--through", utcnow().date().isoformat(), "--db", books.db)
    assert code == 3 and "has not ended yet" in err, err


def test_errors_are_one_line_with_distinct_exit_codes(
    books: Books, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(capsys, "balances", "--as-of", "yesterday", "--db", books.db)
    assert (
        code == 3
        and err.strip()
        == "error: --as-of: not a date: 'yesterday' "
        "(expected YYYY-MM-DD (a day from 1991-01-01 to 2100-12-31))"
    )
    code, _, err = run(
        capsys, "accounts", "close", "Assets:Nope", "--on", "2025-01-01", "--db", books.db
    )
    assert code == 4 and "no account Assets:Nope" in err
    monkeypatch.delenv("JOINTFUND_TOKEN")
    code, _, err = run(capsys, "balances", "--db", books.db)
    assert code == 10 and "no API token" in err
    code, _, err = run(capsys, "balances", "--db", books.db, "--token", "jf_not-a-token")
    assert code == 10 and "unknown API token" in err


def test_installed_command_runs_demo_and_verify(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    logins = tmp_path / "logins.txt"
    exe = Path(sys.executable).with_name("jointfund")
    built = subprocess.run(
        [exe, "demo", "--db", db, "--logins", str(logins)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    assert "verify ok" in built.stdout
    assert logins.stat().st_mode & 0o077 == 0
    admin = next(
        line.split("\t")[2]
        for line in logins.read_text().splitlines()
        if line.startswith("administrator\t")
    )
    again = subprocess.run([exe, "demo", "--db", db], capture_output=True, text=True, check=False)
    assert again.returncode == 5 and "not empty" in again.stderr
    checked = subprocess.run(
        [exe, "verify", "--db", db, "--json"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "JOINTFUND_TOKEN": admin},
    )
    assert checked.returncode == 0 and json.loads(checked.stdout)["ok"] is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nosuch"], "No such command 'nosuch'"),
        (["balances", "--bogus"], "No such option: --bogus"),
    ],
)
def test_usage_errors_exit_2_with_one_message_and_no_traceback(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2
    assert message in err and "Traceback" not in err + out
