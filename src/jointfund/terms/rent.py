"""Rent periods and deadlines per resource, from the Tax Code of Ukraine (Art. 257).

Rent for subsoil use is declared by quarter for most minerals and by month for oil, natural
gas and condensate (Art. 257.1). The declaration is due 40 days after a quarter (20 days after
a month: the same article as reported, [uncertain]) and payment 10 days after the declaration
deadline. A filing whose period is not its resource's, or whose payment is later than the
deadline, breaks a rule; `rent_findings` names which.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from jointfund.terms.catalogue import RevenueStream

SOURCE = (
    "https://sud.ua/uk/news/ukraine/351842-rentnaya-plata-za-polzovanie-nedrami-"
    "kakie-sroki-podachi-deklaratsii-i-uplaty-naloga"
)
TAX_CODE = "https://urist-ua.net/кодекси/податковий_кодекс_україни/стаття_257/"


class RentPeriod(StrEnum):
    """How often rent is declared and paid."""

    MONTH = "month"
    QUARTER = "quarter"


# Resources (catalogue slugs) whose rent is monthly; everything else pays by quarter. Shale gas
# is natural gas; bitumen and oil shale ("other hydrocarbons") are solid and pay by quarter.
MONTHLY_RESOURCES = frozenset({"oil", "natural_gas", "gas_condensate", "shale_gas"})
DECLARATION_DAYS = {RentPeriod.QUARTER: 40, RentPeriod.MONTH: 20}
PAYMENT_DAYS = 10

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True, slots=True)
class PeriodSpan:
    """A filing period as written (YYYY-MM or YYYY-Qn): its kind and last day."""

    label: str
    kind: RentPeriod
    end: date


def period_span(label: str) -> PeriodSpan | None:
    """The kind and last day of a period label, or None when it is neither form."""
    if m := _QUARTER.match(label):
        year, last_month = int(m[1]), int(m[2]) * 3
        day = calendar.monthrange(year, last_month)[1]
        return PeriodSpan(label, RentPeriod.QUARTER, date(year, last_month, day))
    if m := _MONTH.match(label):
        year, month = int(m[1]), int(m[2])
        return PeriodSpan(
            label, RentPeriod.MONTH, date(year, month, calendar.monthrange(year, month)[1])
        )
    return None


def rent_period(resources: Iterable[str]) -> RentPeriod:
    """The period a licence's rent is declared for: monthly when it yields oil, gas or
    condensate, quarterly otherwise."""
    return (
        RentPeriod.MONTH if any(r in MONTHLY_RESOURCES for r in resources) else RentPeriod.QUARTER
    )


def declaration_due(span: PeriodSpan) -> date:
    """The last day to declare rent for the period."""
    return span.end + timedelta(days=DECLARATION_DAYS[span.kind])


def payment_due(span: PeriodSpan) -> date:
    """The last day to pay rent for the period: 10 days after the declaration deadline."""
    return declaration_due(span) + timedelta(days=PAYMENT_DAYS)


@dataclass(frozen=True, slots=True)
class RentFinding:
    """A rule a rent filing breaks, with the article and source it comes from."""

    rule: str  # "rent-period" or "rent-payment-deadline"
    message: str
    source: str = TAX_CODE


def rent_findings(
    resources: Iterable[str], stream: RevenueStream | str, period: str, received_on: date
) -> list[RentFinding]:
    """The Art. 257 rules a rent (royalty) filing breaks; none for other streams."""
    if RevenueStream(stream) is not RevenueStream.ROYALTY:
        return []
    slugs = tuple(resources)
    span = period_span(period)
    expected = rent_period(slugs)
    found: list[RentFinding] = []
    if span is None:
        return [RentFinding("rent-period", f"period {period!r} is neither a month nor a quarter")]
    if span.kind is not expected:
        found.append(
            RentFinding(
                "rent-period",
                f"rent for {', '.join(slugs) or 'this licence'} is declared by {expected.value} "
                f"(Tax Code Art. 257.1), not by {span.kind.value} ({period})",
            )
        )
    due = payment_due(span)
    if received_on > due:
        found.append(
            RentFinding(
                "rent-payment-deadline",
                f"paid {received_on.isoformat()}, {(received_on - due).days} days after the "
                f"{due.isoformat()} deadline ({DECLARATION_DAYS[span.kind]} days to declare, "
                f"{PAYMENT_DAYS} to pay; Tax Code Art. 257)",
                SOURCE,
            )
        )
    return found
