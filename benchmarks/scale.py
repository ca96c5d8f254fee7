"""Ten years of a national registry: how every page, read, report and check grows with the books.

Builds two funds on each backend: the example fund (`build_demo`) and the same fund grown
through the bulk paths by a registry's history (licences, daily FX, filings, ledger entries,
proposals; sizes below). Then serves each with `jointfund serve` and times every page and API
read over HTTP, and, in process through the same use cases the CLI calls, every report
(transparency CSV/XLSX/JSON, quarterly statement HTML/PDF, reconciliation), `verify` (full, and
against the newest checkpoint when the books have one), backup and restore. Prints p50/p95 per
operation for both funds and the ratio grown/example, so growth is visible, and the peak memory
of a transparency export run as the command a user runs.

The defaults run in a few minutes on two cores; the full target of the issue is

    .venv/bin/python benchmarks/scale.py --licences 20000 --filings 10000000 --entries 1000000 \
        --proposals 200

PostgreSQL books live in databases named jf_scale_* that are dropped afterwards.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

from jointfund.fund import books as fund_books
from jointfund.fund import documents, statement_documents
from jointfund.fund.backup import backup, restore
from jointfund.fund.demo import build_demo
from jointfund.fund.filings import import_filings
from jointfund.fund.licences import import_licences
from jointfund.fund.proposals import propose
from jointfund.fund.rates import import_fx_rates
from jointfund.fund.users import authenticate
from jointfund.governance import User
from jointfund.intake import filings as filing_columns
from jointfund.intake.treasury_licence_file import TREASURY_COLUMNS, read_treasury
from jointfund.ledger import Account, Entry, Posting
from jointfund.reports.periods import parse_period
from jointfund.store import Database, open_database
from jointfund.store.books import Books

PG_URL = os.environ.get(
    "JOINTFUND_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
RESOURCES = ["titanium", "lithium", "graphite", "natural gas", "uranium", "manganese", "iron ore"]
OBLASTS = ["Kirovohrad", "Zhytomyr", "Dnipropetrovsk", "Poltava", "Kharkiv", "Lviv"]
STREAMS = ["royalty", "royalty", "royalty", "permit_fee", "auction_proceeds"]
FIRST_DAY, LAST_DEMO_FX = date(2016, 11, 1), date(2024, 10, 31)
MONTHS = 120  # ten years of periods, 2016-11 .. 2026-10
CHUNK = 250_000  # filings per imported file (each one transaction, like a monthly upload)
BENCH_ACCOUNTS = (
    Account("Assets:Bench:Clearing", "USD", date(2016, 1, 1)),
    Account("Assets:Bench:Suspense", "USD", date(2016, 1, 1)),
)

PAGES = (
    "/",
    "/transparency",
    "/transparency?year=2026",
    "/filings",
    "/filings?year=2026",
    "/filings?year=2026&licence=UA-SC-000007",
    "/licences",
    "/ledger",
    "/ledger/entries/1",
    "/statements?partner=US&quarter=2026Q3",
    "/terms",
    "/proposals",
    "/proposals/1",
    "/forecast",
    "/calendar",
    "/calendar?rent=off",
    "/contributions/transfers",
    "/contributions/in-kind",
    "/treasury",
    "/governance",
    "/audit",
    "/ledger/trial-balance",
    "/ledger/balance-sheet",
    "/ledger/accounts/Assets:Bench:Clearing",
    "/ledger/verify",
)
READS = (
    "/api/filings?limit=100",
    "/api/filings?year=2026&limit=100",
    "/api/transparency?year=2026",
    "/api/transparency",
    "/api/ledger/journal?limit=50",
    "/api/ledger/balances",
    "/api/ledger/balances?as_of=2026-06-30",
    "/api/ledger/entries/1",
    "/api/metrics",
    "/api/capital",
    "/api/licences",
    "/api/contributions",
    "/api/proposals",
    "/api/statements/US/2026Q3",
    "/api/terms",
    "/api/me",
    "/api/calendar",
    "/api/calendar?rent=false",
    "/api/contributions/transfers",
    "/api/contributions/in-kind",
    "/api/treasury",
    "/api/treasury/reconciliation",
    "/api/auctions",
    "/api/governance/committees",
    "/api/audit",
    "/api/proposals/1",
    "/api/ledger/trial-balance",
    "/api/ledger/balance-sheet",
    "/api/ledger/accounts/Assets:Bench:Clearing/history",
    "/api/ledger/entries/1/filings",
    "/api/forecast/scenarios",
    "/api/forecast/scenarios/base/provenance",
    "/api/forecast/runs",
)


@dataclass
class Timings:
    """Seconds per run of each operation, in the order they were measured."""

    runs: dict[str, list[float]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, seconds: float) -> None:
        self.runs.setdefault(name, []).append(seconds)


def pct(values: list[float], q: float) -> float:
    """The `q` quantile of `values` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# --- the books --------------------------------------------------------------------------------


