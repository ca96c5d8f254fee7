"""A full verify that replays the journal in worker processes says what the one-process verify
says: the same verdict, counts and head on clean books, the same findings after every direct
edit of the journal and its totals, and the same answer against a kept checkpoint."""

from __future__ import annotations

from pathlib import Path

import pytest

from jointfund.ledger import Checkpoint, VerifyReport
from jointfund.store import open_database
from jointfund.store.verification import verify_books

from ..reliability.tamper_fund import TamperFund, copy_of, tamper_template, tampering
from ..reliability.test_tamper_all_tables import OPS, forge


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Checkpoint]:
    return tamper_template(tmp_path_factory.mktemp("parallel"))


@pytest.fixture
def fund(template: tuple[Path, Checkpoint], tmp_path: Path) -> TamperFund:
    return copy_of(template, tmp_path)


def _both(url: str, kept: Checkpoint | None = None) -> tuple[VerifyReport, VerifyReport]:
    """(one process, two workers forced even on small books) on the same snapshot."""
    db = open_database(url)
    try:
        with db.read() as conn:
            alone = verify_books(conn, kept)
            shared = verify_books(conn, kept, url=db.shared_url, workers=2, parallel_from=0)
        return alone, shared
    finally:
        db.dispose()


def _said(report: VerifyReport) -> list[tuple[str, int | None, str | None]]:
    return [(f.what, f.seq, f.account) for f in report.findings]


def test_clean_books_verify_the_same_in_workers(fund: TamperFund) -> None:
    alone, shared = _both(fund.url, fund.kept)
    assert alone.ok and shared.ok, shared.findings
    assert (shared.entries, shared.postings) == (alone.entries, alone.postings)
    assert (shared.last_seq, shared.last_hash) == (alone.last_seq, alone.last_hash)
    assert shared.balances == alone.balances


JOURNAL_EDITS = [(t, op) for t in ("entries", "postings") for op in OPS] + [
    ("balances", "update"),
    ("day_totals", "update"),
]


@pytest.mark.parametrize(("table", "op"), JOURNAL_EDITS)
def test_every_edit_of_the_journal_is_named_the_same_way(
    fund: TamperFund, table: str, op: str
) -> None:
    with tampering(fund.url) as conn:
        forge(conn, table, op)
    alone, shared = _both(fund.url)
    assert not alone.ok
    assert _said(shared) == _said(alone)


def test_an_entry_deleted_where_the_workers_meet_is_named(fund: TamperFund) -> None:
    from sqlalchemy import delete, func, select

    from jointfund.store.tables.ledger import entries, postings

    with tampering(fund.url) as conn:
        last = conn.execute(select(func.max(entries.c.seq))).scalar_one()
        boundary = last // 2 + 1  # the first entry of the second worker's range
        conn.execute(delete(postings).where(postings.c.entry_seq == boundary))
        conn.execute(delete(entries).where(entries.c.seq == boundary))
    alone, shared = _both(fund.url)
    assert shared.first_bad is not None and shared.first_bad.seq == boundary + 1
    assert _said(shared) == _said(alone)


def test_history_rewritten_before_a_kept_checkpoint_is_named_the_same_way(
    fund: TamperFund,
) -> None:
    from sqlalchemy import update

    from jointfund.store.tables.ledger import entries

    from .test_faults_tamper import _recompute_everything

    with tampering(fund.url) as conn:
        conn.execute(update(entries).where(entries.c.seq == 1).values(memo="rewritten"))
        _recompute_everything(conn)
    alone, shared = _both(fund.url, fund.kept)
    assert shared.first_bad is not None and shared.first_bad.seq == fund.kept.last_seq
    assert _said(shared) == _said(alone)
