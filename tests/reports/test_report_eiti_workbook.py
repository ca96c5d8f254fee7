"""The EITI Summary Data Template: written as the template's workbook, checked sheet by sheet, read back."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from jointfund.errors import InputError
from jointfund.reports.eiti_records import (
    EitiAbout,
    EitiAgency,
    EitiCompany,
    EitiPayment,
    EitiRevenue,
    EitiSummary,
)
from jointfund.reports.eiti_workbook import (
    ABOUT,
    AGENCY_COLUMNS,
    COMPANY_COLUMNS,
    ENTITIES,
    PAYMENT_COLUMNS,
    PAYMENTS,
    REVENUE_COLUMNS,
    REVENUES,
    write_eiti_workbook,
)
from jointfund.reports.eiti_workbook_reader import read_eiti_workbook
from jointfund.terms import RevenueStream, stream_info

STS = "State Tax Service of Ukraine"
GEO = "State Service of Geology and Subsoil of Ukraine"
VELTA = "=VELTA LLC"  # a name a spreadsheet would take for a formula
ABOUT_2025 = EitiAbout(
    country="Ukraine",
    iso3="UKR",
    start=date(2025, 1, 1),
    end=date(2025, 12, 31),
    reporting_currency="UAH",
    usd_rate=Decimal("41.6848"),
    rate_source="NBU official rate, 2025 average (illustrative)",
    submitter="Fund administrator",
    organisation="jointfund",
    email="admin@example.org",
)
SUMMARY = EitiSummary(
    about=ABOUT_2025,
    agencies=(
        EitiAgency(STS, "Tax authority", "43005393"),
        EitiAgency(GEO, "Licensing authority", "37536031"),
    ),
    companies=(
        EitiCompany(VELTA, "Private company", "31695412", "Mining", ("titanium", "zirconium")),
        EitiCompany(
            "Ukrgasvydobuvannya", "State-owned enterprise", "30019775", "Oil & Gas", ("gas",)
        ),
    ),
    revenues=(
        EitiRevenue(stream_info("royalty").gfs_code, "Subsoil rent", STS, "Mining", 1234567891),
        EitiRevenue(
            stream_info("permit_fee").gfs_code, "Special-permit fee", GEO, "Mining", 50000000
        ),
        EitiRevenue(
            stream_info("auction_proceeds").gfs_code, "Permit auctions", GEO, "Oil & Gas", 211500000
        ),
    ),
    payments=(
        EitiPayment(VELTA, STS, "Subsoil rent", 1000000000),
        EitiPayment("Ukrgasvydobuvannya", STS, "Subsoil rent", 234567891, comment="+ Q4 refund"),
        EitiPayment(VELTA, GEO, "Special-permit fee", 50000000, project="Likarivske"),
    ),
)


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_eiti_workbook(SUMMARY, tmp_path_factory.mktemp("eiti") / "eiti-2025.xlsx")


def _rows(path: Path, sheet: str) -> list[tuple[object, ...]]:
    book = load_workbook(path)
    return [tuple(row) for row in book[sheet].iter_rows(values_only=True)]


def _header(rows: list[tuple[object, ...]], columns: tuple[str, ...]) -> int:
    (found,) = [n for n, row in enumerate(rows) if row[: len(columns)] == columns]
    return found


def test_sheets_are_the_templates_parts(workbook: Path) -> None:
    assert load_workbook(workbook).sheetnames == [
        "Part 1 - About",
        "Part 3 - Reporting entities",
        "Part 4 - Government revenues",
        "Part 5 - Company data",
    ]


def test_part_1_about(workbook: Path) -> None:
    values = {row[0]: row[1] for row in _rows(workbook, ABOUT) if row[0] and len(row) > 1}
    assert values["Country or area name"] == "Ukraine"
    assert values["Reporting currency (ISO-4217)"] == "UAH"
    assert Decimal(repr(values["Exchange rate used: 1 USD ="])) == Decimal("41.6848")
    assert values["Start Date"].date() == date(2025, 1, 1)  # type: ignore[union-attr]
    assert values["Number of reporting government entities"] == 2
    assert values["Number of reporting companies"] == 2


def test_part_3_lists_entities_with_what_each_reported(workbook: Path) -> None:
    rows = _rows(workbook, ENTITIES)
    agencies = _header(rows, AGENCY_COLUMNS)
    assert rows[agencies - 1][0] == "Reporting government entities list"
    assert rows[agencies + 1] == (STS, "Tax authority", "43005393", 12345678.91, None, None)
    assert rows[agencies + 2][:4] == (GEO, "Licensing authority", "37536031", 2615000)
    header = _header(rows, COMPANY_COLUMNS)
    # The formula-looking name is kept as text, behind an apostrophe.
    assert rows[header + 1] == ("'=VELTA LLC", "Private company", "31695412", "Mining",
                                "titanium, zirconium", 10500000)  # fmt: skip
    book = load_workbook(workbook)
    assert book[ENTITIES].cell(row=header + 2, column=1).data_type == "s"


def test_part_4_revenues_carry_gfs_codes_and_totals(workbook: Path) -> None:
    rows = _rows(workbook, REVENUES)
    header = _header(rows, REVENUE_COLUMNS)
    body = rows[header + 1 : header + 4]
    assert [r[4] for r in body] == [
        "Royalties (1415E1)",
        "Licence fees (114521E)",
        "Other rent payments (1415E5)",
    ]
    assert body[0][:4] == ("Other revenue (14E)", "Property income (141E)", "Rent (1415E)",
                           "Royalties (1415E1)")  # fmt: skip
    assert body[1][:4] == (
        "Taxes (11E)",
        "Taxes on goods and services (114E)",
        "Taxes on use of goods/permission to use goods or perform activities (1145E)",
        "Licence fees (114521E)",
    )
    assert [r[5:10] for r in body] == [
        ("Subsoil rent", STS, "Mining", 12345678.91, "UAH"),
        ("Special-permit fee", GEO, "Mining", 500000, "UAH"),
        ("Permit auctions", GEO, "Oil & Gas", 2115000, "UAH"),
    ]
    totals = {r[7]: r[8] for r in rows[header + 4 :] if r[7]}
    # 14 960 678.91 UAH; at 41.6848 UAH per USD, 358 900.10 USD.
    assert totals == {"Total in UAH": 14960678.91, "Total in USD": 358900.1}


def test_part_5_company_data_and_totals(workbook: Path) -> None:
    rows = _rows(workbook, PAYMENTS)
    header = _header(rows, PAYMENT_COLUMNS)
    assert rows[header + 1] == ("'=VELTA LLC", STS, "Subsoil rent", "No", "No", None, "UAH",
                                10000000, "No", None, None, None)  # fmt: skip
    assert rows[header + 2][11] == "'+ Q4 refund"
    assert rows[header + 3][3:6] == ("Yes", "Yes", "Likarivske")
    totals = {r[6]: r[7] for r in rows[header + 4 :] if r[6]}
    assert totals == {"Total in UAH": 12845678.91, "Total in USD": 308162.18}


def test_the_workbook_reads_back_into_the_same_records(workbook: Path) -> None:
    assert read_eiti_workbook(workbook) == SUMMARY


def test_a_total_edited_by_hand_is_caught_where_it_is(workbook: Path, tmp_path: Path) -> None:
    book = load_workbook(workbook)
    sheet = book[REVENUES]
    total_row = next(r[0].row for r in sheet.iter_rows() if r[7].value == "Total in UAH")
    sheet.cell(row=total_row, column=9, value=99)
    sheet.cell(row=5, column=5, value="Royalties (1415E9)")
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    with pytest.raises(InputError) as caught:
        read_eiti_workbook(edited)
    assert [(p.row, p.field) for p in caught.value.problems] == [
        (5, "Part 4 - Government revenues: GFS Classification"),
    ]
    sheet.cell(row=5, column=5, value="Royalties (1415E1)")
    book.save(edited)
    with pytest.raises(InputError) as caught:
        read_eiti_workbook(edited)
    (problem,) = caught.value.problems
    assert (problem.row, problem.field) == (total_row, "Part 4 - Government revenues: Total in UAH")
    assert problem.message == "states 99, the rows add up to 14960678.91"


def test_records_the_template_cannot_hold_are_refused(tmp_path: Path) -> None:
    bad = replace(
        SUMMARY,
        revenues=(EitiRevenue("9999E", "x", "Nobody", "Uranium", 10**15),),
        payments=(EitiPayment("Nobody Ltd", STS, "x", 1, comment="a\x00b"),),
    )
    with pytest.raises(InputError) as caught:
        write_eiti_workbook(bad, tmp_path / "bad.xlsx")
    assert [p.field for p in caught.value.problems] == [
        "revenues[0].gfs_code",
        "revenues[0].sector",
        "revenues[0].agency",
        "revenues[0].amount_minor",
        "payments[0].company",
        "payments[0].comment",
    ]
    assert not (tmp_path / "bad.xlsx").exists()


def test_a_file_that_is_not_the_template_is_refused(tmp_path: Path, workbook: Path) -> None:
    book = load_workbook(workbook)
    del book[PAYMENTS]
    partial = tmp_path / "partial.xlsx"
    book.save(partial)
    with pytest.raises(InputError) as caught:
        read_eiti_workbook(partial)
    assert [p.message for p in caught.value.problems] == ["no sheet 'Part 5 - Company data'"]
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(workbook.read_bytes()[:300])
    with pytest.raises(InputError) as caught:
        read_eiti_workbook(broken)
    assert caught.value.problems[0].message == "not a readable XLSX workbook"


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("=+-@'\t"),
    min_size=1,
    max_size=20,
).filter(lambda s: s.strip() == s and bool(s))
_AMOUNT = st.integers(min_value=-(10**13), max_value=10**13)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    names=st.lists(_TEXT, min_size=2, max_size=4, unique=True),
    amounts=st.lists(_AMOUNT, min_size=1, max_size=5),
    streams=st.lists(st.sampled_from(list(RevenueStream)), min_size=1, max_size=5),
    rate=st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("100000"), places=4),
)
def test_any_summary_round_trips(
    tmp_path_factory: pytest.TempPathFactory,
    names: list[str],
    amounts: list[int],
    streams: list[RevenueStream],
    rate: Decimal,
) -> None:
    agency, company = names[0], names[1]
    summary = EitiSummary(
        about=replace(ABOUT_2025, usd_rate=rate, rate_source=names[-1]),
        agencies=(EitiAgency(agency, names[-1], ""),),
        companies=(EitiCompany(company, "Private company", "12345678", "Mining", ()),),
        revenues=tuple(
            EitiRevenue(stream_info(s).gfs_code, names[-1], agency, "Mining", a)
            for s, a in zip(streams, amounts, strict=False)
        ),
        payments=tuple(
            EitiPayment(company, agency, names[-1], a, in_kind=a % 2 == 0, comment=names[-1])
            for a in amounts
        ),
    )
    path = write_eiti_workbook(summary, tmp_path_factory.mktemp("eiti") / "round.xlsx")
    assert read_eiti_workbook(path) == summary
