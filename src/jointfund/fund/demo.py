"""The demo fund `make run` builds: the U.S.–Ukraine fund from the bundled example files."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jointfund.errors import ConfigError, ConflictError
from jointfund.fund.intake import import_filings, import_fx_rates, import_licences
from jointfund.fund.setup import set_up_fund
from jointfund.ledger import Entry, Posting, chart
from jointfund.money import parse_amount
from jointfund.store import Database, Ledger, is_empty, upgrade, wipe
from jointfund.terms import DEFAULT_PRESET


def example_dir() -> Path:
    """Where the example files live: JOINTFUND_EXAMPLE_DIR, else the checkout's examples/."""
    configured = os.environ.get("JOINTFUND_EXAMPLE_DIR")
    found = (
        Path(configured)
        if configured
        else Path(__file__).resolve().parents[3] / "examples" / "us-ukraine"
    )
    if not (found / "licences.csv").is_file():
        raise ConfigError(
            f"example data not found in {found}; set JOINTFUND_EXAMPLE_DIR to examples/us-ukraine"
        )
    return found


@dataclass(frozen=True, slots=True)
class DemoResult:
    """What the demo build did."""

    terms_id: str
    licences: int
    filings: int
    entries: int


def _contributions(folder: Path) -> list[Entry]:
    with (folder / "contributions.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    found = []
    for row in rows:
        cents = parse_amount(row["amount"], row["currency"])
        found.append(
            Entry(
                key=f"contribution:{row['bank_reference']}",
                effective_date=date.fromisoformat(row["value_date"]),
                kind="contribution",
                postings=(
                    Posting(chart.cash(row["currency"]), cents, row["currency"]),
                    Posting(chart.capital_contributions(row["partner"]), -cents, row["currency"]),
                ),
                memo=row["memo"],
                metadata={
                    "partner": row["partner"],
                    "bank_reference": row["bank_reference"],
                    "source": row["source"],
                },
            )
        )
    return found


def build_demo(db: Database, *, force: bool = False, folder: Path | None = None) -> DemoResult:
    """Build the example fund; refuse a database that holds data unless `force` wipes it first."""
    source = folder or example_dir()
    if not is_empty(db):
        if not force:
            raise ConflictError(
                "the database is not empty; use --force to replace it with the demo"
            )
        wipe(db)
        upgrade(db)
    setup = set_up_fund(db, DEFAULT_PRESET, actor="demo")
    licences = import_licences(db, source / "licences.csv")
    import_fx_rates(db, source / "fx.csv")
    Ledger(db).post_many(_contributions(source))
    filings = import_filings(db, source / "filings.csv")
    entries = len(Ledger(db).journal(limit=100_000))
    return DemoResult(setup.terms_id, licences.created, filings.filings, entries)
