"""The governance and operations commands as a user runs them, through the real command tree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer

from jointfund.cli.app import app as cli
from jointfund.cli.output import report_error, show_usage_error
from jointfund.errors import JointfundError


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run like `jointfund.cli.app.main`: library errors become exit codes."""
    code = 0
    try:
        cli(args=list(args), prog_name="jointfund", standalone_mode=False)
    except JointfundError as error:
        code = report_error(error, as_json="--json" in args)
    except typer.TyperException as usage:
        show_usage_error(usage)
        code = usage.exit_code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def ok(capsys: pytest.CaptureFixture[str], *args: str) -> object:
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err or out
    return json.loads(out)


def test_a_board_decision_from_the_command_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "fund.db")
    monkeypatch.setenv("JOINTFUND_DATABASE_URL", db)
    ok(capsys, "init")
    boot = ok(capsys, "users", "add", "root", "--bootstrap")
    assert isinstance(boot, dict)
    admin = str(boot["token"])
    code, _, err = run(capsys, "users", "add", "again", "--bootstrap")
    assert code == 10 and "users exist already" in err
    monkeypatch.setenv("JOINTFUND_TOKEN", admin)
    tokens = {}
    for partner in ("US", "UA"):
        for i in range(3):
            name = f"{partner}{i}"
            ok(capsys, "users", "add", name, "--role", "board_manager", "--partner", partner)
            issued = ok(capsys, "users", "token", name, "--days", "30")
            assert isinstance(issued, dict)
            tokens[name] = str(issued["token"])
    ok(
        capsys,
        "contributions",
        "add-cash",
        "--partner",
        "US",
        "--amount",
        "75000000.00",
        "--date",
        "2025-09-17",
        "--reference",
        "dfc-1",
    )
    ok(
        capsys,
        "contributions",
        "add-cash",
        "--partner",
        "UA",
        "--amount",
        "75000000.00",
        "--date",
        "2025-12-15",
        "--reference",
        "ua-1",
    )
    in_kind = ("contributions", "in-kind")
    evidence = tmp_path / "mod-letter.pdf"
    evidence.write_bytes(b"%PDF- the ministry's letter")
    ok(capsys, *in_kind, "cost-report", "--reference", "MoD-1", "--date", "2025-10-01",
       "--item", "HIMARS launchers=18000000.00", "--item", "munitions=4000000.00")  # fmt: skip
    valued = ok(capsys, *in_kind, "valuation", "--cost-report", "MoD-1", "--reference", "EC-1",
                "--consultant", "evaluation consultant", "--method", "cost less wear",
                "--assessed-value", "20000000.00", "--date", "2025-11-01",
                "--evidence", str(evidence), "--evidence", f"invoices={'c' * 64}")  # fmt: skip
    assert isinstance(valued, dict)
    recommend = (*in_kind, "recommend", "--valuation", str(valued["id"]),
                 "--assessed-value", "20000000.00", "--date", "2025-12-01")  # fmt: skip
    code, out, err = run(capsys, *recommend)  # the administrator does not sit on it
    assert code != 0 and "may not" in out + err
    code, out, err = run(capsys, *recommend, "--token", tokens["UA0"])
    assert code == 8 and "does not sit on the Audit Committee" in out + err
    ok(capsys, "governance", "seat", "audit", "UA0")
    ok(capsys, *recommend, "--token", tokens["UA0"])
    chains = ok(capsys, *in_kind, "list")
    assert isinstance(chains, list) and chains[0]["needed"] == "proposal"
    assert chains[0]["valuation"]["evidence"][1]["reference"] == "mod-letter.pdf"
    proposal = ok(capsys, *in_kind, "propose", "--cost-report", "MoD-1")
    assert isinstance(proposal, dict)
    pid, seen = str(proposal["id"]), str(proposal["payload_hash"])
    # An approval names the payload it approves.
    code, _, err = run(capsys, "approve", pid, "--token", tokens["US0"])
    assert code == 2 and "--payload-hash" in err
    # A manager's approval is refused without a token, and a public user may not approve.
    code, _, err = run(capsys, "approve", pid, "--payload-hash", seen, "--token", "")
    assert code == 10 and "no API token" in err
    # The Audit Committee's step was the recommendation its member recorded: no second vote.
    code, _, err = run(
        capsys, "governance", "recommend", pid, "--payload-hash", seen, "--token", tokens["US0"]
    )
    assert code == 8 and "straight to the board" in err
    for name in ("US0", "US1", "US2", "UA0", "UA1"):
        done = ok(capsys, "approve", pid, "--payload-hash", seen, "--token", tokens[name])
        assert isinstance(done, dict) and done["executed"] is False
    code, _, err = run(capsys, "approve", pid, "--payload-hash", seen, "--token", tokens["US0"])
    assert code == 8 and "already approved" in err
    done = ok(capsys, "approve", pid, "--payload-hash", seen, "--token", tokens["UA2"])
    assert isinstance(done, dict) and done["executed"] is True
    listed = ok(capsys, "proposals", "--status", "executed")
    assert isinstance(listed, list) and [p["id"] for p in listed] == [int(pid)]
    capital = ok(capsys, "capital", "--as-of", "2026-01-01")
    assert isinstance(capital, dict)
    assert capital["partners"]["US"]["share"] == "19/34"
    assert "ownership_by_basis" not in capital
    chains = ok(capsys, *in_kind, "list")
    assert isinstance(chains, list) and chains[0]["needed"] == "nothing"
    assert chains[0]["booked"]["amount"] == "20000000.00"
    metrics = ok(capsys, "metrics", "--as-of", "2026-01-01")
    assert isinstance(metrics, dict) and metrics["nav"] == "150000000.00"
    assert metrics["recoupment"][0]["amount"] == "66900000000.00"
    statement = ok(capsys, "statement", "--partner", "US", "--quarter", "2025Q4")
    assert isinstance(statement, dict)
    assert statement["lines"]["Contributions"] == "20000000.00"
    code, out, _ = run(capsys, "statement", "--partner", "US", "--quarter", "2025Q3")
    assert code == 0 and "Closing capital" in out and "75,000,000.00" in out
    refused = tmp_path / "dist.json"
    refused.write_text('{"amount": "1.00", "on": "2026-12-01"}')
    code, _, err = run(capsys, "propose", "distribution", "--payload", str(refused))
    assert code == 8 and "2035-05-23" in err
    code, _, err = run(capsys, "propose", "distribution", "--json-payload", "[1]")
    assert code == 3 and "JSON object" in err
