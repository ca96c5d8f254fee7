"""Budget receipts by code: cumulative figures to period amounts, codes to streams, every fault named."""

from __future__ import annotations

from pathlib import Path

import pytest

from jointfund.errors import InputError
from jointfund.intake.budget_codes import budget_codes
from jointfund.intake.treasury_receipts import (
    FundType,
    TreasuryReceipt,
    month_end,
    read_treasury_receipts,
)
from jointfund.terms import RevenueStream

SAMPLES = Path(__file__).parent / "samples"
OPENBUDGET = SAMPLES / "openbudget_incomes_2555900000_2023.csv"
TREASURY = SAMPLES / "treasury_special_fund_2025_cp1251.csv"
RENT = "Рентна плата за користування надрами для видобування інших корисних копалин загальнодержавного значення"
HEADER = "REP_PERIOD;FUND_TYP;COD_INCO;NAME_INC;FAKT_AMT\n"


def _series(receipts: list[TreasuryReceipt], fund: FundType, code: str) -> list[tuple[str, int]]:
    return [(r.period, r.period_minor) for r in receipts if r.fund is fund and r.code == code]


def test_openbudget_file_turns_cumulative_rent_into_monthly_amounts() -> None:
    read = read_treasury_receipts(OPENBUDGET)
    receipts = read.records()
    # 114.85 by January, 49 435.87 by February ... 107 278.00 by May (real 2023 figures).
    assert _series(receipts, FundType.GENERAL, "13030100") == [
        ("2023-01", 11485),
        ("2023-02", 4932102),
        ("2023-03", 451029),
        ("2023-04", 13869),
        ("2023-05", 5319315),
    ]
    january = next(r for line, r in read.items if line == 6)
    assert january == TreasuryReceipt(
        period="2023-01",
        covers_from="2023-01",
        fund=FundType.GENERAL,
        budget="2555900000",
        code="13030100",
        name=RENT,
        stream=RevenueStream.ROYALTY,
        period_minor=11485,
        cumulative_minor=11485,
        fell=False,
    )


def test_period_amounts_add_up_to_the_last_cumulative_figure() -> None:
    receipts = read_treasury_receipts(OPENBUDGET).records()
    for fund, code in {(r.fund, r.code) for r in receipts}:
        series = [r for r in receipts if (r.fund, r.code) == (fund, code)]
        assert sum(r.period_minor for r in series) == series[-1].cumulative_minor


def test_a_falling_cumulative_figure_is_flagged_not_refused() -> None:
    receipts = read_treasury_receipts(OPENBUDGET).records()
    # Grants to the special fund: 92 901.98 by January, -41 246.95 by February (refunds).
    grants = [r for r in receipts if r.fund is FundType.SPECIAL and r.code == "42020500"]
    assert [(r.period_minor, r.fell) for r in grants[:2]] == [(9290198, False), (-13414893, True)]
    profit_tax = [r for r in receipts if r.fund is FundType.GENERAL and r.code == "11020200"]
    assert [r.fell for r in profit_tax] == [False, False, False, True, False]


def test_codes_are_mapped_to_streams_or_left_unmapped() -> None:
    streams = {r.code: r.stream for r in read_treasury_receipts(OPENBUDGET).records()}
    assert streams == {
        "13030100": RevenueStream.ROYALTY,
        "13040200": None,  # subsoil use without extraction: mapped as not a fund stream
        "11020200": None,  # profit tax: unmapped
        "42020500": None,
    }


def test_treasury_file_in_windows_1251_with_decimal_commas_and_a_missing_month() -> None:
    receipts = read_treasury_receipts(TREASURY).records()
    rent = [r for r in receipts if r.code == "13030100"]
    assert [(r.period, r.covers_from, r.period_minor, r.fell) for r in rent] == [
        ("2025-01", "2025-01", 125000000, False),
        ("2025-02", "2025-02", 123050025, False),
        ("2025-03", "2025-03", -5000000, True),
        # No April row: May's amount covers April and May.
        ("2025-05", "2025-04", 156949975, False),
    ]
    assert {r.budget for r in receipts} == {""}
    assert all(r.fund is FundType.SPECIAL for r in receipts)
    assert rent[0].name == RENT


def test_a_users_code_file_extends_and_overrides_the_shipped_mapping(tmp_path: Path) -> None:
    mine = tmp_path / "codes.csv"
    mine.write_text(
        "code,stream,name,source\n"
        "24060300,permit_fee,Інші надходження,our own ruling of 2026-01-10\n"
        "1304,royalty,Рентна плата в цілях не пов'язаних з видобуванням,ministry letter 12/3\n",
        encoding="utf-8",
    )
    codes = budget_codes(mine)
    streams = {r.code: r.stream for r in read_treasury_receipts(TREASURY, codes=codes).records()}
    assert streams == {
        "13030100": RevenueStream.ROYALTY,
        "13040100": RevenueStream.ROYALTY,
        "24060300": RevenueStream.PERMIT_FEE,
    }


def test_a_bad_code_file_is_refused_with_located_problems(tmp_path: Path) -> None:
    mine = tmp_path / "codes.csv"
    mine.write_text(
        "code,stream,name,source\n1303x,royalty,a,b\n1304,royalties,a,b\n1305,royalty,a,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        budget_codes(mine)
    assert [(p.row, p.field) for p in caught.value.problems] == [
        (2, "code"),
        (3, "stream"),
        (4, "source"),
    ]


def _problems(tmp_path: Path, body: str) -> list[tuple[int | None, str | None, str]]:
    path = tmp_path / "receipts.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_treasury_receipts(path)
    assert all(p.file == str(path) for p in caught.value.problems)
    return [(p.row, p.field, p.message) for p in caught.value.problems]


def test_every_bad_row_is_named(tmp_path: Path) -> None:
    body = (
        HEADER + "13.2025;S;13030100;Рента;1,00\n"
        "1.2025;X;1303010;Рента;1.000,5\n"
        "1.2025;S;13030100;=HYPERLINK(1);abc\n"
        "2.2025;S;13030100;Рента;100,00\n"
        "2.2025;S;13030100;Рента;100,00\n"
        "3.2025;S;13030100;Рента\n"
    )
    assert _problems(tmp_path, body) == [
        (2, "REP_PERIOD", "no such month: '13.2025'"),
        (3, "FUND_TYP", "unknown fund type 'X'"),
        (3, "COD_INCO", "not a revenue code: '1303010'"),
        (3, "FAKT_AMT", "both a decimal comma and a point: '1.000,5'"),
        (4, "NAME_INC", "looks like a spreadsheet formula"),
        (4, "FAKT_AMT", "not a number: 'abc'"),
        (6, "REP_PERIOD", "02.2025 for fund special, code 13030100 is already on row 5"),
        (7, None, "row has fewer cells than the header (4, not 5)"),
    ]


def test_a_header_without_the_columns_read_is_refused_naming_them(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "REP_PERIOD;FUND_TYP;COD_INCO;NAME\n1.2025;S;13030100;x\n")
    assert problems == [
        (1, "NAME_INC", "missing column 'NAME_INC'"),
        (1, "FAKT_AMT", "missing column 'FAKT_AMT'"),
    ]


def test_empty_and_header_only_files(tmp_path: Path) -> None:
    assert _problems(tmp_path, "") == [(None, None, "file is empty")]
    assert _problems(tmp_path, HEADER) == [(None, None, "file has no receipts")]


def test_month_end() -> None:
    assert [month_end(p).isoformat() for p in ("2024-02", "2025-02", "2025-12")] == [
        "2024-02-29",
        "2025-02-28",
        "2025-12-31",
    ]
