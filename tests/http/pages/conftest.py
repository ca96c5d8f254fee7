"""Fixtures for the page tests: one running site per module, and a headless Chromium."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .web_site import Server, Site, build_books, free_port, make_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The demo fund served over real HTTP on a free port."""
    folder = tmp_path_factory.mktemp("site")
    db, settings, tokens, proposal = build_books(folder)
    port = free_port()
    with Server(make_app(settings), port):
        yield Site(f"http://127.0.0.1:{port}", db, settings, tokens, proposal)
    db.dispose()


def require_browser() -> None:
    """Skip without Chromium, unless JOINTFUND_REQUIRE_BROWSER=1 (CI), where that fails."""
    if CHROMIUM.is_file():
        return
    reason = f"browser test skipped: no Chromium at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("JOINTFUND_REQUIRE_BROWSER") == "1":
        pytest.fail(reason.replace("skipped", "required") + "; JOINTFUND_REQUIRE_BROWSER=1")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium driven by Playwright (the system browser; no download needed)."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        launched = driver.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def artefacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: JOINTFUND_ARTEFACTS_DIR if set (CI uploads it), else a tmp dir."""
    configured = os.environ.get("JOINTFUND_ARTEFACTS_DIR")
    folder = Path(configured) if configured else tmp_path_factory.mktemp("artefacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
