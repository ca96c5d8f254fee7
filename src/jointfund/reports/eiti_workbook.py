"""The EITI Summary Data Template written as a workbook from plain records (see `eiti_records`).

Worksheets, as the 2019 template names them: "Part 1 - About" (label and value rows),
"Part 3 - Reporting entities" (the government entities list, then the companies list),
"Part 4 - Government revenues" and "Part 5 - Company data" (a header row, one row per
revenue or payment, then "Total in <currency>" and "Total in USD" rows). "Part 2 -
Disclosure checklist" (contextual data for Requirements 2-6) is not written: the books hold
none of it. Column names are the template's, as the EITI's consolidated summary data spells
them (including its "comma-seperated").

Amounts are written as numbers in major units of the reporting currency with two decimals;
a spreadsheet stores them as binary doubles, so each must have at most 15 significant
digits to read back exactly (1,000 billion UAH with kopiykas), and larger ones are refused.
Every text cell is neutralised against formula injection (`formula_guard`) and typed as text.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from jointfund.reports.eiti_records import (
    EitiSummary,
    gfs_classification,
    gfs_levels,
)
from jointfund.reports.eiti_sheet_cells import guard
from jointfund.reports.eiti_workbook_checks import (
    check_summary,
    major,
)

ABOUT = "Part 1 - About"
ENTITIES = "Part 3 - Reporting entities"
REVENUES = "Part 4 - Government revenues"
PAYMENTS = "Part 5 - Company data"
SHEETS = (ABOUT, ENTITIES, REVENUES, PAYMENTS)

ABOUT_LABELS = (
    "Country or area name",
    "ISO Alpha-3 Code",
    "Start Date",
    "End Date",
    "Reporting currency (ISO-4217)",
    "Exchange rate used: 1 USD =",
    "Source of the exchange rate used",
    "Number of reporting government entities",
    "Number of reporting companies",
    "Name of person who has completed this template",
    "Organisation",
    "Email address",
)
AGENCIES_TITLE = "Reporting government entities list"
AGENCY_COLUMNS = (
    "Full name of agency",
    "Agency type",
    "ID number (if applicable)",
    "Total reported",
)
COMPANIES_TITLE = "Reporting companies' list"
COMPANY_COLUMNS = (
    "Full company name",
    "Company type",
    "Company ID number",
    "Sector",
    "Commodities (comma-seperated)",
    "Total reported",
)
REVENUE_COLUMNS = (
    "GFS Level 1",
    "GFS Level 2",
    "GFS Level 3",
    "GFS Level 4",
    "GFS Classification",
    "Revenue stream name",
    "Government entity",
    "Sector",
    "Revenue value",
    "Currency",
)
PAYMENT_COLUMNS = (
    "Company",
    "Government entity",
    "Revenue stream name",
    "Levied on project (Y/N)",
    "Reported by project (Y/N)",
    "Project name",
    "Reporting currency",
    "Revenue value",
    "Payment made in-kind (Y/N)",
    "In-kind volume (if applicable)",
    "Unit (if applicable)",
    "Comments",
)
TOTAL_LABEL = "Total in {currency}"
_MONEY_FORMAT = "#,##0.00"
_DATE_FORMAT = "yyyy-mm-dd"
_CENT = Decimal("0.01")

Value = str | int | Decimal | date


def eiti_workbook_bytes(summary: EitiSummary) -> bytes:
    """The summary as XLSX bytes, or an InputError naming every record that cannot be written."""
    check_summary(summary)
    book = Workbook()
    first = book.active
    assert first is not None  # a new workbook always has one sheet
    book.remove(first)
    _about(book.create_sheet(ABOUT), summary)
    _entities(book.create_sheet(ENTITIES), summary)
    _revenues(book.create_sheet(REVENUES), summary)
    _payments(book.create_sheet(PAYMENTS), summary)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_eiti_workbook(summary: EitiSummary, path: Path) -> Path:
    """Write the summary to an .xlsx file and return its path."""
    path.write_bytes(eiti_workbook_bytes(summary))
    return path


def usd(minor: int, summary: EitiSummary) -> Decimal:
    """An amount in the reporting currency converted to USD at Part 1's rate, to the cent."""
    amount = major(minor, summary.about.reporting_currency) / summary.about.usd_rate
    return amount.quantize(_CENT, rounding=ROUND_HALF_EVEN)


# --- sheets --------------------------------------------------------------------------


def _title(sheet: Worksheet, title: str, note: str) -> None:
    _text_row(sheet, 1, [title])
    _text_row(sheet, 2, [note])


def _about(sheet: Worksheet, summary: EitiSummary) -> None:
    about = summary.about
    _title(sheet, ABOUT, "Basic characteristics of the country and the data")
    values: list[Value] = [
        about.country,
        about.iso3,
        about.start,
        about.end,
        about.reporting_currency,
        about.usd_rate,
        about.rate_source,
        len(summary.agencies),
        len(summary.companies),
        about.submitter,
        about.organisation,
        about.email,
    ]
    for n, (label, value) in enumerate(zip(ABOUT_LABELS, values, strict=True), start=4):
        _text_cell(sheet, n, 1, label)
        _cell(sheet, n, 2, value)
    _widths(sheet, (48, 40))


