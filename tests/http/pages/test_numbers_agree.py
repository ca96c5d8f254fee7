"""One set of numbers on every surface: for every quarter end of the example fund, NAV, each
partner's closing capital, share, NAV share, paid-in, distributed, IRR and TVPI read through
`jointfund metrics --json`, `GET /api/metrics`, the overview's JSON twin and the quarterly PDF's
text (pdftotext) agree to the cent, and carry the same stale/incomplete marks."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
import typer

from jointfund.cli.app import app as cli
from jointfund.cli.output import report_error
from jointfund.config import Settings
from jointfund.errors import JointfundError
from jointfund.fund import users
from jointfund.store import open_database
from tests.fund.fund_board import FRAMEWORK, make_board
from tests.fund.random_fund import apply_ops, seeded_ops, write_rates

from .test_web_http import signed_in
from .web_site import ADMIN, Server, Site, free_port, make_app

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing"
)

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


def pdf_text(
    capsys: pytest.CaptureFixture[str], site: Site, who: str, quarter: str, out: Path
) -> str:
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
            site.tokens[who],
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
    found["incomplete"] = "(NAV incomplete" in text.split("\n", 1)[0]
    return found


def _irr_pct(irr: float | None) -> str:
    return "–" if irr is None else f"{irr * 100:.2f}%"


def _tvpi(tvpi: str | None) -> str:
    return "–" if tvpi is None else f"{tvpi}x"


def check_every_surface(
    site: Site, who: str, capsys: pytest.CaptureFixture[str], out: Path, quarter: str, day: str
) -> dict[str, Any]:
    """Read one quarter end through the CLI, the API, the page twin and the PDF; compare."""
    db, token = site.settings.database_url, site.tokens[who]
    figures, warnings = cli_json(capsys, "metrics", "--as-of", day, "--db", db, "--token", token)
    api = httpx.get(
        f"{site.url}/api/metrics",
        params={"as_of": day},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert api.status_code == 200, api.text
    with signed_in(site, who) as client:
        page = client.get("/", params={"as_of": day, "format": "json"}).json()
        html = client.get("/", params={"as_of": day}).text
    # Field for field, the CLI, the API and the page twin carry one shape.
    assert api.json() == figures
    assert page["metrics"] == figures
    assert warnings.splitlines() == [f"warning: {w}" for w in figures["warnings"]]
    for w in figures["warnings"]:
        assert w in html
    # The PDF, rendered for people, agrees to the cent and at the precision it prints.
    pdf = _pdf_figures(pdf_text(capsys, site, who, quarter, out))
    assert pdf["nav"] == figures["nav"]
    assert pdf["notes"] == figures["warnings"]
    assert pdf["incomplete"] == (not figures["complete"])
    for partner, capital in figures["capital"].items():
        assert pdf["capital"][partner]["closing"] == capital["closing"]
        share = Decimal(capital["share"]) * 100
        assert pdf["capital"][partner]["share"] == f"{share:.4f}"
    for name, perf in figures["performance"].items():
        shown = pdf["performance"][name]
        assert shown["paid_in"] == perf["paid_in"], name
        assert shown["distributed"] == perf["distributed"], name
        assert shown["irr"] == _irr_pct(perf["irr"]), name
        assert shown["tvpi"] == _tvpi(perf["tvpi"]), name
        if name != "fund":
            assert shown["nav"] == figures["capital"][name]["nav_share"]
    # NAV reconciles: capital plus the bridge items is NAV, on every surface alike.
    assert sum(Decimal(b["amount"]) for b in figures["bridge"]) == Decimal(figures["nav"])
    return figures


@needs_pdftotext
@pytest.mark.parametrize("quarter", list(QUARTER_ENDS))
def test_every_surface_shows_the_same_numbers(
    site: Site, capsys: pytest.CaptureFixture[str], tmp_path: Path, quarter: str
) -> None:
    day = QUARTER_ENDS[quarter]
    check_every_surface(site, ADMIN, capsys, tmp_path / f"{quarter}.pdf", quarter, day)


# Seeds chosen so the funds between them hold a mark (2), a NAV left incomplete by a
# currency with no rate yet (8) and stale rates (12).
@pytest.fixture(scope="module", params=[2, 8, 12])
def random_site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """A fund built by a seeded random sequence of operations, served over real HTTP."""
    seed = int(request.param)
    folder = tmp_path_factory.mktemp(f"random{seed}")
    settings = Settings(database_url=str(folder / "fund.db"), runs_dir=folder / "runs")
    db = open_database(settings.database_url)
    board = make_board(db, FRAMEWORK)
    pick = random.Random(seed)
    days = pick.sample(range(0, 560), 4)
    write_rates(db, board, folder, days, [Decimal("41.5") + i for i in range(4)])
    apply_ops(db, board, seeded_ops(seed, 18))
    token = users.issue_token(db, board.admin, "admin", label="consistency").secret
    port = free_port()
    with Server(make_app(settings), port):
        yield Site(f"http://127.0.0.1:{port}", db, settings, {"admin": token})
    db.dispose()


@needs_pdftotext
def test_random_funds_show_the_same_numbers_everywhere(
    random_site: Site, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for quarter, day in QUARTER_ENDS.items():
        check_every_surface(random_site, "admin", capsys, tmp_path / f"{quarter}.pdf", quarter, day)


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


def test_a_capital_statement_reads_every_line_in_ukrainian(site: Site) -> None:
    english = [
        "Opening capital", "Contributions", "of which cash", "of which in kind",
        "of which inflows credited", "Allocated income and realised gains",
        "Change in unrealised value", "Distributions", "Closing capital",
    ]  # fmt: skip
    with signed_in(site, ADMIN) as client:
        shown = client.get("/statements", headers={"Accept-Language": "uk"}).text
    assert "у тому числі в натуральній формі" in shown
    left = [label for label in english if f">{label}<" in shown]
    assert left == [], f"capital lines still in English: {left}"
