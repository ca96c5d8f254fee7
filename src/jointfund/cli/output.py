"""How the CLI speaks: tables for people, JSON for machines, one line per error."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from jointfund.cli.usage_words import show_said_usage_error
from jointfund.errors import JointfundError
from jointfund.i18n import DEFAULT, N_, current, gettext, localise_numbers
from jointfund.i18n.message import error_text, problem_text
from jointfund.i18n.vocabulary import term
from jointfund.i18n.wording import said

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_CODES: dict[str, int] = {
    "invalid_input": 3,
    "not_found": 4,
    "conflict": 5,
    "integrity": 6,
    "permission_denied": 7,
    "governance": 8,
    "config": 9,
    "unauthenticated": 10,
}


def emit_json(value: Any) -> None:
    """Print one JSON document on stdout."""
    sys.stdout.write(json.dumps(value, indent=2, sort_keys=True, default=str) + "\n")


_NUMBER = re.compile(
    r"^(?:[-+±$]?[\d,.]+(?:e[-+]?\d+)?\s?(?:%|x|×|[A-Z]{3})?|\d{4}-\d{2}(?:-\d{2})?)$"
)
_TEXT_MIN = 8  # a text column keeps at least this many characters a line


def table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print a plain table. A column of numbers is right-aligned and never cut or broken (a
    narrow terminal folds the other columns instead); long text folds onto more lines, so no
    id, key or amount is ever shortened with an ellipsis."""
    cells = [[_cell(c) for c in row] for row in rows]
    title = gettext(title) if title else title
    columns = [gettext(c) if c else c for c in columns]
    grid = Table(title=title, show_edge=False, header_style="bold")
    needed = 0
    for index, column in enumerate(columns):
        values = [row[index] for row in cells if index < len(row) and row[index]]
        if values and all(_NUMBER.match(v) for v in values):
            for row in cells:  # written the way the language in force writes numbers
                if index < len(row):
                    row[index] = localise_numbers(row[index])
            values = [row[index] for row in cells if index < len(row) and row[index]]
            width = max(len(column), *(len(v) for v in values))
            grid.add_column(column, justify="right", no_wrap=True, min_width=width)
        else:
            width = min(max((len(v) for v in values), default=len(column)), _TEXT_MIN)
            grid.add_column(column, overflow="fold", min_width=width)
        needed += width + 3
    if needed > out.width:
        _folded(title, columns, cells)
        return
    for row in cells:
        grid.add_row(*row)
    out.print(grid)


def code_words(code: str) -> str:
    """A stored code as English shows it (the code itself), in words in another language."""
    return code if current() == DEFAULT else term(code)


def _cell(value: Any) -> str:
    """A table cell as people read it: in English as the books wrote it; in another language a
    stored code in its words and an English sentence of the books said again (`i18n.wording`)."""
    if isinstance(value, bool) and current() != DEFAULT:
        return term("yes" if value else "no")
    if isinstance(value, str) and current() != DEFAULT:
        return said(value)
    return str(value)


def _folded(title: str | None, columns: Sequence[str], cells: list[list[str]]) -> None:
    """A table too wide for the terminal, one row at a time as `column  value` lines."""
    if title:
        out.print(title, style="bold", markup=False)
    label = max((len(c) for c in columns), default=0)
    for row in cells:
        out.print("")
        for column, value in zip(columns, row, strict=False):
            out.print(f"  {column or '·':<{label}}  {value}", markup=False)


def error_exit_code(error: JointfundError) -> int:
    """The exit code for an error class (1 when it has no code of its own)."""
    for cls in type(error).__mro__:
        code = getattr(cls, "code", None)
        if isinstance(code, str) and code in EXIT_CODES:
            return EXIT_CODES[code]
    return 1


def report_error(error: JointfundError, *, as_json: bool) -> int:
    """Print an error as one line (or JSON) and return the exit code to use."""
    problems = getattr(error, "problems", ())
    if as_json:
        emit_json(
            {
                "error": {
                    "code": error.code,
                    "message": str(error),
                    "problems": [p.as_dict() for p in problems],
                }
            }
        )
    else:
        prefix = gettext(N_("error"))
        err.print(f"{prefix}: {error_text(error)}", markup=False)
        for problem in problems[1:]:
            err.print(f"  {problem_text(problem)}", markup=False)
    return error_exit_code(error)


def show_usage_error(usage: Exception) -> None:
    """Print a command-line usage error the way the CLI library shows it (usage line, hint),
    in the language in force."""
    show_said_usage_error(usage, lambda line: err.print(line, markup=False, highlight=False))
