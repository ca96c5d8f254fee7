"""The exception tree every layer raises; adapters translate it in one place each.

JointfundError
├── InputError            bad user data: a list of Problems, each naming file/row/field
├── NotFoundError         a named thing (account, entry, licence, proposal) does not exist
├── ConflictError         same idempotency key with other content; a concurrent change
├── LedgerError           a well-formed request the ledger's rules refuse
│   ├── UnbalancedEntryError
│   ├── AccountStateError     closed / unknown account, wrong currency
│   ├── OverdraftError        a "must not go below zero" account would
│   ├── OutOfRangeError       a balance or day total would leave 64-bit minor units
│   └── ClosedPeriodError     the effective date lies in a closed period
├── IntegrityError        verify found the journal, chain or balances inconsistent
├── GovernanceError       approvals missing, lock in force, proposal state
├── AuthenticationError   no usable credentials: missing, unknown, expired, revoked token
│   └── ThrottledError        too many failed credentials; retry after a while
├── PermissionDeniedError a known caller whose role may not do this
└── ConfigError           settings or environment are unusable
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with user input, located as precisely as the input allows."""

    message: str
    file: str | None = None
    row: int | None = None
    field: str | None = None
    expected: str | None = None

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.row, self.field) if p is not None)
        tail = f" (expected {self.expected})" if self.expected else ""
        return f"{where}: {self.message}{tail}" if where else f"{self.message}{tail}"

    def as_dict(self) -> dict[str, str | int | None]:
        """Plain data for `--json` and API bodies."""
        return {
            "file": self.file,
            "row": self.row,
            "field": self.field,
            "message": self.message,
            "expected": self.expected,
        }


class JointfundError(Exception):
    """Root of every error jointfund raises on purpose."""

    code = "error"


class InputError(JointfundError):
    """User data is wrong; carries every problem found, so all are reported at once."""

    code = "invalid_input"

    def __init__(self, problems: Iterable[Problem] | str) -> None:
        self.problems: Sequence[Problem] = (
            (Problem(problems),) if isinstance(problems, str) else tuple(problems)
        )
        first = str(self.problems[0]) if self.problems else "invalid input"
        more = len(self.problems) - 1
        super().__init__(first + (f" (and {more} more problems)" if more > 0 else ""))


class NotFoundError(JointfundError):
    """A named thing does not exist."""

    code = "not_found"


class ConflictError(JointfundError):
    """The request contradicts what is already recorded."""

    code = "conflict"


class LedgerError(JointfundError):
    """A well-formed request that the ledger's rules refuse."""

    code = "ledger_rule"


class UnbalancedEntryError(LedgerError):
    """An entry's postings do not sum to zero in some currency."""

    code = "unbalanced"


class AccountStateError(LedgerError):
    """Posting to an unknown or closed account, or in a currency the account does not hold."""

    code = "account_state"


class OverdraftError(LedgerError):
    """An account flagged "must not go below zero" would go below zero."""

    code = "overdraft"


class OutOfRangeError(LedgerError):
    """A balance or day total would leave the exact range the books store (64-bit minor units).

    `account`, `day` (None for the balance) and `key` name where; an importer turns it into a
    located Problem."""

    code = "out_of_range"

    def __init__(self, message: str, *, account: str, key: str, day: object = None) -> None:
        super().__init__(message)
        self.account = account
        self.key = key
        self.day = day


class ClosedPeriodError(LedgerError):
    """The effective date lies inside a closed period."""

    code = "closed_period"


class IntegrityError(JointfundError):
    """Verification found the journal, its hash chain or the balances inconsistent."""

    code = "integrity"


class GovernanceError(JointfundError):
    """A proposal cannot proceed: approvals missing, lock in force, wrong state."""

    code = "governance"


class AuthenticationError(JointfundError):
    """The request carries no usable credentials: missing, unknown, expired or revoked."""

    code = "unauthenticated"


class ThrottledError(AuthenticationError):
    """Too many failed credentials from one client or for one name; retry after a while."""

    code = "throttled"

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class PermissionDeniedError(JointfundError):
    """The caller's role may not perform this action."""

    code = "permission_denied"


class ConfigError(JointfundError):
    """Settings or environment are unusable."""

    code = "config"
