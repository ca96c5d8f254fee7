"""Drives the CLI zygote: runs a command, SIGKILLs it at a chosen moment, says if it was writing."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

ZYGOTE = Path(__file__).with_name("cli_zygote.py")
Probe = Callable[[], bool]
Settle = Callable[[], None]


class Zygote:
    """One `cli_zygote.py` process; every command it runs is a forked `jointfund` child."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(ZYGOTE)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        assert self._line() == "ready"

    def _line(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise AssertionError(f"zygote died with {self.proc.wait()}")
        return line.strip()

    def run(
        self,
        argv: list[str],
        kill_after: float | None = None,
        probe: Probe | None = None,
        until: Probe | None = None,
    ) -> tuple[int, bool]:
        """Run `jointfund argv`; kill it `kill_after` s after it starts (or after `until`
        first holds). Returns (exit code, whether `probe` saw it writing at the kill)."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(argv) + "\n")
        self.proc.stdin.flush()
        pid = int(self._line().split()[1])
        mid_write = False
        if kill_after is not None:
            if until is not None:
                deadline = time.monotonic() + 60
                while not until() and time.monotonic() < deadline:
                    time.sleep(0.0002)
            time.sleep(kill_after)
            mid_write = probe() if probe is not None else False
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        word, _, code = self._line().split()
        assert word == "exit"
        return int(code), mid_write

    def close(self) -> None:
        """Close stdin and wait for the zygote to end."""
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=60)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def sqlite_probe(path: Path) -> Probe:
    """True when some connection holds the SQLite write lock right now."""

    def probe() -> bool:
        conn = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            conn.close()

    return probe


def pg_probe(admin_url: str, application: str) -> Probe:
    """True when a backend of `application` has a transaction that has written something."""
    engine = create_engine(admin_url, poolclass=NullPool)

    def probe() -> bool:
        with engine.connect() as conn:
            found = conn.execute(
                text(
                    "SELECT COUNT(*) FROM pg_stat_activity "
                    "WHERE application_name = :a AND backend_xid IS NOT NULL"
                ),
                {"a": application},
            ).scalar()
        return bool(found)

    return probe


def pg_settle(admin_url: str, application: str) -> Settle:
    """Wait until the server has ended every backend of `application` (a killed client's
    backend may still be finishing a COMMIT it had received)."""
    engine = create_engine(admin_url, poolclass=NullPool)

    def settle() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                left = conn.execute(
                    text("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = :a"),
                    {"a": application},
                ).scalar()
            if not left:
                return
            time.sleep(0.005)
        raise AssertionError(f"backends of {application} still alive after 30 s")

    return settle


def console_script() -> str:
    """The installed `jointfund` next to the interpreter running the tests."""
    return str(Path(sys.executable).with_name("jointfund"))


def run_script_killed(argv: list[str], kill_after: float, probe: Probe) -> tuple[int, bool]:
    """Start the real console script, SIGKILL it after `kill_after` s; (exit code, mid_write)."""
    proc = subprocess.Popen(
        [console_script(), *argv], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(kill_after)
    mid = probe()
    proc.kill()
    return proc.wait(timeout=60), mid
