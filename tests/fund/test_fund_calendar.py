"""The compliance calendar on the example fund, and rent periods per resource (Tax Code 257)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from jointfund.errors import InputError
from jointfund.fund import calendar, filings
from jointfund.fund.demo import build_demo
from jointfund.store import Database, open_database
from jointfund.terms import RevenueStream
from jointfund.terms.rent import RentPeriod, payment_due, period_span, rent_findings, rent_period
from tests.fund.booking.booking_fixtures import HEADER, snapshot, write
from tests.operator import operator


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Database:
    db = open_database(str(tmp_path_factory.mktemp("calendar") / "fund.db"))
    build_demo(db)
    return db


def _cycle(db: Database, on: date) -> dict[tuple[str, str], str]:
    items = calendar.compliance_calendar(db, operator(db), as_of=on, rent=False).items
    return {(i.deadline_id, i.period): i.status for i in items}


def test_the_cycles_deadlines_change_status_through_the_year(example: Database) -> None:
    early = _cycle(example, date(2026, 3, 1))
    assert early[("treasury-receipts-report", "2025")] == "due"
    assert early[("transfer-to-partnership", "2025")] == "due"
    late = _cycle(example, date(2026, 5, 2))
    # The example's books hold no report for 2025: after 15 March and 1 May they are overdue.
    assert late[("treasury-receipts-report", "2025")] == "overdue"
    assert late[("ppp-annual-report", "2025")] == "overdue"
    assert late[("transfer-to-partnership", "2025")] == "met"
    assert late[("state-audit", "2025")] == "due"
    assert late[("transfer-to-partnership", "2026")] == "due"
    items = calendar.compliance_calendar(example, operator(example), as_of=date(2026, 5, 2)).items
    transfer = next(
        i for i in items if (i.deadline_id, i.period) == ("transfer-to-partnership", "2025")
    )
    assert transfer.amounts == {"accrued UAH": 75_000_000_00}
    assert transfer.done_on == date(2026, 4, 1)


def test_a_report_recorded_meets_its_deadline_once(example: Database) -> None:
    admin = operator(example)
    with pytest.raises(InputError) as wrong:
        calendar.record_deadline(
            example,
            admin,
            deadline_id="transfer-to-partnership",
            period_year=2025,
            done_on=date(2026, 3, 10),
            reference="X",
        )
    assert [p.field for p in wrong.value.problems] == ["deadline"]
    _, created = calendar.record_deadline(
        example,
        admin,
        deadline_id="treasury-receipts-report",
        period_year=2025,
        done_on=date(2026, 3, 20),
        reference="DKSU-2026-0315",
    )
    assert created
    before = snapshot(example)
    _, again = calendar.record_deadline(
        example,
        admin,
        deadline_id="treasury-receipts-report",
        period_year=2025,
        done_on=date(2026, 3, 20),
        reference="DKSU-2026-0315",
    )
    assert not again and snapshot(example) == before
    assert _cycle(example, date(2026, 5, 2))[("treasury-receipts-report", "2025")] == "met late"


def test_rent_periods_and_deadlines_per_resource() -> None:
    assert rent_period(("titanium",)) is RentPeriod.QUARTER
    assert rent_period(("natural_gas", "gas_condensate")) is RentPeriod.MONTH
    assert rent_period(("other_hydrocarbons",)) is RentPeriod.QUARTER
    q1 = period_span("2025-Q1")
    jan = period_span("2025-01")
    assert q1 is not None and jan is not None
    assert payment_due(q1) == date(2025, 5, 20)  # 31 Mar + 40 days to declare + 10 to pay
    assert payment_due(jan) == date(2025, 3, 2)  # 31 Jan + 20 + 10 [the 20 is uncertain]
    assert rent_findings(("titanium",), RevenueStream.ROYALTY, "2025-Q1", date(2025, 5, 20)) == []
    assert rent_findings(("lithium",), RevenueStream.PERMIT_FEE, "2025-01", date(2025, 9, 1)) == []
    [late] = rent_findings(("oil",), RevenueStream.ROYALTY, "2025-01", date(2025, 3, 3))
    assert late.rule == "rent-payment-deadline"


def test_a_titanium_filing_with_a_monthly_period_is_flagged_with_the_rule(
    tmp_path: Path,
) -> None:
    db = open_database(str(tmp_path / "fund.db"))
    build_demo(db)
    admin = operator(db)
    body = HEADER + (
        "UA-SP-2015-0777,2026-09,royalty,1000000.00,UAH,TI-MONTHLY,1,0.00,2026-10-20\n"
        "UA-SP-2015-0777,2026-Q3,royalty,3000000.00,UAH,TI-QUARTER,1,0.00,2026-11-19\n"
    )
    done = filings.import_filings(db, admin, write(tmp_path, "ti.csv", body))
    [flag] = done.rent_flags
    assert done.rent_flagged == 1
    assert flag.startswith("TI-MONTHLY v1 (UA-SP-2015-0777): rent for titanium is declared by")
    items = calendar.compliance_calendar(db, admin, as_of=date(2026, 12, 1)).items
    rent = {i.reference: i for i in items if i.kind == "rent_payment"}
    monthly = rent["TI-MONTHLY v1"]
    [broken] = monthly.breaks
    assert broken.startswith("rent-period:")
    assert "titanium" in broken and "by quarter" in broken and "Art. 257.1" in broken
    assert rent["TI-QUARTER v1"].breaks == ()
    assert rent["TI-QUARTER v1"].status == "met"
    assert rent["TI-QUARTER v1"].declare_by == date(2026, 11, 9)
    # The example itself files by the rules: only its corrected, late filing is flagged.
    example = [i for i in items if i.kind == "rent_payment" and i.breaks]
    assert {i.reference for i in example} == {"TI-MONTHLY v1", "SYNTH-UA-SP-2025-0711-2026-Q2-R v2"}
