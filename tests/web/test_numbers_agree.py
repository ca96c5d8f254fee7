"""One set of numbers on every surface: for every quarter end of the example fund, NAV, each
partner's closing capital, share, NAV share, paid-in, distributed, IRR and TVPI read through
`jointfund metrics --json`, `GET /api/metrics`, the overview's JSON twin and the quarterly PDF's
text (pdftotext) agree to the cent, and carry the same stale/incomplete marks."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
import typer

from jointfund.cli.app import app as cli
from jointfund.cli.output import report_error
from jointfund.errors import JointfundError

from .test_web_http import signed_in
from .web_site import ADMIN, Site

QUARTER_ENDS = {
    "2025Q3": "2025-09-30",
    "2025Q4": "2025-12-31",
    "2026Q1": "2026-03-31",
    "2026Q2": "2026-06-30",
    "2026Q3": "2026-09-30",
    "2026Q4": "2026-12-31",
}


def cli_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[Any, str]:
    """Run a command in process with --json; its parsed output and its warning lines."""
    try:
        cli(args=[*args, "--json"], prog_name="jointfund", standalone_mode=False)
    except JointfundError as error:
        report_error(error, as_json=True)
        raise
    except typer.Exit:
        pass
    captured = capsys.readouterr()
    return json.loads(captured.out), captured.err


def pdf_text(capsys: pytest.CaptureFixture[str], site: Site, quarter: str, out: Path) -> str:
    """The quarterly report as `report statement --format pdf` writes it, through pdftotext."""
    cli(
        args=[
            "report",
            "statement",
            "--period",
            quarter,
            "--format",
            "pdf",
            "--out",
            str(out),
            "--db",
            site.settings.database_url,
            "--token",
            site.tokens[ADMIN],
        ],
        prog_name="jointfund",
        standalone_mode=False,
    )
    capsys.readouterr()
    done = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], check=True, capture_output=True, text=True
    )
    return done.stdout


def plain(text: str) -> str:
    """A grouped amount as printed on a page or in a PDF, as a plain decimal string."""
    negative = text.startswith("(")
    value = text.strip("()").replace(",", "")
    return f"-{value}" if negative else value


def _pdf_figures(text: str) -> dict[str, Any]:
    amount = r"\(?[\d,]+\.\d{2}\)?"
    nav = re.search(rf"Net asset value, closing\s+({amount})", text)
    assert nav is not None, text
    found: dict[str, Any] = {"nav": plain(nav.group(1)), "capital": {}, "performance": {}}
    for row in re.finditer(
        rf"^\s*(US|UA)\s+({amount})\s+({amount})\s+({amount})\s+({amount})\s+({amount})\s+"
        rf"({amount})\s+([\d.]+)%",
        text,
        re.M,
    ):
        found["capital"][row.group(1)] = {"closing": plain(row.group(7)), "share": row.group(8)}
    for row in re.finditer(
        rf"^\s*(US|UA)\s+({amount})\s+({amount})\s+({amount})\s+(–|-?[\d.]+%)\s+(–|[\d.]+x)\s*$",
        text,
        re.M,
    ):
        found["performance"][row.group(1)] = {
            "paid_in": plain(row.group(2)),
            "distributed": plain(row.group(3)),
            "nav": plain(row.group(4)),
            "irr": row.group(5),
            "tvpi": row.group(6),
        }
    fund: dict[str, str] = {}
    for label, key in (("Paid in", "paid_in"), ("Distributed", "distributed")):
        hit = re.search(rf"^\s*{label}\s+({amount})\s*$", text, re.M)
        assert hit is not None, label
        fund[key] = plain(hit.group(1))
    irr = re.search(r"IRR \(XIRR\)\s+(–|-?[\d.]+%)", text)
    tvpi = re.search(r"^\s*TVPI\s+(–|[\d.]+x)", text, re.M)
    assert irr is not None and tvpi is not None
    fund["irr"], fund["tvpi"] = irr.group(1), tvpi.group(1)
    found["performance"]["fund"] = fund
    found["notes"] = re.findall(r"Note: (.+?)\.\n", text)
    return found


def _irr_pct(irr: float | None) -> str:
    return "–" if irr is None else f"{irr * 100:.2f}%"


def _tvpi(tvpi: str | None) -> str:
    return "–" if tvpi is None else f"{tvpi}x"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
@pytest.mark.parametrize("quarter", list(QUARTER_ENDS))
def test_every_surface_shows_the_same_numbers(
    site: Site, capsys: pytest.CaptureFixture[str], tmp_path: Path, quarter: str
) -> None:
    day = QUARTER_ENDS[quarter]
    db, token = site.settings.database_url, site.tokens[ADMIN]
    figures, warnings = cli_json(capsys, "metrics", "--as-of", day, "--db", db, "--token", token)
    api = httpx.get(
        f"{site.url}/api/metrics",
        params={"as_of": day},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert api.status_code == 200, api.text
    with signed_in(site, ADMIN) as client:
        page = client.get("/", params={"as_of": day, "format": "json"}).json()
        html = client.get("/", params={"as_of": day}).text
    # Field for field, the CLI, the API and the page twin carry one shape.
    assert api.json() == figures
    assert page["metrics"] == figures
    assert [line for line in warnings.splitlines()] == [
        f"warning: {w}" for w in figures["warnings"]
    ]
    for w in figures["warnings"]:
        assert w in html
    # The PDF, rendered for people, agrees to the cent and at the precision it prints.
    pdf = _pdf_figures(pdf_text(capsys, site, quarter, tmp_path / f"{quarter}.pdf"))
    assert pdf["nav"] == figures["nav"]
    assert pdf["notes"] == figures["warnings"]
    for partner, capital in figures["capital"].items():
        assert pdf["capital"][partner]["closing"] == capital["closing"]
        share = Decimal(capital["share"]) * 100
        assert pdf["capital"][partner]["share"] == f"{share:.4f}"
    for who, perf in figures["performance"].items():
        shown = pdf["performance"][who]
        assert shown["paid_in"] == perf["paid_in"], who
        assert shown["distributed"] == perf["distributed"], who
        assert shown["irr"] == _irr_pct(perf["irr"]), who
        assert shown["tvpi"] == _tvpi(perf["tvpi"]), who
        if who != "fund":
            assert shown["nav"] == figures["capital"][who]["nav_share"]
    # NAV reconciles: capital plus the bridge items is NAV, on every surface alike.
    assert sum(Decimal(b["amount"]) for b in figures["bridge"]) == Decimal(figures["nav"])


def test_statements_open_on_the_last_completed_quarter_and_a_managers_own_partner(
    site: Site,
) -> None:
    from datetime import date

    from jointfund.clock import utcnow
    from jointfund.fund.statements import last_completed_quarter

    assert last_completed_quarter(date(2026, 12, 6)) == "2026Q3"
    assert last_completed_quarter(date(2026, 1, 1)) == "2025Q4"
    assert last_completed_quarter(date(2026, 4, 1)) == "2026Q1"
    expected = last_completed_quarter(utcnow().date())
    with signed_in(site, "ua-manager-1") as client:
        ua = client.get("/statements", params={"format": "json"}).json()
    with signed_in(site, ADMIN) as client:
        admin = client.get("/statements", params={"format": "json"}).json()
    assert (ua["partner"], ua["quarter"]) == ("UA", expected)
    assert (admin["partner"], admin["quarter"]) == ("US", expected)
