"""The CLI's commands on the books: every one takes a token, every role is allowed exactly where
the permission table says, refused (permission_denied) elsewhere, and no token at all refused
(unauthenticated)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import pytest
import typer.main
from sqlalchemy import text

from jointfund.cli.app import app, main
from tests.http.api.conftest import Fund

from .security_roles import CALLERS, may

# Each command with arguments that make an allowed caller fail harmlessly (unknown ids, a
# taken name, an unknown partner) or only read, so the matrix changes nothing it relies on.
COMMANDS: dict[str, tuple[str, list[str]]] = {
    "propose": (
        "proposals.create",
        [
            "in_kind_valuation",
            "--json-payload",
            '{"recommendation_id": 999999, "assessed_value": "1.00", "cost_report_hash": "'
            + "0" * 64
            + '", "valuation_hash": "'
            + "0" * 64
            + '", "recommendation_hash": "'
            + "0" * 64
            + '"}',
        ],
    ),
    "approve": ("proposals.approve", ["999999", "--payload-hash", "0" * 64]),
    "reject": ("proposals.approve", ["999999", "--reason", "not for the fund"]),
    "proposal": ("proposals.read", ["999999"]),
    "proposals": ("proposals.read", []),
    "governance committees": ("committees.read", []),
    "governance seat": ("committees.manage", ["no-such-committee", "auditor"]),
    "governance unseat": ("committees.manage", ["no-such-committee", "auditor"]),
    "governance recommend": ("committees.recommend", ["999999", "--payload-hash", "0" * 64]),
    "capital": ("capital.read", []),
    "metrics": ("metrics.read", []),
    "statement": ("statements.read", ["--partner", "US", "--quarter", "2026Q1"]),
    "audit": ("audit.read", ["--limit", "1"]),
    "users add": ("users.manage", ["auditor", "--role", "auditor"]),
    "users list": ("users.read", []),
    "users token": ("users.manage", ["no-such-user"]),
    "users revoke": ("users.manage", ["{leaver_token_id}"]),
    "contributions add-cash": (
        "contributions.record",
        ["--partner", "ZZ", "--amount", "1.00", "--date", "2025-06-01", "--reference", "x"],
    ),
    "contributions in-kind cost-report": (
        "contributions.record",
        ["--partner", "ZZ", "--reference", "x", "--date", "2025-06-01", "--item", "d=1.00"],
    ),
    "contributions in-kind valuation": (
        "contributions.record",
        [
            "--cost-report",
            "no-such",
            "--reference",
            "x",
            "--consultant",
            "c",
            "--method",
            "m",
            "--assessed-value",
            "1.00",
            "--date",
            "2025-06-01",
            "--evidence",
            "e=" + "0" * 64,
        ],
    ),
    "contributions in-kind recommend": (
        "proposals.approve",
        ["--valuation", "999999", "--assessed-value", "1.00", "--date", "2025-06-01"],
    ),
    "contributions in-kind propose": ("proposals.create", ["--cost-report", "no-such"]),
    "contributions in-kind list": ("contributions.read", []),
    "contributions list": ("contributions.read", []),
    "contributions transfer": (
        "contributions.record",
        ["--amount", "1.00", "--date", "2025-06-01", "--period", "2025", "--reference", "x"],
    ),
    "contributions transfers": ("contributions.read", []),
    "calendar record": (
        "contributions.record",
        ["no-such-deadline", "--period", "2025", "--date", "2025-06-01", "--reference", "x"],
    ),
    "investments disburse": (
        "investments.record",
        ["no-such-investment", "--amount", "1.00", "--date", "2025-06-01", "--reference", "x"],
    ),
    "investments proceeds": (
        "investments.record",
        ["no-such-investment", "--amount", "1.00", "--date", "2025-06-01", "--reference", "x"],
    ),
    "init": ("fund.setup", []),
    "post": ("ledger.post", ["{journal}"]),
    "close": ("ledger.close", ["--through", "2025-06-30"]),
    "checkpoint": ("ledger.read", []),
    "balances": ("ledger.read", []),
    "journal": ("ledger.read", ["--limit", "1"]),
    "verify": ("ledger.verify", []),
    "accounts list": ("ledger.read", []),
    "accounts open": (
        "ledger.post",
        ["Assets:Cash:USD", "--currency", "USD", "--on", "2025-05-23", "--non-negative"],
    ),
    "accounts close": ("ledger.post", ["Assets:Nope", "--on", "2025-06-01"]),
    "licences import": ("licences.import", ["{missing}"]),
    "licences list": ("licences.read", []),
    "filings import": ("filings.submit", ["{missing}"]),
    "filings list": ("filings.read", ["--limit", "1"]),
    "fx import": ("fx.import", ["{missing}"]),
    "treasury import": ("receipts.import", ["{missing}"]),
    "treasury list": ("receipts.read", []),
    "auctions import": ("receipts.import", ["{missing}"]),
    "auctions list": ("receipts.read", []),
    "report transparency": ("reports.produce", ["--format", "csv"]),
    "report eiti": ("reports.produce", ["--year", "2025", "--out", "{out}"]),
    "forecast run": (
        "metrics.read",
        ["base", "--as-of", "2026-06-30", "--paths", "20", "--years", "3", "--out", "{out_dir}"],
    ),
    "forecast backtest": (
        "metrics.read",
        ["base", "--from", "2025-12-31", "--paths", "20", "--to", "2026"],
    ),
    "report statement": (
        "statements.read",
        ["--period", "2026Q1", "--format", "html", "--out", "{out}"],
    ),
    "report reconcile": ("reports.produce", ["--treasury", "{treasury}"]),
    "report shadow": ("reports.produce", ["--admin", "{admin}", "--period", "2026Q1"]),
    "report gapp": ("reports.produce", ["--format", "json"]),
    "report export journal": ("ledger.read", ["--format", "csv"]),
    "report export balances": ("ledger.read", ["--format", "csv"]),
    "export beancount": ("ledger.read", ["--out", "{out}"]),
    "backup": ("books.backup", ["--out", "{out}"]),
}


def _token_commands() -> set[str]:
    root = typer.main.get_command(app)
    ctx = click.Context(root)
    found: set[str] = set()

    def walk(command: Any, path: list[str]) -> None:
        if hasattr(command, "list_commands"):
            for name in command.list_commands(ctx):
                walk(command.get_command(ctx, name), [*path, name])
        elif any(p.name == "token" for p in command.params):
            found.add(" ".join(path))

    walk(root, [])
    return found


def test_every_token_taking_command_is_in_the_matrix() -> None:
    assert _token_commands() == set(COMMANDS)


def _run(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[int, dict[str, Any]]:
    code = main(args)
    out = capsys.readouterr().out
    try:
        body = json.loads(out) if out.strip() else {}
    except json.JSONDecodeError:
        body = {"text": out}
    return code, body if isinstance(body, dict) else {"items": body}


def _files(folder: Path) -> dict[str, str]:
    """The files the commands of the matrix read or write, made once."""
    journal = folder / "journal.json"
    journal.write_text(
        json.dumps(
            [
                {
                    "key": "matrix-fee",
                    "date": "2026-10-01",
                    "kind": "fee",
                    "postings": [
                        {"account": "Expenses:Operating", "amount": "1.00", "currency": "USD"},
                        {"account": "Assets:Cash:USD", "amount": "-1.00", "currency": "USD"},
                    ],
                }
            ]
        )
    )
    treasury = folder / "treasury.csv"
    treasury.write_text("licence_id,period,stream,currency,amount,received_on,treasury_reference\n")
    admin = folder / "admin.csv"
    admin.write_text(
        "partner,period,opening,contributions,income,unrealised_change,distributions,closing,"
        "ownership_pct\n"
    )
    return {
        "{journal}": str(journal),
        "{missing}": str(folder / "no-such-file.csv"),
        "{treasury}": str(treasury),
        "{admin}": str(admin),
        "{out}": str(folder / "out.file"),
        "{out_dir}": str(folder / "out-dir"),
    }


@pytest.mark.parametrize("who", CALLERS)
def test_every_command_allows_exactly_the_roles_the_table_names(
    fund: Fund,
    who: str | None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.delenv("JOINTFUND_TOKEN", raising=False)
    url = fund.db.engine.url.render_as_string(hide_password=False)
    with fund.db.read() as conn:
        # Anyone may revoke their own token; this one is the deactivated user's, nobody's here.
        revoked = conn.execute(
            text(
                "SELECT t.id FROM api_tokens t JOIN users u ON u.id = t.user_id "
                "WHERE u.name = 'leaver'"
            )
        ).scalar_one()
    files = _files(tmp_path) | {"{leaver_token_id}": str(revoked)}
    wrong: list[str] = []
    for command, (action, extra) in sorted(COMMANDS.items()):
        args = [*command.split(), *(files.get(a, a) for a in extra)]
        args += ["--db", url]
        if who is not None:
            args += ["--token", fund.tokens[who]]
        code, body = _run(capsys, args)
        # Exit codes: 7 permission_denied, 10 unauthenticated (cli/output.py EXIT_CODES).
        if who is None:
            ok = code == 10
        elif may(who, action):
            ok = code not in {7, 10}
        else:
            ok = code == 7
        if not ok:
            wrong.append(f"{who} {command} ({action}): exit {code} {body}")
    assert not wrong, "\n".join(wrong)