@contextmanager
def database(backend: str, folder: Path, name: str) -> Iterator[str]:
    """A fresh, empty database URL: a SQLite file, or a PostgreSQL database jf_scale_*."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / (name + '.db')}"
        return
    dbname = f"jf_scale_{name}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{dbname}"'))
    try:
        yield PG_URL.rsplit("/", 1)[0] + "/" + dbname
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)'))
        admin.dispose()


def write_registry(folder: Path, licences: int) -> tuple[Path, Path]:
    """A licence register of `licences` and daily USD/UAH rates for the years before the demo's."""
    rng = random.Random(19)
    lic_path, fx_path = folder / "registry-licences.csv", folder / "registry-fx.csv"
    with lic_path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(
            [
                "licence_id",
                "holder",
                "holder_registry_id",
                "deposit",
                "resources",
                "oblast",
                "instrument",
                "issued_on",
                "status",
            ]
        )
        for i in range(licences):
            issued = date(2026, 1, 1) + timedelta(days=i % 200) if i % 3 else date(2012, 1, 1)
            out.writerow(
                [
                    f"UA-SC-{i:06d}",
                    f"Registry holder {i}",
                    f"{50000000 + i:08d}",
                    f"Deposit {i}",
                    RESOURCES[i % len(RESOURCES)],
                    OBLASTS[i % len(OBLASTS)],
                    "special_permit",
                    issued.isoformat(),
                    "active",
                ]
            )
    with fx_path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["date", "base", "quote", "rate"])
        day, rate = FIRST_DAY, 26.0
        while day <= LAST_DEMO_FX:
            # A walk of at most 1 % a day between 26 and 41: the import refuses 20 % jumps.
            rate = min(41.0, max(26.0, rate * (1 + 0.01 * (2 * rng.random() - 1))))
            out.writerow([day.isoformat(), "USD", "UAH", f"{rate:.4f}"])
            day += timedelta(days=1)
    return lic_path, fx_path


