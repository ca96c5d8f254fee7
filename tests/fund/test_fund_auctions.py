"""Prozorro.Sale subsoil auctions: proceeds of signed sales with the fund's share under the
terms, the licence each sale leads to registered through the licence register, re-imports that
change nothing, changed procedures kept as versions and bad files refused whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jointfund import store
from jointfund.errors import InputError, PermissionDeniedError
from jointfund.fund import auctions, licences
from jointfund.fund.setup import set_up_fund
from jointfund.fund.users import add_user
from jointfund.governance import Role
from jointfund.store import Database, open_database
from jointfund.store.books import Books
from jointfund.store.tables.receipts import auction_sales
from jointfund.store.tables.registry import licences as licence_table
from tests.fund.test_fund_cli import ok, run
from tests.operator import operator

SAMPLES = Path(__file__).parents[1] / "intake" / "samples"
PROCEDURES = SAMPLES / "prozorro_sale_procedures.json"
FEED = SAMPLES / "prozorro_sale_feed.jsonl"
SOLD = "SUE001-UA-20250915-10001"


@pytest.fixture
def db(tmp_path: Path) -> Database:
    found = open_database(str(tmp_path / "fund.db"))
    set_up_fund(found, "ua-us-2025-04-30-agreement", operator(found))
    return found


def _procedures(tmp_path: Path, edit: dict[str, object], name: str = "edited.json") -> Path:
    """The sample with its sold procedure's fields replaced."""
    data = json.loads(PROCEDURES.read_text("utf-8"))
    data[0].update(edit)
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return path


def _counts(db: Database) -> tuple[int, int, int]:
    with db.read() as tx:
        sales = tx.execute(select(func.count()).select_from(auction_sales)).scalar_one()
        held = tx.execute(select(func.count()).select_from(licence_table)).scalar_one()
        audit = len(store.audit.audit_records(tx))
    return int(sales), int(held), audit


def test_a_signed_sale_records_its_proceeds_and_registers_its_licence(db: Database) -> None:
    admin = operator(db)
    done = auctions.import_auctions(db, admin, PROCEDURES)
    assert (done.created, done.skipped, done.licences_created) == (3, 1, 1)
    by_id = {a.auction_id: a for a in auctions.list_auctions(db, admin)}
    sale = by_id[SOLD]
    assert (sale.proceeds_minor, sale.contract_number, sale.licence_id) == (
        2_115_000_00,
        "ДП-2025/117",
        SOLD,
    )
    # Kaolin is not an Annex A mineral: the proceeds are the state's, none of it the fund's.
    assert (sale.counts, sale.fund_minor) == (False, 0)
    assert sale.reason is not None and "kaolin" in sale.reason
    # Unsold lots are kept with no proceeds and no licence.
    assert {a.proceeds_minor for i, a in by_id.items() if i != SOLD} == {None}
    [licence] = licences.list_licences(db, admin)
    assert (licence.licence_id, licence.resources, licence.holder_registry_id) == (
        SOLD,
        ("kaolin",),
        "12345678",
    )
    assert str(licence.issued_on) == "2025-10-21"
    with db.read() as tx:
        actions = [r["action"] for r in store.audit.audit_records(tx)]
    assert "licences.import" in actions and "auctions.import" in actions
    assert Books(db).verify().ok


def test_proceeds_of_an_annex_a_permit_go_half_to_the_fund(db: Database, tmp_path: Path) -> None:
    admin = operator(db)
    titanium = _procedures(tmp_path, {"title": {"uk_UA": "Ділянка «Схід» (титанові руди)"}})
    auctions.import_auctions(db, admin, titanium)
    sale = {a.auction_id: a for a in auctions.list_auctions(db, admin)}[SOLD]
    assert sale.counts is True
    assert sale.fund_minor == 2_115_000_00 // 2
    [licence] = licences.list_licences(db, admin)
    assert licence.resources == ("titanium",)


def test_the_same_auctions_again_change_nothing_and_a_changed_one_is_a_new_version(
    db: Database, tmp_path: Path
) -> None:
    admin = operator(db)
    auctions.import_auctions(db, admin, PROCEDURES)
    before = _counts(db)
    again = auctions.import_auctions(db, admin, FEED)  # the same procedures, one a line
    assert (again.created, again.revised, again.unchanged) == (0, 0, 2)
    assert _counts(db) == before
    data = json.loads(PROCEDURES.read_text("utf-8"))
    data[0]["status"] = "cancelled"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    done = auctions.import_auctions(db, admin, changed)
    assert (done.created, done.revised, done.unchanged) == (0, 1, 2)
    with db.read() as tx:
        versions = [
            (a.version, a.status)
            for a in store.receipts.auction_versions(tx)
            if a.auction_id == SOLD
        ]
    assert versions == [(1, "complete"), (2, "cancelled")]
    assert Books(db).verify().ok


def test_a_bad_file_is_refused_whole_with_each_problem_located(
    db: Database, tmp_path: Path
) -> None:
    admin = operator(db)
    bad = _procedures(tmp_path, {"title": {"uk_UA": "Ділянка «Без назви»"}})
    data = json.loads(bad.read_text("utf-8"))
    data[2]["value"] = {"currency": "UAH", "amount": "багато"}
    bad.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
    before = _counts(db)
    with pytest.raises(InputError) as caught:
        auctions.import_auctions(db, admin, bad)
    fields = {p.field for p in caught.value.problems}
    assert "value.amount" in fields
    assert all(p.file == str(bad) and p.row and p.expected for p in caught.value.problems)
    assert _counts(db) == before
    # The title alone: the licence cannot be named, so nothing is written either.
    untitled = _procedures(tmp_path, {"title": {"uk_UA": "Ділянка «Без назви»"}}, "untitled.json")
    with pytest.raises(InputError) as caught:
        auctions.import_auctions(db, admin, untitled)
    [problem] = caught.value.problems
    assert (problem.file, problem.row, problem.field) == (str(untitled), 1, "title")
    assert _counts(db) == before


def test_only_an_administrator_imports(db: Database) -> None:
    auditor = add_user(db, operator(db), "aud-1", Role.AUDITOR)
    with pytest.raises(PermissionDeniedError):
        auctions.import_auctions(db, auditor, PROCEDURES)
    assert _counts(db)[0] == 0


def test_the_commands_exit_codes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOINTFUND_DATABASE_URL", str(tmp_path / "cli.db"))
    ok(capsys, "init")
    boot = ok(capsys, "users", "add", "root", "--bootstrap")
    assert isinstance(boot, dict)
    monkeypatch.setenv("JOINTFUND_TOKEN", str(boot["token"]))
    done = ok(capsys, "auctions", "import", str(PROCEDURES))
    assert isinstance(done, dict) and (done["created"], done["licences_created"]) == (3, 1)
    listed = ok(capsys, "auctions", "list")
    assert isinstance(listed, list)
    assert [x["proceeds"] for x in listed if x["auction_id"] == SOLD] == ["2115000.00"]
    broken = tmp_path / "broken.json"
    broken.write_text('[{"sellingMethod": "subsoil-english", "auctionId": 5}')
    code, _, _ = run(capsys, "auctions", "import", str(broken))
    assert code == 3
