"""The six wrong numbers of the December 2026 users' review, each reproduced on the example fund
before it was fixed (issue 13)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from jointfund import store
from jointfund.errors import InputError
from jointfund.fund import books, filing_lists, investments, proposal_views, proposals, users
from jointfund.fund.demo import build_demo
from jointfund.fund.metrics import fund_metrics
from jointfund.fund.position import fund_position
from jointfund.governance import User
from jointfund.store import Database, open_database
from tests.fund.booking.cached_reasons import store_cached_reasons
from tests.operator import approve_as_seen, operator

YEAR_END = date(2026, 12, 31)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Database:
    db = open_database(str(tmp_path_factory.mktemp("demo") / "fund.db"))
    build_demo(db)
    return db


def test_stale_fx_keeps_the_uah_cash_in_nav_and_says_the_rate_is_stale(demo: Database) -> None:
    found = fund_position(demo, operator(demo), as_of=YEAR_END)
    uah = next(line for line in found.nav.cash_lines if line.currency == "UAH")
    assert uah.usd is not None and uah.usd > 0
    with demo.read() as conn:
        last = max(
            r.on for r in store.fx_rates.rate_table(conn) if {r.base, r.quote} == {"USD", "UAH"}
        )
    assert last < YEAR_END - timedelta(days=7), "the example's rates end before the year does"
    assert uah.rate_date == last
    assert uah.status == "stale"
    assert found.nav.complete
    assert f"UAH rate stale as of {last.isoformat()}" in found.warnings
    # The same position within the limit carries no mark.
    fresh = fund_position(demo, operator(demo), as_of=last)
    assert fresh.warnings == ()


def test_no_rate_at_all_marks_nav_incomplete_and_names_the_balance(demo: Database) -> None:
    found = fund_position(demo, operator(demo), as_of=date(2025, 9, 16))
    # The first UAH receipt (15 Sep 2025) predates nothing: the example has rates from then on,
    # so look at the line's status rather than assume; an incomplete NAV lists what it lacks.
    for line in found.nav.cash_lines:
        if line.usd is None:
            assert not found.nav.complete
            assert any(line.currency in w for w in found.warnings)


def test_a_filing_correction_is_neither_a_distribution_nor_paid_in(demo: Database) -> None:
    found = fund_metrics(demo, operator(demo), as_of=YEAR_END)
    ua = found.partners["UA"]
    assert ua.distributed == 0
    assert found.fund.distributed == 0
    # Paid-in is what the capital account holds as contributed, correction netted once.
    assert ua.paid_in == found.capital.accounts["UA"].contributions


def test_capital_and_nav_reconcile_through_a_named_bridge(demo: Database) -> None:
    found = fund_position(demo, operator(demo), as_of=date(2026, 11, 30))
    capital = sum(a.closing for a in found.capital.accounts.values())
    assert found.bridge[0] == ("partners_capital", capital)
    assert sum(v for _, v in found.bridge) == found.nav.total
    assert any(k == "unrealised_translation" and v != 0 for k, v in found.bridge)
    for p, a in found.capital.accounts.items():
        assert found.partners[p].nav_share == found.partners[p].performance.nav
        assert found.partners[p].closing == a.closing


def test_overview_metrics_api_and_cli_read_one_position(demo: Database, tmp_path: Path) -> None:
    found = fund_position(demo, operator(demo), as_of=YEAR_END)
    metrics = fund_metrics(demo, operator(demo), as_of=YEAR_END)
    assert metrics.nav.total == found.nav.total
    assert metrics.fund == found.fund


def _person(db: Database, name: str) -> User:
    return next(u for u in users.list_users(db, operator(db)) if u.name == name)


def _approve_everyone(db: Database, proposal_id: int) -> None:
    for name in (f"{p}-manager-{i}" for p in ("us", "ua") for i in (1, 2, 3)):
        with db.read() as tx:
            state = store.proposals.get_proposal(tx, proposal_id).status
        if state != "open":
            return
        approve_as_seen(db, _person(db, name), proposal_id)


def test_a_commitment_with_nothing_disbursed_cannot_be_marked(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "fund.db"))
    build_demo(db)
    admin = operator(db)
    (commitment,) = [
        v.proposal
        for v in proposal_views.list_proposals(db, admin)
        if v.proposal.kind == "investment"
    ]
    _approve_everyone(db, commitment.id)
    mark = {"investment_id": "velta-titanium", "fair_value": "24000000.00", "on": "2026-12-01"}
    with pytest.raises(InputError, match=r"velta-titanium has 0\.00 USD disbursed"):
        proposals.propose(db, admin, "valuation_mark", mark)
    before = fund_position(db, admin, as_of=YEAR_END).nav.total
    investments.disburse(
        db,
        admin,
        "velta-titanium",
        amount_minor=1_000_000_00,
        on=date(2026, 11, 2),
        reference="WIRE-1",
    )
    funded = proposals.propose(db, admin, "valuation_mark", mark)
    _approve_everyone(db, funded.id)
    after = fund_position(db, admin, as_of=YEAR_END)
    assert after.nav.investments_mark == 23_000_000_00
    assert after.nav.total == before + 23_000_000_00


def test_a_stored_reason_names_its_own_filings_period(demo: Database) -> None:
    with demo.read() as tx:
        rows = store.filing_reads.filing_rows(tx)
    early = [r for r in rows if not r.eligible and "precede entry into force" in (r.reason or "")]
    assert len({r.period for r in early}) > 1
    for r in early:
        assert f"period {r.period} (ending " in (r.reason or ""), (r.period, r.reason)
        assert f"received {r.received_on.isoformat()}" in (r.reason or "")


def test_books_that_kept_a_cached_reason_get_a_chained_true_note(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "fund.db"))
    build_demo(db)
    # Filings as the decider stored them before the fix: the first filing's text on each.
    with db.write() as tx:
        ids = store_cached_reasons(tx, 4)
        noted = store.filing_reasons.note_true_reasons(tx)
        assert store.filing_reasons.note_true_reasons(tx) == 0
        found = store.filing_reasons.true_reasons(tx)
    assert noted == 3  # the first one's text was true of it
    for filing_id, r in ids[1:]:
        assert f"period {r.period} (ending {r.period_end.isoformat()}" in found[filing_id]
    assert ids[0][0] not in found
    report = books.verify(db, operator(db))
    assert report.ok, report.findings
    # Every surface that lists filings (CLI, API, page) shows the true reason.
    listed = {r.id: r.reason for r in filing_lists.list_filings(db, operator(db), limit=10_000)}
    by_period, _ = filing_lists.filings_by_period(db, operator(db), limit=10_000)
    for filing_id, _r in ids[1:]:
        assert listed[filing_id] == found[filing_id]
        assert next(x.reason for x in by_period if x.id == filing_id) == found[filing_id]
