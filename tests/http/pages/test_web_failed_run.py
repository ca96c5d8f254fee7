"""A forecast run that fails says why in the reader's language, however long after the
failure and from whichever process reads its status: the reason is stored said in each
language, and the JSON keeps the English."""

from __future__ import annotations

import fcntl
import json
from pathlib import Path

from jointfund.fund import users
from jointfund.fund.forecast_runs import ForecastRuns
from jointfund.i18n import language
from jointfund.i18n.message import localised

from .test_web_http import signed_in
from .test_web_whatif import ANALYST, LEVERS, start, wait_done
from .web_site import Site


def test_a_failed_what_if_and_its_base_say_why_in_ukrainian(site: Site) -> None:
    runs = Path(site.settings.runs_dir)
    runs.mkdir(parents=True, exist_ok=True)
    with signed_in(site, ANALYST) as client:
        # Hold the runs folder's turn so the job waits, queued, while its base is spoiled.
        with (runs / ".running").open("a") as turn:
            fcntl.flock(turn, fcntl.LOCK_EX)
            answer = start(client, LEVERS | {"seed": "90417", "paths": "200"})
            assert answer.status_code == 303, answer.text[:500]
            run_id = answer.headers["location"].rsplit("/", 1)[1]
            base_id = json.loads((runs / run_id / "whatif.json").read_text())["base_run"]
            # A file the base's results cannot carry across (reading it fails with EIO), as a
            # failing disk would make saving fail.
            (runs / base_id / "unreadable").symlink_to("/proc/self/mem")
            fcntl.flock(turn, fcntl.LOCK_UN)
        base = wait_done(client, base_id)
        whatif = wait_done(client, run_id)
        assert base["status"] == whatif["status"] == "failed"
        assert base["error"].startswith("the simulation stopped: [Errno 5]"), base["error"]
        assert whatif["error"] == f"its base run {base_id} failed"

        shown = client.get(f"/forecast/runs/{run_id}", headers={"Accept-Language": "uk"}).text
        assert f"базовий прогін {base_id} не вдався" in shown
        assert "its base run" not in shown
        shown = client.get(f"/forecast/runs/{base_id}", headers={"Accept-Language": "uk"}).text
        assert "моделювання зупинилося: [Errno 5]" in shown, "Python's own reason as it is"
        assert "the simulation stopped" not in shown
        english = client.get(f"/forecast/runs/{run_id}", headers={"Accept-Language": "en"}).text
        assert f"its base run {base_id} failed" in english

        # Another process (a second worker, a restarted server) reads it from the status file.
        other = ForecastRuns(runs).status(users.authenticate(site.db, site.tokens[ANALYST]), run_id)
        with language("uk"):
            assert localised(other.error) == f"базовий прогін {base_id} не вдався"
        assert other.error == f"its base run {base_id} failed"
