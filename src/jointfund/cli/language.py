"""The language the CLI speaks: `JOINTFUND_LANG`, else the POSIX locale variables (`LANGUAGE`,
`LC_ALL`, `LC_MESSAGES`, `LANG`, e.g. `uk_UA.UTF-8`), else English. JSON output never changes."""

from __future__ import annotations

from collections.abc import Mapping

from jointfund.i18n import DEFAULT, LANGUAGES

VARIABLES = ("JOINTFUND_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def cli_language(env: Mapping[str, str]) -> str:
    """The first of our languages the environment names, in the order gettext reads it."""
    for name in VARIABLES:
        for choice in env.get(name, "").split(":"):
            primary = choice.split(".")[0].split("_")[0].split("-")[0].lower()
            if primary in LANGUAGES:
                return primary
            if primary in ("c", "posix"):
                return DEFAULT
    return DEFAULT
