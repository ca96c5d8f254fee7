"""Drive the REST API over HTTP with 50 concurrent clients; print throughput and latency.

Starts the API under uvicorn (as `jointfund serve` does, one process by default) on a demo fund in a fresh SQLite file, then
runs 50 asyncio clients for a fixed time: mostly balance reads and journal pages, and a few
filings uploads (writes). Prints requests/s and p50/p99 latency per kind, and the target
(balance and journal reads p99 < 50 ms).

    .venv/bin/python benchmarks/api_load.py [--clients 50] [--seconds 10] [--workers 1]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx

from jointfund.fund.demo import build_demo
from jointfund.store import open_database

TARGET_P99_MS = 50.0
HEADER = "licence_id,period,stream,gross_amount,currency,payer_reference,version,costs,received_on"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def _client(
    http: httpx.AsyncClient, n: int, until: float, times: dict[str, list[float]], errors: list[str]
) -> None:
    rng = random.Random(n)
    uploads = 0
    while time.perf_counter() < until:
        roll = rng.random()
        if roll < 0.02:
            kind = "filings upload"
            uploads += 1
            body = (
                f"{HEADER}\nUA-SP-2012-0907,2026-04,royalty,{rng.randint(1, 10**6)}.00,UAH,"
                f"BENCH-{n}-{uploads},1,0.00,2026-05-15\n"
            )
            call = http.post("/api/filings", files={"file": ("bench.csv", body.encode())})
        elif roll < 0.51:
            kind = "balances"
            day = f"2025-{rng.randint(1, 12):02d}-28"
            call = http.get("/api/ledger/balances", params={"as_of": day})
        else:
            kind = "journal page"
            call = http.get(
                "/api/ledger/journal", params={"after": rng.randint(0, 10), "limit": 10}
            )
        start = time.perf_counter()
        response = await call
        times[kind].append(time.perf_counter() - start)
        if response.status_code != 200:
            errors.append(f"{kind}: {response.status_code} {response.text[:200]}")


async def _drive(base: str, token: str, clients: int, seconds: float) -> None:
    times: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=60) as http:
        await http.get("/api/ledger/balances")
        until = time.perf_counter() + seconds
        await asyncio.gather(*(_client(http, n, until, times, errors) for n in range(clients)))
    total = sum(len(v) for v in times.values())
    print(f"{clients} concurrent clients for {seconds:.0f} s: {total / seconds:,.0f} requests/s")
    print(f"{'kind':<16}{'requests':>10}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
    for kind, values in sorted(times.items()):
        p50, p99 = _percentile(values, 0.50) * 1e3, _percentile(values, 0.99) * 1e3
        print(f"{kind:<16}{len(values):>10}{len(values) / seconds:>10,.0f}{p50:>10.1f}{p99:>10.1f}")
    reads = [v for k in ("balances", "journal page") for v in times[k]]
    p99 = _percentile(reads, 0.99) * 1e3
    verdict = "met" if p99 < TARGET_P99_MS else "NOT met"
    print(f"reads p99 {p99:.1f} ms; target p99 < {TARGET_P99_MS:.0f} ms: {verdict}")
    if errors:
        print(f"{len(errors)} errors, first: {errors[0]}")


def main() -> int:
    """Build the demo fund, start the server, drive it, stop it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        db = open_database(url)
        token = build_demo(db).logins[0].token
        db.dispose()
        port = _free_port()
        env = os.environ | {
            "JOINTFUND_DATABASE_URL": url,
            "JOINTFUND_RUNS_DIR": str(Path(folder) / "runs"),
        }
        # What `jointfund serve` runs, started directly so the benchmark needs no CLI wiring.
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "jointfund.api:app_from_environment",
        ]
        command += ["--port", str(port), "--workers", str(args.workers), "--ws", "none"]
        command += ["--log-level", "warning"]
        server = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 30
            while True:
                try:
                    httpx.get(f"{base}/openapi.json", timeout=1)
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise SystemExit("the server did not start") from None
                    time.sleep(0.1)
            asyncio.run(_drive(base, token, args.clients, args.seconds))
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