def write_filings(path: Path, start: int, rows: int, licences: int) -> None:
    """`rows` filings numbered from `start`, spread over ten years of months and the licences."""
    rng = random.Random(start)
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(list(filing_columns.COLUMNS))
        for n in range(start, start + rows):
            month = (n // licences) % MONTHS  # every licence files once a month, in order
            year, m = 2016 + (10 + month) // 12, (10 + month) % 12 + 1
            due_year, due_month = (year + 1, 1) if m == 12 else (year, m + 1)
            cents = rng.randint(10_000, 50_000_000)
            out.writerow(
                [
                    f"UA-SC-{n % licences:06d}",
                    f"{year}-{m:02d}",
                    STREAMS[n % len(STREAMS)],
                    f"{cents // 100}.{cents % 100:02d}",
                    "UAH",
                    f"REG{n:09d}",
                    1,
                    f"{cents // 400}.00",
                    date(due_year, due_month, 1 + n % 28).isoformat(),
                ]
            )


def ledger_entries(start: int, n: int) -> list[Entry]:
    """`n` USD transfers between the two benchmark accounts over ten years (NAV unchanged)."""
    clearing, suspense = (a.name for a in BENCH_ACCOUNTS)
    return [
        Entry(
            key=f"scale-{i}",
            effective_date=FIRST_DAY + timedelta(days=i % 3600),
            kind="transfer",
            postings=(
                Posting(clearing, 100 + i % 9973, "USD"),
                Posting(suspense, -(100 + i % 9973), "USD"),
            ),
            memo="scale benchmark",
        )
        for i in range(start, start + n)
    ]


def grow(db: Database, admin: User, folder: Path, args: argparse.Namespace) -> dict[str, float]:
    """Add a registry's history to the example fund through the bulk paths; rates per step."""
    rates: dict[str, float] = {}
    lic, fx = write_registry(folder, args.licences)
    started = time.perf_counter()
    import_licences(db, admin, lic)
    import_fx_rates(db, admin, fx)
    rates["licences + FX s"] = time.perf_counter() - started
    written = imported = 0.0
    for start in range(0, args.filings, CHUNK):
        path = folder / "registry-filings.csv"
        t0 = time.perf_counter()
        write_filings(path, start, min(CHUNK, args.filings - start), args.licences)
        t1 = time.perf_counter()
        import_filings(db, admin, path)
        written, imported = written + t1 - t0, imported + time.perf_counter() - t1
        path.unlink()
    rates["filings rows/s"] = args.filings / imported if imported else 0.0
    books = Books(db)
    for account in BENCH_ACCOUNTS:
        books.open_account(account)
    started = time.perf_counter()
    for start in range(0, args.entries, 10_000):
        books.post_many(ledger_entries(start, min(10_000, args.entries - start)))
    rates["entries/s"] = args.entries / (time.perf_counter() - started) if args.entries else 0.0
    for i in range(args.proposals):
        payload = {
            "investment_id": f"scale-{i}",
            "name": f"Registry investment {i}",
            "amount": "1000000.00",
            "currency": "USD",
            "on": "2026-12-01",
        }
        propose(db, admin, "investment", payload)
    return rates


# --- timing -----------------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(url: str, folder: Path) -> Iterator[str]:
    """`jointfund serve --workers 1` on `url`: the base address while it runs."""
    cli = shutil.which("jointfund", path=str(Path(sys.executable).parent)) or "jointfund"
    port = free_port()
    env = os.environ | {"JOINTFUND_RUNS_DIR": str(folder / "runs")}
    command = [cli, "serve", "--db", url, "--port", str(port), "--workers", "1"]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    try:
        while True:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=60)


def time_http(base: str, token: str, repeat: int, timings: Timings) -> None:
    """Every page (signed in as the administrator) and every API read, `repeat` times each."""
    with httpx.Client(base_url=base, timeout=600) as client:
        form = client.get("/signin", params={"format": "json"}).json()
        answer = client.post(
            "/signin",
            data={"csrf_token": form["csrf_token"], "name": "administrator", "token": token},
        )
        assert answer.status_code in (200, 303), answer.text[:300]
        for path in PAGES:
            for _ in range(repeat):
                t0 = time.perf_counter()
                got = client.get(path)
                timings.add(f"page {path}", time.perf_counter() - t0)
                if got.status_code != 200:
                    timings.notes[f"page {path}"] = f"HTTP {got.status_code}"
        client.cookies.clear()
        for path in ("/api/transparency?year=2026", "/api/transparency"):
            tag = client.get(path).headers.get("etag", "")
            for _ in range(repeat):
                t0 = time.perf_counter()
                got = client.get(path, headers={"If-None-Match": tag})
                timings.add(f"api {path} (If-None-Match)", time.perf_counter() - t0)
                if got.status_code != 304:
                    timings.notes[f"api {path} (If-None-Match)"] = f"HTTP {got.status_code}"
        headers = {"Authorization": f"Bearer {token}"}
        for path in READS:
            for _ in range(repeat):
                t0 = time.perf_counter()
                got = client.get(path, headers=headers)
                timings.add(f"api {path}", time.perf_counter() - t0)
                if got.status_code != 200:
                    timings.notes[f"api {path}"] = f"HTTP {got.status_code}"


class Sink(io.RawIOBase):
    """A binary file that keeps nothing (a streamed export's bytes are counted, not stored)."""

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        return len(data)


def treasury_file(db: Database, admin: User, folder: Path) -> Path:
    """Treasury receipts matching the 2026 transparency rows (every tenth one left out)."""
    report = documents.transparency(db, admin, year=2026, fmt="csv")
    rows = list(csv.DictReader(report.content.decode().splitlines()))
    path = folder / "treasury.csv"
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(TREASURY_COLUMNS)
        for i, row in enumerate(rows):
            if i % 10 == 0:
                continue
            named = row | {"stream": row["revenue_stream"], "amount": row["amount"]}
            named["treasury_reference"] = f"T-{i}"
            out.writerow([named.get(c, "") for c in TREASURY_COLUMNS])
    return path


