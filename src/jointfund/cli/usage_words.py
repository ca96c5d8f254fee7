"""What typer writes as plain English (the usage line's "Usage:", the help option's line, its
usage errors) said in the CLI's language.

typer's own copy of click writes these as literal English with no catalogue hook, so the help
option's line is said again where the command tree is translated, the usage line through the
formatter its context makes, and a usage error is recognised by its shape and said again from
its parts. A shape we do not know stays as typer wrote it."""

from __future__ import annotations

import re
from typing import Any

import typer

from jointfund.i18n import DEFAULT, N_, current, gettext
from jointfund.i18n.message import Message, localised

USAGE = N_("Usage:")
HELP_LINE = N_("Show this message and exit.")
HINT = N_("Try '{command} {option}' for help.")
OPTIONS = N_("[OPTIONS]")
SUBCOMMAND = N_("COMMAND [ARGS]...")

# typer's usage errors by shape, each with the catalogue message that says it.
_SHAPES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.S), template)
    for pattern, template in (
        (r"No such option: (?P<name>\S+)", N_("No such option: {name}")),
        (
            r"No such option: (?P<name>\S+) \(Possible options: (?P<options>.+)\)",
            N_("No such option: {name} (possible options: {options})"),
        ),
        (r"Missing argument (?P<name>.+)\.", N_("Missing argument {name}.")),
        (r"Missing option (?P<name>.+)\.", N_("Missing option {name}.")),
        (r"Missing parameter (?P<name>.+)\.", N_("Missing parameter {name}.")),
        (
            r"Got unexpected extra argument\(s\) \((?P<args>.*)\)",
            N_("Got unexpected extra argument(s) ({args})"),
        ),
        (
            r"Option (?P<name>'.+') does not take a value\.",
            N_("Option {name} does not take a value."),
        ),
        (
            r"Option (?P<name>'.+') requires an argument\.",
            N_("Option {name} requires an argument."),
        ),
        (
            r"Option (?P<name>'.+') requires (?P<count>\d+) arguments\.",
            N_("Option {name} requires {count} arguments."),
        ),
        (
            r"Invalid value for (?P<name>.+?): (?P<reason>.*)",
            N_("Invalid value for {name}: {reason}"),
        ),
        (r"Invalid value: (?P<reason>.*)", N_("Invalid value: {reason}")),
        (r"(?P<reason>.+)\. Did you mean (?P<names>.+)\?", N_("{reason}. Did you mean {names}?")),
    )
)


def said_usage_error(text: str) -> str:
    """typer's usage error `text` in the language in force, from its parts; a reason inside
    it that the catalogue knows word for word (pydantic's "Input should be a valid integer…")
    is said too. English is typer's own text."""
    if current() == DEFAULT:
        return text
    for pattern, template in _SHAPES:
        found = pattern.fullmatch(text)
        if found:
            parts = {k: gettext(v) if k == "reason" else v for k, v in found.groupdict().items()}
            return localised(Message(template, **parts))
    return gettext(text)


class SaidContext(typer.Context):
    """A context whose help formatter writes the usage line's "Usage:" in the language in
    force (typer writes it as a literal)."""

    def make_formatter(self) -> Any:
        formatter: Any = super().make_formatter()
        write_usage = formatter.write_usage

        def said_usage(prog: str, args: str = "", prefix: str | None = None) -> None:
            write_usage(prog, args, gettext(USAGE) + " " if prefix is None else prefix)

        formatter.write_usage = said_usage
        return formatter


def say_help_chrome(command: Any) -> None:
    """Give `command` the context above, and its usage line's placeholders and its help
    option's line in the catalogue's words."""
    command.context_class = SaidContext
    if getattr(command, "options_metavar", None) == OPTIONS:
        command.options_metavar = gettext(OPTIONS)
    if getattr(command, "subcommand_metavar", None) == SUBCOMMAND:
        command.subcommand_metavar = gettext(SUBCOMMAND)
    option = command.get_help_option(SaidContext(command, info_name=command.name))
    if option is not None and option.help:
        option.help = gettext(option.help)


def show_said_usage_error(usage: Any, print_line: Any) -> None:
    """A usage error as typer shows it (usage line, hint, error) in the language in force."""
    ctx = getattr(usage, "ctx", None)
    if ctx is not None:
        print_line(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            hint = Message(HINT, command=ctx.command_path, option=ctx.help_option_names[0])
            print_line(localised(hint))
        print_line("")
    message = said_usage_error(usage.format_message())
    print_line(localised(Message("Error: {message}", message=message)))
