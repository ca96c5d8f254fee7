"""The readers of government files under random and damaged input: records, or an InputError
whose every problem names the file; never any other exception."""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from tests.reports.test_report_eiti_workbook import SUMMARY
from tests.security.security_mutations import NASTY_CELLS, malformed

from jointfund.errors import InputError, Problem
from jointfund.intake.budget_codes import budget_codes
from jointfund.intake.fx_rates import read_fx_rates
from jointfund.intake.subsoil_auctions import read_subsoil_auctions
from jointfund.intake.treasury_receipts import read_treasury_receipts
from jointfund.reports.eiti_workbook import eiti_workbook_bytes
from jointfund.reports.eiti_workbook_reader import read_eiti_workbook

from .test_intake_nbu_rates import WEBSITE_HEADER

SAMPLES = Path(__file__).parent / "samples"
LABEL = "upload.dat"
TEXT_EXAMPLES = 100
XLSX_EXAMPLES = 40
FUZZ = settings(
    max_examples=TEXT_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
Reader = Callable[[Path], Any]


def _sample(name: str, encoding: str = "utf-8") -> str:
    return (SAMPLES / name).read_bytes().decode(encoding).lstrip("\ufeff")


TEXT_READERS: dict[str, tuple[Reader, str, bool]] = {
    "fx plain csv": (read_fx_rates, _sample("fx_plain.csv"), False),
    "nbu website csv": (read_fx_rates, _sample("nbu_website_usd_cp1251.csv", "cp1251"), False),
    "nbu api json": (read_fx_rates, _sample("nbu_api_20220721.json"), True),
    "nbu api period json": (read_fx_rates, _sample("nbu_site_usd_period.json"), True),
    "nbu website json": (read_fx_rates, _sample("nbu_website_usd.json"), True),
    "treasury openbudget": (
        read_treasury_receipts,
        _sample("openbudget_incomes_2555900000_2023.csv"),
        False,
    ),
    "treasury special fund": (
        read_treasury_receipts,
        _sample("treasury_special_fund_2025_cp1251.csv", "cp1251"),
        False,
    ),
    "budget codes": (budget_codes, "code,stream,name,source\n1303,royalty,Рента,order 11\n", False),
    "prozorro procedures": (read_subsoil_auctions, _sample("prozorro_sale_procedures.json"), True),
    "prozorro feed": (read_subsoil_auctions, _sample("prozorro_sale_feed.jsonl"), True),
}


NASTY_JSON_VALUES: list[object] = [
    None, True, 0, -1, 10**30, 1.5e300, "", " ", "abc", "=1+1", "31.02.2025", "1e5", "-5",
    "2025-13-01T00:00:00", [], {}, [1], {"uk_UA": None}, "\u0000", "9" * 40,
]  # fmt: skip


@st.composite
def body_mutated(draw: st.DrawFn, sample: str) -> bytes:
    """The sample with its header line kept and its rows damaged, so row checks are reached."""
    header, _, body = sample.partition("\n")
    damaged = draw(malformed(body))
    return header.encode("utf-8") + b"\n" + damaged


@st.composite
def values_replaced(draw: st.DrawFn, sample: str) -> bytes:
    """The JSON sample with a few values (anywhere in the tree) replaced by odd ones."""
    lines = sample.strip().splitlines()
    as_lines = sample.lstrip()[:1] == "{" and len(lines) > 1
    documents = [json.loads(line) for line in lines] if as_lines else [json.loads(sample)]
    for _ in range(draw(st.integers(1, 5))):
        document = draw(st.sampled_from(documents))
        _replace_one(draw, document)
    if as_lines:
        return ("\n".join(json.dumps(d, ensure_ascii=False) for d in documents) + "\n").encode()
    return json.dumps(documents[0], ensure_ascii=False, indent=1).encode()


def _replace_one(draw: st.DrawFn, node: object) -> None:
    """Walk down a random path and replace the value found there."""
    while True:
        if isinstance(node, dict) and node:
            key = draw(st.sampled_from(sorted(node)))
            child = node[key]
            if not isinstance(child, dict | list) or not child or draw(st.booleans()):
                node[key] = draw(st.sampled_from(NASTY_JSON_VALUES))
                return
            node = child
        elif isinstance(node, list) and node:
            at = draw(st.integers(0, len(node) - 1))
            child = node[at]
            if not isinstance(child, dict | list) or not child or draw(st.booleans()):
                node[at] = draw(st.sampled_from(NASTY_JSON_VALUES))
                return
            node = child
        else:
            return


def _inputs(sample: str, json_like: bool) -> st.SearchStrategy[bytes]:
    """Noise and damage of every depth: the whole file, the rows, single values."""
    deeper = values_replaced(sample) if json_like else body_mutated(sample)
    return st.one_of(malformed(sample, json_like=json_like), deeper, deeper)


def _outcome(reader: Reader, data: bytes, suffix: str) -> None:
    """Run the reader on `data` saved as a file: it returns or raises a located InputError."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{LABEL}{suffix}"
        path.write_bytes(data)
        problems: tuple[Problem, ...] = ()
        try:
            reader(path)
        except InputError as exc:
            problems = tuple(exc.problems)
        else:
            return
    assert problems, "an InputError must carry its problems"
    assert all(p.file == str(path) for p in problems), problems


@pytest.mark.parametrize("name", sorted(TEXT_READERS))
def test_text_readers_return_records_or_a_located_input_error(name: str) -> None:
    reader, sample, json_like = TEXT_READERS[name]

    @FUZZ
    @given(_inputs(sample, json_like))
    def run(data: bytes) -> None:
        _outcome(reader, data, "")

    run()


def _nbu_xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(WEBSITE_HEADER)
    sheet.append(["13.01.2025", "00.00", 840, "USD", 1, "Долар США", 42.2841])
    sheet.append(["13.01.2025", "00.00", 392, "JPY", 10, "Єна", 2.6907])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


NBU_XLSX = _nbu_xlsx()
EITI_XLSX = eiti_workbook_bytes(SUMMARY)
NASTY_VALUES: list[object] = [*NASTY_CELLS, None, 0, -1.5, 1e308, float("nan"), True, 10**20]


@st.composite
def edited_workbook(draw: st.DrawFn, original: bytes) -> bytes:
    """The workbook with a few cells replaced by nasty values, rows or sheets removed."""
    book = load_workbook(io.BytesIO(original))
    for _ in range(draw(st.integers(1, 4))):
        sheet = book.worksheets[draw(st.integers(0, len(book.worksheets) - 1))]
        edit = draw(st.integers(0, 4))
        if edit == 0 and len(book.worksheets) > 1:
            book.remove(sheet)
            continue
        if edit == 1 and sheet.max_row > 1:
            sheet.delete_rows(draw(st.integers(1, sheet.max_row)))
            continue
        row = draw(st.integers(1, max(1, sheet.max_row)))
        column = draw(st.integers(1, max(1, sheet.max_column)))
        value = draw(st.sampled_from(NASTY_VALUES))
        if isinstance(value, str):
            # openpyxl refuses these characters outright; a real file cannot hold them.
            value = "".join(c for c in value if c >= " " or c in "\t\n\r")
        sheet.cell(row=row, column=column, value=value)  # type: ignore[arg-type]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@st.composite
def damaged_bytes(draw: st.DrawFn, original: bytes) -> bytes:
    """The file cut short or with bytes overwritten."""
    data = bytearray(original[: draw(st.integers(0, len(original)))])
    for _ in range(draw(st.integers(0, 3))):
        if data:
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


XLSX_READERS: dict[str, tuple[Reader, bytes]] = {
    "nbu website xlsx": (read_fx_rates, NBU_XLSX),
    "eiti workbook": (read_eiti_workbook, EITI_XLSX),
}


@pytest.mark.parametrize("name", sorted(XLSX_READERS))
def test_workbook_readers_return_records_or_a_located_input_error(name: str) -> None:
    reader, original = XLSX_READERS[name]

    @settings(FUZZ, max_examples=XLSX_EXAMPLES)
    @given(st.one_of(edited_workbook(original), edited_workbook(original), damaged_bytes(original)))
    def run(data: bytes) -> None:
        _outcome(reader, data, ".xlsx")

    run()
