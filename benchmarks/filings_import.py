"""End-to-end import of monthly revenue filings into SQLite: parse, validate, decide, book.

Prints rows/s for the whole import and, measured in the same run, for reading and validating the
file alone (the import can never beat its own reader), and the ratio between them; also the
import's CPU time per row and the load average, since other work on the machine skews wall time.
Then the same file once more through the command a user runs, `jointfund filings import`, on a
pseudo-terminal so its progress bar is drawn, timed from process start to exit.
"""

from __future__ import annotations

import argparse
import csv
import os
import pty
import random
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

from jointfund.fund.filings import import_filings
from jointfund.fund.licences import import_licences
from jointfund.fund.rates import import_fx_rates
from jointfund.fund.setup import set_up_fund
from jointfund.fund.users import authenticate, bootstrap_admin
from jointfund.intake import filings as filing_columns
from jointfund.intake import licences as licence_columns
from jointfund.intake.filings import read_filings
from jointfund.store import open_database
from jointfund.store.books import Books

RESOURCES = ["titanium", "lithium", "graphite", "natural gas", "uranium", "manganese", "iron ore"]
STREAMS = ["royalty", "royalty", "royalty", "permit_fee", "auction_proceeds"]


def write_inputs(folder: Path, rows: int, licences: int) -> tuple[Path, Path, Path]:
    """A licence register, a year of daily FX rates and `rows` filings spread over 24 months."""
    rng = random.Random(7)
    lic_path, fx_path, filings_path = (
        folder / "licences.csv",
        folder / "fx.csv",
        folder / "filings.csv",
    )
    with lic_path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(list(licence_columns.REQUIRED))
        for i in range(licences):
            issued = date(2025, 6, 1) + timedelta(days=i % 300) if i % 3 else date(2012, 1, 1)
            out.writerow(
                [
                    f"L{i:05d}",
                    f"Holder {i}",
                    f"{40000000 + i:08d}",
                    f"Deposit {i}",
                    RESOURCES[i % len(RESOURCES)],
                    "Kirovohrad",
                    "special_permit",
                    issued.isoformat(),
                    "active",
                ]
            )
    with fx_path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["date", "base", "quote", "rate"])
        day = date(2025, 6, 1)
        while day <= date(2026, 11, 30):
            out.writerow([day.isoformat(), "USD", "UAH", f"{41 + rng.random():.4f}"])
            day += timedelta(days=1)
    with filings_path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(list(filing_columns.COLUMNS))
        for n in range(rows):
            # Jun 2025 to Oct 2026: after entry into force, each paid by a day already past.
            month = 6 + (n % 17)
            year, month = 2025 + (month - 1) // 12, (month - 1) % 12 + 1
            due_year, due_month = (year + 1, 1) if month == 12 else (year, month + 1)
            cents = rng.randint(10_000, 50_000_000)
            out.writerow(
                [
                    f"L{n % licences:05d}",
                    f"{year}-{month:02d}",
                    STREAMS[n % len(STREAMS)],
                    f"{cents // 100}.{cents % 100:02d}",
                    "UAH",
                    f"P{n:08d}",
                    1,
                    f"{cents // 400}.00",
                    date(due_year, due_month, 1 + n % 28).isoformat(),
                ]
            )
    return lic_path, fx_path, filings_path


def fresh_fund(url: str, lic: Path, fx: Path) -> str:
    """A fund under the agreement with the licence register and FX rates, and no filings;
    returns its first administrator's token."""
    db = open_database(url)
    try:
        set_up_fund(db, "ua-us-2025-04-30-agreement")
        admin, issued = bootstrap_admin(db, "benchmark")
        import_licences(db, admin, lic)
        import_fx_rates(db, admin, fx, confirm_jumps=True)
        return issued.secret
    finally:
        db.dispose()


def cli_import(url: str, filings: Path, token: str) -> tuple[float, str]:
    """(wall seconds, summary line) of `jointfund filings import` with its progress bar drawn."""
    command = [str(Path(sys.executable).with_name("jointfund")), "filings", "import", str(filings)]
    screen, terminal = pty.openpty()  # stderr is a terminal, so the progress bar is drawn
    drawn: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                chunk = os.read(screen, 65536)
            except OSError:
                return
            if not chunk:
                return
            drawn.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    started = time.perf_counter()
    done = subprocess.run(
        command,
        env={
            **os.environ,
            "JOINTFUND_DATABASE_URL": url,
            "JOINTFUND_TOKEN": token,
            "COLUMNS": "100",
        },
        stdout=subprocess.PIPE,
        stderr=terminal,
        text=True,
        check=True,
    )
    elapsed = time.perf_counter() - started
    os.close(terminal)
    reader.join(timeout=5)
    os.close(screen)
    assert b"rows" in b"".join(drawn), "the progress bar was not drawn"
    return elapsed, done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--licences", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        lic, fx, filings = write_inputs(folder, args.rows, args.licences)
        started = time.perf_counter()
        read = read_filings(filings)
        read_rate = len(read.items) / (time.perf_counter() - started)
        del read
        token = fresh_fund(str(folder / "fund.db"), lic, fx)
        db = open_database(str(folder / "fund.db"))
        admin = authenticate(db, token)
        started, cpu = time.perf_counter(), time.process_time()
        done = import_filings(db, admin, filings)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        rate = done.filings / elapsed
        started = time.perf_counter()
        again = import_filings(db, admin, filings)
        replay = time.perf_counter() - started
        assert again.unchanged == done.filings and again.entries == 0
        assert Books(db).verify().ok
        db.dispose()
        cli_url = f"sqlite:///{folder / 'cli.db'}"
        cli_token = fresh_fund(cli_url, lic, fx)
        cli_seconds, cli_summary = cli_import(cli_url, filings, cli_token)
    print(f"filings import: {done.filings:,} rows, {args.licences:,} licences, SQLite")
    print(
        f"  end to end (parse, validate, decide, book): {rate:,.0f} rows/s ({elapsed:.1f} s); "
        f"{done.booked:,} booked into {done.entries:,} summary entries, {done.ineligible:,} not eligible"
    )
    print(f"  CPU time of the import: {cpu / done.filings * 1e6:.1f} us/row ({cpu:.1f} s)")
    print(
        f"  reader alone (same file, same run): {read_rate:,.0f} rows/s; import/reader = {rate / read_rate:.2f}x"
    )
    print(f"  re-import of the same file (idempotent no-op): {done.filings / replay:,.0f} rows/s")
    print(
        f"  `jointfund filings import` with its progress bar, process start to exit: "
        f"{done.filings / cli_seconds:,.0f} rows/s ({cli_seconds:.1f} s)"
    )
    print(f"    {cli_summary}")
    print("  load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
