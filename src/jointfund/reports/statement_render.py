"""The quarterly statement as HTML (charts embedded) and PDF."""

from __future__ import annotations

from datetime import date

from jointfund.reports.rendering import html_to_pdf, render_html
from jointfund.reports.statement import FundStatement
from jointfund.reports.statement_charts import bridge_chart, capital_chart


def statement_html(statement: FundStatement, *, generated: date) -> str:
    """The statement as a self-contained HTML page."""
    return render_html(
        "statement.html",
        title=statement.title,
        statement=statement,
        bridge_chart=bridge_chart(statement),
        capital_chart=capital_chart(statement),
        generated=generated,
    )


def statement_pdf(statement: FundStatement, *, generated: date) -> bytes:
    """The statement as PDF bytes."""
    return html_to_pdf(statement_html(statement, generated=generated))
