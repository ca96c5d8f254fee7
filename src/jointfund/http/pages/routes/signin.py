"""Sign-in with user name and access token, and sign-out."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from jointfund.errors import AuthenticationError, ThrottledError
from jointfund.http.csrf import CheckedForm, text
from jointfund.http.identity import MaybeUser, sign_in, sign_out
from jointfund.http.pages.landing import landing
from jointfund.http.pages.responses import page, redirect
from jointfund.http.pages.route_class import PageRoute
from jointfund.http.session import current, flash
from jointfund.http.state import StateDep
from jointfund.i18n import N_, gettext

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def safe_next(target: str | None) -> str:
    """A local path to go to after sign-in; anything else (other sites) becomes the overview."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _form(request: Request, ctx: StateDep, target: str, error: str, status: int) -> Response:
    data = {
        "next": safe_next(target) if target else "",
        "fields": ["name", "token"],
        "csrf_token": current(request, ctx.session_key).csrf,
        "error": error,
    }
    return page(request, ctx, "signin.html", data, title=N_("Sign in"), status=status)


def _said(refused: AuthenticationError) -> str:
    """Why sign-in was refused, as the error carries it: its catalogue message when it has one
    (the page says it in the reader's language, its JSON twin in English)."""
    first = refused.args[0] if refused.args else None
    return first if isinstance(first, str) else str(refused)


@router.get("/signin")
def signin_page(request: Request, ctx: StateDep, user: MaybeUser, next: str = "") -> Response:
    """The sign-in form (a signed-in user is sent on to `next`, or to where its work is)."""
    if user is not None:
        target = safe_next(next) if next else landing(user)
        return redirect(request, ctx, target, {"user": user.name})
    return _form(request, ctx, next, "", 200)


@router.post("/signin")
def signin_submit(request: Request, ctx: StateDep, form: CheckedForm) -> Response:
    """Check the name and token; on success start the session and go on."""
    asked = text(form, "next", "")  # none asked: where the user's work is
    target = safe_next(asked) if asked else ""
    try:
        user = sign_in(request, text(form, "name"), text(form, "token"))
    except ThrottledError as locked:
        answer = _form(request, ctx, target, _said(locked), 429)
        answer.headers["Retry-After"] = str(locked.retry_after_s)
        return answer
    except AuthenticationError as refused:
        return _form(request, ctx, target, _said(refused), 401)
    flash(request, gettext(N_("Signed in as {user}.")).format(user=user.label))
    target = target or landing(user)
    return redirect(request, ctx, target, {"user": user.name, "role": user.role.value})


@router.post("/signout")
def signout(request: Request, ctx: StateDep, form: CheckedForm) -> Response:
    """End the session."""
    sign_out(request)
    return redirect(request, ctx, "/signin", {"signed_out": True})
