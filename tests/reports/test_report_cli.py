"""`jointfund report …` end to end on a built example fund (the sub-app, as app.py mounts it)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from typer.testing import CliRunner

from jointfund.cli.report import app
from jointfund.fund import report_data, users
from jointfund.store import Database
from tests.operator import operator

from ..conftest import require_pdf
from .report_fixtures import built_demo


@pytest.fixture
def fund(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Database]:
    db = built_demo(sqlite_url)
    token = users.issue_token(db, operator(db), "auditor", label="reports").secret
    monkeypatch.setenv("JOINTFUND_TOKEN", token)
    return sqlite_url, db


def test_each_command_writes_its_file_and_logs_it(
    fund: tuple[str, Database], tmp_path: Path
) -> None:
    url, db = fund
    runner = CliRunner()

    def run(*args: str) -> str:
        done = runner.invoke(app, [*args, "--db", url])
        assert done.exit_code == 0, done.output
        return done.output

    run("transparency", "--year", "2025", "--format", "xlsx", "--out", str(tmp_path / "t.xlsx"))
    assert load_workbook(tmp_path / "t.xlsx").sheetnames[0] == "payments"
    assert run("transparency", "--year", "2026", "--format", "csv").startswith("fiscal_year,")
    run("statement", "--period", "2026Q1", "--format", "html", "--out", str(tmp_path / "s.html"))
    assert "NAV" in (tmp_path / "s.html").read_text(encoding="utf-8")
    run("export", "journal", "--format", "xlsx", "--out", str(tmp_path / "j.xlsx"))
    assert "balance_minor" in run("export", "balances", "--format", "csv")
    assert "GAPP 17" in run("gapp", "--format", "json", "--as-of", "2026-11-22")
    logged = set(
        report_data.governance_facts(db, operator(db), date(2026, 11, 22), verify=False).latest
    )
    assert {
        "transparency",
        "statement",
        "export-journal",
        "export-balances",
        "gapp",
        "verify",
    } <= logged
    db.dispose()


def test_shadow_exits_1_on_differences_and_pdf_needs_a_file(
    fund: tuple[str, Database], tmp_path: Path
) -> None:
    url, db = fund
    admin = tmp_path / "admin.csv"
    admin.write_text(
        "partner,period,opening,contributions,income,unrealised_change,distributions,closing,ownership_pct\n"
        "US,2026Q1,1.00,0,0,0,0,1.00,50\n",
        encoding="utf-8",
    )
    done = CliRunner().invoke(
        app, ["shadow", "--admin", str(admin), "--period", "2026Q1", "--db", url]
    )
    assert done.exit_code == 1
    assert "US,opening" in done.output
    refused = CliRunner().invoke(
        app, ["statement", "--period", "2026Q1", "--format", "pdf", "--db", url]
    )
    assert refused.exit_code != 0
    db.dispose()


def test_statement_pdf_from_the_command_line(fund: tuple[str, Database], tmp_path: Path) -> None:
    require_pdf()
    url, _ = fund
    done = CliRunner().invoke(
        app,
        [
            "statement",
            "--period",
            "2026Q1",
            "--format",
            "pdf",
            "--out",
            str(tmp_path / "s.pdf"),
            "--db",
            url,
        ],
    )
    assert done.exit_code == 0, done.output
    assert len(PdfReader(io.BytesIO((tmp_path / "s.pdf").read_bytes())).pages) > 0
