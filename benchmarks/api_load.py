"""Drive the REST API over HTTP with 50 concurrent clients; print throughput and latency.

Builds the demo fund in a fresh SQLite file and serves it with `jointfund serve` (the command a
user runs; `--workers 2` by default, one per core of the reference machine). Then 50 clients,
each on its own keep-alive connection, send their next request as soon as the last one returns
(a closed loop) for a fixed time: balance reads and journal pages, and about 2% filings uploads
(writes, each booking one ledger entry). Prints requests/s, p50/p99 latency per kind, the CPU
the server and this load generator used per request, and the target (balance and journal
reads p99 < 50 ms).

`--rate R` adds a second, clearly labelled, open-loop run: requests arrive at R per second
whatever the server does, each waits for a free connection of the 50, and its latency counts
from its arrival (so a slow server is not excused by requests it never got to send).

The clients speak HTTP/1.1 through h11 on uvloop, so the generator costs a fraction of what it
measures; it shares the machine's cores with the server, and its own CPU is printed.

    .venv/bin/python benchmarks/api_load.py [--clients 50] [--seconds 10] [--workers 2] [--rate R]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import h11

from jointfund.fund.demo import build_demo
from jointfund.store import open_database

TARGET_P99_MS = 50.0
READS = ("balances", "journal page")
UPLOAD_SHARE = 0.02
HEADER = "licence_id,period,stream,gross_amount,currency,payer_reference,version,costs,received_on"
BOUNDARY = "jointfund-bench-boundary"
Request = tuple[str, str, str, bytes]
"""A request to send: its kind, method, target and body (empty for a GET)."""
Times = dict[str, list[float]]


class Client:
    """One keep-alive HTTP/1.1 connection, one request at a time, parsed by h11."""

    def __init__(self, host: str, port: int, token: str) -> None:
        self.address = (host, port)
        self.headers = [("Host", f"{host}:{port}"), ("Authorization", f"Bearer {token}")]
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.http = h11.Connection(our_role=h11.CLIENT)

    async def call(self, method: str, target: str, body: bytes = b"") -> tuple[int, bytes]:
        """Send one request and read its whole response: (status, body)."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(*self.address)
        assert self.reader is not None
        headers = self.headers
        if body:
            content = f"multipart/form-data; boundary={BOUNDARY}"
            headers = [*headers, ("Content-Type", content), ("Content-Length", str(len(body)))]
        out = self.http.send(h11.Request(method=method, target=target, headers=headers)) or b""
        if body:
            out += self.http.send(h11.Data(data=body)) or b""
        self.writer.write(out + (self.http.send(h11.EndOfMessage()) or b""))
        status, chunks = 0, []
        while True:
            event = self.http.next_event()
            if event is h11.NEED_DATA:
                self.http.receive_data(await self.reader.read(65536))
            elif isinstance(event, h11.Response):
                status = event.status_code
            elif isinstance(event, h11.Data):
                chunks.append(bytes(event.data))
            elif isinstance(event, h11.EndOfMessage):
                self.http.start_next_cycle()
                return status, b"".join(chunks)
            elif isinstance(event, h11.ConnectionClosed):
                raise ConnectionError("the server closed the connection")

    def close(self) -> None:
        """Close the connection."""
        if self.writer is not None:
            self.writer.close()


def upload_body(n: int, rng: random.Random) -> bytes:
    """A one-row filings CSV as a multipart form: a unique payer reference for a royalty due to
    the fund (the Poltava gas block, monthly rent), so each upload stores and chains a filing.
    Under the agreement's contribution cycle the share accrues and no ledger entry is booked
    until a transfer (figures measured before 6 Dec 2026 include one entry per upload)."""
    row = (
        f"UA-SP-2025-0822,2026-07,royalty,{rng.randint(1, 10**6)}.00,UAH,"
        f"BENCH-{n}-{rng.getrandbits(48):x},1,0.00,2026-08-15"
    )
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="bench.csv"\r\n'
        f"Content-Type: text/csv\r\n\r\n{HEADER}\n{row}\n\r\n--{BOUNDARY}--\r\n"
    ).encode()


def next_request(n: int, rng: random.Random) -> Request:
    """The next request of client `n`: 2% uploads, the rest balances or a journal page."""
    roll = rng.random()
    if roll < UPLOAD_SHARE:
        return "filings upload", "POST", "/api/filings", upload_body(n, rng)
    if roll < 0.51:
        return (
            "balances",
            "GET",
            f"/api/ledger/balances?as_of=2025-{rng.randint(1, 12):02d}-28",
            b"",
        )
    return "journal page", "GET", f"/api/ledger/journal?after={rng.randint(0, 10)}&limit=10", b""


async def timed(
    client: Client, request: Request, since: float, times: Times, errors: list[str]
) -> None:
    """Send `request` and record its latency from `since` under its kind."""
    kind, method, target, body = request
    status, answer = await client.call(method, target, body)
    times[kind].append(time.perf_counter() - since)
    if status != 200:
        errors.append(f"{kind}: {status} {answer[:200]!r}")


async def closed_loop(
    clients: list[Client], seconds: float, times: Times, errors: list[str]
) -> None:
    """Every client sends its next request as soon as its last one returns, for `seconds`."""
    until = time.perf_counter() + seconds

    async def run(n: int, client: Client) -> None:
        rng = random.Random(n)
        while time.perf_counter() < until:
            await timed(client, next_request(n, rng), time.perf_counter(), times, errors)

    await asyncio.gather(*(run(n, c) for n, c in enumerate(clients)))


