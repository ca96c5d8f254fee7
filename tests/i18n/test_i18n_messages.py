"""Every message the books say to people (an error, a located problem, what was expected) is a
catalogue `Message`, so the CLI and the pages say it in Ukrainian as well as in English; a
literal sentence raised or reported anywhere in the sources fails here, by file and line."""

from __future__ import annotations

import ast
import importlib
import pickle
import pkgutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import jointfund
from jointfund.errors import InputError, JointfundError, NotFoundError, Problem
from jointfund.i18n import language
from jointfund.i18n.message import Message, error_text, localised, problem_text

SRC = Path(jointfund.__file__).parent


def _error_names() -> set[str]:
    """The names of every class in the JointfundError tree, wherever it is defined."""
    for module in pkgutil.walk_packages(jointfund.__path__, "jointfund."):
        if ".migrations" not in module.name:  # Alembic's scripts run only inside Alembic
            importlib.import_module(module.name)
    names: set[str] = set()
    todo: list[type] = [JointfundError]
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return names


def _literal(node: ast.expr) -> bool:
    """Text written in the source: a string, an f-string, or one built from them."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _literal(node.left) or _literal(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in ("format", "join") and _literal(node.func.value)
    return False


def _said_arguments(call: ast.Call, callee: str) -> list[ast.expr]:
    """The arguments of a call that people read: the message, and a problem's expectation."""
    found = [call.args[0]] if call.args else []
    if callee == "Problem" and len(call.args) >= 5:
        found.append(call.args[4])
    found += [k.value for k in call.keywords if k.arg in ("message", "expected")]
    return found


def literal_messages() -> list[str]:
    """`file:line` of every error or problem whose message is literal text."""
    errors = _error_names() | {"Problem"}
    found: list[str] = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            callee = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if callee in errors and any(_literal(a) for a in _said_arguments(node, callee)):
                found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    return found


def test_no_error_or_problem_is_written_as_literal_text() -> None:
    found = literal_messages()
    assert not found, f"wrap these messages in Message(...) and run make messages: {found}"


def test_a_literal_message_would_be_found() -> None:
    tree = ast.parse('raise NotFoundError(f"no licence {x}")\nProblem("bad", "f", 1, "a", "b")')
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    literal = {
        c.func.id: any(_literal(a) for a in _said_arguments(c, c.func.id))
        for c in calls
        if isinstance(c.func, ast.Name)
    }
    assert literal == {"NotFoundError": True, "Problem": True}


def test_a_message_reads_as_english_and_is_said_again_in_ukrainian() -> None:
    said = Message(
        "row {row}: {amount:,} UAH received on {day} is more than {limit}",
        row=1204,
        amount=Decimal("1234567.50"),
        day=date(2026, 3, 5),
        limit=Message("invalid input"),
    )
    assert said == "row 1204: 1,234,567.50 UAH received on 2026-03-05 is more than invalid input"
    with language("uk"):
        # Not in the catalogue: the English template, each part still written the Ukrainian way.
        assert localised(said) == (
            "row 1204: 1\u00a0234\u00a0567,50 UAH received on 5 бер. 2026\u202fр. "
            "is more than неправильні вхідні дані"
        )
    assert pickle.loads(pickle.dumps(said)).params == said.params  # noqa: S301 - our own bytes


def test_an_input_error_is_said_in_the_language_in_force() -> None:
    error = InputError(
        [
            Problem(Message("invalid input"), "f.csv", 3, "amount", Message("invalid input")),
            Problem(Message("invalid input"), "f.csv", 4),
        ]
    )
    assert str(error) == (
        "f.csv:3:amount: invalid input (expected invalid input) (and 1 more problems)"
    )
    with language("uk"):
        assert error_text(error) == (
            "f.csv:3:amount: неправильні вхідні дані (очікується неправильні вхідні дані) "
            "(і ще проблем: 1)"
        )
        assert problem_text(error.problems[1]) == "f.csv:4: неправильні вхідні дані"
        assert error_text(NotFoundError("no such thing")) == "no such thing"
