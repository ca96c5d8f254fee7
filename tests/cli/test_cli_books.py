"""The `jointfund` command as a user runs it: exit codes, messages, JSON, all-or-nothing posts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from jointfund.cli.app import main

JOURNAL = [
    {
        "key": "c1",
        "date": "2025-09-17",
        "kind": "contribution",
        "memo": "DFC",
        "postings": [
            {"account": "Assets:Cash:USD", "amount": "75000000.00", "currency": "USD"},
            {"account": "Equity:Capital:US", "amount": "-75000000.00", "currency": "USD"},
        ],
    },
    {
        "key": "c2",
        "date": "2025-12-15",
        "kind": "contribution",
        "postings": [
            {"account": "Assets:Cash:USD", "amount": "37500000.00", "currency": "USD"},
            {"account": "Equity:Capital:UA", "amount": "-37500000.00", "currency": "USD"},
        ],
    },
]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def books(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    db = str(tmp_path / "cli.db")
    for name, partner in (
        ("Assets:Cash:USD", None),
        ("Equity:Capital:US", "US"),
        ("Equity:Capital:UA", "UA"),
    ):
        args = ["accounts", "open", name, "--currency", "USD", "--on", "2025-05-23", "--db", db]
        if partner:
            args += ["--partner", partner]
        assert run(capsys, *args)[0] == 0
    return db


def test_post_then_balances_as_json(
    books: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = tmp_path / "j.json"
    journal.write_text(json.dumps(JOURNAL, indent=2))
    code, out, _ = run(capsys, "post", str(journal), "--db", books, "--json")
    assert code == 0 and json.loads(out) == {"posted": 2, "already_present": 0}
    code, out, _ = run(capsys, "post", str(journal), "--db", books, "--json")
    assert json.loads(out) == {"posted": 0, "already_present": 2}
    code, out, _ = run(capsys, "balances", "--db", books, "--json")
    got = {r["account"]: r["amount"] for r in json.loads(out)}
    assert got == {
        "Assets:Cash:USD": "112500000.00",
        "Equity:Capital:UA": "-37500000.00",
        "Equity:Capital:US": "-75000000.00",
    }
    code, out, _ = run(capsys, "balances", "--as-of", "2025-10-01", "--db", books, "--json")
    assert {r["account"]: r["minor"] for r in json.loads(out)}["Assets:Cash:USD"] == 7_500_000_000


def test_bad_journal_reports_every_problem_with_line_and_field_and_posts_nothing(
    books: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = json.loads(json.dumps(JOURNAL))
    bad[0]["postings"][0]["amount"] = "75000000.001"
    bad[1]["date"] = "2025-13-01"
    bad.append(
        {
            **JOURNAL[0],
            "key": "c3",
            "postings": [
                {"account": "Assets:Cash:USD", "amount": 5.5, "currency": "USD"},
                {"account": "Equity:Capital:US", "amount": "-5.50", "currency": "XYZ"},
            ],
        }
    )
    journal = tmp_path / "bad.json"
    journal.write_text(json.dumps(bad, indent=2))
    code, out, _ = run(capsys, "post", str(journal), "--db", books, "--json")
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
    code, out, _ = run(capsys, "journal", "--db", books, "--json")
    assert json.loads(out) == []


def test_ledger_rule_violation_in_a_file_names_the_line(
    books: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_file = tmp_path / "j.csv"
    csv_file.write_text(
        "key,date,kind,memo,account,amount,currency\n"
        "a1,2025-09-17,contribution,ok,Assets:Cash:USD,10.00,USD\n"
        "a1,2025-09-17,contribution,ok,Equity:Capital:US,-10.00,USD\n"
        "a2,2025-09-18,fee,bad,Expenses:Unknown,1.00,USD\n"
        "a2,2025-09-18,fee,bad,Assets:Cash:USD,-1.00,USD\n"
    )
    code, _, err = run(capsys, "post", str(csv_file), "--db", books)
    assert code == 3
    assert f"{csv_file}:4: no account Expenses:Unknown" in err
    assert run(capsys, "balances", "--db", books, "--json")[1].strip() == "[]"


def test_close_writes_a_checkpoint_that_verify_accepts(
    books: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = tmp_path / "j.json"
    journal.write_text(json.dumps(JOURNAL))
    run(capsys, "post", str(journal), "--db", books)
    checkpoint = tmp_path / "close.json"
    code, _, _ = run(
        capsys, "close", "--through", "2025-09-30", "--out", str(checkpoint), "--db", books
    )
    assert code == 0
    code, out, _ = run(capsys, "verify", "--checkpoint", str(checkpoint), "--db", books, "--json")
    assert code == 0 and json.loads(out)["ok"] is True
    code, _, err = run(
        capsys, "verify", "--checkpoint", str(tmp_path / "missing.json"), "--db", books
    )
    assert code == 3 and "missing.json: cannot read file" in err


def test_errors_are_one_line_with_distinct_exit_codes(
    books: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "balances", "--as-of", "yesterday", "--db", books)
    assert (
        code == 3 and err.strip() == "error: --as-of: not a date: 'yesterday' (expected YYYY-MM-DD)"
    )
    code, _, err = run(
        capsys, "accounts", "close", "Assets:Nope", "--on", "2025-01-01", "--db", books
    )
    assert code == 4 and "no account Assets:Nope" in err


def test_installed_command_runs_demo_and_verify(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    exe = Path(sys.executable).with_name("jointfund")
    built = subprocess.run([exe, "demo", "--db", db], capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr
    again = subprocess.run([exe, "demo", "--db", db], capture_output=True, text=True, check=False)
    assert again.returncode == 5 and "not empty" in again.stderr
    checked = subprocess.run(
        [exe, "verify", "--db", db, "--json"], capture_output=True, text=True, check=False
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
