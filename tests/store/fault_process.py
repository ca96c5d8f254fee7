"""A running `fault_poster` process whose stdout lines the test waits on with a deadline."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

POSTER = Path(__file__).with_name("fault_poster.py")


class PosterProcess:
    """`fault_poster.py` started in its own process, read line by line without blocking forever."""

    def __init__(self, *args: str) -> None:
        self.args = args
        self.proc = subprocess.Popen(
            [sys.executable, str(POSTER), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.lines: list[str] = []
        self.seen_at: dict[str, float] = {}
        self._pending = b""

    def expect(self, wanted: str, timeout: float = 60.0) -> None:
        """Wait until the process prints the line `wanted`; fail with its stderr otherwise."""
        deadline = time.monotonic() + timeout
        while wanted not in self.lines:
            left = deadline - time.monotonic()
            if left <= 0 or not self._read_some(left):
                self.proc.kill()
                _, err = self.proc.communicate(timeout=30)
                raise AssertionError(
                    f"fault_poster {self.args} never printed {wanted!r}; "
                    f"printed {self.lines}; stderr:\n{err.decode(errors='replace')}"
                )

    def send(self, line: str) -> None:
        """Write one line to the process's stdin."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def kill(self) -> int:
        """SIGKILL the process, collect what it printed, and return its exit code."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        return self.finish()

    def finish(self, timeout: float = 120.0) -> int:
        """Wait for the process to end, keeping the rest of its output; its exit code."""
        out, err = self.proc.communicate(timeout=timeout)
        self._take(out)
        self.stderr = err.decode(errors="replace")
        return self.proc.returncode

    def _read_some(self, timeout: float) -> bool:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            return False
        chunk = os.read(fd, 65536)
        if not chunk:
            return False
        self._take(chunk)
        return True

    def _take(self, chunk: bytes) -> None:
        # Arrival time, not print time: good enough to measure phases that last 100 ms or more.
        self._pending += chunk
        *whole, self._pending = self._pending.split(b"\n")
        now = time.monotonic()
        for raw in whole:
            line = raw.decode()
            self.lines.append(line)
            self.seen_at.setdefault(line, now)
