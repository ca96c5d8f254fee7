"""The words typer asks the standard library's `gettext` for (panel titles, "[default: …]",
"Missing command.") said in the CLI's language.

typer ships no catalogue: while a command runs its `_` reads ours, and the panel titles it
said once when imported are said again. `WORDS` puts its msgids in our catalogue; a test
compares them with what the installed typer asks for, so an upgrade that adds a word is named
rather than shown in English. What typer writes as plain English is said in `usage_words`."""

from __future__ import annotations

import gettext as stdlib
import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

from jointfund.i18n import N_, gettext

WORDS = (
    N_("(deprecated) "),
    N_("(dynamic)"),
    N_("Aborted!"),
    N_("Aborted."),
    N_("Arguments"),
    N_("Commands"),
    N_("Error"),
    N_("Missing command."),
    N_("No such command {name!r}."),
    N_("Options"),
    N_("Try [blue]'{command_path} {help_option}'[/] for help."),
    N_("[default: {}]"),
    N_("[env var: {}]"),
    N_("[required]"),
    N_("default: {default}"),
    N_("env var: {var}"),
    N_("required"),
)


# The modules of typer that say something through the stdlib's gettext.
_MODULES = ("typer.core", "typer.rich_utils")
# typer's texts computed once at import, with the English each one is.
_TYPER_TEXTS = {
    "DEPRECATED_STRING": "(deprecated) ",
    "DEFAULT_STRING": "[default: {}]",
    "ENVVAR_STRING": "[env var: {}]",
    "REQUIRED_LONG_STRING": "[required]",
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commands",
    "ERRORS_PANEL_TITLE": "Error",
    "ABORTED_TEXT": "Aborted.",
    "RICH_HELP": "Try [blue]'{command_path} {help_option}'[/] for help.",
}


@contextmanager
def typer_speaks() -> Iterator[None]:
    """Inside the block typer says its words in the language in force; after it,
    what they had before (tests run many commands in one process)."""
    saved: list[tuple[ModuleType, str, object]] = []
    for name in _MODULES:
        module = importlib.import_module(name)
        theirs = getattr(module, "_", None)
        if theirs is stdlib.gettext:
            saved.append((module, "_", theirs))
            vars(module)["_"] = gettext
    rich = importlib.import_module("typer.rich_utils")
    for constant, english in _TYPER_TEXTS.items():
        if getattr(rich, constant, None) == english:
            saved.append((rich, constant, english))
            setattr(rich, constant, gettext(english))
    try:
        yield
    finally:
        for module, attribute, value in reversed(saved):
            setattr(module, attribute, value)
