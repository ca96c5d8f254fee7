"""CLI output people read on an 80-column terminal: tables fold, never cut an amount or an id
short, and a report meant for a browser goes to a file, not the terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jointfund.cli.language import cli_language
from jointfund.fund import open_books
from jointfund.fund.demo import build_demo

EXE = Path(sys.executable).with_name("jointfund")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    """The demo fund on a SQLite file, with the environment that signs in as its administrator
    and a terminal 80 columns wide."""
    folder = tmp_path_factory.mktemp("tables")
    db = open_books(str(folder / "demo.db"))
    logins = {x.name: x.token for x in build_demo(db).logins}
    db.dispose()
    env = {
        **os.environ,
        "COLUMNS": "80",
        "JOINTFUND_LANG": "en",
        "JOINTFUND_TOKEN": logins["administrator"],
    }
    return str(folder / "demo.db"), env


def jointfund(env: dict[str, str], *args: str, cwd: Path | None = None) -> str:
    done = subprocess.run(
        [EXE, *args], capture_output=True, text=True, check=False, env=env, cwd=cwd
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def grouped(metrics: dict[str, Any]) -> str:
    """The whole fund's paid-in, grouped as tables print amounts (e.g. 151,732,886.02)."""
    return f"{Decimal(metrics['performance']['fund']['paid_in']):,.2f}"


def test_metrics_and_the_journal_print_every_amount_whole_at_80_columns(
    demo: tuple[str, dict[str, str]],
) -> None:
    db, env = demo
    metrics = jointfund(env, "metrics", "--db", db)
    paid_in = grouped(json.loads(jointfund(env, "metrics", "--db", db, "--json")))
    assert "…" not in metrics
    assert max(len(line) for line in metrics.splitlines()) <= 80
    assert paid_in in metrics, f"paid in of the whole fund whole ({paid_in}), not cut with …"
    journal = jointfund(env, "journal", "--limit", "5", "--db", db)
    assert "…" not in journal
    assert max(len(line) for line in journal.splitlines()) <= 80
    for amount in ("75,000,000.00", "-75,000,000.00"):
        assert amount in journal


def test_filings_list_keeps_ids_and_amounts_whole(demo: tuple[str, dict[str, str]]) -> None:
    db, env = demo
    listed = jointfund(env, "filings", "list", "--limit", "5", "--db", db)
    rows = json.loads(jointfund(env, "filings", "list", "--limit", "5", "--db", db, "--json"))
    assert "…" not in listed
    for row in rows:
        assert row["gross"] in listed, f"{row['gross']} whole"
    assert max(len(line) for line in listed.splitlines()) <= 80


def test_report_gapp_writes_its_html_to_a_file_it_names(
    demo: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    db, env = demo
    done = subprocess.run(
        [EXE, "report", "gapp", "--as-of", "2026-11-22", "--db", db],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    written = tmp_path / "gapp-2026-11-22.html"
    assert "<html" in written.read_text(encoding="utf-8").lower()
    assert "<html" not in done.stdout.lower(), "no page on the terminal"
    assert "gapp-2026-11-22.html" in done.stderr


def test_the_cli_speaks_ukrainian_when_the_environment_asks_and_json_stays_as_it_is(
    demo: tuple[str, dict[str, str]],
) -> None:
    db, env = demo
    ukrainian = {**env, "JOINTFUND_LANG": "uk"}
    metrics = jointfund(ukrainian, "metrics", "--db", db)
    paid_in = grouped(json.loads(jointfund(env, "metrics", "--db", db, "--json")))
    assert "Результати" in metrics and "сплачено" in metrics
    ukrainian_way = paid_in.replace(",", "\xa0").replace(".", ",")
    assert ukrainian_way in metrics, f"numbers the Ukrainian way: {ukrainian_way}"
    as_json = jointfund(ukrainian, "metrics", "--db", db, "--json")
    assert as_json == jointfund(env, "metrics", "--db", db, "--json"), "JSON is for machines"
    refused = subprocess.run(
        [EXE, "metrics", "--db", db],
        capture_output=True,
        text=True,
        check=False,
        env={**ukrainian, "JOINTFUND_TOKEN": "jf_not-a-token"},
    )
    assert refused.returncode != 0
    assert refused.stderr.startswith("помилка: ")


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "en"),
        ({"LANG": "uk_UA.UTF-8"}, "uk"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANGUAGE": "de:uk", "LANG": "en_US.UTF-8"}, "uk"),
        ({"JOINTFUND_LANG": "en", "LC_ALL": "uk_UA.UTF-8"}, "en"),
        ({"LC_ALL": "C", "LANG": "uk_UA.UTF-8"}, "en"),
    ],
)
def test_the_cli_language_follows_jointfund_lang_then_the_posix_variables(
    env: dict[str, str], expected: str
) -> None:
    assert cli_language(env) == expected
