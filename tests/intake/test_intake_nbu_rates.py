"""Every shape the NBU publishes its official rates in, told by content, read to exact rates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from jointfund.errors import InputError
from jointfund.intake.fx_rates import read_fx_rates
from jointfund.intake.records import FxRecord

SAMPLES = Path(__file__).parent / "samples"
# The NBU's official UAH per USD on five days (fund-facts, shared/data/README.md).
PUBLISHED = {
    date(2025, 1, 13): Decimal("42.2841"),
    date(2025, 5, 22): Decimal("41.4360"),
    date(2025, 10, 2): Decimal("41.2200"),
    date(2025, 10, 23): Decimal("41.7550"),
    date(2026, 1, 12): Decimal("43.0757"),
}
WEBSITE_HEADER = [
    "Дата",
    "Час",
    "Код цифровий",
    "Код літерний",
    "Кількість одиниць",
    "Назва валюти",
    "Офіційний курс гривні, грн",
]


def website_xlsx(path: Path, rows: list[list[object]]) -> Path:
    """The website's XLSX download: one sheet, the header row, one row per rate."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Офіційний курс"
    sheet.append(WEBSITE_HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def published_xlsx(tmp_path: Path) -> Path:
    rows: list[list[object]] = [
        [on.strftime("%d.%m.%Y"), "00.00", 840, "USD", 1, "Долар США", float(rate)]
        for on, rate in PUBLISHED.items()
    ]
    return website_xlsx(tmp_path / "Офіційний курс гривні щодо іноземних валют.xlsx", rows)


SHAPES = {
    "website csv utf-8": lambda _: SAMPLES / "nbu_website_usd_utf8.csv",
    "website csv windows-1251": lambda _: SAMPLES / "nbu_website_usd_cp1251.csv",
    "website json": lambda _: SAMPLES / "nbu_website_usd.json",
    "website xlsx": published_xlsx,
    "api period json": lambda _: SAMPLES / "nbu_site_usd_period.json",
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_shape_gives_the_published_usd_rates(shape: str, tmp_path: Path) -> None:
    read = read_fx_rates(SHAPES[shape](tmp_path))
    usd = {r.on: r.rate for r in read.records() if r.base == "USD" and r.on in PUBLISHED}
    assert usd == PUBLISHED
    assert all(r.quote == "UAH" and r.inverted_from is None for r in read.records())


def test_website_csv_skips_metals_and_counts_them() -> None:
    read = read_fx_rates(SAMPLES / "nbu_website_usd_cp1251.csv")
    assert len(read.items) == 5
    assert read.skipped == 1  # XAU
    assert read.items[0] == (2, FxRecord(date(2025, 1, 13), "USD", "UAH", Decimal("42.2841")))


def test_api_daily_table_reads_exact_rates_and_skips_what_cannot_be_booked() -> None:
    read = read_fx_rates(SAMPLES / "nbu_api_20220721.json")
    on = date(2022, 7, 21)
    assert read.records() == [
        FxRecord(on, "AUD", "UAH", Decimal("20.183")),
        FxRecord(on, "HUF", "UAH", Decimal("0.07452")),
        FxRecord(on, "JPY", "UAH", Decimal("0.21175")),
        FxRecord(on, "USD", "UAH", Decimal("29.2549")),
        FxRecord(on, "EUR", "UAH", Decimal("29.8064")),
        FxRecord(on, "PLN", "UAH", Decimal("6.2313")),
    ]
    # Kuna and lev (no longer in ISO 4217's active list), SDR and gold.
    assert read.skipped == 4
    # Each object is located on the line it starts: "[", then "{ " lines 3 apart.
    assert [line for line, _ in read.items] == [2, 8, 11, 14, 23, 26]


def test_api_single_currency_answer_with_special_flag() -> None:
    read = read_fx_rates(SAMPLES / "nbu_api_usd_20250113.json")
    assert read.items == [(2, FxRecord(date(2025, 1, 13), "USD", "UAH", Decimal("42.2841")))]


def test_period_endpoint_divides_by_units() -> None:
    records = read_fx_rates(SAMPLES / "nbu_site_usd_period.json").records()
    assert FxRecord(date(2017, 10, 23), "USD", "UAH", Decimal("26.538902")) in records


def _problems(path: Path) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(InputError) as caught:
        read_fx_rates(path)
    assert all(p.file == str(path) for p in caught.value.problems)
    return [(p.row, p.field, p.message) for p in caught.value.problems]


def test_period_endpoint_refuses_a_rate_per_unit_that_is_not_rate_over_units(
    tmp_path: Path,
) -> None:
    path = tmp_path / "exchange_site.json"
    path.write_text(
        '[{"exchangedate":"23.10.2017","r030":840,"cc":"USD","txt":"Долар США",'
        '"enname":"US Dollar","rate":2653.8902,"units":100,"rate_per_unit":2653.8902,'
        '"group":"1","calcdate":"20.10.2017"}]',
        encoding="utf-8",
    )
    assert _problems(path) == [
        (1, "rate_per_unit", "2653.8902 is not rate / units (26.538902)"),
    ]


def test_bad_api_objects_are_named_by_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "exchange.json"
    path.write_text(
        "[\n"
        '{"r030":840,"txt":"Долар США","rate":41.5,"cc":"USD","exchangedate":"31.06.2025"}\n'
        ',{"r030":978,"txt":"Євро","cc":"EUR","exchangedate":"02.06.2025"}\n'
        ',{"r030":978,"txt":"Євро","rate":-1,"cc":"EUR","exchangedate":"02.06.2025"}\n'
        ',{"r030":978,"txt":"Євро","rate":47.3,"cc":978,"exchangedate":"02.06.2025"}\n'
        ',"USD"\n'
        "]\n",
        encoding="utf-8",
    )
    assert _problems(path) == [
        (2, "exchangedate", "no such date: '31.06.2025'"),
        (3, "rate", "missing field 'rate'"),
        (4, "rate", "rate must be positive"),
        (5, "cc", "not a currency code: '978'"),
        (6, None, "not a JSON object"),
    ]


def test_json_that_is_no_nbu_shape_is_refused_with_the_shapes_expected(tmp_path: Path) -> None:
    path = tmp_path / "rates.json"
    path.write_text('[{"currency": "USD", "value": 41.5}]', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_fx_rates(path)
    (problem,) = caught.value.problems
    assert (problem.row, problem.message) == (1, "not a known NBU rate object")
    assert "exchangedate" in (problem.expected or "")


def test_xlsx_rows_are_located_by_sheet_row(tmp_path: Path) -> None:
    path = website_xlsx(
        tmp_path / "rates.xlsx",
        [
            ["02.06.2025", "00.00", 840, "USD", 1, "Долар США", 41.5432],
            # A real date cell is read as the date it holds.
            [date(2025, 6, 3), "00.00", 840, "USD", 1, "Долар США", 41.6],
            ["04.06.2025", "00.00", 392, "JPY", 0, "Єна", 2.8831],
            ["31.06.2025", "00.00", 840, "USD", 1, "Долар США", "сорок"],
        ],
    )
    assert _problems(path) == [
        (4, "Кількість одиниць", "out of range: 0"),
        (5, "Дата", "no such date: '31.06.2025'"),
        (5, "Офіційний курс гривні, грн", "not a number: 'сорок'"),
    ]


def test_xlsx_units_above_one_give_the_rate_per_unit(tmp_path: Path) -> None:
    path = website_xlsx(
        tmp_path / "rates.xlsx",
        [["02.06.2025", "00.00", 392, "JPY", 10, "Єна", 2.8831]],
    )
    assert read_fx_rates(path).records() == [
        FxRecord(date(2025, 6, 2), "JPY", "UAH", Decimal("0.28831"))
    ]


def test_damaged_workbook_is_a_located_input_error(tmp_path: Path) -> None:
    good = published_xlsx(tmp_path)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(good.read_bytes()[:400])
    ((row, field, message),) = _problems(broken)
    assert (row, field) == (None, None)
    assert message.startswith("not a readable XLSX workbook")
