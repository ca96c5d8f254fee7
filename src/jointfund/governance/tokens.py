"""API tokens: random secrets shown once, kept only as a SHA-256 hash, revocable, expiring.

SHA-256 rather than argon2: a token is 256 random bits from `secrets`, not a human password,
so brute force is hopeless without key stretching, and an unsalted digest can be looked up
through a unique index in one query instead of verifying every stored token in turn.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from jointfund.errors import AuthenticationError
from jointfund.i18n.message import Message

TOKEN_PREFIX = "jf_"  # noqa: S105 -- a visible marker, not a secret
_TOKEN_BYTES = 32


@dataclass(frozen=True, slots=True)
class ApiToken:
    """A stored token: whose it is, its hash, and when it stops working."""

    id: int
    user_id: int
    token_hash: str
    label: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A token just created: `secret` is shown to its owner once and never stored."""

    id: int
    user_id: int
    secret: str
    expires_at: datetime | None


def new_secret() -> str:
    """A fresh random token string."""
    return TOKEN_PREFIX + secrets.token_urlsafe(_TOKEN_BYTES)


def token_hash(secret: str) -> str:
    """The hex SHA-256 of a token, the only form in which it is stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def check_usable(token: ApiToken | None, now: datetime) -> ApiToken:
    """Return `token` if it exists, is not revoked and has not expired; refuse otherwise."""
    if token is None:
        raise AuthenticationError(Message("unknown API token"))
    if token.revoked_at is not None:
        raise AuthenticationError(Message("API token {token} was revoked", token=token.id))
    if token.expires_at is not None and token.expires_at <= now:
        raise AuthenticationError(
            Message(
                "API token {token} expired at {expires_at}",
                token=token.id,
                expires_at=str(token.expires_at),
            )
        )
    return token
