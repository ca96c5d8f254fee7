"""The help people read (`--help`) in the language in force: every option's, argument's and
group's help text is marked for the catalogue where it is written (`help=N_(...)`), each
command's docstring is extracted as its help (`jointfund.i18n.extract`), and the command tree
is said again here, once per run, before any of it is shown."""

from __future__ import annotations

from typing import Any

from jointfund.cli.usage_words import say_help_chrome
from jointfund.i18n import gettext


def translated(command: Any) -> Any:
    """`command` (a click command as typer builds it) and every command under it with their
    help texts from the catalogue; a text the catalogue lacks stays as written."""
    say_help_chrome(command)
    for owner in (command, *command.params):
        for attribute in ("help", "short_help"):
            text = getattr(owner, attribute, None)
            if isinstance(text, str) and text:
                setattr(owner, attribute, gettext(text))
    for sub in getattr(command, "commands", {}).values():
        translated(sub)
    return command
