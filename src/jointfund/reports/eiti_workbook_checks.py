"""What an EITI summary must hold before it becomes a workbook: located problems for the texts,
names, choices and amounts the template cannot carry."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import fields
from decimal import Decimal
from typing import Literal

from jointfund.errors import InputError, Problem
from jointfund.i18n.message import Message
from jointfund.money import exponent, is_currency
from jointfund.reports.eiti_records import (
    GFS_LABELS,
    SECTORS,
    EitiSummary,
)

MAX_DIGITS = 15

# Characters an XLSX cell cannot hold (the XML 1.0 controls); openpyxl refuses them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def major(minor: int, currency: str) -> Decimal:
    """Minor units as a Decimal amount in major units (exact)."""
    return Decimal(minor).scaleb(-exponent(currency))


def check_summary(summary: EitiSummary) -> None:
    """Refuse records the template cannot hold, naming each (record kind, position, field)."""
    problems: list[Problem] = []
    about = summary.about
    currency = about.reporting_currency
    if not is_currency(currency):
        said = Message("unknown currency {currency!r}", currency=currency)
        problems.append(Problem(said, field="about.reporting_currency"))
        raise InputError(problems)
    if not about.usd_rate.is_finite() or about.usd_rate <= 0:
        said = Message("the USD rate must be positive")
        problems.append(Problem(said, field="about.usd_rate"))
    if about.end < about.start:
        said = Message("the period ends before it starts")
        problems.append(Problem(said, field="about.end"))
    agencies = [a.name for a in summary.agencies]
    companies = [c.name for c in summary.companies]
    problems += _unique(agencies, "agencies")
    problems += _unique(companies, "companies")
    for n, company in enumerate(summary.companies):
        if company.sector not in SECTORS:
            problems.append(_not_one_of(f"companies[{n}].sector", company.sector, SECTORS))
    for n, revenue in enumerate(summary.revenues):
        where = f"revenues[{n}]"
        if revenue.gfs_code not in GFS_LABELS:
            problems.append(
                Problem(
                    Message("unknown GFS code {code!r}", code=revenue.gfs_code),
                    field=f"{where}.gfs_code",
                )
            )
        if revenue.sector not in SECTORS:
            problems.append(_not_one_of(f"{where}.sector", revenue.sector, SECTORS))
        if revenue.agency not in agencies:
            problems.append(_unknown("agency", revenue.agency, f"{where}.agency"))
        problems += _amount(revenue.amount_minor, currency, f"{where}.amount_minor")
    for n, payment in enumerate(summary.payments):
        where = f"payments[{n}]"
        if payment.company not in companies:
            problems.append(_unknown("company", payment.company, f"{where}.company"))
        if payment.agency not in agencies:
            problems.append(_unknown("agency", payment.agency, f"{where}.agency"))
        problems += _amount(payment.amount_minor, currency, f"{where}.amount_minor")
    problems += _texts(summary)
    if problems:
        raise InputError(problems)


def _texts(summary: EitiSummary) -> list[Problem]:
    """Text a workbook cannot hold (control characters) would not read back as written."""
    records: list[tuple[str, object]] = [("about", summary.about)]
    for kind in ("agencies", "companies", "revenues", "payments"):
        records += [(f"{kind}[{n}]", r) for n, r in enumerate(getattr(summary, kind))]
    problems: list[Problem] = []
    for where, record in records:
        for item in fields(record):  # type: ignore[arg-type]
            value = getattr(record, item.name)
            texts = value if isinstance(value, tuple) else (value,)
            if any(isinstance(t, str) and _CONTROL.search(t) for t in texts):
                problems.append(
                    Problem(
                        Message("control characters"),
                        field=f"{where}.{item.name}",
                        expected=Message("text"),
                    )
                )
    return problems


def _unique(names: Sequence[str], kind: str) -> list[Problem]:
    return [
        Problem(Message("{name!r} is listed twice", name=name), field=f"{kind}[{n}].name")
        for n, name in enumerate(names)
        if name in names[:n]
    ]


def _not_one_of(field: str, value: str, choices: Sequence[str]) -> Problem:
    return Problem(
        Message("not a template value: {value!r}", value=value),
        field=field,
        expected=Message("{choices}", choices=", ".join(choices)),
    )


def _unknown(kind: Literal["agency", "company"], name: str, field: str) -> Problem:
    if kind == "agency":
        said = Message("agency {name!r} is not in the Part 3 list", name=name)
    else:
        said = Message("company {name!r} is not in the Part 3 list", name=name)
    return Problem(said, field=field)


def _amount(minor: int, currency: str, field: str) -> list[Problem]:
    digits = len(str(abs(minor)))
    if digits > MAX_DIGITS:
        return [
            Problem(
                Message(
                    "{amount} has more than {digits} significant digits",
                    amount=major(minor, currency),
                    digits=MAX_DIGITS,
                ),
                field=field,
                expected=Message("an amount a spreadsheet stores exactly"),
            )
        ]
    return []
