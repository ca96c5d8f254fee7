"""CSRF protection for every form: the session's token must come back with each POST."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from jointfund.errors import PermissionDeniedError
from jointfund.http.session import current
from jointfund.http.state import StateDep
from jointfund.i18n.message import Message

FIELD = "csrf_token"
HEADER = "x-csrf-token"


class CsrfError(PermissionDeniedError):
    """A form came back without this session's CSRF token."""

    code = "csrf"


async def checked_form(request: Request, ctx: StateDep) -> FormData:
    """The posted form, once its CSRF token (field or header) matches the session's."""
    form = await request.form()
    sent = form.get(FIELD) or request.headers.get(HEADER)
    expected = current(request, ctx.session_key).csrf
    if not isinstance(sent, str) or not hmac.compare_digest(sent.encode(), expected.encode()):
        await form.close()
        raise CsrfError(
            Message("the form's CSRF token is missing or stale; reload the page and retry")
        )
    return form


def text(form: FormData, name: str, default: str = "") -> str:
    """A text field of a form, stripped; files and missing fields give `default`."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else default


CheckedForm = Annotated[FormData, Depends(checked_form)]
