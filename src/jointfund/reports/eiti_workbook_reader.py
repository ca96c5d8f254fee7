"""An EITI Summary Data workbook (as `eiti_workbook` writes it) read back into its records.

Every problem is located: the file, the sheet row, and "<sheet>: <column>". Totals the
workbook states (Part 3's "Total reported", Part 4's and Part 5's "Total in <currency>" and
"Total in USD", Part 1's counts) must agree with the rows, so a hand-edited figure is caught.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from jointfund.errors import InputError, Problem
from jointfund.i18n.message import Message
from jointfund.money import is_currency
from jointfund.reports.eiti_records import (
    GFS_LABELS,
    SECTORS,
    EitiAbout,
    EitiAgency,
    EitiCompany,
    EitiPayment,
    EitiRevenue,
    EitiSummary,
)
from jointfund.reports.eiti_sheet_cells import Cell, Rows, SheetCells, blank, padded, restore
from jointfund.reports.eiti_workbook import (
    ABOUT,
    ABOUT_LABELS,
    AGENCIES_TITLE,
    AGENCY_COLUMNS,
    COMPANIES_TITLE,
    COMPANY_COLUMNS,
    ENTITIES,
    PAYMENT_COLUMNS,
    PAYMENTS,
    REVENUE_COLUMNS,
    REVENUES,
    TOTAL_LABEL,
    usd,
)
from jointfund.reports.eiti_workbook_checks import major
from jointfund.reports.eiti_workbook_sheets import sheet_rows

_GFS_CELL = re.compile(r"(?P<label>.+) \((?P<code>[0-9]+E[0-9]*)\)")
_YES_NO = {"Yes": True, "No": False}


def read_eiti_workbook(path: Path, *, name: str | None = None) -> EitiSummary:
    """Read a summary data workbook; on any problem raise one InputError listing them all."""
    label = name or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        said = Message("cannot read file: {reason}", reason=exc.strerror)
        raise InputError([Problem(said, file=label)]) from exc
    sheets = sheet_rows(data, label)
    reader = _Reader(label)
    about = reader.about(sheets[ABOUT])
    agencies, agency_totals, companies, company_totals = reader.entities(sheets[ENTITIES])
    currency = about.reporting_currency if about else "UAH"
    revenues, revenue_totals = reader.table(sheets[REVENUES], REVENUES, currency)
    payments, payment_totals = reader.table(sheets[PAYMENTS], PAYMENTS, currency)
    if reader.problems or about is None:
        raise InputError(reader.problems)
    summary = EitiSummary(
        about,
        tuple(agencies),
        tuple(companies),
        tuple(r for r in revenues if isinstance(r, EitiRevenue)),
        tuple(p for p in payments if isinstance(p, EitiPayment)),
    )
    reader.check_totals(summary, agency_totals, company_totals, revenue_totals, payment_totals)
    if reader.problems:
        raise InputError(reader.problems)
    return summary


class _Reader(SheetCells):
    """The template's parts read into records, every problem recorded with its place."""

    def __init__(self, label: str) -> None:
        super().__init__(label)
        self.counts: dict[str, tuple[int, Cell]] = {}

    # --- Part 1 ------------------------------------------------------------------------

    def about(self, rows: Rows) -> EitiAbout | None:
        values: dict[str, tuple[int, Cell]] = {}
        for number, cells in rows:
            key = restore(cells[0]) if cells else None
            if isinstance(key, str) and key in ABOUT_LABELS:
                values[key] = (number, cells[1] if len(cells) > 1 else None)
        missing = [k for k in ABOUT_LABELS if k not in values]
        for key in missing:
            self.problem(ABOUT, None, key, Message("missing row"), ", ".join(ABOUT_LABELS))
        if missing:
            return None
        before = len(self.problems)

        def text(key: str) -> str:
            return self.text(ABOUT, values[key][0], key, values[key][1]) or ""

        currency = text("Reporting currency (ISO-4217)")
        if currency and not is_currency(currency):
            self.problem(
                ABOUT,
                values["Reporting currency (ISO-4217)"][0],
                "Reporting currency (ISO-4217)",
                Message("unknown currency {currency!r}", currency=currency),
                "ISO 4217",
            )
        about = EitiAbout(
            country=text("Country or area name"),
            iso3=text("ISO Alpha-3 Code"),
            start=self.day(ABOUT, *values["Start Date"], "Start Date") or date.min,
            end=self.day(ABOUT, *values["End Date"], "End Date") or date.min,
            reporting_currency=currency,
            usd_rate=self.number(
                ABOUT, *values["Exchange rate used: 1 USD ="], "Exchange rate used: 1 USD ="
            )
            or Decimal(1),
            rate_source=text("Source of the exchange rate used"),
            submitter=text("Name of person who has completed this template"),
            organisation=text("Organisation"),
            email=text("Email address"),
        )
        self.counts = {
            key: values[key]
            for key in ("Number of reporting government entities", "Number of reporting companies")
        }
        return about if len(self.problems) == before else None

    # --- Part 3 ------------------------------------------------------------------------

    def entities(
        self, rows: Rows
    ) -> tuple[
        list[EitiAgency],
        dict[str, tuple[int, Cell]],
        list[EitiCompany],
        dict[str, tuple[int, Cell]],
    ]:
        agencies: list[EitiAgency] = []
        companies: list[EitiCompany] = []
        agency_totals: dict[str, tuple[int, Cell]] = {}
        company_totals: dict[str, tuple[int, Cell]] = {}
        for number, cells in self.block(rows, ENTITIES, AGENCIES_TITLE, AGENCY_COLUMNS):
            name = self.text(ENTITIES, number, AGENCY_COLUMNS[0], cells[0])
            kind = self.text(ENTITIES, number, AGENCY_COLUMNS[1], cells[1])
            registry = self.text(ENTITIES, number, AGENCY_COLUMNS[2], cells[2], required=False)
            if name is not None and kind is not None and registry is not None:
                agencies.append(EitiAgency(name, kind, registry))
                agency_totals[name] = (number, cells[3])
        for number, cells in self.block(rows, ENTITIES, COMPANIES_TITLE, COMPANY_COLUMNS):
            name = self.text(ENTITIES, number, COMPANY_COLUMNS[0], cells[0])
            kind = self.text(ENTITIES, number, COMPANY_COLUMNS[1], cells[1])
            registry = self.text(ENTITIES, number, COMPANY_COLUMNS[2], cells[2], required=False)
            sector = self.choice(ENTITIES, number, COMPANY_COLUMNS[3], cells[3], SECTORS)
            goods = self.text(ENTITIES, number, COMPANY_COLUMNS[4], cells[4], required=False)
            if None in (name, kind, registry, sector, goods):
                continue
            assert name is not None and kind is not None and registry is not None
            assert sector is not None and goods is not None
            commodities = tuple(g.strip() for g in goods.split(",") if g.strip())
            companies.append(EitiCompany(name, kind, registry, sector, commodities))
            company_totals[name] = (number, cells[5])
        return agencies, agency_totals, companies, company_totals

    def block(self, rows: Rows, sheet: str, title: str, columns: Sequence[str]) -> Rows:
        """The rows under a titled table of Part 3, down to the first blank row."""
        for n, (_, cells) in enumerate(rows):
            if cells and restore(cells[0]) == title:
                if n + 1 >= len(rows) or not self.header(sheet, rows[n + 1], columns):
                    return []
                found: Rows = []
                previous = rows[n + 1][0]
                for later, later_cells in rows[n + 2 :]:
                    if later != previous + 1:
                        break  # a blank row ends the table
                    found.append((later, padded(later_cells, len(columns))))
                    previous = later
                return found
        self.problem(sheet, None, None, Message("no {title!r} table", title=title), title)
        return []

    def header(self, sheet: str, row: tuple[int, list[Cell]], columns: Sequence[str]) -> bool:
        number, cells = row
        names = [restore(c) for c in cells[: len(columns)]]
        if names != list(columns):
            said = Message("not the template's header row")
            self.problem(sheet, number, None, said, ", ".join(columns))
            return False
        return True

    # --- Parts 4 and 5 -----------------------------------------------------------------

    def table(
        self, rows: Rows, sheet: str, currency: str
    ) -> tuple[list[EitiRevenue | EitiPayment], dict[str, tuple[int, Cell]]]:
        columns = REVENUE_COLUMNS if sheet == REVENUES else PAYMENT_COLUMNS
        start = next(
            (
                n
                for n, (_, c) in enumerate(rows)
                if [restore(x) for x in c[: len(columns)]] == list(columns)
            ),
            None,
        )
        if start is None:
            self.problem(sheet, None, None, Message("no header row"), ", ".join(columns))
            return [], {}
        records: list[EitiRevenue | EitiPayment] = []
        totals: dict[str, tuple[int, Cell]] = {}
        value_at = columns.index("Revenue value")
        for number, raw in rows[start + 1 :]:
            cells = padded(raw, len(columns))
            label = restore(cells[value_at - 1])
            if (
                isinstance(label, str)
                and label.startswith("Total in ")
                and all(blank(c) for c in cells[: value_at - 1])
            ):
                totals[label] = (number, cells[value_at])
                continue
            record = (
                self.revenue(number, cells, currency)
                if sheet == REVENUES
                else self.payment(number, cells, currency)
            )
            if record is not None:
                records.append(record)
        return records, totals

    def revenue(self, number: int, cells: list[Cell], currency: str) -> EitiRevenue | None:
        col = dict(zip(REVENUE_COLUMNS, cells, strict=True))
        before = len(self.problems)
        gfs = self.text(REVENUES, number, "GFS Classification", col["GFS Classification"])
        code = None
        if gfs is not None:
            match = _GFS_CELL.fullmatch(gfs)
            if match is None or GFS_LABELS.get(match["code"]) != match["label"]:
                self.problem(
                    REVENUES,
                    number,
                    "GFS Classification",
                    Message("not a GFS classification: {value!r}", value=gfs),
                    Message("e.g. {example}", example="Royalties (1415E1)"),
                )
            else:
                code = match["code"]
        stream = self.text(REVENUES, number, "Revenue stream name", col["Revenue stream name"])
        agency = self.text(REVENUES, number, "Government entity", col["Government entity"])
        sector = self.choice(REVENUES, number, "Sector", col["Sector"], SECTORS)
        self.same_currency(REVENUES, number, "Currency", col["Currency"], currency)
        amount = self.minor(REVENUES, number, "Revenue value", col["Revenue value"], currency)
        if len(self.problems) > before or None in (code, stream, agency, sector, amount):
            return None
        assert code is not None and stream is not None and agency is not None
        assert sector is not None and amount is not None
        return EitiRevenue(code, stream, agency, sector, amount)

    def payment(self, number: int, cells: list[Cell], currency: str) -> EitiPayment | None:
        col = dict(zip(PAYMENT_COLUMNS, cells, strict=True))
        before = len(self.problems)
        company = self.text(PAYMENTS, number, "Company", col["Company"])
        agency = self.text(PAYMENTS, number, "Government entity", col["Government entity"])
        stream = self.text(PAYMENTS, number, "Revenue stream name", col["Revenue stream name"])
        project = self.text(PAYMENTS, number, "Project name", col["Project name"], required=False)
        self.same_currency(
            PAYMENTS, number, "Reporting currency", col["Reporting currency"], currency
        )
        amount = self.minor(PAYMENTS, number, "Revenue value", col["Revenue value"], currency)
        in_kind = self.choice(
            PAYMENTS,
            number,
            "Payment made in-kind (Y/N)",
            col["Payment made in-kind (Y/N)"],
            tuple(_YES_NO),
        )
        comment = self.text(PAYMENTS, number, "Comments", col["Comments"], required=False)
        if len(self.problems) > before or None in (
            company,
            agency,
            stream,
            project,
            amount,
            in_kind,
            comment,
        ):
            return None
        assert company is not None and agency is not None and stream is not None
        assert project is not None and amount is not None and in_kind is not None
        assert comment is not None
        return EitiPayment(company, agency, stream, amount, _YES_NO[in_kind], project, comment)

    # --- totals ------------------------------------------------------------------------

    def check_totals(
        self,
        summary: EitiSummary,
        agency_totals: dict[str, tuple[int, Cell]],
        company_totals: dict[str, tuple[int, Cell]],
        revenue_totals: dict[str, tuple[int, Cell]],
        payment_totals: dict[str, tuple[int, Cell]],
    ) -> None:
        currency = summary.about.reporting_currency
        counts = {
            "Number of reporting government entities": len(summary.agencies),
            "Number of reporting companies": len(summary.companies),
        }
        for key, (number, value) in self.counts.items():
            if value != counts[key]:
                self.problem(
                    ABOUT,
                    number,
                    key,
                    Message(
                        "says {value!r}, the Part 3 list has {count}",
                        value=value,
                        count=counts[key],
                    ),
                    str(counts[key]),
                )
        by_agency: dict[str, int] = {}
        for r in summary.revenues:
            by_agency[r.agency] = by_agency.get(r.agency, 0) + r.amount_minor
        by_company: dict[str, int] = {}
        for p in summary.payments:
            by_company[p.company] = by_company.get(p.company, 0) + p.amount_minor
        for name, (number, value) in agency_totals.items():
            self.total(
                ENTITIES, number, "Total reported", value, major(by_agency.get(name, 0), currency)
            )
        for name, (number, value) in company_totals.items():
            self.total(
                ENTITIES, number, "Total reported", value, major(by_company.get(name, 0), currency)
            )
        for sheet, totals, amounts in (
            (REVENUES, revenue_totals, [r.amount_minor for r in summary.revenues]),
            (PAYMENTS, payment_totals, [p.amount_minor for p in summary.payments]),
        ):
            total = sum(amounts)
            expected = {
                TOTAL_LABEL.format(currency=currency): major(total, currency),
                TOTAL_LABEL.format(currency="USD"): usd(total, summary),
            }
            for label, amount in expected.items():
                if label not in totals:
                    said = Message("no {label!r} row", label=label)
                    self.problem(sheet, None, "Revenue value", said, label)
                    continue
                self.total(sheet, totals[label][0], label, totals[label][1], amount)

    def total(self, sheet: str, number: int, column: str, value: Cell, expected: Decimal) -> None:
        stated = self.number(sheet, number, value, column, signed=True)
        if stated is not None and stated != expected:
            self.problem(
                sheet,
                number,
                column,
                Message(
                    "states {stated}, the rows add up to {expected}",
                    stated=stated,
                    expected=expected,
                ),
                str(expected),
            )
