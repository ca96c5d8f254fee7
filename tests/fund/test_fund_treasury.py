"""Treasury receipts by budget code stored as the Treasury reports them: real file shapes in
both encodings, year-to-date figures turned into period amounts, re-imports that change nothing,
revisions kept as versions, bad files refused whole, and the command's exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from jointfund import store
from jointfund.errors import InputError, PermissionDeniedError
from jointfund.fund import treasury
from jointfund.fund.setup import set_up_fund
from jointfund.fund.users import add_user
from jointfund.governance import Role
from jointfund.store import Database, open_database
from jointfund.store.books import Books
from jointfund.store.tables.chain import row_chain
from jointfund.store.tables.receipts import treasury_receipts
from tests.fund.test_fund_cli import ok, run
from tests.operator import operator

SAMPLES = Path(__file__).parents[1] / "intake" / "samples"
CP1251 = SAMPLES / "treasury_special_fund_2025_cp1251.csv"
OPENBUDGET = SAMPLES / "openbudget_incomes_2555900000_2023.csv"
ROYALTY = "13030100"


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return open_database(str(tmp_path / "fund.db"))


def _utf8_copy(tmp_path: Path) -> Path:
    """The Windows-1251 sample re-encoded as UTF-8 with a byte-order mark, LF line ends."""
    text = CP1251.read_bytes().decode("cp1251").replace("\r\n", "\n")
    path = tmp_path / "treasury_special_fund_2025_utf8.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    return path


def _counts(db: Database) -> tuple[int, int, int]:
    """Stored receipts, row-chain records and audit records."""
    with db.read() as tx:
        rows = tx.execute(select(func.count()).select_from(treasury_receipts)).scalar_one()
        chain = tx.execute(select(func.count()).select_from(row_chain)).scalar_one()
        audit = len(store.audit.audit_records(tx))
    return int(rows), int(chain), audit


def _royalties(lines: list[treasury.ReceiptLine]) -> list[tuple[str, str, int, int, bool]]:
    return [
        (x.period, x.covers_from, x.period_minor, x.cumulative_minor, x.fell)
        for x in lines
        if x.code == ROYALTY and x.fund_type == "special"
    ]


def test_year_to_date_figures_become_period_amounts_in_either_encoding(
    db: Database, tmp_path: Path
) -> None:
    admin = operator(db)
    done = treasury.import_receipts(db, admin, CP1251)
    assert (done.created, done.revised, done.unchanged) == (6, 0, 0)
    lines = treasury.list_receipts(db, admin)
    # 1 250 000,00 → 2 480 500,25 → 2 430 500,25 (a fall) → (no April) → 4 000 000,00
    assert _royalties(lines) == [
        ("2025-01", "2025-01", 1_250_000_00, 1_250_000_00, False),
        ("2025-02", "2025-02", 1_230_500_25, 2_480_500_25, False),
        ("2025-03", "2025-03", -50_000_00, 2_430_500_25, True),
        ("2025-05", "2025-04", 1_569_499_75, 4_000_000_00, False),
    ]
    assert {x.code: x.stream for x in lines} == {
        ROYALTY: "royalty",
        "13040100": None,  # subsoil use without extraction: not a fund receipt
        "24060300": None,  # unmapped
    }
    # The same figures in UTF-8 are the same receipts: nothing new to store.
    again = treasury.import_receipts(db, admin, _utf8_copy(tmp_path))
    assert (again.created, again.revised, again.unchanged) == (0, 0, 6)
    assert treasury.list_receipts(db, admin) == lines


def test_the_openbudget_api_file_is_read_per_budget_and_fund(db: Database) -> None:
    admin = operator(db)
    done = treasury.import_receipts(db, admin, OPENBUDGET)
    assert done.created == 40
    lines = treasury.list_receipts(db, admin)
    assert {x.budget for x in lines} == {"2555900000"}
    assert {x.fund_type for x in lines} == {"general", "special", "total"}
    assert all(x.period.startswith("2023-") for x in lines)


def test_the_same_file_twice_changes_nothing(db: Database) -> None:
    admin = operator(db)
    treasury.import_receipts(db, admin, CP1251)
    before = _counts(db)
    again = treasury.import_receipts(db, admin, CP1251)
    assert (again.created, again.revised, again.unchanged) == (0, 0, 6)
    assert _counts(db) == before


def test_a_revised_month_is_a_new_version_and_moves_the_next_months_amount(
    db: Database, tmp_path: Path
) -> None:
    admin = operator(db)
    treasury.import_receipts(db, admin, CP1251)
    revised = tmp_path / "revised.csv"
    text = CP1251.read_bytes().decode("cp1251").replace("2 430 500,25", "2 530 500,25")
    revised.write_bytes(text.encode("cp1251"))
    done = treasury.import_receipts(db, admin, revised)
    assert (done.created, done.revised, done.unchanged) == (0, 1, 5)
    lines = treasury.list_receipts(db, admin)
    march, may = _royalties(lines)[2], _royalties(lines)[3]
    assert march[2:] == (50_000_00, 2_530_500_25, False)
    assert may[2] == 1_469_499_75
    with db.read() as tx:
        versions = [
            (r.period, r.version, r.cumulative_minor)
            for r in store.receipts.treasury_versions(tx)
            if r.code == ROYALTY and r.period == "2025-03"
        ]
    assert versions == [("2025-03", 1, 2_430_500_25), ("2025-03", 2, 2_530_500_25)]
    assert Books(db).verify().ok


def test_a_bad_file_is_refused_whole_with_each_problem_located(
    db: Database, tmp_path: Path
) -> None:
    admin = operator(db)
    bad = tmp_path / "bad.csv"
    text = CP1251.read_bytes().decode("cp1251")
    text = text.replace("2.2025;S;13030100", "2.2025;X;13030100").replace("4 000 000,00", "4 млн")
    bad.write_bytes(text.encode("cp1251"))
    before = _counts(db)
    with pytest.raises(InputError) as caught:
        treasury.import_receipts(db, admin, bad)
    located = {(p.file, p.row, p.field) for p in caught.value.problems}
    assert located == {(str(bad), 3, "FUND_TYP"), (str(bad), 5, "FAKT_AMT")}
    assert all(p.expected for p in caught.value.problems)
    assert _counts(db) == before


def test_only_an_administrator_imports(db: Database) -> None:
    admin = operator(db)
    set_up_fund(db, "ua-us-2025-04-30-agreement", admin)
    manager = add_user(db, admin, "aud-1", Role.AUDITOR)
    with pytest.raises(PermissionDeniedError):
        treasury.import_receipts(db, manager, CP1251)
    assert _counts(db)[0] == 0
    treasury.import_receipts(db, admin, CP1251)
    assert len(treasury.list_receipts(db, manager)) == 6


def test_the_commands_exit_codes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOINTFUND_DATABASE_URL", str(tmp_path / "fund.db"))
    ok(capsys, "init")
    boot = ok(capsys, "users", "add", "root", "--bootstrap")
    assert isinstance(boot, dict)
    monkeypatch.setenv("JOINTFUND_TOKEN", str(boot["token"]))
    assert ok(capsys, "treasury", "import", str(CP1251)) == {
        "source": CP1251.name,
        "created": 6,
        "revised": 0,
        "unchanged": 0,
    }
    listed = ok(capsys, "treasury", "list")
    assert isinstance(listed, list)
    assert [x["amount"] for x in listed if x["code"] == ROYALTY] == [
        "1250000.00",
        "1230500.25",
        "-50000.00",
        "1569499.75",
    ]
    bad = tmp_path / "bad.csv"
    bad.write_text("REP_PERIOD;FUND_TYP;COD_INCO;NAME_INC;FAKT_AMT\n13.2025;S;1303;x;1\n")
    code, out, err = run(capsys, "treasury", "import", str(bad))
    assert code == 3
    assert "REP_PERIOD" in err + out and "COD_INCO" in err + out
    monkeypatch.setenv("JOINTFUND_TOKEN", "not-a-token")
    code, _, _ = run(capsys, "treasury", "list")
    assert code == 10
