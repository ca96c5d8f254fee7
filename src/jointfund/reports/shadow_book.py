"""The shadow book: an administrator's capital statement diffed line by line against our books.

Money compares in minor units within `money_tolerance`; ownership in percentage points within
`pct_tolerance`. A partner on one side only, a statement line that does not foot (opening +
contributions + income + unrealised change − distributions ≠ closing) and every field beyond
tolerance are listed; nothing else is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from jointfund.reports.administrator_file import MONEY_FIELDS, AdministratorLine
from jointfund.reports.statement import CapitalRow
from jointfund.reports.tables import Table, major

DEFAULT_MONEY_TOLERANCE = 0
DEFAULT_PCT_TOLERANCE = Decimal("0.0001")


@dataclass(frozen=True, slots=True)
class ShadowDifference:
    """One field where the administrator and our books disagree beyond tolerance."""

    partner: str
    field: str
    theirs: str
    ours: str
    difference: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class ShadowCheck:
    """The result of checking one period's statement."""

    period: str
    compared_fields: int
    differences: tuple[ShadowDifference, ...]
    money_tolerance: int
    pct_tolerance: Decimal

    @property
    def agrees(self) -> bool:
        """True when nothing differs beyond tolerance."""
        return not self.differences


def our_fields(row: CapitalRow) -> dict[str, int]:
    """Our capital row in the administrator's field names."""
    return {
        "opening": row.opening,
        "contributions": row.contributions,
        "income": row.income,
        "unrealised_change": row.unrealised,
        "distributions": row.distributions,
        "closing": row.closing,
    }


def shadow_check(
    period: str,
    theirs: Sequence[AdministratorLine],
    ours: Sequence[CapitalRow],
    *,
    currency: str = "USD",
    money_tolerance: int = DEFAULT_MONEY_TOLERANCE,
    pct_tolerance: Decimal = DEFAULT_PCT_TOLERANCE,
) -> ShadowCheck:
    """Diff the administrator's lines for `period` against our capital rows for it."""
    found: list[ShadowDifference] = []
    mine = {r.partner: r for r in ours}
    stated = [t for t in theirs if t.period == period]
    compared = 0
    seen: set[str] = set()
    for line in stated:
        if line.partner in seen:
            found.append(
                ShadowDifference(line.partner, "partner", "duplicate", "", "", f"row {line.row}")
            )
            continue
        seen.add(line.partner)
        values = {name: getattr(line, name) for name in MONEY_FIELDS}
        footed = (
            values["opening"]
            + values["contributions"]
            + values["income"]
            + values["unrealised_change"]
            - values["distributions"]
        )
        if footed != values["closing"]:
            found.append(
                ShadowDifference(
                    line.partner,
                    "closing",
                    str(major(values["closing"], currency)),
                    str(major(footed, currency)),
                    str(major(values["closing"] - footed, currency)),
                    "the administrator's line does not foot",
                )
            )
        row = mine.get(line.partner)
        if row is None:
            found.append(ShadowDifference(line.partner, "partner", "present", "absent", ""))
            continue
        for name, value in our_fields(row).items():
            compared += 1
            if abs(values[name] - value) > money_tolerance:
                found.append(
                    ShadowDifference(
                        line.partner,
                        name,
                        str(major(values[name], currency)),
                        str(major(value, currency)),
                        str(major(values[name] - value, currency)),
                    )
                )
        compared += 1
        our_pct = (
            Decimal(row.share_closing.numerator) / Decimal(row.share_closing.denominator)
        ) * 100
        if abs(line.ownership_pct - our_pct) > pct_tolerance:
            found.append(
                ShadowDifference(
                    line.partner,
                    "ownership_pct",
                    str(line.ownership_pct),
                    f"{our_pct:.6f}",
                    f"{line.ownership_pct - our_pct:.6f}",
                )
            )
    for partner in sorted(set(mine) - seen):
        if any(our_fields(mine[partner]).values()):
            found.append(ShadowDifference(partner, "partner", "absent", "present", ""))
    return ShadowCheck(period, compared, tuple(found), money_tolerance, pct_tolerance)


def shadow_table(check: ShadowCheck) -> Table:
    """The differences as a table."""
    return Table(
        f"shadow {check.period}",
        ("partner", "field", "administrator", "jointfund", "difference", "note"),
        tuple(
            (d.partner, d.field, d.theirs, d.ours, d.difference, d.note) for d in check.differences
        ),
    )
