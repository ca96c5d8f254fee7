"""Reading monthly revenue filings: exact records, both paths agree, round trips, progress."""

import calendar
import csv
import io
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jointfund.errors import InputError
from jointfund.intake.cells import FORMULA_START
from jointfund.intake.filings import COLUMNS, read_filings
from jointfund.intake.records import FilingRecord
from jointfund.money import format_amount
from jointfund.terms import RevenueStream

SAMPLES = Path(__file__).parent / "samples"
HEADER = "licence_id,period,stream,gross_amount,currency,payer_reference"

EXPECTED = [
    FilingRecord(
        "UA-LI-0001",
        "2025-06",
        date(2025, 6, 30),
        RevenueStream.ROYALTY,
        125000050,
        "UAH",
        "PAY-2025-06-0001",
        1,
        0,
        date(2025, 6, 30),
    ),
    FilingRecord(
        "UA-PSA-0002",
        "2025-02",
        date(2025, 2, 28),
        RevenueStream.PSA_STATE_SHARE,
        7500000,
        "USD",
        "PAY-2025-06-0002",
        2,
        120025,
        date(2025, 3, 20),
    ),
    FilingRecord(
        "UA-LI-0001",
        "2025-06",
        date(2025, 6, 30),
        RevenueStream.ROYALTY,
        125010050,
        "UAH",
        "PAY-2025-06-0001",
        2,
        0,
        date(2025, 7, 25),
    ),
    FilingRecord(
        "UA-LI-0001",
        "2025-07",
        date(2025, 7, 31),
        RevenueStream.PERMIT_FEE,
        0,
        "JPY",
        "PAY-2025-07-0003",
        1,
        0,
        date(2025, 7, 31),
    ),
]


def test_csv_filings_in_any_column_order_read_into_exact_records() -> None:
    read = read_filings(SAMPLES / "filings.csv")
    assert [line for line, _ in read.items] == [2, 3, 4, 5]
    assert read.records() == EXPECTED


def test_json_lines_filings_read_into_the_same_records() -> None:
    read = read_filings(SAMPLES / "filings.jsonl")
    assert [line for line, _ in read.items] == [1, 2, 4, 5]
    assert read.records() == EXPECTED


def test_records_from_the_fast_path_are_ordinary_frozen_records() -> None:
    # Every row after the first takes the fast path (its licence, month and stream are cached).
    record = read_filings(SAMPLES / "filings.csv").records()[2]
    assert type(record) is FilingRecord
    assert record == EXPECTED[2] and hash(record) == hash(EXPECTED[2])
    with pytest.raises(AttributeError):
        record.gross_minor = 1  # type: ignore[misc]


def test_quoted_cells_and_windows_line_ends_give_the_same_records(tmp_path: Path) -> None:
    text = (SAMPLES / "filings.csv").read_text(encoding="utf-8")
    quoted = text.replace("UA-LI-0001", '"UA-LI-0001"').replace("\n", "\r\n")
    path = tmp_path / "quoted.csv"
    path.write_text(quoted, encoding="utf-8", newline="")
    assert read_filings(path).records() == EXPECTED


def _refused(
    tmp_path: Path, body: str, suffix: str = ".csv"
) -> list[tuple[int | None, str | None]]:
    path = tmp_path / f"filings{suffix}"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_filings(path)
    return [(p.row, p.field) for p in caught.value.problems]


def test_a_bad_value_is_reported_even_after_the_same_column_was_good(tmp_path: Path) -> None:
    body = (
        f"{HEADER},version,received_on\n"
        "UA-1,2025-06,royalty,10.00,UAH,PAY-1,1,2025-07-01\n"
        "UA-1,2025-06,royalty,10.00,UAH,PAY-2,0,2025-07-32\n"
        "UA-1,2025-06,royalty,10.00,UAH, ,x,\n"
    )
    assert _refused(tmp_path, body) == [
        (3, "version"),
        (3, "received_on"),
        (4, "payer_reference"),
        (4, "version"),
    ]


