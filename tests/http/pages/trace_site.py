"""A fund whose filings are booked on their receipt day (the 2025-02-21 draft has no
contribution cycle), so each inflow entry sums filings an auditor can trace."""

from __future__ import annotations

from pathlib import Path

from jointfund.config import Settings
from jointfund.fund import demo
from jointfund.fund.filings import import_filings
from jointfund.fund.licences import import_licences
from jointfund.fund.rates import import_fx_rates
from jointfund.fund.setup import set_up_fund
from jointfund.store import Database, open_database

from .web_site import PARTIAL_PLOTLY

DRAFT = "ua-us-2025-02-21-draft"


def build_trace_books(folder: Path) -> tuple[Database, Settings, dict[str, str]]:
    """The example fund's licences, rates, contributions and filings under the draft terms,
    with the demo people and their tokens."""
    settings = Settings(
        database_url=str(folder / "trace.db"),
        runs_dir=folder / "runs",
        plotly_js=PARTIAL_PLOTLY if PARTIAL_PLOTLY.is_file() else None,
    )
    db = open_database(settings.database_url)
    set_up_fund(db, DRAFT)
    admin, logins, _ = demo._people(db)
    source = demo.example_dir()
    import_licences(db, admin, source / "licences.csv")
    import_fx_rates(db, admin, source / "fx.csv")
    demo._contributions(db, admin, source)
    import_filings(db, admin, source / "filings.csv")
    return db, settings, {login.name: login.token for login in logins}
