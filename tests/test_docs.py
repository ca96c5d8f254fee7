"""Docs that fail when a command or setting goes undocumented."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import typer

from jointfund.cli.app import app
from jointfund.config import Settings

ROOT = Path(__file__).resolve().parents[1]


def _commands(command: Any, path: str) -> list[str]:
    found = [path]
    if hasattr(command, "commands"):
        for name, sub in command.commands.items():
            found += _commands(sub, f"{path} {name}")
    return found


def test_cli_reference_is_current() -> None:
    script = ROOT / "scripts" / "cli_reference.py"
    done = subprocess.run([sys.executable, script, "--check"], check=False)
    assert done.returncode == 0, "docs/cli.md is stale: run `make docs`"


def test_every_command_is_in_the_reference_and_the_quickstart_names_the_main_ones() -> None:
    reference = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in _commands(typer.main.get_command(app), "jointfund"):
        assert f"## `{name}`" in reference, name


def test_every_setting_is_documented() -> None:
    config = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"JOINTFUND_{name.upper()}" in config, name


def test_readme_opens_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", readme, re.DOTALL)
    assert block is not None
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines()]
    assert commands == ["make run", "make test"]
    assert readme.index("make run") < readme.index("##")
