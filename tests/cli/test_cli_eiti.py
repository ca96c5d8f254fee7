"""`jointfund report eiti --out FILE.xlsx`: the EITI Summary Data Template of a year, as the
command line writes it, opened sheet by sheet and read back to the books' totals."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from jointfund.cli.app import main
from jointfund.cli.output import EXIT_CODES
from jointfund.fund import public_reports, transparency_data
from jointfund.fund.demo import build_demo
from jointfund.reports.eiti_workbook_reader import read_eiti_workbook
from jointfund.store import open_database

SHEETS = [
    "Part 1 - About",
    "Part 3 - Reporting entities",
    "Part 4 - Government revenues",
    "Part 5 - Company data",
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    folder = tmp_path_factory.mktemp("eiti")
    db = open_database(str(folder / "demo.db"))
    try:
        tokens = {login.name: login.token for login in build_demo(db).logins}
    finally:
        db.dispose()
    return str(folder / "demo.db"), tokens


def test_the_command_writes_the_template_the_public_page_serves(
    demo: tuple[str, dict[str, str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, tokens = demo
    monkeypatch.setenv("JOINTFUND_TOKEN", tokens["administrator"])
    out = tmp_path / "eiti-2025.xlsx"
    assert main(["report", "eiti", "--year", "2025", "--out", str(out), "--db", url]) == 0
    assert "sha256" in capsys.readouterr().err
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == SHEETS
    about = {row[0]: row[1] for row in book[SHEETS[0]].iter_rows(values_only=True) if row[0]}
    assert any("2025" in str(v) for v in about.values()), about
    for name in SHEETS[1:]:
        assert book[name].max_row > 1, f"{name} is empty"
    summary = read_eiti_workbook(out)
    db = open_database(url)
    try:
        rows = transparency_data.transparency_report(db, 2025).rows
        served = tmp_path / "served.xlsx"
        served.write_bytes(public_reports.eiti_workbook(db, 2025))
    finally:
        db.dispose()
    # The workbook the page serves says the same (the zip's own timestamps may differ).
    assert read_eiti_workbook(served) == summary
    total = sum(r.amount_minor for r in rows)
    assert sum(p.amount_minor for p in summary.payments) == total
    assert sum(r.amount_minor for r in summary.revenues) == total


def test_a_year_with_no_rate_is_a_located_error_and_no_file(
    demo: tuple[str, dict[str, str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, tokens = demo
    monkeypatch.setenv("JOINTFUND_TOKEN", tokens["administrator"])
    out = tmp_path / "eiti-1990.xlsx"
    code = main(["report", "eiti", "--year", "1990", "--out", str(out), "--db", url])
    err = capsys.readouterr().err
    assert code == EXIT_CODES["invalid_input"] and "year" in err and "Traceback" not in err
    assert not out.exists()
