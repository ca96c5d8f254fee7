"""What `make messages` reads from the CLI's sources: every string gettext's own extractor
finds, and the docstring of every command, which is the command's help (`jointfund --help`
lists it, `jointfund COMMAND --help` shows it) and so is said in the language in force too.
Named in `babel.cfg`; the CLI translates the help of its command tree when it starts."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping, Sequence
from typing import IO, Any

from babel.messages.extract import extract_python

# A parameter typed with one of these is a command-line option or argument.
_OPTION_TYPES = ("typer.", "Option", "Arg")


def _is_command(function: ast.FunctionDef) -> bool:
    """A function typer runs as a command: registered with a decorator, or taking options."""
    if any("command" in ast.unparse(d) for d in function.decorator_list):
        return True
    arguments = function.args.args + function.args.kwonlyargs
    return any(
        a.annotation is not None and any(t in ast.unparse(a.annotation) for t in _OPTION_TYPES)
        for a in arguments
    )


def command_docstrings(source: str) -> Iterator[tuple[int, str]]:
    """(line, help text) of each command in `source`, cleaned as the CLI shows it."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and _is_command(node):
            text = ast.get_docstring(node, clean=True)
            if text:
                yield node.body[0].lineno, text


def extract_cli(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Sequence[str],
    options: Any,
) -> Iterator[tuple[Any, ...]]:
    """Babel's Python extraction of one CLI module, then its command docstrings, each as
    `(line, function name, message, comments)` the way babel's own extractors yield them."""
    yield from extract_python(fileobj, keywords, comment_tags, options)
    fileobj.seek(0)
    source = fileobj.read().decode(options.get("encoding", "utf-8"))
    for line, text in command_docstrings(source):
        yield line, "", text, []
