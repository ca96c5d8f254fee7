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
from jointfund.fund import in_kind, in_kind_status, users
from jointfund.fund.demo import build_demo
from jointfund.governance import Proposal
from jointfund.store import Database, open_database

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
    in_kind.file_cost_report(
        db,
        admin,
        reference="MoD-2025-001",
        reported_on=date(2025, 10, 1),
        items=[in_kind.Item("air defence battery", 30 * M)],
    )
    valuation, _ = in_kind.file_valuation(
        db,
        admin,
        cost_report="MoD-2025-001",
        reference="EC-2025-001",
        consultant="evaluation consultant",
        method="cost reported, less wear",
        assessed_minor=20 * M,
        valued_on=date(2025, 11, 1),
        evidence=[in_kind.Evidence("MoD letter", "a" * 64)],
    )
    in_kind.recommend(
        db,
        users.authenticate(db, tokens["ua-manager-1"]),
        valuation_id=valuation.id,
        assessed_minor=20 * M,
        recommended_on=date(2025, 12, 1),
    )
    proposal = in_kind_status.propose_approval(db, admin, "MoD-2025-001")
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
