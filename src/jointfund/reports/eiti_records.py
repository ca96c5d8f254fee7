"""The plain records an EITI Summary Data workbook is written from and read back into.

The EITI's summary data template (the 2019 template, versions 2.x) has these worksheets:
"Part 1 - About" (the country, period, currency and exchange rate), "Part 2 - Disclosure
checklist", "Part 3 - Reporting entities" (lists of reporting government entities,
companies and projects), "Part 4 - Government revenues" (each revenue stream as the
government discloses it, classified by the IMF's GFS codes) and "Part 5 - Company data"
(payments per company, government entity and stream). Sources: the EITI's guidance on the
2019 template (eiti.org, "Collecting and publishing structured extractive sector data"),
the column names of the EITI's consolidated summary data ("Part 1 - About.csv", "Part 3 -
Reporting companies' list.csv", "Part 3 - Reporting government entities list.csv",
"Part 4 - Government revenues.csv", "Part 5 - Company data.csv") and the parsers of public
EITI-data projects that read the workbooks ("GFS Level 1", "Revenue stream name", "Revenue
value", "Total in USD" rows, "Exchange rate used: 1 USD =").

The GFS codes and labels are the template's classification of extractive revenues (IMF
GFSM 2014 codes, "E" marking the extractive sub-categories), as listed in the template's own
revenue sheet and used unchanged in the 2.x summary data ("Royalties (1415E1)").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

# (code, label, parent code) in the template's order; the parent gives the GFS levels.
GFS_CODES: tuple[tuple[str, str, str | None], ...] = (
    ("11E", "Taxes", None),
    ("111E", "Taxes on income, profits and capital gains", "11E"),
    ("1112E1", "Ordinary taxes on income, profits and capital gains", "111E"),
    ("1112E2", "Extraordinary taxes on income, profits and capital gains", "111E"),
    ("112E", "Taxes on payroll and workforce", "11E"),
    ("113E", "Taxes on property", "11E"),
    ("114E", "Taxes on goods and services", "11E"),
    ("1141E", "General taxes on goods and services (VAT, sales tax, turnover tax)", "114E"),
    ("1142E", "Excise taxes", "114E"),
    ("1143E", "Profits of natural resource fiscal monopolies", "114E"),
    ("1145E", "Taxes on use of goods/permission to use goods or perform activities", "114E"),
    ("114521E", "Licence fees", "1145E"),
    ("114522E", "Emission and pollution taxes", "1145E"),
    ("11451E", "Motor vehicle taxes", "1145E"),
    ("115E", "Taxes on international trade and transactions", "11E"),
    ("1151E", "Customs and other import duties", "115E"),
    ("1152E", "Taxes on exports", "115E"),
    ("1153E1", "Profits of natural resource export monopolies", "115E"),
    ("116E", "Other taxes payable by natural resource companies", "11E"),
    ("12E", "Social contributions", None),
    ("1212E", "Social security employer contributions", "12E"),
    ("14E", "Other revenue", None),
    ("141E", "Property income", "14E"),
    ("1412E", "Dividends", "141E"),
    ("1412E1", "From state-owned enterprises", "1412E"),
    ("1412E2", "From government participation (equity)", "1412E"),
    ("1413E", "Withdrawals from income of quasi-corporations", "141E"),
    ("1415E", "Rent", "141E"),
    ("1415E1", "Royalties", "1415E"),
    ("1415E2", "Bonuses", "1415E"),
    # The template prints this row's code as "1415E" (a slip: it sits under Rent and heads
    # 1415E31 and 1415E32); GFSM 2014's place for it is 1415E3.
    ("1415E3", "Production entitlements (in-kind or cash)", "1415E"),
    ("1415E31", "Delivered/paid directly to government", "1415E3"),
    ("1415E32", "Delivered/paid to state-owned enterprise(s)", "1415E3"),
    ("1415E4", "Compulsory transfers to government (infrastructure and other)", "1415E"),
    ("1415E5", "Other rent payments", "1415E"),
    ("142E", "Sales of goods and services", "14E"),
    ("1421E", "Sales of goods and services by government units", "142E"),
    ("1422E", "Administrative fees for government services", "142E"),
    ("143E", "Fines, penalties, and forfeits", "14E"),
    ("144E1", "Voluntary transfers to government (donations)", "14E"),
)
GFS_LABELS = {code: label for code, label, _ in GFS_CODES}
GFS_PARENTS = {code: parent for code, _, parent in GFS_CODES}
# The template's sector list for revenue streams and companies.
SECTORS = ("Oil", "Gas", "Oil & Gas", "Mining", "Other")


def gfs_classification(code: str) -> str:
    """The template's cell text for a GFS code: "Royalties (1415E1)"."""
    return f"{GFS_LABELS[code]} ({code})"


def gfs_levels(code: str) -> tuple[str, ...]:
    """The classification of `code` and each code above it, top level first."""
    chain: list[str] = []
    current: str | None = code
    while current is not None:
        chain.append(gfs_classification(current))
        current = GFS_PARENTS[current]
    return tuple(reversed(chain))


@dataclass(frozen=True, slots=True)
class EitiAbout:
    """Part 1: who reports, for which period, in which currency at which USD rate."""

    country: str
    iso3: str
    start: date
    end: date
    reporting_currency: str
    usd_rate: Decimal  # 1 USD = usd_rate units of the reporting currency
    rate_source: str
    submitter: str
    organisation: str
    email: str


@dataclass(frozen=True, slots=True)
class EitiAgency:
    """Part 3: a reporting government entity."""

    name: str
    agency_type: str
    registry_id: str  # EDRPOU, "" when not applicable


@dataclass(frozen=True, slots=True)
class EitiCompany:
    """Part 3: a reporting company."""

    name: str
    company_type: str
    registry_id: str  # EDRPOU
    sector: str
    commodities: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EitiRevenue:
    """Part 4: one revenue stream as the government discloses it."""

    gfs_code: str
    stream_name: str
    agency: str
    sector: str
    amount_minor: int  # in the reporting currency


@dataclass(frozen=True, slots=True)
class EitiPayment:
    """Part 5: what one company paid one government entity under one stream."""

    company: str
    agency: str
    stream_name: str
    amount_minor: int  # in the reporting currency
    in_kind: bool = False
    project: str = ""  # the project it was levied on, "" when not by project
    comment: str = ""


@dataclass(frozen=True, slots=True)
class EitiSummary:
    """One fiscal year's summary data, as written to and read from the workbook."""

    about: EitiAbout
    agencies: tuple[EitiAgency, ...]
    companies: tuple[EitiCompany, ...]
    revenues: tuple[EitiRevenue, ...]
    payments: tuple[EitiPayment, ...]
