"""Every line the CLI prints for people, and every help text it shows, goes through the
catalogue: read from the source, so a new English-only line is named (file:line) the day it
is written, not the day a Ukrainian user meets it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import jointfund.cli
from jointfund.cli.table_words import CODES, COLUMNS, TITLES

CLI = Path(jointfund.cli.__file__).parent
PRINTERS = {("out", "print"), ("err", "print"), ("typer", "echo")}
# Calls whose result is already in the language in force.
SAID = {"localised", "gettext", "ngettext", "pgettext", "error_text", "problem_text"}
_LETTERS = re.compile(r"[^\W\d_]")


def _words(text: str) -> bool:
    """Text with words in it. Only spacing, punctuation and digits (an indent before a name, a
    `:` between a key and its value) have nothing to translate, so they pass without a list."""
    return bool(_LETTERS.search(text))


def _literal_text(node: ast.expr) -> bool:
    """Whether `node` spells English text itself rather than passing on what was said."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and _words(node.value)
    if isinstance(node, ast.JoinedStr):
        return any(
            isinstance(part, ast.Constant) and _words(str(part.value)) for part in node.values
        )
    if isinstance(node, ast.BinOp):
        return _literal_text(node.left) or _literal_text(node.right)
    if isinstance(node, ast.IfExp):
        return _literal_text(node.body) or _literal_text(node.orelse)
    if isinstance(node, ast.Call):
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name in SAID:
            return False
        if isinstance(func, ast.Attribute) and func.attr in ("format", "join"):
            return _literal_text(func.value) or any(_literal_text(a) for a in node.args)
    return False


def _printer(call: ast.Call) -> bool:
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and (func.value.id, func.attr) in PRINTERS
    )


def _marked(node: ast.expr) -> bool:
    """A help text marked for the catalogue: `N_("...")`."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "N_"


def _table_words(call: ast.Call) -> list[ast.expr]:
    """The title and column names of an `output.table(...)` call, where it has them."""
    if not (isinstance(call.func, ast.Name) and call.func.id == "table" and call.args):
        return []
    words = [call.args[0]]
    if len(call.args) > 1 and isinstance(call.args[1], ast.List | ast.Tuple):
        words += call.args[1].elts
    return words


def _unmarked_table_word(node: ast.expr) -> bool:
    """A table title or column `table()` cannot say in Ukrainian: text built on the spot (it
    is no catalogue message), or a fixed one `table_words` does not mark (codes aside)."""
    if isinstance(node, ast.Constant):
        text = node.value
        return isinstance(text, str) and _words(text) and text not in {*TITLES, *COLUMNS, *CODES}
    if isinstance(node, ast.IfExp):
        return _unmarked_table_word(node.body) or _unmarked_table_word(node.orelse)
    return _literal_text(node)


def untranslated(source: str, name: str) -> list[str]:
    """file:line of each printed line, table title or column, or help text in `source` that
    skips the catalogue."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        if _printer(node):
            found.extend(f"{name}:{a.lineno} (printed)" for a in node.args if _literal_text(a))
        found.extend(
            f"{name}:{w.lineno} (table)" for w in _table_words(node) if _unmarked_table_word(w)
        )
        for keyword in node.keywords:
            if (
                keyword.arg == "help"
                and _literal_text(keyword.value)
                and not _marked(keyword.value)
            ):
                found.append(f"{name}:{keyword.value.lineno} (help text)")
    return found


def test_every_cli_line_and_help_text_people_read_goes_through_the_catalogue() -> None:
    found = [
        place
        for path in sorted(CLI.glob("*.py"))
        for place in untranslated(path.read_text(encoding="utf-8"), f"cli/{path.name}")
    ]
    assert not found, "English-only CLI text (wrap it in Message/localised or N_):\n" + "\n".join(
        found
    )


def test_the_check_names_english_lines_and_passes_what_is_said_or_data() -> None:
    source = "\n".join(
        [
            'out.print(f"filings: {n} booked")',
            'err.print("wrote " + str(path))',
            'out.print("no differences" if x else y)',
            'typer.echo("{} rows".format(n))',
            'typer.Option("--db", help="Database URL")',
            'out.print(localised(Message("wrote {file}", file=f)))',
            'out.print(gettext(N_("error")))',
            'out.print(f"  {flag}", markup=False)',
            "out.print(line, markup=False)",
            'typer.Option("--db", help=N_("Database URL"))',
            'other.print("not the CLI console")',
            'table(f"Balances as of {day}", ["account", "P95", "made-up column"], rows)',
            'table("Balances", ["account", "balance"], rows)',
        ]
    )
    assert untranslated(source, "x.py") == [
        "x.py:1 (printed)",
        "x.py:2 (printed)",
        "x.py:3 (printed)",
        "x.py:4 (printed)",
        "x.py:5 (help text)",
        "x.py:12 (table)",
        "x.py:12 (table)",
    ]