def timed(timings: Timings, name: str, repeat: int, call: Callable[[], Any]) -> None:
    """Run `call` `repeat` times, recording each; a refusal is noted, not fatal."""
    for _ in range(repeat):
        t0 = time.perf_counter()
        try:
            call()
        except Exception as exc:  # a report that fails is a finding of the benchmark
            timings.notes[name] = f"failed: {type(exc).__name__}: {str(exc)[:120]}"
            return
        timings.add(name, time.perf_counter() - t0)


XLSX_MOST = 1_000_000
"""Above this many filings the workbook is not timed (tens of minutes)."""


def time_in_process(url: str, admin: User, folder: Path, repeat: int, timings: Timings) -> None:
    """Reports, verify, backup and restore through the use cases the CLI calls."""
    db = open_database(url)
    try:
        with db.read() as conn:
            filed = int(conn.execute(text("SELECT count(*) FROM filings")).scalar_one())
        for fmt in ("csv", "json", "xlsx"):
            name = f"report transparency {fmt} (streamed)"
            if fmt == "xlsx" and filed > XLSX_MOST:
                timings.notes[name] = (
                    f"not timed above {XLSX_MOST:,} filings: about 4,000 rows/s "
                    "(openpyxl; 7 Dec, 200,092 rows), minutes per million"
                )
                continue
            done: list[Any] = []
            timed(
                timings,
                name,
                1 if fmt == "xlsx" else repeat,  # the workbook is minutes at scale: once
                lambda fmt=fmt, done=done: done.append(
                    documents.transparency_streamed(db, admin, Sink(), year=None, fmt=fmt)
                ),
            )
            if done:
                rows = int(done[-1].summary.split()[0])
                best = min(timings.runs[name])
                timings.notes[name] = f"{rows:,} rows, {rows / best:,.0f} rows/s"
        for fmt in ("html", "pdf"):
            timed(
                timings,
                f"report statement 2026Q3 {fmt}",
                repeat,
                lambda fmt=fmt: statement_documents.statement(
                    db, admin, parse_period("2026Q3"), fmt=fmt
                ),
            )
        try:
            receipts = read_treasury(treasury_file(db, admin, folder))
        except Exception as exc:
            timings.notes["report reconciliation 2026"] = f"no treasury file: {exc}"[:160]
        else:
            timed(
                timings,
                "report reconciliation 2026",
                repeat,
                lambda: documents.reconciliation(
                    db, admin, receipts, year=2026, amount_tolerance=0, fx_tolerance=0, fmt="csv"
                ),
            )
        timed(timings, "verify (full)", 1, lambda: fund_books.verify(db, admin))
        kept = fund_books.checkpoints(db, admin)
        if kept:
            last = kept[-1]
            timed(
                timings, "verify (newest checkpoint)", 1, lambda: fund_books.verify(db, admin, last)
            )
        else:
            timings.notes["verify (newest checkpoint)"] = "the books hold no close"
        out = folder / f"backup-{uuid.uuid4().hex[:6]}"
        timed(timings, "backup", 1, lambda: backup(db, admin, out))
    finally:
        db.dispose()
    if not out.exists():
        return
    if url.startswith("sqlite"):
        target = f"sqlite:///{folder / ('restored-' + out.name + '.db')}"
        timed(timings, "restore (with verify)", 1, lambda: restore(out, target))
    else:
        with database("postgresql", folder, "restore") as target:
            timed(timings, "restore (with verify)", 1, lambda: restore(out, target))
    out.unlink()


PEAK_OF = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)
"""Runs a command and prints its peak RSS in KiB (its own process's children are only it)."""


