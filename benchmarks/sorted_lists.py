"""Sorted list pages on grown books: the journal, filings, licences and audit log sorted by
each column they offer, first page and a page deep in the list, and an FX rate's entries.

Builds the example fund on SQLite, grows it through `scale.grow` (default 100,000 filings,
10,000 entries, 1,000 licences), then times each page in process through the app (signed in
as the administrator), p50 and p95 of `--repeat` runs. Usage:

    .venv/bin/python benchmarks/sorted_lists.py [--filings N] [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).parent))

from jointfund.config import Settings
from jointfund.fund.demo import build_demo
from jointfund.fund.users import authenticate
from jointfund.http.app import create_app
from jointfund.store import open_database
from scale import grow

JSON = {"Accept": "application/json"}
LISTS = {
    "/ledger": ("seq", "date", "kind", "key"),
    "/filings": ("period", "received", "licence", "gross"),
    "/licences": ("licence", "holder", "issued"),
    "/audit": ("seq", "actor", "action", "target"),
}


def timed(client: TestClient, url: str, repeat: int) -> tuple[float, float, dict]:
    """p50 and p95 in ms of GET `url` (its JSON twin), and the last answer."""
    times, data = [], {}
    for _ in range(repeat):
        t0 = time.perf_counter()
        answer = client.get(url, headers=JSON)
        times.append((time.perf_counter() - t0) * 1000)
        assert answer.status_code == 200, (url, answer.text[:300])
        data = answer.json()
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))], data


def deep(path: str, data: dict) -> str | None:
    """The address of the page after the first (the cursor a row into the list)."""
    if "pager" in data:
        return (data["pager"] or {}).get("next")
    after = data.get("next_after")
    return f"{path}{'&' if '?' in path else '?'}after={after}" if after else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--licences", type=int, default=1_000)
    parser.add_argument("--filings", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--proposals", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jf-sorted-") as tmp:
        folder = Path(tmp)
        settings = Settings(database_url=str(folder / "grown.db"), runs_dir=folder / "runs")
        db = open_database(settings.database_url)
        login = build_demo(db).logins[0]
        t0 = time.perf_counter()
        grow(db, authenticate(db, login.token), folder, args)
        print(f"grown books built in {time.perf_counter() - t0:.0f} s")
        with db.read() as conn:
            counts = {
                t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                for t in ("licences", "filings", "entries", "fx_rates", "audit_log")
            }
        print("rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        db.dispose()
        with TestClient(create_app(settings)) as client:
            form = client.get("/signin", params={"format": "json"}).json()
            client.post(
                "/signin",
                params={"format": "json"},
                data={"csrf_token": form["csrf_token"], "name": login.name, "token": login.token},
            )
            print("| page | first page p50 (p95) | next page p50 (p95) |")
            print("|---|---|---|")
            for path, sorts in LISTS.items():
                for sort in sorts:
                    for way in ("", "-"):
                        url = f"{path}?sort={way}{sort}"
                        p50, p95, data = timed(client, url, args.repeat)
                        following = deep(url, data)
                        more = "–"
                        if following:
                            n50, n95, _ = timed(client, following, args.repeat)
                            more = f"{n50:.0f} ms ({n95:.0f} ms)"
                        print(f"| `{url}` | {p50:.0f} ms ({p95:.0f} ms) | {more} |")
            listed = client.get("/filings?sort=-received", headers=JSON).json()["filings"]
            href = next((f["fx_href"] for f in listed if f["fx_href"]), None)
            if href:
                p50, p95, data = timed(client, href, args.repeat)
                print(f"| `{href}` ({data['filings']} filings) | {p50:.0f} ms ({p95:.0f} ms) | – |")
            booked = next((f["entry"] for f in listed if f["entry"]), None)
            if booked:
                seq = client.get("/ledger/entries/by-key", params={"key": booked}, headers=JSON)
                url = f"/ledger/entries/{seq.json()['seq']}"
                p50, p95, _ = timed(client, url, args.repeat)
                print(f"| `{url}` (its filings and FX rates) | {p50:.0f} ms ({p95:.0f} ms) | – |")


if __name__ == "__main__":
    main()
