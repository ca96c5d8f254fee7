"""A short-lived in-process memory of bearer tokens that authenticated, so a busy client's
every request does not read its token and user from the database again.

Only successes are kept, for `TOKEN_CACHE_SECONDS`, keyed by the token's SHA-256 (never the
secret). Every use checks the remembered token's own expiry against the request's moment, so
an expired token is refused exactly when it expires. A token revoked, or a user deactivated,
by another process (the CLI, another worker) is refused at the latest `TOKEN_CACHE_SECONDS`
later, when the entry lapses and the database is read again. Unknown, revoked, expired and
deactivated tokens always go to the database (and to the failure throttle).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from jointfund.governance import ApiToken, User

TOKEN_CACHE_SECONDS = 2.0
TOKEN_CACHE_SIZE = 4096


@dataclass(frozen=True, slots=True)
class _Held:
    user: User
    token: ApiToken
    lapses: float


class TokenCache:
    """Authenticated tokens by hash, each remembered for `ttl` seconds of `clock`."""

    def __init__(
        self,
        ttl: float = TOKEN_CACHE_SECONDS,
        size: int = TOKEN_CACHE_SIZE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.size = size
        self._clock = clock
        self._held: dict[str, _Held] = {}

    def get(self, digest: str, now: datetime) -> User | None:
        """The user of a remembered, unexpired token with this hash; None means ask the database."""
        held = self._held.get(digest)
        if held is None:
            return None
        expires = held.token.expires_at
        if held.lapses <= self._clock() or (expires is not None and expires <= now):
            del self._held[digest]
            return None
        return held.user

    def put(self, digest: str, user: User, token: ApiToken) -> None:
        """Remember a token that just authenticated (the oldest entry leaves when full)."""
        if self.ttl <= 0:
            return
        if digest not in self._held and len(self._held) >= self.size:
            del self._held[next(iter(self._held))]
        self._held[digest] = _Held(user, token, self._clock() + self.ttl)

    def clear(self) -> None:
        """Forget every token (the next request of each reads the database)."""
        self._held.clear()

    def __len__(self) -> int:
        return len(self._held)
