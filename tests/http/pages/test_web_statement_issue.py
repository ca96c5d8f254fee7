"""Issuing the quarterly report is a deliberate act on the statements page: following a link
(a prefetch, a crawler, a link in an email) never fixes the books' moment for a quarter; the
form behind its CSRF check does, and every download after it reproduces that issue."""

from __future__ import annotations

import re

from jointfund.fund import statement_documents

from .test_web_http import csrf_of, signed_in
from .web_site import ADMIN, Site

QUARTER = "2026Q1"
REPORT = f"/statements/report.html?quarter={QUARTER}"


def issues(site: Site) -> int:
    return len(statement_documents.statement_issues(site.db, QUARTER, "html"))


def test_a_link_never_issues_the_report_and_the_form_does(site: Site) -> None:
    with signed_in(site, ADMIN) as client:
        shown = client.get("/statements", params={"quarter": QUARTER}).text
        assert f'href="{REPORT}"' not in shown, "no download before the report is issued"
        assert 'action="/statements/report.html"' in shown and "Issue HTML" in shown

        followed = client.get(REPORT)
        assert followed.status_code == 409, followed.text[:300]
        assert "has not been issued yet" in followed.text
        assert issues(site) == 0, "following the link wrote nothing"

        forged = client.post("/statements/report.html", data={"quarter": QUARTER})
        assert forged.status_code == 403, "no write without the form's CSRF token"
        assert issues(site) == 0

        form = {"csrf_token": csrf_of(client, "/statements"), "quarter": QUARTER, "partner": "UA"}
        issued = client.post("/statements/report.html", data=form)
        assert issued.status_code == 303
        assert issued.headers["location"] == (
            f"/statements?partner=UA&quarter={QUARTER}#quarterly-report"
        )
        assert issues(site) == 1

        shown = client.get("/statements", params={"quarter": QUARTER}).text
        assert f'href="{REPORT}"' in shown, "the issued report downloads"
        assert re.search(r'action="/statements/report\.pdf"', shown), "the PDF is still to issue"
        first, second = client.get(REPORT), client.get(REPORT)
        assert first.status_code == second.status_code == 200
        assert first.content == second.content, "a download reproduces the issue"
        assert issues(site) == 1, "downloads are copies, not new issues"


def test_the_refusal_and_the_form_read_in_ukrainian(site: Site) -> None:
    with signed_in(site, ADMIN) as client:
        client.get("/language/uk", params={"next": "/statements"})
        followed = client.get("/statements/report.pdf", params={"quarter": "2025Q4"})
        assert followed.status_code == 409
        assert "квартальний звіт за 2025Q4 (PDF) ще не випущено" in followed.text
        shown = client.get("/statements", params={"quarter": "2025Q4"}).text
        assert "Випустити PDF" in shown and "Issue PDF" not in shown
