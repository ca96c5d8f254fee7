"""pydantic errors of a term sheet that keep their catalogue message, so the loader turns each
into a located Problem people read in their own language (pydantic words it in English only).

`said_error(kind, N_("{what} must not be negative"), {"what": ...})` is pydantic's own custom
error; its context also carries the template, which `message_of` uses to say it again."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic_core import PydanticCustomError

from jointfund.i18n import N_
from jointfund.i18n.message import Message

TEMPLATE = "said_template"
# pydantic's own messages a term sheet meets most (a misspelt or missing key), by error type.
_PYDANTIC = {
    "missing": N_("Field required"),
    "extra_forbidden": N_("Extra inputs are not permitted"),
}


def said_error(kind: str, template: str, context: Mapping[str, Any]) -> PydanticCustomError:
    """pydantic's custom error `kind`, worded by `template` (a catalogue message) and `context`."""
    return PydanticCustomError(kind, template, {**context, TEMPLATE: template})


def message_of(error: Mapping[str, Any], text: str) -> str:
    """The catalogue Message of one pydantic error whose English is `text`, or `text` itself
    when the error carries none (a Message only where it reads exactly as pydantic wrote it)."""
    context = error.get("ctx") or {}
    cause = context.get("error")
    if isinstance(cause, ValueError) and cause.args and isinstance(cause.args[0], Message):
        said: str = cause.args[0]
    elif isinstance(context.get(TEMPLATE), str):
        params = {k: v for k, v in context.items() if k != TEMPLATE}
        said = Message(context[TEMPLATE], **params)
    elif error.get("type") in _PYDANTIC:
        said = Message(_PYDANTIC[error["type"]])
    else:
        return text
    return said if said == text else text
