"""The forecast and the reports say their located errors in the reader's language: a bad
scenario file, a bad lever and a bad administrator's statement through the real `jointfund`
command with JOINTFUND_LANG=uk, and a damaged saved run on the forecast pages of the real app
over HTTP; the English stays word for word what it was."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from jointfund.fund import open_books
from jointfund.fund.demo import build_demo
from tests.http.pages.test_web_http import signed_in
from tests.http.pages.web_site import Server, Site, build_books, free_port, make_app

EXE = Path(sys.executable).with_name("jointfund")

# A scenario over the bundled base that restates a number without saying where it comes from
# (restating it drops the base's label) and carries a key the schema does not know.
BAD_SCENARIO = """\
extends: base
prices:
  mood: bullish
fund:
  investment_return:
    mu: 0.05
"""


def jointfund(
    lang: str, *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The installed command, in `lang`, on a terminal wide enough for a whole problem line."""
    env = {**os.environ, **(env or {}), "JOINTFUND_LANG": lang, "COLUMNS": "200"}
    return subprocess.run(
        [EXE, *args], capture_output=True, text=True, check=False, env=env, cwd=cwd
    )


def test_a_bad_scenario_file_is_refused_in_ukrainian_at_each_place(tmp_path: Path) -> None:
    scenario = tmp_path / "mine.yaml"
    scenario.write_text(BAD_SCENARIO, encoding="utf-8")
    args = ("forecast", "run", str(scenario), "--paths", "10", "--out", str(tmp_path / "run"))
    said = jointfund("uk", *args, cwd=tmp_path)
    assert said.returncode != 0
    assert said.stderr.splitlines() == [
        f"помилка: {scenario}:prices.mood: Зайвий ключ: такого поля немає (і ще проблем: 1)",
        f"  {scenario}:fund.investment_return: Неприпустиме значення: жодне джерело не наводить "
        "і жодне припущення не називає mu, sigma, war_drag: додайте до 'sourced:' (цитата чи "
        "посилання на таблицю) або до 'assumed:'",
    ]
    assert not (tmp_path / "run").exists(), "nothing ran"
    english = jointfund("en", *args, cwd=tmp_path)
    assert english.returncode == said.returncode
    assert english.stderr.splitlines() == [
        f"error: {scenario}:prices.mood: Extra inputs are not permitted (and 1 more problems)",
        f"  {scenario}:fund.investment_return: Value error, no source states and no assumption "
        "names mu, sigma, war_drag: add it to 'sourced:' (quote or table reference) or to "
        "'assumed:'",
    ]


def test_a_lever_out_of_range_is_refused_in_ukrainian(tmp_path: Path) -> None:
    args = ("forecast", "provenance", "terms-2025-03", "--price-factor", "9")
    said = jointfund("uk", *args, cwd=tmp_path)
    assert said.returncode != 0
    assert said.stderr.strip() == (
        "помилка: price_factor: рівень цін 9 поза допустимими межами (очікується 0,25..4)"
    )
    english = jointfund("en", *args, cwd=tmp_path)
    assert english.stderr.strip() == (
        "error: price_factor: price level 9 is out of range (expected 0.25..4)"
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The demo fund served by the real app over HTTP on a free port."""
    folder = tmp_path_factory.mktemp("site")
    db, settings, tokens, proposal = build_books(folder)
    port = free_port()
    with Server(make_app(settings), port):
        yield Site(f"http://127.0.0.1:{port}", db, settings, tokens, proposal)
    db.dispose()


def test_a_damaged_saved_run_is_explained_on_the_forecast_page_in_ukrainian(site: Site) -> None:
    # A run saved by the command line (a manifest beside its results) whose results file was
    # cut short: the run is listed as done, but reading it back is a located input error.
    folder = site.settings.runs_dir / "base-damaged"
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps({"scenario": "base", "paths": 10}))
    (folder / "results.json").write_text('{"scenario": "ba', encoding="utf-8")
    with signed_in(site, "auditor") as client:
        page = client.get("/forecast/runs/base-damaged", headers={"Accept-Language": "uk"})
        twin = client.get("/forecast/runs/base-damaged", params={"format": "json"})
    assert page.status_code == 422, page.text[:300]
    assert "це не збережений розрахунок прогнозу: " in page.text
    assert "not a saved forecast run" not in page.text
    assert "Нічого не змінено. Знайдено проблем: 1" in page.text
    assert str(site.settings.runs_dir) not in page.text, "the page shows no server folder"
    assert "<code>base-damaged</code>: це не збережений" in page.text
    assert twin.json()["error"]["message"].startswith(f"{folder}: not a saved forecast run: ")


def test_an_administrator_statement_is_refused_in_ukrainian_row_by_row(tmp_path: Path) -> None:
    db = open_books(str(tmp_path / "books.db"))
    token = next(x.token for x in build_demo(db).logins if x.name == "administrator")
    db.dispose()
    (tmp_path / "admin.csv").write_text(
        "partner,period,opening,contributions,income,unrealised_change,distributions,closing,"
        "ownership_pct\n,2026Q5,0,0,0,0,0,0,half\n",
        encoding="utf-8",
    )
    args = ("report", "shadow", "--admin", "admin.csv", "--period", "2026Q1")
    args += ("--db", str(tmp_path / "books.db"))
    env = {"JOINTFUND_TOKEN": token}
    said = jointfund("uk", *args, cwd=tmp_path, env=env)
    assert said.returncode != 0
    assert said.stderr.splitlines() == [
        "помилка: admin.csv:2:partner: партнера не вказано (очікується ідентифікатор партнера, "
        "наприклад US або UA) (і ще проблем: 2)",
        "  admin.csv:2:period: це не період: '2026Q5' (очікується 2026Q1, 2026-03 або 2026)",
        "  admin.csv:2:ownership_pct: це не відсоток: 'half' (очікується щось на зразок 50.0000)",
    ]
    english = jointfund("en", *args, cwd=tmp_path, env=env)
    assert english.stderr.splitlines() == [
        "error: admin.csv:2:partner: empty partner (expected a partner id such as US or UA) "
        "(and 2 more problems)",
        "  admin.csv:2:period: not a period: '2026Q5' (expected 2026Q1, 2026-03 or 2026)",
        "  admin.csv:2:ownership_pct: not a percentage: 'half' (expected e.g. 50.0000)",
    ]
