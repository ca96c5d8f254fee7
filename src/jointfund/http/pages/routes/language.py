"""The language links: `/language/uk` or `/language/en` keeps the choice for this browser and
goes back to the page it was chosen on."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from jointfund.errors import NotFoundError
from jointfund.http.language import remember_language
from jointfund.http.pages.route_class import PageRoute
from jointfund.http.pages.routes.signin import safe_next
from jointfund.i18n import LANGUAGES
from jointfund.i18n.message import Message

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/language/{lang}")
def choose_language(request: Request, lang: str, next: str = "/") -> Response:
    """Answer in `lang` from now on in this browser, starting with the page at `next`."""
    if lang not in LANGUAGES:
        raise NotFoundError(Message("no such language: {lang}", lang=lang))
    answer = RedirectResponse(safe_next(next), status_code=303)
    remember_language(request, answer, lang)
    return answer
