"""Sign-in throttling: too many failed credentials from one client or for one name lock it out.

Each key (a client address, a user name) keeps the failed attempts of a sliding window. Only
distinct credentials count: a client retrying the same wrong token learns nothing new, while
guessing needs new ones. Once `limit` distinct failures sit in the window the key is locked:
every attempt, even a correct one, is refused with the seconds until enough failures have
aged out of the window (so the lock decays on its own). A success clears nothing, so the
real user signing in cannot lift a lock an attacker earned against that user's name.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections.abc import Callable

from jointfund.errors import ThrottledError
from jointfund.i18n.message import Message

DEFAULT_WINDOW_S = 15 * 60.0
_MAX_KEYS = 100_000


class FailureThrottle:
    """Failed attempts per key in a sliding window; thread-safe, held in memory per process."""

    def __init__(
        self,
        limit: int = 5,
        window_s: float = DEFAULT_WINDOW_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if limit < 1 or window_s <= 0:
            raise ValueError("a throttle needs limit >= 1 and a positive window")
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, dict[str, float]] = {}

    def _live(self, key: str, now: float) -> dict[str, float]:
        found = self._failures.get(key)
        if found is None:
            return {}
        for attempt, at in list(found.items()):
            if now - at >= self.window_s:
                del found[attempt]
        if not found:
            del self._failures[key]
        return found

    def retry_after(self, key: str) -> int | None:
        """Whole seconds until `key` may try again, or None when it may try now."""
        with self._lock:
            now = self._clock()
            times = sorted(self._live(key, now).values())
            if len(times) < self.limit:
                return None
            # The lock lifts once all but limit - 1 of the failures have left the window.
            freed_at = times[len(times) - self.limit] + self.window_s
            return max(1, math.ceil(freed_at - now))

    def check(self, key: str, what: str) -> None:
        """Raise ThrottledError while `key` is locked; `what` names it in the message."""
        wait = self.retry_after(key)
        if wait is not None:
            raise ThrottledError(
                Message(
                    "too many failed sign-ins for {what}; try again in {wait} s",
                    what=what,
                    wait=wait,
                ),
                wait,
            )

    def record_failure(self, key: str, attempt: str) -> None:
        """Count a failed `attempt` (a credential, stored only as a digest) against `key`."""
        digest = hashlib.sha256(attempt.encode("utf-8")).hexdigest()
        with self._lock:
            now = self._clock()
            if len(self._failures) >= _MAX_KEYS:
                for stale in list(self._failures):
                    self._live(stale, now)
            failures = self._live(key, now)
            if len(failures) >= self.limit and digest not in failures:
                return
            failures[digest] = now
            self._failures[key] = failures
