"""Licences and filings: the lists, and a filings upload that shows every bad row."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from jointfund.clock import utcnow
from jointfund.errors import InputError, Problem
from jointfund.fund import Database, filing_lists, filings, sorting, trace
from jointfund.fund.filings import FilingImport
from jointfund.fund.sorting import Sort
from jointfund.governance import PERMISSIONS, Interface, User, allowed, require
from jointfund.http.csrf import CheckedForm
from jointfund.http.identity import CurrentUser
from jointfund.http.pages.listing import kept_sort, read_limit, read_sort, sort_links
from jointfund.http.pages.responses import page, redirect
from jointfund.http.pages.route_class import PageRoute
from jointfund.http.pages.routes.fx_rates import words_href
from jointfund.http.session import flash
from jointfund.http.state import AppState, StateDep
from jointfund.http.uploads import import_upload, upload_name
from jointfund.i18n import N_, gettext, localise_datetime
from jointfund.i18n.message import Message
from jointfund.money import format_amount

router = APIRouter(route_class=PageRoute, include_in_schema=False)
MAX_ROWS_SHOWN = 500
PAGE_SIZE = 100


def filing_list(
    db: Database,
    user: User,
    year: int | None,
    licence: str | None,
    after: int = 0,
    before: int = 0,
    entry: str | None = None,
    order: Sort | None = None,
    size: int = PAGE_SIZE,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """A page of stored filings in period order with the terms' decision on each, as page
    data, and the pager: how many filings match, and the previous and next pages' addresses
    (filters kept). A reporting entity sees its own licences' filings only. With `entry`,
    the filings that entry booked, in id order."""
    if entry:
        return _entry_filing_list(db, user, entry, after)
    order = order or Sort("period")
    by_period = (
        filing_lists.own_filings_by_period
        if allowed(user, "filings.read_own")
        else filing_lists.filings_by_period
    )
    rows, count = by_period(
        db,
        user,
        year=year,
        licence_id=licence,
        after_id=after,
        before_id=before,
        limit=size + 1,
        sort=order,
    )
    more = len(rows) > size
    if before:
        shown, earlier, later = rows[-size:], more, True
    else:
        shown, earlier, later = rows[:size], after > 0, more
    filters: dict[str, Any] = {k: v for k, v in (("year", year), ("licence", licence)) if v}
    filters |= kept_sort(order, "period") | ({"limit": size} if size != PAGE_SIZE else {})

    def link(**cursor: int) -> str:
        return "/filings?" + urlencode({**filters, **cursor})

    pager = {
        "count": f"{count:,}",
        "next": link(after=int(shown[-1].id)) if later and shown else None,
        "prev": link(before=int(shown[0].id)) if earlier and shown else None,
    }
    return _filing_rows(shown), pager


def _entry_filing_list(
    db: Database, user: User, entry: str, after: int
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """A page of the filings one entry booked, and its pager (next and first pages)."""
    rows, count = trace.filings_of_entry(db, user, entry, after_id=after, limit=PAGE_SIZE + 1)
    shown = rows[:PAGE_SIZE]

    def link(**cursor: int) -> str:
        return "/filings?" + urlencode({"entry": entry, **cursor})

    pager = {
        "count": f"{count:,}",
        "next": link(after=int(shown[-1].id)) if len(rows) > PAGE_SIZE else None,
        "prev": link() if after else None,
    }
    return _filing_rows(shown), pager


def _filing_rows(shown: Sequence[Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": int(r.id),
            "payer_reference": r.payer_reference,
            "version": r.version,
            "licence_id": r.licence_id,
            "period": r.period,
            "stream": r.stream,
            "currency": r.currency,
            "gross": format_amount(int(r.gross_minor), r.currency, grouping=True),
            "fund_share": format_amount(int(r.fund_minor), r.currency, grouping=True),
            "eligible": bool(r.eligible),
            "reason": r.reason,
            "entry": r.entry_key,
            "received_on": r.received_on.isoformat(),
            "fx_rate": r.fx_rate or "",
            "fx_href": words_href(r.fx_rate),
        }
        for r in shown
    ]


def _number(name: str, value: str, expected: str, reason: str) -> int:
    if value and not (value.isdigit() and len(value) <= 18):
        # `reason` is a catalogue message (marked N_ by the caller), said again where it is shown.
        problem = Problem(Message(reason, value=value), field=name, expected=expected)
        raise InputError([problem])
    return int(value) if value else 0


def _filings_data(
    ctx: AppState,
    user: User,
    year: str,
    licence: str,
    upload: dict[str, Any] | None,
    after: str = "",
    before: str = "",
    entry: str = "",
    sort: str = "",
    limit: str = "",
) -> dict[str, Any]:
    can_read = allowed(user, "filings.read") or allowed(user, "filings.read_own")
    can_upload = user.role in PERMISSIONS["filings.submit"]
    if not can_read and not can_upload:
        require(user, "filings.read")
    order = read_sort(sort, sorting.FILINGS, "period")  # after the refusal: it says nothing
    size = read_limit(limit, PAGE_SIZE)
    year_number = _number("year", year, "2026", N_("not a year: {value!r}"))
    not_an_id, an_id = N_("not a filing id: {value!r}"), gettext(N_("a filing id"))
    cursor = (
        _number("after", after, an_id, not_an_id),
        _number("before", before, an_id, not_an_id),
    )
    found, pager = (
        filing_list(
            ctx.books,
            user,
            year_number or None,
            licence or None,
            *cursor,
            entry=entry or None,
            order=order,
            size=size,
        )
        if can_read
        else ([], None)
    )
    return {
        "filters": {"year": year, "licence": licence, "entry": entry},
        "filings": found,
        "pager": pager,
        "can_upload": can_upload,
        "upload": upload,
    }


TEMPLATE_CSV = (
    "licence_id,period,stream,gross_amount,currency,payer_reference,version,costs,received_on\r\n"
    "UA-SP-2025-0000,2026-01,royalty,1000.00,UAH,YOUR-REF-0001,1,0.00,2026-02-15\r\n"
)


@router.get("/filings/template.csv")
def filings_template() -> Response:
    """A filings CSV with its header and one example row, to fill in and upload."""
    headers = {"Content-Disposition": 'attachment; filename="filings-template.csv"'}
    return Response(TEMPLATE_CSV, media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/filings")
def filings_page(
    request: Request,
    ctx: StateDep,
    user: CurrentUser,
    year: str = "",
    licence: str = "",
    after: str = "",
    before: str = "",
    entry: str = "",
    sort: str = "",
    limit: str = "",
) -> Response:
    """Stored filings a page at a time in period order (or by day received, licence or
    amount, either way), optionally of one year or licence (or those one entry booked, in
    id order), and the upload form."""
    data = _filings_data(
        ctx, user, year, licence, None, after, before, entry[:200], sort=sort, limit=limit
    )
    order = read_sort(sort, sorting.FILINGS, "period")
    if data["pager"] is not None and not entry:
        data |= sort_links("/filings", request.query_params, order, sorting.FILINGS, "period")
    return page(request, ctx, "filings.html", data, title=N_("Filings"))


def upload_report(text: str, name: str, problems: list[Problem]) -> dict[str, Any]:
    """The uploaded rows that have problems, each with its problems beside it."""
    by_line: dict[int, list[Problem]] = {}
    general: list[Problem] = []
    for p in problems:
        (by_line.setdefault(p.row, []) if p.row is not None else general).append(p)
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] = []
    rows: list[dict[str, Any]] = []
    try:
        for cells in reader:
            if reader.line_num == 1:
                header = cells
            elif reader.line_num in by_line and len(rows) < MAX_ROWS_SHOWN:
                rows.append({"line": reader.line_num, "cells": cells, "problems": []})
    except csv.Error:
        pass
    seen = {r["line"] for r in rows}
    for row in rows:
        row["problems"] = [_problem(p) for p in by_line[row["line"]]]
    general += [p for line, ps in by_line.items() if line not in seen for p in ps]
    return {
        "file": name,
        "ok": False,
        "problem_count": len(problems),
        "header": header,
        "rows": rows,
        "general": [_problem(p) for p in general],
    }


def _problem(p: Problem) -> dict[str, Any]:
    return {"row": p.row, "field": p.field, "message": p.message, "expected": p.expected}


def _import(ctx: AppState, user: User, upload: UploadFile) -> FilingImport:
    return import_upload(
        upload,
        "filings.csv",
        lambda path: filings.import_filings(
            ctx.books,
            user,
            path,
            name=upload_name(upload, "filings.csv"),
            interface=Interface.WEB,
        ),
        ctx.books,
    )


def _sha256(upload: UploadFile) -> str:
    """The uploaded file's SHA-256, the receipt's proof of exactly what was received."""
    upload.file.seek(0)
    digest = hashlib.sha256()
    for block in iter(lambda: upload.file.read(1 << 16), b""):
        digest.update(block)
    upload.file.seek(0)
    return digest.hexdigest()


def _sent_text(upload: UploadFile) -> str:
    """What was uploaded, as text, to show the bad rows beside their problems."""
    upload.file.seek(0)
    return upload.file.read().decode("utf-8-sig", errors="replace")


@router.post("/filings/upload")
async def filings_upload(
    request: Request, ctx: StateDep, user: CurrentUser, form: CheckedForm
) -> Response:
    """Book a filings CSV; on problems nothing is booked and every bad row is shown."""
    if user.role not in PERMISSIONS["filings.submit"]:
        await form.close()
        require(user, "filings.submit")  # refuse before looking at what was sent
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InputError([Problem(gettext(N_("choose a CSV file to upload")), field="file")])
    name = upload_name(upload, "filings.csv")
    digest = await run_in_threadpool(_sha256, upload)
    try:
        done = await run_in_threadpool(_import, ctx, user, upload)
    except InputError as refused:
        text = await run_in_threadpool(_sent_text, upload)
        report = upload_report(text, name, list(refused.problems))
        data = _filings_data(ctx, user, "", "", report)
        return page(request, ctx, "filings.html", data, title=N_("Filings"), status=422)
    finally:
        await form.close()
    received = utcnow()
    result = {
        "file": name,
        "sha256": digest,
        "received_at": received.isoformat(timespec="seconds"),
        "filings": done.filings,
        "booked": done.booked,
        "corrected": done.corrected,
        "unchanged": done.unchanged,
        "ineligible": done.ineligible,
        "entries": done.entries,
        "rent_flags": list(done.rent_flags),
    }
    flagged = (
        " "
        + gettext(N_("{count} rent filing(s) break Tax Code Art. 257 (see the calendar).")).format(
            count=done.rent_flagged
        )
        if done.rent_flags
        else ""
    )
    flash(
        request,
        gettext(
            N_(
                "{file}: {booked} booked, {corrected} corrected, {unchanged} unchanged, "
                "{ineligible} not eligible; {entries} ledger entries."
            )
        ).format(file=name, **{k: v for k, v in result.items() if k != "file"})
        + " "
        + gettext(N_("Receipt: SHA-256 {digest}, received {moment}.")).format(
            digest=digest, moment=localise_datetime(received)
        )
        + flagged,
    )
    return redirect(request, ctx, "/filings", result)
