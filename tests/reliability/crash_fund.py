"""A small fund for fault tests: two licences, six managers with tokens, generated filings,
and the model of what the filings must book, computed from the inputs alone."""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from pathlib import Path

from jointfund.fund.licences import import_licences
from jointfund.fund.setup import set_up_fund
from jointfund.fund.users import add_user, bootstrap_admin, issue_token
from jointfund.governance.roles import Role, User
from jointfund.store import Database
from tests.fund.booking.booking_fixtures import direct_agreement
from tests.operator import operator

SOAK = os.environ.get("JOINTFUND_SOAK") == "1"
AGREEMENT = "ua-us-2025-04-30-agreement"
NEW_LICENCE = "RL-NEW-1"
OLD_LICENCE = "RL-OLD-1"
LICENCES = (
    "licence_id,holder,holder_registry_id,deposit,resources,oblast,instrument,issued_on,"
    "status,is_new,territory\n"
    f"{NEW_LICENCE},Crash Lithium LLC,43100001,Crash lithium site,lithium,Kirovohrad,"
    "special_permit,2025-07-01,active,,controlled\n"
    f"{OLD_LICENCE},Old Graphite LLC,43100002,Old graphite mine,graphite,Kirovohrad,"
    "special_permit,2012-09-07,active,,controlled\n"
)
FILINGS_HEADER = (
    "licence_id,period,stream,gross_amount,currency,payer_reference,version,costs,received_on\n"
)
MANAGERS = tuple((f"{p.lower()}-manager-{i}", p) for p in ("US", "UA") for i in (1, 2, 3))


@dataclass(frozen=True, slots=True)
class Filing:
    """One generated USD royalty filing."""

    licence: str
    month: int
    gross_minor: int
    reference: str
    version: int = 1

    def line(self) -> str:
        """The filing as a CSV line."""
        period = f"2025-{self.month:02d}" if self.month <= 12 else f"2026-{self.month - 12:02d}"
        received = (
            f"2025-{self.month + 1:02d}-15" if self.month < 12 else f"2026-{self.month - 11:02d}-15"
        )
        return (
            f"{self.licence},{period},royalty,{self.gross_minor // 100}.{self.gross_minor % 100:02d},"
            f"USD,{self.reference},{self.version},0.00,{received}\n"
        )

    def fund_minor(self) -> int:
        """What the agreement gives the fund: half of a new licence's gross, nothing of an old."""
        return self.gross_minor // 2 if self.licence == NEW_LICENCE else 0


def generate_filings(rng: random.Random, prefix: str, count: int) -> list[Filing]:
    """`count` filings on either licence, even amounts so halves are exact, months Jun–Dec 2025."""
    return [
        Filing(
            rng.choice((NEW_LICENCE, NEW_LICENCE, OLD_LICENCE)),
            rng.randint(6, 12),
            2 * rng.randint(1, 5_000_000),
            f"{prefix}-{i:05d}",
        )
        for i in range(count)
    ]


def write_filings(path: Path, filings: list[Filing]) -> Path:
    """A filings CSV of exactly these filings."""
    path.write_text(FILINGS_HEADER + "".join(f.line() for f in filings), encoding="utf-8")
    return path


@dataclass(frozen=True, slots=True)
class CrashFund:
    """The fund's administrator (and its token) and its managers' tokens by name."""

    admin: User
    tokens: dict[str, str]
    managers: dict[str, User]
    admin_token: str


def build_crash_fund(db: Database, folder: Path, terms: str = AGREEMENT) -> CrashFund:
    """Set the fund up under `terms`, register the two licences and seat six managers.

    The agreement is taken without its contribution cycle, so every eligible filing books an
    entry (what these tests race and crash); the cycle has tests of its own.
    """
    set_up_fund(db, direct_agreement(folder) if terms == AGREEMENT else terms)
    admin, admin_token = bootstrap_admin(db, "administrator")
    licences = folder / "crash-licences.csv"
    licences.write_text(LICENCES, encoding="utf-8")
    import_licences(db, operator(db), licences)
    tokens: dict[str, str] = {}
    managers: dict[str, User] = {}
    for name, partner in MANAGERS:
        managers[name] = add_user(db, admin, name, Role.BOARD_MANAGER, partner=partner)
        tokens[name] = issue_token(db, admin, name, label="fault test").secret
    return CrashFund(admin, tokens, managers, admin_token.secret)
