"""`verify --since`: only what followed a kept checkpoint is replayed, and every edit there, or
a rewrite of what the checkpoint pins, is still named.

The fund is the demo closed through 2025-12-31 (its 2026 entries were booked before the close,
so they sit before the checkpoint but after its day), then a transfer, two deadline records and
a corrected filing after it.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import delete, insert, select, update

from jointfund.cli.app import main
from jointfund.cli.output import EXIT_CODES
from jointfund.fund.books import verify
from jointfund.fund.demo import build_demo
from jointfund.fund.filings import import_filings
from jointfund.fund.users import authenticate
from jointfund.ledger import Checkpoint, VerifyReport
from jointfund.store import open_database
from jointfund.store.books import Books
from jointfund.store.tables.ledger import metadata
from tests.reliability.tamper_fund import _cycle_rows, tampering

from .test_faults_tamper import _recompute_everything

THROUGH = date(2025, 12, 31)
CORRECTION = (
    "licence_id,period,stream,gross_amount,currency,payer_reference,version,costs,received_on\n"
    "UA-SP-2025-0711,2026-Q3,royalty,24500000.00,UAH,SYNTH-UA-SP-2025-0711-2026-Q3-R,2,"
    "7986904.13,2026-11-25\n"
)


def _build(url: str, folder: Path) -> tuple[Checkpoint, dict[str, str], int]:
    """The demo, closed through THROUGH, then more books; (kept checkpoint, tokens, seq the
    work after the close started at)."""
    db = open_database(url)
    try:
        tokens = {login.name: login.token for login in build_demo(db).logins}
        kept = Checkpoint.from_json(Books(db).close(THROUGH).to_json())
        _cycle_rows(db, tokens)
        corrected = folder / "correction.csv"
        corrected.write_text(CORRECTION, encoding="utf-8")
        import_filings(db, authenticate(db, tokens["administrator"]), corrected)
        return kept, tokens, Books(db).verify().last_seq
    finally:
        db.dispose()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Checkpoint, dict[str, str]]:
    folder = tmp_path_factory.mktemp("since")
    kept, tokens, _ = _build(f"sqlite:///{folder / 'fund.db'}", folder)
    return folder / "fund.db", kept, tokens


@pytest.fixture
def fund(template: tuple[Path, Checkpoint, dict[str, str]], tmp_path: Path) -> str:
    shutil.copyfile(template[0], tmp_path / "fund.db")
    return f"sqlite:///{tmp_path / 'fund.db'}"


def _since(url: str, kept: Checkpoint, token: str) -> VerifyReport:
    db = open_database(url)
    try:
        return verify(db, authenticate(db, token), kept, since=True)
    finally:
        db.dispose()


def _full(url: str) -> VerifyReport:
    db = open_database(url)
    try:
        return Books(db).verify()
    finally:
        db.dispose()


def test_only_what_followed_the_checkpoint_is_replayed_and_it_agrees(
    fund: str, template: tuple[Path, Checkpoint, dict[str, str]]
) -> None:
    _, kept, tokens = template
    full = _full(fund)
    since = _since(fund, kept, tokens["auditor"])
    assert full.ok and since.ok, since.findings
    assert since.since_seq == kept.last_seq
    assert since.entries == full.entries - kept.last_seq > 0
    assert (since.last_seq, since.last_hash) == (full.last_seq, full.last_hash)


def _first_after(conn: object, table: str, column: str, bound: int) -> dict[str, object]:
    t = metadata.tables[table]
    row = conn.execute(  # type: ignore[attr-defined]
        select(t).where(t.c[column] > bound).order_by(t.c[column])
    ).first()
    assert row is not None, f"no {table} row after {bound}"
    return dict(row._mapping)


def test_an_entry_edited_after_the_checkpoint_is_named(
    fund: str, template: tuple[Path, Checkpoint, dict[str, str]]
) -> None:
    _, kept, tokens = template
    entries = metadata.tables["entries"]
    with tampering(fund) as conn:
        target = _first_after(conn, "entries", "seq", kept.last_seq)
        conn.execute(update(entries).where(entries.c.seq == target["seq"]).values(memo="forged"))
    report = _since(fund, kept, tokens["auditor"])
    assert report.first_bad is not None and report.first_bad.seq == target["seq"]


def test_a_posting_moved_after_the_checkpoint_breaks_its_entry_and_the_balances(
    fund: str, template: tuple[Path, Checkpoint, dict[str, str]]
) -> None:
    _, kept, tokens = template
    postings = metadata.tables["postings"]
    with tampering(fund) as conn:
        target = _first_after(conn, "postings", "entry_seq", kept.last_seq)
        conn.execute(
            update(postings)
            .where(postings.c.entry_seq == target["entry_seq"], postings.c.idx == target["idx"])
            .values(amount=int(str(target["amount"])) + 1)
        )
    report = _since(fund, kept, tokens["auditor"])
    assert report.first_bad is not None and report.first_bad.seq == target["entry_seq"]
    assert any("stored balance" in f.what for f in report.findings)


@pytest.mark.parametrize("day", ["before the close", "after the close"])
def test_a_stored_day_total_changed_is_named(
    fund: str, template: tuple[Path, Checkpoint, dict[str, str]], day: str
) -> None:
    _, kept, tokens = template
    totals = metadata.tables["day_totals"]
    with tampering(fund) as conn:
        side = totals.c.day <= THROUGH if day == "before the close" else totals.c.day > THROUGH
        row = conn.execute(select(totals).where(side, totals.c.amount != 0)).first()
        assert row is not None
        conn.execute(
            update(totals)
            .where(totals.c.account_id == row.account_id, totals.c.day == row.day)
            .values(amount=row.amount + 5)
        )
    report = _since(fund, kept, tokens["auditor"])
    assert not report.ok
    assert all(f.account for f in report.findings), report.findings


def test_a_stored_balance_changed_is_named(
    fund: str, template: tuple[Path, Checkpoint, dict[str, str]]
) -> None:
    _, kept, tokens = template
    balances = metadata.tables["balances"]
    with tampering(fund) as conn:
        row = conn.execute(select(balances).where(balances.c.amount != 0)).first()
        assert row is not None
        conn.execute(
            update(balances)
            .where(balances.c.account_id == row.account_id)
            .values(amount=row.amount - 1)
        )
    report = _since(fund, kept, tokens["auditor"])
    assert report.first_bad is not None and "stored balance" in report.first_bad.what


@pytest.mark.parametrize("op", ["update", "delete", "insert"])
def test_a_filing_row_chained_after_the_checkpoint_is_named(
    fund: str, template: tuple[Path, Checkpoint, dict[str, str]], op: str
) -> None:
    _, kept, tokens = template
    filings = metadata.tables["filings"]
    with tampering(fund) as conn:
        newest = conn.execute(select(filings).order_by(filings.c.id.desc())).first()
        assert newest is not None and newest.version == 2
        if op == "update":
            stmt = update(filings).where(filings.c.id == newest.id).values(gross_minor=1)
            conn.execute(stmt)
        elif op == "delete":
            conn.execute(delete(filings).where(filings.c.id == newest.id))
        else:
            copy = dict(newest._mapping) | {"id": newest.id + 1, "version": 3}
            conn.execute(insert(filings).values(copy))
    report = _since(fund, kept, tokens["auditor"])
    assert not report.ok
    assert any((f.row or "").startswith("filings:") for f in report.findings), report.findings


def test_history_rewritten_before_the_checkpoint_fails_its_own_proof(
    fund: str, template: tuple[Path, Checkpoint, dict[str, str]]
) -> None:
    _, kept, tokens = template
    entries = metadata.tables["entries"]
    with tampering(fund) as conn:
        conn.execute(update(entries).where(entries.c.seq == 2).values(memo="rewritten"))
        _recompute_everything(conn)
    assert _full(fund).ok, "the recomputation fools a verify with no kept checkpoint"
    report = _since(fund, kept, tokens["auditor"])
    assert report.first_bad is not None and report.first_bad.seq == kept.last_seq


def test_an_in_place_edit_before_the_checkpoint_is_left_to_the_full_verify(
    fund: str, template: tuple[Path, Checkpoint, dict[str, str]]
) -> None:
    """The boundary the command states: what precedes the checkpoint rests on its hashes."""
    _, kept, tokens = template
    entries = metadata.tables["entries"]
    with tampering(fund) as conn:
        conn.execute(update(entries).where(entries.c.seq == 2).values(memo="edited in place"))
    assert _since(fund, kept, tokens["auditor"]).ok
    full = _full(fund)
    assert full.first_bad is not None and full.first_bad.seq == 2


def test_since_needs_a_checkpoint_and_says_what_it_checked(
    fund: str,
    template: tuple[Path, Checkpoint, dict[str, str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, kept, tokens = template
    monkeypatch.setenv("JOINTFUND_TOKEN", tokens["auditor"])
    assert main(["verify", "--since", "--db", fund]) == EXIT_CODES["invalid_input"]
    refused = capsys.readouterr()
    assert "--checkpoint" in refused.err and "Traceback" not in refused.err
    kept_file = tmp_path / "kept.json"
    kept_file.write_text(kept.to_json(), encoding="utf-8")
    assert main(["verify", "--checkpoint", str(kept_file), "--since", "--db", fund]) == 0
    assert f"since the checkpoint (entry #{kept.last_seq})" in capsys.readouterr().out


def test_on_each_backend_a_clean_fund_passes_and_an_edit_after_the_close_is_named(
    db_url: str, tmp_path: Path
) -> None:
    kept, tokens, last = _build(db_url, tmp_path)
    assert _since(db_url, kept, tokens["auditor"]).ok
    transfers = metadata.tables["contribution_transfers"]
    with tampering(db_url) as conn:
        row = conn.execute(select(transfers).order_by(transfers.c.contribution_id.desc())).first()
        assert row is not None
        conn.execute(
            update(transfers)
            .where(transfers.c.contribution_id == row.contribution_id)
            .values(accrued_minor=row.accrued_minor + 1)
        )
    report = _since(db_url, kept, tokens["auditor"])
    assert any((f.row or "").startswith("contribution_transfers:") for f in report.findings)
    assert last > kept.last_seq
