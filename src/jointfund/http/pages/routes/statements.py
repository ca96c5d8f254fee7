"""Capital account statements, per partner and quarter, and the quarterly fund report to
download (HTML or PDF) in the language the page is read in."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response

from jointfund.clock import utcnow
from jointfund.errors import NotFoundError
from jointfund.fund import statement_documents
from jointfund.fund.setup import fund_terms
from jointfund.fund.statements import (
    CapitalStatement,
    capital_statement,
    default_partner,
    last_completed_quarter,
)
from jointfund.governance import Interface, User, require
from jointfund.http.csrf import CheckedForm, text
from jointfund.http.identity import CurrentUser
from jointfund.http.pages.responses import page, redirect
from jointfund.http.pages.route_class import PageRoute
from jointfund.http.pages.routes.overview import usd
from jointfund.http.state import StateDep
from jointfund.i18n import DEFAULT, N_, current
from jointfund.i18n.message import Message
from jointfund.reports.periods import Period, parse_period

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _ratio(value: Fraction | None) -> str | None:
    """A multiple to four places, as `metrics` prints it."""
    if value is None:
        return None
    return f"{round(Decimal(value.numerator) / Decimal(value.denominator), 4)}x"


def statement_data(s: CapitalStatement) -> dict[str, Any]:
    """A statement as page data: its lines, ownership, NAV share and performance."""
    perf = s.performance
    return {
        "partner": s.partner,
        "quarter": s.quarter.label,
        "start": s.quarter.start.isoformat(),
        "end": s.quarter.end.isoformat(),
        "lines": [{"label": label, "amount": usd(amount)} for label, amount in s.rows()],
        "ownership": f"{float(s.ownership):.4%}",
        "nav_share": usd(s.nav_share),
        "nav_difference": usd(s.nav_share - s.closing),
        "complete": s.complete,
        "warnings": list(s.warnings),
        "performance": {
            "paid_in": usd(perf.paid_in),
            "distributed": usd(perf.distributed),
            "irr": None if perf.irr is None else f"{perf.irr:.2%}",
            "tvpi": _ratio(perf.tvpi),
            "dpi": _ratio(perf.dpi),
            "rvpi": _ratio(perf.rvpi),
        },
    }


@router.get("/statements")
def statements_page(
    request: Request, ctx: StateDep, user: CurrentUser, partner: str = "", quarter: str = ""
) -> Response:
    """One partner's capital account statement for one quarter (defaults: a board manager's
    own partner, else the first; the last quarter that has ended)."""
    partners = list(fund_terms(ctx.books).partner_ids)
    chosen = partner or default_partner(user, partners)
    label = quarter or last_completed_quarter(utcnow().date())
    found = capital_statement(
        ctx.books, user, chosen, label, stale_after_days=ctx.settings.fx_stale_days
    )
    data = {
        "partners": partners,
        "partner": chosen,
        "quarter": label,
        "statement": statement_data(found),
        "reports": {fmt: f"/statements/report.{fmt}?quarter={label}" for fmt in REPORT_FORMATS},
        "issued": {
            fmt: bool(statement_documents.statement_issues(ctx.books, label, fmt))
            for fmt in REPORT_FORMATS
        },
    }
    return page(request, ctx, "statements.html", data, title=N_("Capital statements"))


REPORT_FORMATS = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


def _period(user: User, fmt: str, quarter: str) -> Period:
    """The report's quarter, once `user` may read statements (a refusal before any input)."""
    require(user, "statements.read")
    if fmt not in REPORT_FORMATS:
        raise NotFoundError(Message("no report format {fmt!r}", fmt=fmt))
    return parse_period(quarter or last_completed_quarter(utcnow().date()), field="quarter")


@router.post("/statements/report.{fmt}")
def issue_report(
    request: Request, ctx: StateDep, user: CurrentUser, fmt: str, form: CheckedForm
) -> Response:
    """Issue the quarterly fund report of a quarter as the books are known now (a deliberate
    act, behind the form's CSRF check), then back to the statements, where it downloads."""
    period = _period(user, fmt, text(form, "quarter"))
    statement_documents.statement(
        ctx.books,
        user,
        period,
        fmt=fmt,
        stale_after_days=ctx.settings.fx_stale_days,
        interface=Interface.WEB,
    )
    back = f"/statements?{urlencode({'partner': text(form, 'partner'), 'quarter': period.label})}"
    return redirect(request, ctx, back + "#quarterly-report", {"issued": period.label})


@router.get("/statements/report.{fmt}")
def statement_report(
    request: Request, ctx: StateDep, user: CurrentUser, fmt: str, quarter: str = ""
) -> Response:
    """The issued quarterly fund report of a quarter (default: the last that has ended) as a
    file, in the reader's language, reproduced and logged as `jointfund report statement`
    does; a quarter never issued is refused (following a link must not issue it)."""
    period = _period(user, fmt, quarter)
    document = statement_documents.statement(
        ctx.books,
        user,
        period,
        fmt=fmt,
        issue=False,
        stale_after_days=ctx.settings.fx_stale_days,
        interface=Interface.WEB,
    )
    lang = "" if current() == DEFAULT else f"-{current()}"
    filename = f"jointfund-statement-{period.label}{lang}.{fmt}"
    return Response(
        document.content,
        media_type=REPORT_FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
