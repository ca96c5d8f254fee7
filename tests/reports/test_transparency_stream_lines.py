"""The streamed transparency CSV and JSON spell each line from parts they keep; every line must
be what the generic writer spells from the row's cells, whatever the text and amounts."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from jointfund.reports.csv_out import csv_rows, csv_text
from jointfund.reports.tables import Table, major
from jointfund.reports.transparency import (
    ROW_COLUMNS,
    FiledPayment,
    PublicLicence,
    json_row,
    row_cells,
    transparency_row,
)
from jointfund.reports.transparency_csv import payments_csv
from jointfund.reports.transparency_json import json_chunks, payments_json_rows
from jointfund.reports.transparency_parts import major_text

# Text a register or a filing could hold that CSV or a spreadsheet treats specially.
_TEXT = st.text(
    alphabet=st.sampled_from(["a", "Ї", ",", '"', "\n", "\r", "=", "+", "-", "@", " ", "\x07"]),
    max_size=6,
)
_LICENCE = st.builds(
    PublicLicence,
    licence_id=st.sampled_from(["L-1", "L-2", "=L3"]),
    holder=_TEXT,
    holder_registry_id=_TEXT,
    deposit=_TEXT,
    resources=st.lists(_TEXT, max_size=3).map(tuple),
    oblast=_TEXT,
)
_AMOUNT = st.integers(-(10**15), 10**15) | st.sampled_from([0, 1, -1, 99, -100, 100])


@st.composite
def _payments(draw: st.DrawFn) -> tuple[list[FiledPayment], dict[str, PublicLicence]]:
    licences: dict[str, PublicLicence] = {}
    for licence in draw(st.lists(_LICENCE, min_size=1, max_size=3)):
        licences.setdefault(licence.licence_id, licence)
    payments = draw(
        st.lists(
            st.builds(
                FiledPayment,
                licence_id=st.sampled_from(sorted(licences)),
                period=st.sampled_from(["2025-06", "2026-01", "2026-Q1"]),
                stream=st.sampled_from(
                    ["royalty", "permit_fee", "psa_state_share", "signature_bonus"]
                ),
                currency=st.sampled_from(["UAH", "USD", "JPY", "KWD"]),
                gross_minor=_AMOUNT,
                fund_minor=_AMOUNT,
                budget_minor=_AMOUNT,
                reporting_minor=_AMOUNT,
                received_on=st.dates(date(2025, 1, 1), date(2027, 12, 31)),
                eligible=st.booleans(),
            ),
            max_size=12,
        )
    )
    return payments, licences


@settings(max_examples=150, deadline=None)
@given(_payments())
def test_every_streamed_line_is_the_generic_writers_line(
    drawn: tuple[list[FiledPayment], dict[str, PublicLicence]],
) -> None:
    payments, licences = drawn
    cells = [row_cells(transparency_row(p, licences[p.licence_id]), "USD") for p in payments]
    generic = csv_text(Table("payments", ROW_COLUMNS, tuple(cells)))
    assert "".join(payments_csv(payments, licences, "USD")) == generic
    assert generic.endswith(csv_rows(cells))


@settings(max_examples=200, deadline=None)
@given(_AMOUNT, st.sampled_from(["JPY", "USD", "UAH", "KWD"]))
def test_amounts_are_spelled_as_their_exact_decimal(minor: int, currency: str) -> None:
    places = {"JPY": 0, "USD": 2, "UAH": 2, "KWD": 3}[currency]
    assert major_text(minor, places) == str(major(minor, currency))
    assert Decimal(major_text(minor, places)).scaleb(places) == minor


@settings(max_examples=150, deadline=None)
@given(_payments())
def test_every_streamed_json_row_is_the_generic_dump(
    drawn: tuple[list[FiledPayment], dict[str, PublicLicence]],
) -> None:
    payments, licences = drawn
    rows = [json_row(transparency_row(p, licences[p.licence_id]), "USD") for p in payments]
    head, totals = {"standard": "EITI"}, {"by year": []}
    generic = json.dumps({**head, "rows": rows, "totals": totals}, indent=2, ensure_ascii=False)
    spelled = payments_json_rows(payments, licences, "USD")
    assert "".join(json_chunks(head, spelled, totals)) == generic + "\n"
