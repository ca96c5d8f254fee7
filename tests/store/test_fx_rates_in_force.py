"""The rates a translation on one day can use, read without the rest of the history: every
conversion on that day gives what the whole table gives, stale and missing included. On SQLite
and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from jointfund.intake.records import FxRecord
from jointfund.money import MissingRateError, RateTable
from jointfund.store import Database
from jointfund.store.fx_rates import insert_fx_rates, rate_table, rates_in_force

START = date(2025, 1, 1)
# USD/UAH daily on weekdays; EUR/USD stored as its opposite, weekly, stopping in March; PLN
# only from June, so earlier days have no rate at all.
RATES = (
    [
        FxRecord(START + timedelta(days=d), "USD", "UAH", Decimal("41.0") + Decimal(d) / 100)
        for d in range(200)
        if (START + timedelta(days=d)).weekday() < 5
    ]
    + [
        FxRecord(START + timedelta(days=d), "USD", "EUR", Decimal("0.92") + Decimal(d) / 10_000)
        for d in range(0, 80, 7)
    ]
    + [FxRecord(date(2025, 6, 2), "PLN", "USD", Decimal("0.26"))]
)


def _said(table: RateTable, currency: str, on: date, age: int) -> object:
    try:
        return table.factor(currency, "USD", on, max_age_days=age)
    except MissingRateError:
        return "missing"


@pytest.mark.parametrize("age", [10, 100_000])
def test_every_conversion_on_the_day_is_what_the_whole_table_gives(db: Database, age: int) -> None:
    with db.write() as tx:
        insert_fx_rates(tx, [(i + 2, r) for i, r in enumerate(RATES)], "rates.csv")
    with db.read() as conn:
        whole = rate_table(conn)
        for on in [
            START - timedelta(days=1),
            *(START + timedelta(days=d) for d in range(0, 220, 3)),
        ]:
            day = rates_in_force(conn, on)
            assert len(day) <= 3, "one rate per stored pair at most"
            for currency in ("UAH", "EUR", "PLN"):
                assert _said(day, currency, on, age) == _said(whole, currency, on, age), (
                    currency,
                    on,
                )