async def open_loop(
    clients: list[Client], rate: float, seconds: float, times: Times, errors: list[str]
) -> None:
    """Requests arrive every 1/rate s; each takes a free connection (waiting if none is)."""
    free: asyncio.Queue[Client] = asyncio.Queue()
    for client in clients:
        free.put_nowait(client)
    rng, start, tasks = random.Random(0), time.perf_counter(), set()

    async def one(request: Request, arrival: float) -> None:
        client = await free.get()
        try:
            await timed(client, request, arrival, times, errors)
        finally:
            free.put_nowait(client)

    for i in range(int(rate * seconds)):
        arrival = start + i / rate
        await asyncio.sleep(max(0.0, arrival - time.perf_counter()))
        task = asyncio.create_task(one(next_request(i, rng), arrival))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    await asyncio.gather(*tasks)


def percentile(values: list[float], q: float) -> float:
    """The `q` quantile of `values` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def cpu_seconds(pid: int) -> tuple[float, float] | None:
    """(user, system) CPU of a process and its children so far (Linux /proc), else None."""
    try:
        pids = [pid, *map(int, Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]
        fields = [Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split() for p in pids]
    except OSError:
        return None
    tick = os.sysconf("SC_CLK_TCK")
    return sum(int(f[11]) for f in fields) / tick, sum(int(f[12]) for f in fields) / tick


def report(
    title: str,
    seconds: float,
    times: Times,
    errors: list[str],
    cpu: dict[str, float],
    judged: bool,
) -> None:
    """Print throughput, p50/p99 per kind, CPU per request and (`judged`) the target's verdict."""
    total = sum(len(v) for v in times.values())
    print(f"{title}: {total / seconds:,.0f} requests/s over {seconds:.0f} s")
    print(f"  {'kind':<16}{'requests':>10}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
    for kind, values in sorted(times.items()):
        p50, p99 = percentile(values, 0.50) * 1e3, percentile(values, 0.99) * 1e3
        print(
            f"  {kind:<16}{len(values):>10}{len(values) / seconds:>10,.0f}{p50:>10.1f}{p99:>10.1f}"
        )
    print(
        "  CPU per request: " + ", ".join(f"{k} {v / total * 1e3:.2f} ms" for k, v in cpu.items())
    )
    p99 = percentile([v for k in READS for v in times[k]], 0.99) * 1e3
    if judged:
        verdict = "met" if p99 < TARGET_P99_MS else "NOT met"
        print(f"  reads p99 {p99:.1f} ms; target p99 < {TARGET_P99_MS:.0f} ms: {verdict}")
    else:
        print(f"  reads p99 {p99:.1f} ms (the target is judged on the closed loop only)")
    if errors:
        print(f"  {len(errors)} errors, first: {errors[0]}")


Load = Callable[[list[Client], Times, list[str]], Coroutine[Any, Any, None]]
"""A way of driving the clients for the run's time (closed or open loop)."""


async def measure(
    title: str, port: int, token: str, args: argparse.Namespace, server_pid: int, load: Load
) -> None:
    """Open the clients, warm up for a second, then run `load` and report it."""
    clients = [Client("127.0.0.1", port, token) for _ in range(args.clients)]
    await closed_loop(clients, 1.0, defaultdict(list), [])
    times: Times = defaultdict(list)
    errors: list[str] = []
    server_before, own_before = cpu_seconds(server_pid), time.process_time()
    await load(clients, times, errors)
    server_after, own = cpu_seconds(server_pid), time.process_time() - own_before
    for client in clients:
        client.close()
    cpu = {"load generator": own}
    if server_before is not None and server_after is not None:
        user, system = (
            after - before for after, before in zip(server_after, server_before, strict=True)
        )
        cpu = {"server user": user, "server system": system, **cpu}
    report(title, args.seconds, times, errors, cpu, judged=load.__name__ == "closed")


def run(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run on uvloop when it is installed (it is with jointfund on Linux and macOS)."""
    try:
        import uvloop
    except ImportError:
        asyncio.run(coroutine)
    else:
        uvloop.run(coroutine)


def serve(url: str, port: int, workers: int, folder: Path) -> subprocess.Popen[bytes]:
    """Start `jointfund serve` on `url` and wait until it answers."""
    cli = shutil.which("jointfund", path=str(Path(sys.executable).parent)) or "jointfund"
    # Several workers share one session key (serve refuses them without it).
    env = os.environ | {
        "JOINTFUND_RUNS_DIR": str(folder / "runs"),
        "JOINTFUND_SESSION_SECRET": "benchmark-only session key",
    }
    command = [cli, "serve", "--db", url, "--port", str(port), "--workers", str(workers)]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while True:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return server
        if time.monotonic() > deadline or server.poll() is not None:
            server.kill()
            raise SystemExit("the server did not start")
        time.sleep(0.1)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> int:
    """Build the demo fund, start the server, drive it, stop it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rate", type=float, default=0.0, help="also run open loop at this rate")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'bench.db'}"
        db = open_database(url)
        token = build_demo(db).logins[0].token
        db.dispose()
        port = free_port()
        server = serve(url, port, args.workers, folder)
        pid = server.pid
        try:
            print(f"jointfund serve --workers {args.workers}, SQLite, {args.clients} clients")

            def closed(c: list[Client], t: Times, e: list[str]) -> Coroutine[Any, Any, None]:
                return closed_loop(c, args.seconds, t, e)

            def opened(c: list[Client], t: Times, e: list[str]) -> Coroutine[Any, Any, None]:
                return open_loop(c, args.rate, args.seconds, t, e)

            run(measure(f"closed loop, {args.clients} clients", port, token, args, pid, closed))
            if args.rate > 0:
                title = f"open loop at {args.rate:,.0f} requests/s offered (not the target figure)"
                run(measure(title, port, token, args, pid, opened))
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
