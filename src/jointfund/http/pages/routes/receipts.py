"""Treasury receipts by budget code and subsoil auctions: the lists, and an upload of each that
shows every problem of a refused file."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from jointfund.errors import InputError, Problem
from jointfund.fund import auctions, treasury
from jointfund.governance import Interface, User, allowed, require
from jointfund.http.csrf import CheckedForm
from jointfund.http.identity import CurrentUser
from jointfund.http.pages.responses import page, redirect
from jointfund.http.pages.route_class import PageRoute
from jointfund.http.session import flash
from jointfund.http.state import AppState, StateDep
from jointfund.http.uploads import import_upload, upload_name
from jointfund.i18n import N_, gettext
from jointfund.i18n.message import Message

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _data(ctx: AppState, user: User, refused: dict[str, Any] | None = None) -> dict[str, Any]:
    """The page's data: receipts by code and month, auctions, whether the user may upload."""
    return {
        "can_upload": allowed(user, "receipts.import"),
        "receipts": [treasury.receipt_dict(x) for x in treasury.list_receipts(ctx.books, user)],
        "auctions": [auctions.auction_dict(a) for a in auctions.list_auctions(ctx.books, user)],
        "refused": refused,
    }


@router.get("/treasury")
def treasury_page(request: Request, ctx: StateDep, user: CurrentUser) -> Response:
    """Treasury receipts by code and month, and the subsoil auctions stored."""
    require(user, "receipts.read")
    return page(request, ctx, "treasury.html", _data(ctx, user), title=N_("Treasury receipts"))


def _problem(p: Problem) -> dict[str, Any]:
    return {"row": p.row, "field": p.field, "message": p.message, "expected": p.expected}


async def _upload(
    request: Request, ctx: StateDep, user: User, form: CheckedForm, kind: str
) -> Response:
    """Store an uploaded Treasury file or auctions file; refused, show every problem (422)."""
    if not allowed(user, "receipts.import"):
        await form.close()
        require(user, "receipts.import")  # refuse before looking at what was sent
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        await form.close()
        raise InputError([Problem(Message("choose a file to upload"), field="file")])
    default = "treasury.csv" if kind == "treasury" else "auctions.json"
    name = upload_name(upload, default)

    def run() -> str:
        if kind == "treasury":
            done = import_upload(
                upload,
                default,
                lambda p: treasury.import_receipts(
                    ctx.books, user, p, name=name, interface=Interface.WEB
                ),
                ctx.books,
            )
            return gettext(
                N_("{file}: {created} new, {revised} revised, {unchanged} unchanged.")
            ).format(
                file=name, created=done.created, revised=done.revised, unchanged=done.unchanged
            )
        sold = import_upload(
            upload,
            default,
            lambda p: auctions.import_auctions(
                ctx.books, user, p, name=name, interface=Interface.WEB
            ),
            ctx.books,
        )
        return gettext(
            N_("{file}: {created} auctions new, {revised} revised; {licences} licences registered.")
        ).format(
            file=name, created=sold.created, revised=sold.revised, licences=sold.licences_created
        )

    try:
        message = await run_in_threadpool(run)
    except InputError as refused:
        report = {"file": name, "problems": [_problem(p) for p in refused.problems]}
        data = _data(ctx, user, report)
        return page(request, ctx, "treasury.html", data, title=N_("Treasury receipts"), status=422)
    finally:
        await form.close()
    flash(request, message)
    return redirect(request, ctx, "/treasury", {"message": message})


@router.post("/treasury/upload")
async def treasury_upload(
    request: Request, ctx: StateDep, user: CurrentUser, form: CheckedForm
) -> Response:
    """Store a Treasury receipts CSV by budget code."""
    return await _upload(request, ctx, user, form, "treasury")


@router.post("/auctions/upload")
async def auctions_upload(
    request: Request, ctx: StateDep, user: CurrentUser, form: CheckedForm
) -> Response:
    """Store Prozorro.Sale subsoil auction procedures."""
    return await _upload(request, ctx, user, form, "auctions")
