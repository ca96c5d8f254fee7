"""Three-way reconciliation by budget code on the example fund: a Treasury file written the way
the Treasury writes it (Windows-1251, `;`, decimal comma, year-to-date figures) that agrees with
the filings except for one planted difference, which is found with its code, month and size."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from jointfund.fund import treasury
from jointfund.fund.code_reconciliation import reconcile_by_code
from jointfund.fund.demo import build_demo
from jointfund.reports.code_reconciliation import CodeCause
from jointfund.store import Database, open_database
from tests.fund.test_fund_cli import ok, run
from tests.operator import operator

CODE = "13030100"
NAME = "Рентна плата за користування надрами для видобування інших корисних копалин"
PLANTED_MONTH = "2026-07"
PLANTED = 1_234_56  # UAH 1 234,56 more in the Treasury's figure than the filings give


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Database, Path, str]:
    """The example fund, its folder and the administrator's token."""
    folder = tmp_path_factory.mktemp("by-code")
    db = open_database(str(folder / "fund.db"))
    result = build_demo(db)
    [admin] = [x.token for x in result.logins if x.role == "administrator"]
    return db, folder, admin


def _uah(minor: int) -> str:
    """1234567,89 written as the Treasury writes it: 1 234 567,89."""
    whole, cents = divmod(minor, 100)
    return f"{whole:,}".replace(",", " ") + f",{cents:02d}"


def _treasury_file(db: Database, folder: Path) -> Path:
    """The special fund's royalty receipts, month by month as the filings give them, with one
    month's receipt larger by PLANTED; cumulative within each year."""
    _, before = reconcile_by_code(db, operator(db))
    monthly = {x.period: x.filed_minor for x in before.lines if x.stream == "royalty"}
    assert PLANTED_MONTH in monthly
    totals: dict[str, int] = defaultdict(int)
    rows = ["REP_PERIOD;FUND_TYP;COD_INCO;NAME_INC;FAKT_AMT"]
    for period in sorted(monthly):
        year, month = period.split("-")
        totals[year] += monthly[period] + (PLANTED if period == PLANTED_MONTH else 0)
        rows.append(f"{int(month)}.{year};S;{CODE};{NAME};{_uah(totals[year])}")
    path = folder / "treasury_2026_cp1251.csv"
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1251"))
    return path


def test_a_planted_difference_is_found_by_code_and_month(
    example: tuple[Database, Path, str],
) -> None:
    db, folder, _ = example
    admin = operator(db)
    path = _treasury_file(db, folder)
    treasury.import_receipts(db, admin, path)
    _, result = reconcile_by_code(db, admin)
    royalty = [d for d in result.differences if d.code == CODE]
    assert [(d.cause, d.period, d.size_minor) for d in royalty] == [
        (CodeCause.AMOUNT_DIFFERS, PLANTED_MONTH, PLANTED)
    ]
    # Every other royalty month agrees three ways: filed share = Treasury = accrued.
    for line in result.lines:
        if line.code == CODE and line.period != PLANTED_MONTH:
            assert line.filed_minor == line.treasury_minor == line.accrued_minor
    # The year's receipts wait for their transfer (due 1 April of the next year).
    [gap] = [d for d in result.differences if d.cause is CodeCause.UNTRANSFERRED]
    assert gap.period == "2026"
    assert gap.size_minor == sum(x.treasury_minor for x in result.lines if x.code == CODE)


def test_the_command_reads_stored_receipts_or_a_file_by_code(
    example: tuple[Database, Path, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db, folder, token = example
    path = _treasury_file(db, folder)
    monkeypatch.setenv("JOINTFUND_DATABASE_URL", str(folder / "fund.db"))
    monkeypatch.setenv("JOINTFUND_TOKEN", token)
    ok(capsys, "treasury", "import", str(path))
    for extra in ((), ("--treasury", str(path))):
        code, out, err = run(capsys, "report", "reconcile", *extra)
        assert code == 0, err
        planted = [line for line in out.splitlines() if line.startswith("amount_differs")]
        assert len(planted) == 1
        assert planted[0].startswith(f"amount_differs,{CODE},{PLANTED_MONTH},1234.56,")
    code, _, err = run(capsys, "report", "reconcile", "--treasury", str(folder / "none.csv"))
    assert code == 3, err
    latin = folder / "latin.csv"  # a file saved in another encoding: located, not a traceback
    latin.write_bytes("licence_id,period\nUA-LI-0001,2025-06 \xe9\n".encode("latin-1"))
    code, _, err = run(capsys, "report", "reconcile", "--treasury", str(latin))
    assert code == 3 and "Traceback" not in err, err
    assert f"{latin}:2: file is not valid UTF-8" in err