def _entities(sheet: Worksheet, summary: EitiSummary) -> None:
    currency = summary.about.reporting_currency
    by_agency: dict[str, int] = {}
    by_company: dict[str, int] = {}
    for revenue in summary.revenues:
        by_agency[revenue.agency] = by_agency.get(revenue.agency, 0) + revenue.amount_minor
    for payment in summary.payments:
        by_company[payment.company] = by_company.get(payment.company, 0) + payment.amount_minor
    _title(sheet, ENTITIES, "Reporting government entities, companies and projects")
    row = 4
    _text_row(sheet, row, [AGENCIES_TITLE])
    _text_row(sheet, row + 1, AGENCY_COLUMNS)
    row += 2
    for agency in summary.agencies:
        total = major(by_agency.get(agency.name, 0), currency)
        _row(sheet, row, [agency.name, agency.agency_type, agency.registry_id, total])
        row += 1
    row += 1
    _text_row(sheet, row, [COMPANIES_TITLE])
    _text_row(sheet, row + 1, COMPANY_COLUMNS)
    row += 2
    for company in summary.companies:
        total = major(by_company.get(company.name, 0), currency)
        cells: list[Value] = [
            company.name,
            company.company_type,
            company.registry_id,
            company.sector,
            ", ".join(company.commodities),
            total,
        ]
        _row(sheet, row, cells)
        row += 1
    _widths(sheet, (44, 26, 18, 12, 30, 18))


def _revenues(sheet: Worksheet, summary: EitiSummary) -> None:
    currency = summary.about.reporting_currency
    _title(
        sheet, REVENUES, "Government revenues by stream, GFS-classified, as disclosed by government"
    )
    _text_row(sheet, 3, REVENUE_COLUMNS)
    row = 4
    for revenue in summary.revenues:
        levels = list(gfs_levels(revenue.gfs_code)[:4])
        levels += [""] * (4 - len(levels))
        cells: list[Value] = [
            *levels,
            gfs_classification(revenue.gfs_code),
            revenue.stream_name,
            revenue.agency,
            revenue.sector,
            major(revenue.amount_minor, currency),
            currency,
        ]
        _row(sheet, row, cells)
        row += 1
    total = sum(r.amount_minor for r in summary.revenues)
    _totals(sheet, row + 1, REVENUE_COLUMNS.index("Revenue value") + 1, total, summary)
    _widths(sheet, (22, 22, 22, 22, 36, 34, 40, 12, 18, 10))


def _payments(sheet: Worksheet, summary: EitiSummary) -> None:
    currency = summary.about.reporting_currency
    _title(sheet, PAYMENTS, "Payments per company, government entity and revenue stream")
    _text_row(sheet, 3, PAYMENT_COLUMNS)
    row = 4
    for payment in summary.payments:
        by_project = "Yes" if payment.project else "No"
        cells: list[Value] = [
            payment.company,
            payment.agency,
            payment.stream_name,
            by_project,
            by_project,
            payment.project,
            currency,
            major(payment.amount_minor, currency),
            "Yes" if payment.in_kind else "No",
            "",
            "",
            payment.comment,
        ]
        _row(sheet, row, cells)
        row += 1
    total = sum(p.amount_minor for p in summary.payments)
    _totals(sheet, row + 1, PAYMENT_COLUMNS.index("Revenue value") + 1, total, summary)
    _widths(sheet, (40, 40, 34, 10, 10, 24, 10, 18, 10, 12, 10, 30))


def _totals(sheet: Worksheet, row: int, column: int, total: int, summary: EitiSummary) -> None:
    """ "Total in <currency>" and "Total in USD" rows, the label left of the value column."""
    currency = summary.about.reporting_currency
    _text_cell(sheet, row, column - 1, TOTAL_LABEL.format(currency=currency))
    _cell(sheet, row, column, major(total, currency))
    _text_cell(sheet, row + 1, column - 1, TOTAL_LABEL.format(currency="USD"))
    _cell(sheet, row + 1, column, usd(total, summary))


# --- cells ---------------------------------------------------------------------------


def _row(sheet: Worksheet, row: int, values: Iterable[Value]) -> None:
    for column, value in enumerate(values, start=1):
        _cell(sheet, row, column, value)


def _text_row(sheet: Worksheet, row: int, values: Iterable[str]) -> None:
    for column, value in enumerate(values, start=1):
        _text_cell(sheet, row, column, value)


def _cell(sheet: Worksheet, row: int, column: int, value: Value) -> None:
    if isinstance(value, str):
        _text_cell(sheet, row, column, value)
        return
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, Decimal):
        cell.number_format = _MONEY_FORMAT if value.as_tuple().exponent == -2 else "General"
    elif isinstance(value, date):
        cell.number_format = _DATE_FORMAT


def _text_cell(sheet: Worksheet, row: int, column: int, value: str) -> None:
    cell = sheet.cell(row=row, column=column, value=guard(value))
    # Never let openpyxl infer a formula from text, whatever it holds.
    cell.data_type = "s"


def _widths(sheet: Worksheet, widths: Sequence[int]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
