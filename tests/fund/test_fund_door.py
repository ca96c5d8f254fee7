"""Every write goes through the one door: the source itself is read to prove it.

Adapters (CLI, API, pages) may import only `fund` (the import contracts in pyproject.toml);
inside `fund` a write transaction opens only in `door.act` or `door.bootstrap`, which check the
permission and leave the audit record. This test reads every module and fails on any other
place that opens a write transaction, or reaches the raw engine, outside `store`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import jointfund

SRC = Path(jointfund.__file__).parent
DOOR = SRC / "fund" / "door.py"
# Transaction openers of `store.Database` and of SQLAlchemy engines.
OPENERS = {"write", "begin", "connect", "raw_connection"}


def _opened_outside_the_door(root: Path = SRC) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if path == root / "fund" / "door.py" or root / "store" in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in OPENERS
                and not node.args
            ):
                found.append(f"{path.relative_to(root)}:{node.lineno} .{node.func.attr}()")
    return found


def test_no_write_transaction_opens_outside_the_door() -> None:
    assert _opened_outside_the_door() == []


def test_the_door_itself_checks_the_permission_before_it_opens_the_transaction() -> None:
    tree = ast.parse(DOOR.read_text(encoding="utf-8"))
    act = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "act")
    calls = [
        n.func.id if isinstance(n.func, ast.Name) else getattr(n.func, "attr", "")
        for n in ast.walk(act)
        if isinstance(n, ast.Call)
    ]
    assert calls.index("require") < calls.index("write")


def test_the_scan_finds_a_write_opened_elsewhere(tmp_path: Path) -> None:
    # The scan is only as good as its pattern: a write planted beside the door must be found,
    # and the same line in the door or in store must not.
    sneak = "def sneak(db):\n    with db.write() as tx:\n        pass\n"
    for where in ("fund/sneak.py", "fund/door.py", "store/sneak.py", "http/api/sneak.py"):
        (tmp_path / where).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / where).write_text(sneak)
    assert _opened_outside_the_door(tmp_path) == [
        "fund/sneak.py:2 .write()",
        "http/api/sneak.py:2 .write()",
    ]
