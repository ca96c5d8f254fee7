"""Reading FX tables: the plain shape, the NBU export (both spellings) and their refusals."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from jointfund.errors import InputError
from jointfund.intake.fx_rates import read_fx_rates
from jointfund.intake.records import FxRecord
from jointfund.money import FxRate

SAMPLES = Path(__file__).parent / "samples"
NBU_HEADER = "Дата;Код літерний;Кількість одиниць;Офіційний курс гривні, грн"


def test_plain_table_reads_into_exact_records() -> None:
    read = read_fx_rates(SAMPLES / "fx_plain.csv")
    assert read.items == [
        (2, FxRecord(date(2025, 6, 2), "USD", "UAH", Decimal("41.5432"))),
        (3, FxRecord(date(2025, 6, 2), "EUR", "UAH", Decimal("47.3"))),
        # Written USD/EUR; kept the way the pair is quoted, EUR/USD, with the printed figure.
        (
            4,
            FxRecord(
                date(2025, 6, 3),
                "EUR",
                "USD",
                Decimal("1.137009664582148948266060262"),
                inverted_from=Decimal("0.8795"),
            ),
        ),
    ]


def test_nbu_export_gives_uah_per_one_unit_and_skips_metals() -> None:
    read = read_fx_rates(SAMPLES / "fx_nbu_uk.csv")
    assert read.items == [
        (2, FxRecord(date(2025, 6, 2), "USD", "UAH", Decimal("41.5432"))),
        (3, FxRecord(date(2025, 6, 2), "EUR", "UAH", Decimal("47.3000"))),
        # Quoted per 100 dollars before December 2019.
        (5, FxRecord(date(2017, 10, 23), "USD", "UAH", Decimal("26.538902"))),
    ]


def test_english_nbu_export_with_commas_and_quoted_rates() -> None:
    assert read_fx_rates(SAMPLES / "fx_nbu_en.csv").records() == [
        FxRecord(date(2025, 6, 2), "JPY", "UAH", Decimal("0.28831")),
        FxRecord(date(2025, 6, 2), "PLN", "UAH", Decimal("11.0512")),
    ]


def test_records_fit_the_money_packages_rate_table() -> None:
    for record in read_fx_rates(SAMPLES / "fx_nbu_uk.csv").records():
        rate = FxRate(record.on, record.base, record.quote, record.rate)
        assert rate.rate == record.rate


def _problems(tmp_path: Path, body: str) -> list[tuple[int | None, str | None, str]]:
    path = tmp_path / "fx.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_fx_rates(path)
    return [(p.row, p.field, p.message) for p in caught.value.problems]


def test_every_bad_plain_row_is_named(tmp_path: Path) -> None:
    body = (
        "date,base,quote,rate\n"
        "2025-06-02,USD,UAH,41.5\n"
        "2025-06-02,USD,UAH,41.6\n"
        "02.06.2025,USD,USD,-1\n"
        "2025-06-03,XAU,UAH,0\n"
        "2025-06-03,EUR,UAH,nan,1\n"
    )
    assert _problems(tmp_path, body) == [
        (3, "rate", "USD/UAH on 2025-06-02 is already on row 2 with another rate (41.5)"),
        (4, "date", "not a date: '02.06.2025'"),
        (4, "rate", "rate must be positive"),
        (4, "quote", "base and quote are both USD"),
        (5, "base", "XAU (Gold) has no minor unit in ISO 4217, so it cannot be booked"),
        (5, "rate", "rate must be more than zero"),
        (6, None, "row has more cells than the header (5, not 4)"),
    ]


def test_every_bad_nbu_row_is_named_with_the_files_column_names(tmp_path: Path) -> None:
    body = f"{NBU_HEADER}\n31.06.2025;USD;1;41,5\n01.07.2025;EUR;0;41.5,1\n01.07.2025;UAH;1;1\n"
    assert _problems(tmp_path, body) == [
        (2, "Дата", "no such date: '31.06.2025'"),
        (3, "Кількість одиниць", "out of range: 0"),
        (3, "Офіційний курс гривні, грн", "both a decimal comma and a point: '41.5,1'"),
        (4, "Код літерний", "the hryvnia against itself"),
    ]


def test_header_only_and_empty_files_are_refused(tmp_path: Path) -> None:
    assert _problems(tmp_path, "date,base,quote,rate\n") == [(None, None, "file has no rates")]
    assert _problems(tmp_path, "\n\n") == [(None, None, "file is empty")]


def test_an_inverse_pair_is_kept_in_the_canonical_direction(tmp_path: Path) -> None:
    path = tmp_path / "fx.csv"
    path.write_text("date,base,quote,rate\n2026-11-20,UAH,USD,0.0232847\n", encoding="utf-8")
    (record,) = read_fx_rates(path).records()
    assert (record.base, record.quote, record.inverted_from) == ("USD", "UAH", Decimal("0.0232847"))
    assert abs(record.rate * Decimal("0.0232847") - 1) < Decimal("1e-25")


def test_an_inverse_that_agrees_with_the_direct_rate_is_the_same_fact(tmp_path: Path) -> None:
    path = tmp_path / "fx.csv"
    path.write_text(
        "date,base,quote,rate\n"
        "2026-11-20,UAH,USD,0.0232847\n"  # 1 / 42.9465, printed to 7 places (truncated)
        "2026-11-20,USD,UAH,42.9465\n",
        encoding="utf-8",
    )
    # The direct quote is the one kept, on its own row.
    assert read_fx_rates(path).items == [
        (3, FxRecord(date(2026, 11, 20), "USD", "UAH", Decimal("42.9465")))
    ]


def test_an_inverse_that_contradicts_the_direct_rate_is_refused(tmp_path: Path) -> None:
    # The attack of December 2026: UAH/USD 1.0 next to the official USD/UAH 42.9465.
    body = "date,base,quote,rate\n2026-11-20,USD,UAH,42.9465\n2026-11-20,UAH,USD,1.0\n"
    assert _problems(tmp_path, body) == [
        (
            3,
            "rate",
            "UAH/USD 1.0 on 2026-11-20 contradicts row 2: USD/UAH 42.9465 means "
            "UAH/USD 0.023284785",
        )
    ]


def test_implausible_rates_are_refused_with_the_range(tmp_path: Path) -> None:
    tiny = "0." + "0" * 40 + "1"
    body = f"date,base,quote,rate\n2026-11-20,USD,UAH,{tiny}\n2026-11-21,USD,UAH,{'9' * 29}\n"
    path = tmp_path / "fx.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_fx_rates(path)
    assert [(p.row, p.field) for p in caught.value.problems] == [(2, "rate"), (3, "rate")]
    assert all("not a plausible rate" in p.message for p in caught.value.problems)
    assert all("0.000001 to 10000000" in (p.expected or "") for p in caught.value.problems)


def test_nbu_rows_for_currencies_that_cannot_be_booked_are_skipped_and_counted(
    tmp_path: Path,
) -> None:
    path = tmp_path / "nbu.csv"
    path.write_text(
        f"{NBU_HEADER}\n02.06.2025;USD;1;41,5432\n02.06.2025;XDR;1;56,7\n02.06.2025;___;1;4,04\n",
        encoding="utf-8",
    )
    read = read_fx_rates(path)
    assert (read.records(), read.skipped) == (
        [FxRecord(date(2025, 6, 2), "USD", "UAH", Decimal("41.5432"))],
        2,
    )
