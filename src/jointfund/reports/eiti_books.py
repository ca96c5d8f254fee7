"""An EITI Summary Data workbook from the books' transparency data: one fiscal year's filed
payments summed per company, government entity, revenue stream and project.

Amounts are in the reporting currency of the template (the hryvnia: Ukraine reports its EITI
data in UAH); a payment filed in another currency is converted at the rate the caller gives
for it. Companies are the licence holders, projects the deposits their licences cover.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal

from jointfund.reports.eiti_records import (
    EitiAbout,
    EitiAgency,
    EitiCompany,
    EitiPayment,
    EitiRevenue,
    EitiSummary,
)
from jointfund.reports.transparency import TransparencyRow
from jointfund.terms.catalogue import find_resource

AGENCY_TYPES = {
    "State Tax Service of Ukraine": "Tax authority",
    "State Service of Geology and Subsoil of Ukraine": "Licensing authority",
    "PPP Agency of Ukraine": "Government agency",
}
# The books hold no contact address; the template asks for one, and says so rather than
# inventing one.
NO_EMAIL = "not published"


def sector(resources: Iterable[str]) -> str:
    """The template's sector for a licence's resources, by the catalogue's kinds: Oil & Gas
    for hydrocarbons only, Mining for minerals only, Other for a mix or none known."""
    kinds = set()
    for name in resources:
        found = find_resource(name)
        kinds.add(found.kind.value if found is not None else "unknown")
    if kinds == {"hydrocarbon"}:
        return "Oil & Gas"
    return "Mining" if kinds == {"mineral"} else "Other"


def eiti_summary(
    rows: Iterable[TransparencyRow],
    fiscal_year: int,
    *,
    usd_rate: Decimal,
    rate_source: str,
    in_reporting: Callable[[TransparencyRow], int],
    reporting_currency: str = "UAH",
    organisation: str = "jointfund",
    email: str = NO_EMAIL,
) -> EitiSummary:
    """The summary of one fiscal year's rows; `in_reporting` gives a row's amount in minor
    units of the reporting currency."""
    revenues: dict[tuple[str, str, str, str], int] = defaultdict(int)
    payments: dict[tuple[str, str, str, str, bool], int] = defaultdict(int)
    companies: dict[str, EitiCompany] = {}
    agencies: dict[str, EitiAgency] = {}
    for r in rows:
        if r.fiscal_year != fiscal_year:
            continue
        value = in_reporting(r)
        kind = sector(r.resources)
        agencies.setdefault(
            r.government_entity,
            EitiAgency(r.government_entity, AGENCY_TYPES.get(r.government_entity, "Other"), ""),
        )
        have = companies.get(r.company)
        commodities = tuple(sorted({*(have.commodities if have else ()), *r.resources}))
        companies[r.company] = EitiCompany(
            r.company, "Private company", r.company_registry_id, kind, commodities
        )
        revenues[(r.gfs_code, r.stream_name, r.government_entity, kind)] += value
        in_kind = r.payment_form == "in-kind"
        payments[(r.company, r.government_entity, r.stream_name, r.project, in_kind)] += value
    about = EitiAbout(
        country="Ukraine",
        iso3="UKR",
        start=date(fiscal_year, 1, 1),
        end=date(fiscal_year, 12, 31),
        reporting_currency=reporting_currency,
        usd_rate=usd_rate,
        rate_source=rate_source,
        submitter="Fund administrator",
        organisation=organisation,
        email=email,
    )
    return EitiSummary(
        about=about,
        agencies=tuple(agencies[k] for k in sorted(agencies)),
        companies=tuple(companies[k] for k in sorted(companies)),
        revenues=tuple(
            EitiRevenue(code, name, agency, kind, amount)
            for (code, name, agency, kind), amount in sorted(revenues.items())
        ),
        payments=tuple(
            EitiPayment(company, agency, stream, amount, in_kind=in_kind, project=project)
            for (company, agency, stream, project, in_kind), amount in sorted(payments.items())
        ),
    )