def export_memory(url: str, token: str, folder: Path) -> tuple[int, float, float]:
    """(rows, seconds, peak RSS MiB) of `jointfund report transparency --format csv` run as
    the command a user runs, from process start to exit."""
    cli = shutil.which("jointfund", path=str(Path(sys.executable).parent)) or "jointfund"
    out = folder / "transparency.csv"
    command = [cli, "report", "transparency", "--format", "csv", "--out", str(out)]
    env = os.environ | {"JOINTFUND_TOKEN": token, "JOINTFUND_DATABASE_URL": url}
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PEAK_OF, *command], env=env, check=True, capture_output=True
    )
    seconds = time.perf_counter() - t0
    rows = sum(1 for _ in out.open(encoding="utf-8")) - 1
    out.unlink()
    return rows, seconds, int(done.stdout.split()[-1]) / 1024


def measure(url: str, token: str, folder: Path, repeat: int) -> Timings:
    """Time everything on the books at `url`."""
    timings = Timings()
    db = open_database(url)
    admin = authenticate(db, token)
    db.dispose()
    with served(url, folder) as base:
        time_http(base, token, repeat, timings)
    time_in_process(url, admin, folder, max(1, repeat // 2), timings)
    return timings


def print_table(title: str, small: Timings, big: Timings) -> None:
    """p50/p95 per operation for both funds and the ratio of the p50s."""
    print(f"  {title}")
    print(f"    {'operation':<44}{'example p50':>12}{'grown p50':>11}{'grown p95':>11}{'ratio':>8}")
    for name in dict.fromkeys([*small.runs, *big.runs, *small.notes, *big.notes]):
        a, b = small.runs.get(name), big.runs.get(name)
        cells = [
            f"{pct(a, 0.5) * 1e3:>10.1f}ms" if a else f"{'-':>12}",
            f"{pct(b, 0.5) * 1e3:>9.1f}ms" if b else f"{'-':>11}",
            f"{pct(b, 0.95) * 1e3:>9.1f}ms" if b else f"{'-':>11}",
            f"{pct(b, 0.5) / pct(a, 0.5):>7.1f}x" if a and b else f"{'-':>8}",
        ]
        note = big.notes.get(name) or small.notes.get(name) or ""
        print(f"    {name[:44]:<44}{''.join(cells)}  {note}")


def run_backend(backend: str, args: argparse.Namespace) -> None:
    """Build both funds on `backend`, time them, print the comparison."""
    with tempfile.TemporaryDirectory(prefix="jf-scale-") as tmp:
        folder = Path(tmp)
        with (
            database(backend, folder, "example") as small_url,
            database(backend, folder, "grown") as big_url,
        ):
            db = open_database(small_url)
            small_token = build_demo(db).logins[0].token
            for account in BENCH_ACCOUNTS:  # empty here, so an account's page exists in both
                Books(db).open_account(account)
            db.dispose()
            db = open_database(big_url)
            big_token = build_demo(db).logins[0].token
            admin = authenticate(db, big_token)
            t0 = time.perf_counter()
            rates = grow(db, admin, folder, args)
            built = time.perf_counter() - t0
            with db.read() as conn:
                counts = {
                    t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                    for t in ("licences", "filings", "entries", "postings", "fx_rates", "proposals")
                }
            db.dispose()
            print(
                f"{backend}: grown books built in {built:.0f} s ("
                + ", ".join(f"{k} {v:,.0f}" for k, v in rates.items())
                + ")"
            )
            print("  rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
            small = measure(small_url, small_token, folder, args.repeat)
            big = measure(big_url, big_token, folder, args.repeat)
            print_table(f"{backend}: example fund against grown books", small, big)
            for name, url, token in (
                ("example", small_url, small_token),
                ("grown", big_url, big_token),
            ):
                rows, seconds, peak = export_memory(url, token, folder)
                print(
                    f"    `jointfund report transparency --format csv`, {name} fund: {rows:,} rows "
                    f"in {seconds:.1f} s from process start, peak RSS {peak:,.0f} MiB"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--licences", type=int, default=1_000)
    parser.add_argument("--filings", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=10_000, help="extra ledger entries")
    parser.add_argument("--proposals", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each page and read")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    print(
        f"scale: {args.licences:,} licences, {args.filings:,} filings, {args.entries:,} extra "
        f"entries, {args.proposals} proposals; {os.cpu_count()} cores, load average "
        + ", ".join(f"{x:.2f}" for x in os.getloadavg())
        + f", {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )
    for backend in ("sqlite", "postgresql") if args.backend == "both" else (args.backend,):
        run_backend(backend, args)
    print("  load average at the end: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
