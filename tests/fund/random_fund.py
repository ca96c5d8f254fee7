"""Funds built by a sequence of real operations on random days, for the identity and
consistency tests: contributions in USD and UAH, FX rates with gaps, investments,
disbursements, marks, proceeds and distributions (under the framework, which has no lock)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from jointfund.errors import JointfundError
from jointfund.fund import contributions, investments
from jointfund.fund.rates import import_fx_rates
from jointfund.store import Database

from .fund_board import Board

START = date(2025, 6, 1)
LATER = datetime(2027, 1, 2, 12, tzinfo=UTC)
KINDS = ("usd", "usd", "uah", "invest", "disburse", "mark", "proceeds", "distribute")


@dataclass(frozen=True)
class Op:
    """One operation on a random day."""

    kind: str
    day: int
    partner: str
    amount: int


def seeded_ops(seed: int, n: int = 14) -> list[Op]:
    """A reproducible sequence of operations."""
    pick = random.Random(seed)
    return [
        Op(
            pick.choice(KINDS),
            pick.randint(0, 560),
            pick.choice(["US", "UA"]),
            pick.randint(1, 5_000_000),
        )
        for _ in range(n)
    ]


def write_rates(
    db: Database, board: Board, folder: Path, days: list[int], rates: list[Decimal]
) -> None:
    """Store USD/UAH rates on the given days only (the gaps are the point)."""
    if not days:
        return
    path = folder / "fx.csv"
    lines = ["date,base,quote,rate"]
    for d, r in sorted(zip(days, rates, strict=False)):
        lines.append(f"{(START + timedelta(days=d)).isoformat()},USD,UAH,{r}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_fx_rates(db, board.admin, path, now=LATER)


def apply_ops(db: Database, board: Board, sequence: list[Op]) -> list[tuple[date, str, int]]:
    """Apply each operation in date order; one a rule of the books refuses writes nothing and
    is skipped. Returns the contributions booked (day, partner, USD minor units)."""
    admin = board.admin
    paid_in: list[tuple[date, str, int]] = []
    made = 0
    for n, op in enumerate(sorted(sequence, key=lambda o: o.day)):
        on = START + timedelta(days=op.day)
        try:
            if op.kind in ("usd", "uah"):
                ccy = "USD" if op.kind == "usd" else "UAH"
                row, _ = contributions.record_cash(
                    db,
                    admin,
                    partner=op.partner,
                    amount_minor=op.amount * 100,
                    currency=ccy,
                    value_date=on,
                    reference=f"r{n}",
                    usd_rate=None if ccy == "USD" else Decimal(1) / Decimal("41.5"),
                    now=LATER,
                )
                assert row.usd_amount is not None
                paid_in.append((on, op.partner, row.usd_amount))
            elif op.kind == "invest":
                made += 1
                board.decide(
                    "investment",
                    {
                        "investment_id": f"inv{made}",
                        "name": f"Investment {made}",
                        "amount": f"{op.amount}.00",
                        "on": on.isoformat(),
                    },
                )
            elif op.kind == "disburse" and made:
                investments.disburse(
                    db,
                    admin,
                    f"inv{made}",
                    amount_minor=op.amount * 10,
                    on=on,
                    reference=f"w{n}",
                    now=LATER,
                )
            elif op.kind == "mark" and made:
                board.decide(
                    "valuation_mark",
                    {
                        "investment_id": f"inv{made}",
                        "fair_value": f"{op.amount // 7}.00",
                        "on": on.isoformat(),
                    },
                )
            elif op.kind == "proceeds" and made:
                investments.record_proceeds(
                    db,
                    admin,
                    f"inv{made}",
                    amount_minor=op.amount * 3,
                    on=on,
                    reference=f"p{n}",
                    now=LATER,
                )
            elif op.kind == "distribute":
                board.decide(
                    "distribution", {"amount": f"{op.amount // 50}.00", "on": on.isoformat()}
                )
        except JointfundError:
            continue  # refused by a rule of the books: nothing was written
    return paid_in
