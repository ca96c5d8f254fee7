"""A real jointfund site for page tests: the demo fund on a SQLite file, people with tokens,
one in-kind valuation awaiting the board, served by uvicorn on a free port."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from jointfund.config import Settings
from jointfund.fund import contributions, proposals, users
from jointfund.fund.demo import build_demo
from jointfund.governance import Proposal
from jointfund.store import Database, open_database
from jointfund.terms import ValuationBasis

# The partial plotly.js bundle `make setup` installs with npm; the charts are drawn with it.
PARTIAL_PLOTLY = (
    Path(__file__).resolve().parents[3]
    / "node_modules/plotly.js-basic-dist-min/plotly-basic.min.js"
)
M = 100 * 1_000_000  # USD minor units in a million dollars
ADMIN = "administrator"
US_MANAGER = "us-manager-1"
UA_MANAGER = "ua-manager-1"


@dataclass
class Site:
    """A running site: its address, database and the people who can sign in."""

    url: str
    db: Database
    settings: Settings
    tokens: dict[str, str] = field(default_factory=dict)
    proposal: Proposal | None = None


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_books(folder: Path) -> tuple[Database, Settings, dict[str, str], Proposal]:
    """The demo fund with its demo people, a board cut to one manager per partner (so the
    agreement's unanimity means exactly one approval from each side), and an in-kind valuation
    proposal awaiting that board."""
    settings = Settings(
        database_url=str(folder / "site.db"),
        runs_dir=folder / "runs",
        plotly_js=PARTIAL_PLOTLY if PARTIAL_PLOTLY.is_file() else None,
    )
    db = open_database(settings.database_url)
    result = build_demo(db)
    tokens = {login.name: login.token for login in result.logins}
    admin = users.authenticate(db, tokens[ADMIN])
    for name in ("us-manager-2", "us-manager-3", "ua-manager-2", "ua-manager-3"):
        users.deactivate_user(db, admin, name)
    row, _ = contributions.record_in_kind(
        db,
        admin,
        partner="US",
        kind="military_aid",
        description="air defence battery",
        evidence="MoD-2025-001",
        value_date=date(2025, 10, 1),
        values={
            ValuationBasis.REPLACEMENT_COST: 30 * M,
            ValuationBasis.DEPRECIATED_BOOK_VALUE: 10 * M,
            ValuationBasis.FAIR_VALUE: 20 * M,
        },
    )
    proposal = proposals.propose(
        db, admin, "in_kind_valuation", {"contribution_id": row.id, "basis": "fair_value"}
    )
    return db, settings, tokens, proposal


def make_app(settings: Settings) -> FastAPI:
    """The real app factory (API plus pages); its pages find the database on `app.state`."""
    from jointfund.http import create_app

    return create_app(settings)


class Server:
    """uvicorn serving an app on a background thread."""

    def __init__(self, app: FastAPI, port: int) -> None:
        config = uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="jf-web-test", daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
