"""Uploads while 50 clients read: does a write wait behind the reads? (the scale issue, point 3)

Builds the demo fund in a fresh SQLite file and a fresh PostgreSQL database, serves each with
`jointfund serve --workers 2` (what a user runs), and drives it over HTTP for a fixed time with
50 reader clients, each on its own keep-alive connection sending its next read as soon as the
last returns (balances as of a 2025 month end and journal pages, half each), while K uploader
clients do the same with one-row filings CSVs (each stores and chains a filing). Prints, per
backend and K, uploads p50/p95/p99, reads p50/p99, requests/s, errors, and the verdict against
the targets: uploads p99 <= 250 ms, reads p99 <= 50 ms, zero errors. The machine's cores and
load average are printed with every run.

    .venv/bin/python benchmarks/uploads_under_reads.py [--backend sqlite|postgresql|both]
        [--readers 50] [--uploaders 1 5] [--seconds 10] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

from api_load import Client, free_port, percentile, run, serve, timed, upload_body
from jointfund.fund.demo import build_demo
from jointfund.store import open_database

UPLOAD_P99_MS, READ_P99_MS = 250.0, 50.0
PG_URL = os.environ.get(
    "JOINTFUND_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
Times = dict[str, list[float]]


@contextmanager
def database(backend: str, folder: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a PostgreSQL database jf_uploads_*."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'uploads.db'}"
        return
    name = f"jf_uploads_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def read_request(rng: random.Random) -> tuple[str, str, str, bytes]:
    """A balance read or a journal page, half each."""
    if rng.random() < 0.5:
        month = rng.randint(1, 12)
        return "read", "GET", f"/api/ledger/balances?as_of=2025-{month:02d}-28", b""
    return "read", "GET", f"/api/ledger/journal?after={rng.randint(0, 10)}&limit=10", b""


async def drive(
    port: int, token: str, readers: int, uploaders: int, seconds: float
) -> tuple[Times, list[str]]:
    """Readers and uploaders in closed loops for `seconds` (after a second of warm-up)."""
    clients = [Client("127.0.0.1", port, token) for _ in range(readers + uploaders)]
    times: Times = defaultdict(list)
    errors: list[str] = []
    for warm, span in ((True, 1.0), (False, seconds)):
        until = time.perf_counter() + span
        got: Times = defaultdict(list) if warm else times
        lost: list[str] = [] if warm else errors

        async def loop(n: int, client: Client, upload: bool, until: float) -> None:
            rng = random.Random(n)
            while time.perf_counter() < until:
                request = (
                    ("upload", "POST", "/api/filings", upload_body(n, rng))
                    if upload
                    else read_request(rng)
                )
                await timed(client, request, time.perf_counter(), got, lost)  # noqa: B023 - awaited here

        await asyncio.gather(*(loop(n, c, n >= readers, until) for n, c in enumerate(clients)))
    for client in clients:
        client.close()
    return times, errors


def report(backend: str, uploaders: int, readers: int, seconds: float, times: Times,
           errors: list[str]) -> None:  # fmt: skip
    """One line per kind and the verdict."""
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    total = sum(len(v) for v in times.values())
    print(
        f"{backend}, {readers} readers + {uploaders} uploader(s), {seconds:.0f} s: "
        f"{total / seconds:,.0f} requests/s (load average {load})"
    )
    for kind in ("read", "upload"):
        values = times.get(kind, [])
        if not values:
            print(f"  {kind}: none completed")
            continue
        p50, p95, p99 = (percentile(values, q) * 1e3 for q in (0.5, 0.95, 0.99))
        print(f"  {kind:<7}{len(values):>8} done   p50 {p50:7.1f} ms   p95 {p95:7.1f} ms"
              f"   p99 {p99:7.1f} ms")  # fmt: skip
    up = percentile(times["upload"], 0.99) * 1e3 if times.get("upload") else float("inf")
    rd = percentile(times["read"], 0.99) * 1e3 if times.get("read") else float("inf")
    met = up <= UPLOAD_P99_MS and rd <= READ_P99_MS and not errors
    print(
        f"  target uploads p99 <= {UPLOAD_P99_MS:.0f} ms, reads p99 <= {READ_P99_MS:.0f} ms, "
        f"no errors: {'met' if met else 'NOT met'} ({len(errors)} errors"
        + (f", first: {errors[0]}" if errors else "")
        + ")"
    )


def main() -> int:
    """Build, serve and drive each backend."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--uploaders", type=int, nargs="+", default=[1, 5])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    print(
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
        f"jointfund serve --workers {args.workers}"
    )
    for backend in backends:
        with tempfile.TemporaryDirectory() as tmp, database(backend, Path(tmp)) as url:
            db = open_database(url)
            token = build_demo(db).logins[0].token
            db.dispose()
            port = free_port()
            server = serve(url, port, args.workers, Path(tmp))
            try:
                for uploaders in args.uploaders:
                    times, errors = _driven(port, token, args, uploaders)
                    report(backend, uploaders, args.readers, args.seconds, times, errors)
            finally:
                server.terminate()
                server.wait(timeout=30)
    return 0


def _driven(
    port: int, token: str, args: argparse.Namespace, uploaders: int
) -> tuple[Times, list[str]]:
    """`drive` on uvloop (as api_load runs its clients)."""
    found: list[tuple[Times, list[str]]] = []

    async def go() -> None:
        found.append(await drive(port, token, args.readers, uploaders, args.seconds))

    run(go())
    return found[0]


if __name__ == "__main__":
    sys.exit(main())
