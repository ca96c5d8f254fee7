"""Every reader under malformed input: it returns, or raises InputError whose every problem
names the file and, where the format has them, a row inside the file; nothing else escapes."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from jointfund.errors import InputError, Problem
from jointfund.forecast import load_scenario
from jointfund.intake.filings import read_filings
from jointfund.intake.fx_rates import read_fx_rates
from jointfund.intake.journal_file import read_journal
from jointfund.intake.licences import read_licences
from jointfund.terms import parse_terms_yaml

from .security_mutations import malformed

SAMPLES = Path(__file__).parents[1] / "intake" / "samples"
JOURNAL_JSONL = (
    '{"key": "j-1", "date": "2025-07-01", "kind": "contribution", "memo": "cash", "postings": '
    '[{"account": "Assets:Cash:USD", "amount": "10.00", "currency": "USD"}, '
    '{"account": "Equity:Capital:US:Contributions", "amount": "-10.00", "currency": "USD"}]}\n'
    '{"key": "j-2", "date": "2025-07-02", "kind": "inflow", "postings": '
    '[{"account": "Assets:Cash:USD", "amount": "5", "currency": "USD"}, '
    '{"account": "Income:Royalty", "amount": "-5", "currency": "USD"}]}\n'
)
JOURNAL_CSV = (
    "key,date,kind,account,amount,currency,memo\n"
    "j-1,2025-07-01,contribution,Assets:Cash:USD,10.00,USD,cash\n"
    "j-1,2025-07-01,contribution,Equity:Capital:US:Contributions,-10.00,USD,cash\n"
    "j-2,2025-07-02,inflow,Assets:Cash:USD,5,USD,\n"
    "j-2,2025-07-02,inflow,Income:Royalty,-5,USD,\n"
)
TERMS_YAML = (
    resources.files("jointfund.terms") / "presets" / "ua-us-2025-04-30-agreement.yaml"
).read_text("utf-8")
SCENARIO_YAML = (resources.files("jointfund.forecast") / "scenarios" / "base.yaml").read_text(
    "utf-8"
)
FUZZ = settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
LABEL = "upload.dat"
Reader = Callable[[Path, str], Any]
READERS: dict[str, tuple[Reader, str, str, bool]] = {
    "licences csv": (
        lambda p, n: read_licences(p, name=n),
        ".csv",
        (SAMPLES / "licences.csv").read_text("utf-8"),
        False,
    ),
    "licences json": (
        lambda p, n: read_licences(p, name=n),
        ".json",
        (SAMPLES / "licences.json").read_text("utf-8"),
        True,
    ),
    "filings csv": (
        lambda p, n: read_filings(p, name=n),
        ".csv",
        (SAMPLES / "filings.csv").read_text("utf-8"),
        False,
    ),
    "filings jsonl": (
        lambda p, n: read_filings(p, name=n),
        ".jsonl",
        (SAMPLES / "filings.jsonl").read_text("utf-8"),
        True,
    ),
    "fx plain csv": (
        lambda p, n: read_fx_rates(p, name=n),
        ".csv",
        (SAMPLES / "fx_plain.csv").read_text("utf-8"),
        False,
    ),
    "fx nbu csv": (
        lambda p, n: read_fx_rates(p, name=n),
        ".csv",
        (SAMPLES / "fx_nbu_uk.csv").read_text("utf-8"),
        False,
    ),
    "journal jsonl": (lambda p, n: read_journal(p, name=n), ".jsonl", JOURNAL_JSONL, True),
    "journal csv": (lambda p, n: read_journal(p, name=n), ".csv", JOURNAL_CSV, False),
}


def check_rejection(error: InputError, label: str, data: bytes) -> None:
    """Every problem names the file; a row, when given, is a line the file has."""
    assert error.problems, "an InputError with nothing in it"
    lines = data.count(b"\n") + 1
    for problem in error.problems:
        assert problem.file == label, problem
        assert problem.message.strip(), problem
        if problem.row is not None:
            assert 0 <= problem.row <= lines + 1, (problem, lines)


@pytest.mark.parametrize("which", sorted(READERS))
def test_a_reader_rejects_malformed_files_cleanly(which: str) -> None:
    read, suffix, sample, json_like = READERS[which]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_text(sample, encoding="utf-8")
        read(path, LABEL)  # the untouched sample reads

        @FUZZ
        @given(data=malformed(sample, json_like=json_like))
        def fuzz(data: bytes) -> None:
            path.write_bytes(data)
            try:
                read(path, LABEL)
            except InputError as error:
                check_rejection(error, LABEL, data)

        fuzz()


@FUZZ
@given(data=malformed(TERMS_YAML))
def test_term_sheet_yaml_rejects_malformed_text_cleanly(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    try:
        parse_terms_yaml(text, file="terms.yaml")
    except InputError as error:
        check_rejection(error, "terms.yaml", data)


def test_scenario_yaml_rejects_malformed_files_cleanly() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scenario.yaml"

        @settings(FUZZ, max_examples=20)
        @given(data=malformed(SCENARIO_YAML))
        def fuzz(data: bytes) -> None:
            # Bytes that are not UTF-8 are the known failure below; the rest must be clean.
            path.write_bytes(data.decode("utf-8", errors="replace").encode("utf-8"))
            problems: tuple[object, ...] = ()
            try:
                load_scenario(path)
            except InputError as error:
                problems = tuple(error.problems) or (None,)
            for problem in problems:
                # The scenario, or a file it names (extends, register), that failed.
                assert isinstance(problem, Problem), "an InputError with nothing in it"
                assert problem.file, problem
                assert problem.message.strip(), problem

        fuzz()


def test_a_scenario_file_that_is_not_utf8_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_bytes(b"\x80" + SCENARIO_YAML.encode("utf-8"))
    with pytest.raises(InputError) as refused:
        load_scenario(path)
    assert refused.value.problems[0].file == str(path)
