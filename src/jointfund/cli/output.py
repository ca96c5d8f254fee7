"""How the CLI speaks: tables for people, JSON for machines, one line per error."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from jointfund.errors import JointfundError

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


def table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print a plain table; numeric-looking columns right-aligned by the caller's strings."""
    grid = Table(title=title, show_edge=False, header_style="bold")
    for column in columns:
        grid.add_column(column, justify="right" if column in {"amount", "balance"} else "left")
    for row in rows:
        grid.add_row(*(str(c) for c in row))
    out.print(grid)


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
        err.print(f"error: {error}", markup=False)
        for problem in problems[1:]:
            err.print(f"  {problem}", markup=False)
    return error_exit_code(error)


def show_usage_error(usage: Exception) -> None:
    """Print a command-line usage error the way the CLI library shows it (usage line, hint)."""
    show = getattr(usage, "show", None)
    if callable(show):
        show()
        return
    message = getattr(usage, "format_message", lambda: str(usage))()
    err.print(f"Error: {message}", markup=False)
