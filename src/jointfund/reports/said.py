"""An error raised elsewhere, said again as a report's located problem: its catalogue Message
kept, so the problem is said in the reader's language like the error would have been."""

from __future__ import annotations

from jointfund.errors import InputError


def error_message(error: Exception) -> str:
    """The error's message as raised: the Message of an input error's one unlocated problem,
    the Message it was raised with, or (anything else) its English text."""
    text = str(error)
    if isinstance(error, InputError) and len(error.problems) == 1:
        message = error.problems[0].message
        if message == text:  # no file, row or expectation added to it
            return message
    first = error.args[0] if error.args else None
    return first if isinstance(first, str) and first == text else text