def test_rows_with_fewer_cells_are_refused(tmp_path: Path) -> None:
    assert _refused(tmp_path, f"{HEADER}\nUA-1,2025-06,royalty\n") == [(2, None)]


def test_json_amounts_must_be_strings_not_numbers(tmp_path: Path) -> None:
    body = (
        '[{"licence_id": "UA-1", "period": "2025-06", "stream": "royalty",'
        ' "gross_amount": 10.5, "currency": "UAH", "payer_reference": "P", "version": true},'
        ' "not an object"]'
    )
    assert _refused(tmp_path, body, ".json") == [(1, "gross_amount"), (1, "version"), (1, None)]


def test_a_negative_cost_is_an_amount_problem_not_a_formula(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text(f"{HEADER},costs\nUA-1,2025-06,royalty,10.00,UAH,PAY-1,-1.00\n", "utf-8")
    with pytest.raises(InputError) as caught:
        read_filings(path)
    (problem,) = caught.value.problems
    assert (problem.field, problem.message) == ("costs", "negative amount not allowed")


def test_progress_is_reported_every_ten_thousand_rows_and_at_the_end(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    rows = (f"UA-{i % 7},2025-0{1 + i % 9},royalty,{i}.25,UAH,PAY-{i}" for i in range(25_001))
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    calls: list[int] = []
    read = read_filings(path, progress=calls.append)
    assert calls == [10_000, 20_000, 25_001]
    assert read.items[-1] == (
        25_002,
        FilingRecord(
            "UA-3",
            "2025-08",
            date(2025, 8, 31),
            RevenueStream.ROYALTY,
            2500025,
            "UAH",
            "PAY-25000",
            1,
            0,
            date(2025, 8, 31),
        ),
    )


# Amounts in currencies with 0, 2 and 3 decimals; texts the readers must keep verbatim.
_CURRENCIES = ("UAH", "USD", "JPY", "KWD")
_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12
).filter(lambda s: s == s.strip() and s[0] not in FORMULA_START)


@st.composite
def _filing(draw: st.DrawFn, reference: str) -> FilingRecord:
    year, month = draw(st.integers(1991, 2100)), draw(st.integers(1, 12))
    period_end = date(year, month, calendar.monthrange(year, month)[1])
    gross = draw(st.integers(0, 2**63 - 1))
    return FilingRecord(
        licence_id=draw(_TEXT),
        period=f"{year:04d}-{month:02d}",
        period_end=period_end,
        stream=draw(st.sampled_from(RevenueStream)),
        gross_minor=gross,
        currency=draw(st.sampled_from(_CURRENCIES)),
        payer_reference=reference,
        version=draw(st.integers(1, 1000)),
        costs_minor=draw(st.integers(0, gross)),
        received_on=draw(
            st.one_of(st.just(period_end), st.dates(date(1991, 1, 1), date(2100, 12, 31)))
        ),
    )


def _csv_text(records: list[FilingRecord], blank_defaults: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in records:
        writer.writerow(
            [
                r.licence_id,
                r.period,
                r.stream.value,
                format_amount(r.gross_minor, r.currency),
                r.currency,
                r.payer_reference,
                "" if blank_defaults and r.version == 1 else r.version,
                ""
                if blank_defaults and r.costs_minor == 0
                else format_amount(r.costs_minor, r.currency),
                "" if blank_defaults and r.received_on == r.period_end else r.received_on,
            ]
        )
    return out.getvalue()


@settings(max_examples=60, deadline=None)
@given(
    references=st.lists(_TEXT, min_size=1, max_size=12, unique=True),
    data=st.data(),
    blank_defaults=st.booleans(),
)
def test_any_valid_filings_table_round_trips(
    references: list[str], data: st.DataObject, blank_defaults: bool
) -> None:
    records = [data.draw(_filing(ref)) for ref in references]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "filings.csv"
        path.write_text(_csv_text(records, blank_defaults), encoding="utf-8")
        assert read_filings(path).records() == records
