"""Budget-classification revenue codes mapped to the fund's revenue streams, user-extendable.

The package ships `data/budget_codes.csv`; a user may add a file of the same shape whose rows
add codes or override shipped ones (same code). Columns: ``code`` (a code or code prefix of
2 to 8 digits: "1303" covers 13030000-13039999), ``stream`` (a revenue stream id, or
``none`` for a code known not to be a fund receipt), ``name`` and ``source`` (where the
mapping comes from; required, so every mapping can be checked). A receipt's code takes the
mapping of its longest matching prefix.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from jointfund.errors import InputError, Problem
from jointfund.i18n.message import Message
from jointfund.intake.cells import Cells, is_digits
from jointfund.intake.sources import csv_rows, cyrillic_text, read_bytes
from jointfund.terms import RevenueStream

COLUMNS = ("code", "stream", "name", "source")
NOT_A_FUND_STREAM = "none"
SHIPPED = "data/budget_codes.csv"
_STREAMS = (*(s.value for s in RevenueStream), NOT_A_FUND_STREAM)


@dataclass(frozen=True, slots=True)
class CodeMapping:
    """One code (or prefix) of the budget classification and the stream it is."""

    code: str
    stream: RevenueStream | None
    name: str
    source: str


@dataclass(frozen=True, slots=True)
class BudgetCodes:
    """The mappings in force, by code or prefix."""

    by_code: dict[str, CodeMapping]

    def mapping(self, code: str) -> CodeMapping | None:
        """The mapping of the longest prefix of `code` that has one."""
        for end in range(len(code), 1, -1):
            found = self.by_code.get(code[:end])
            if found is not None:
                return found
        return None

    def stream(self, code: str) -> RevenueStream | None:
        """The revenue stream a code's receipts are, or None (unmapped or not a fund stream)."""
        found = self.mapping(code)
        return found.stream if found is not None else None

    def codes_by_stream(self) -> dict[str, str]:
        """The code group each stream is received under: its shortest mapped code."""
        found: dict[str, str] = {}
        for code, mapping in self.by_code.items():
            if mapping.stream is None:
                continue
            now = found.get(mapping.stream.value)
            if now is None or len(code) < len(now):
                found[mapping.stream.value] = code
        return found


def budget_codes(extra: Path | None = None) -> BudgetCodes:
    """The shipped mappings, with a user's file (if given) adding or overriding codes."""
    shipped = resources.files("jointfund.intake").joinpath(SHIPPED)
    by_code = {m.code: m for m in parse_budget_codes(shipped.read_text("utf-8"), SHIPPED)}
    if extra is not None:
        label = str(extra)
        text = cyrillic_text(read_bytes(extra, name=label), label)
        by_code.update((m.code, m) for m in parse_budget_codes(text, label))
    return BudgetCodes(by_code)


def parse_budget_codes(text: str, label: str) -> list[CodeMapping]:
    """Mappings from a code file's text; on any problem raise one InputError listing them."""
    problems: list[Problem] = []
    found: list[CodeMapping] = []
    first: dict[str, int] = {}
    for row in csv_rows(text, label, COLUMNS):
        at = Cells(label, row.line, problems)
        cells = row.value
        if "__extra__" in cells:
            at.problem(None, Message("row has more cells than the header"), ", ".join(COLUMNS))
            continue
        before = len(problems)
        code = cells["code"].strip()
        if not (is_digits(code) and 2 <= len(code) <= 8):
            at.problem(
                "code", Message("not a budget code: {code!r}", code=code), Message("2 to 8 digits")
            )
        stream = at.choice("stream", cells["stream"], _STREAMS)
        name = at.text("name", cells["name"])
        source = at.text("source", cells["source"])
        if code in first:
            at.problem(
                "code",
                Message("code {code} is already on row {first}", code=code, first=first[code]),
                Message("each code once"),
            )
        if len(problems) > before or stream is None or name is None or source is None:
            continue
        first[code] = row.line
        mapped = None if stream == NOT_A_FUND_STREAM else RevenueStream(stream)
        found.append(CodeMapping(code, mapped, name, source))
    if problems:
        raise InputError(problems)
    return found
