"""Generate the example U.S.-Ukraine fund's input files (illustrative licences, SYNTHETIC filings).

Deterministic (seeded): `python examples/us-ukraine/generate.py` rewrites licences.csv,
filings.csv and fx.csv beside this script. Deposits, holders and statuses follow
../shared/domain/deposits.yaml (controlled deposits only); licence ids, issue dates, holder
registry ids and every amount are invented for illustration and are not real data.
"""

from __future__ import annotations

import csv
import random
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

from jointfund.fund.demo import build_demo
from jointfund.fund.transfers import cycle_report
from jointfund.governance import User
from jointfund.intake import filings as filing_columns
from jointfund.intake import licences as licence_columns
from jointfund.money import format_amount
from jointfund.store import Database, open_database
from jointfund.store.users import get_user

HERE = Path(__file__).parent
SEED = 20250430
FIRST_PERIOD = (2024, 11)
MONTHS = 24


@dataclass(frozen=True)
class Licence:
    """An illustrative licence over a real deposit, with a synthetic monthly royalty profile."""

    licence_id: str
    holder: str
    deposit: str
    resources: str
    oblast: str
    instrument: str
    issued_on: date
    royalty_uah_m: float  # monthly gross royalty at full output, UAH millions (synthetic)
    producing_from: tuple[int, int] | None  # first producing period, None if not producing
    one_off: tuple[str, tuple[int, int], str, str] | None = None  # stream, period, amount, ccy
    is_new: str = ""


LICENCES = [
    Licence(
        "UA-PSA-2026-0001",
        "Dobra Lithium Holdings JV LLC",
        "Dobra lithium site",
        "lithium",
        "Kirovohrad",
        "psa",
        # ILLUSTRATIVE: the tender winner was named on 12 Jan 2026 and the PSA was still being
        # drafted at the end of January (rights disputed in court); a signature in July 2026 is
        # assumed. The bonus is the forecast's $5 m (deposits.yaml), unpublished.
        date(2026, 7, 15),
        0,
        None,
        ("signature_bonus", (2026, 7), "5000000.00", "USD"),
    ),
    Licence(
        "UA-SP-2017-0415",
        "UkrLithiumMining LLC",
        "Polokhivske lithium deposit",
        "lithium;tantalum",
        "Kirovohrad",
        "special_permit",
        date(2017, 6, 1),
        0,
        None,
    ),
    Licence(
        "UA-SP-2019-6345",
        "Pobuzhzhia Development LLC",
        "Balakhivske graphite deposit (South block)",
        "graphite",
        "Kirovohrad",
        "special_permit",
        date(2019, 3, 4),
        0,
        None,
    ),
    Licence(
        "UA-SP-2012-0907",
        "Zavallia Graphite Plant",
        "Zavallia graphite mine",
        "graphite",
        "Kirovohrad",
        "special_permit",
        date(2012, 9, 7),
        4.0,
        (2024, 11),
    ),
    Licence(
        "UA-SP-2025-1102",
        "BGV Zirconium LLC",
        "Yastrubetske zirconium-REE-fluorite deposit",
        "zirconium;rare earths;fluorite",
        "Zhytomyr",
        "special_permit",
        # The south-west part is already licensed to BGV (deposits.yaml): an old permit, no fee
        # to the fund. The date is illustrative.
        date(2016, 12, 20),
        0,
        None,
    ),
    Licence(
        "UA-SP-2023-0310",
        "BGV Beryllium LLC",
        "Perzhanske beryllium deposit",
        "beryllium;zinc",
        "Zhytomyr",
        "special_permit",
        date(2023, 3, 10),
        0,
        None,
    ),
    Licence(
        "UA-SP-2008-0121",
        "United Mining and Chemical Company",
        "Irshanske titanium placer",
        "titanium (ilmenite)",
        "Zhytomyr",
        "special_permit",
        date(2008, 1, 21),
        18.0,
        (2024, 11),
    ),
    Licence(
        "UA-SP-2006-0455",
        "United Mining and Chemical Company",
        "Vilnohirsk titanium-zirconium placer",
        "titanium;zirconium",
        "Dnipropetrovsk",
        "special_permit",
        date(2006, 4, 5),
        26.0,
        (2024, 11),
    ),
    Licence(
        "UA-SP-2015-0777",
        "Velta LLC",
        "Byrzulivske titanium deposit",
        "titanium (ilmenite)",
        "Kirovohrad",
        "special_permit",
        date(2015, 7, 7),
        9.0,
        (2024, 11),
    ),
    Licence(
        "UA-SP-2025-0711",
        "Velta LLC",
        "Likarivske titanium deposit",
        "titanium (ilmenite)",
        "Kirovohrad",
        "special_permit",
        # Both Velta permits pre-date the agreement (deposits.yaml): not new. Date illustrative.
        date(2014, 6, 10),
        7.5,
        (2026, 2),
    ),
    Licence(
        "UA-SP-2021-0518",
        "Mezhyrichenskyi GOK",
        "Selyshchanska titanium area",
        "titanium",
        "Zhytomyr",
        "special_permit",
        date(2021, 5, 18),
        0,
        None,
    ),
    Licence(
        "UA-SP-2026-0402",
        "Krapivinske Resources LLC",
        "Krapivinske apatite-ilmenite deposit",
        "titanium;apatite",
        "Zhytomyr",
        "special_permit",
        date(2026, 4, 2),
        0,
        None,
        ("auction_proceeds", (2026, 4), "60000000.00", "UAH"),
    ),
    Licence(
        "UA-SP-2011-0601",
        "VostGOK",
        "Novokostiantynivske uranium deposit",
        "uranium",
        "Kirovohrad",
        "special_permit",
        date(2011, 6, 1),
        6.0,
        (2024, 11),
    ),
    Licence(
        "UA-SP-2025-1020",
        "Surske Uranium LLC",
        "Surske uranium deposit",
        "uranium",
        "Dnipropetrovsk",
        "special_permit",
        date(2025, 10, 20),
        2.0,
        (2026, 6),
    ),
    Licence(
        "UA-SP-2010-0230",
        "Pokrov Mining and Processing Plant",
        "Nikopol manganese basin (Pokrov)",
        "manganese",
        "Dnipropetrovsk",
        "special_permit",
        date(2010, 2, 3),
        3.0,
        (2024, 11),
    ),
    Licence(
        "UA-SP-2004-0099",
        "ArcelorMittal Kryvyi Rih",
        "Kryvyi Rih iron ore basin",
        "iron ore",
        "Dnipropetrovsk",
        "special_permit",
        date(2004, 1, 9),
        55.0,
        (2024, 11),
    ),
    Licence(
        "UA-SP-2025-0822",
        "Poltava Gas Exploration LLC",
        "Dnipro-Donets basin gas block",
        "natural gas;gas condensate",
        "Poltava",
        "special_permit",
        date(2025, 8, 22),
        30.0,
        (2026, 1),
        ("auction_proceeds", (2025, 8), "150000000.00", "UAH"),
    ),
    Licence(
        "UA-SP-2001-0017",
        "Ukrnafta PJSC",
        "Carpathian oil and gas region (Dolyna)",
        "oil;natural gas",
        "Ivano-Frankivsk",
        "special_permit",
        date(2001, 3, 17),
        40.0,
        (2024, 11),
    ),
    Licence(
        "UA-SP-2026-0316",
        "Safonivske REE LLC",
        "Safonivske rare-earth deposit",
        "rare earths",
        "Kirovohrad",
        "special_permit",
        date(2026, 3, 16),
        0,
        None,
        ("auction_proceeds", (2026, 3), "25000000.00", "UAH"),
    ),
]


def periods() -> list[tuple[int, int]]:
    """The 24 reporting months."""
    year, month = FIRST_PERIOD
    found = []
    for _ in range(MONTHS):
        found.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


HYDROCARBONS = ("natural gas", "oil", "gas condensate", "condensate")


def monthly(lic: Licence) -> bool:
    """Oil, gas and condensate pay rent by month; every other mineral by quarter (Tax Code
    Art. 257.1)."""
    return any(part.strip() in HYDROCARBONS for part in lic.resources.split(";"))


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return date(year, month, 1) - timedelta(days=1)


def paid_on(period_end: date, by_month: bool) -> date:
    """Rent is declared 40 days after a quarter (20 after a month) and paid 10 days later
    (Tax Code Art. 257; the monthly 20 days is uncertain)."""
    return period_end + timedelta(days=(20 if by_month else 40) + 10)


def received_on(period: tuple[int, int]) -> date:
    """A one-off payment for a month is received by the 15th of the next month."""
    year, month = period
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return date(year, month, 15)


def money(value: float) -> str:
    """A synthetic float amount as an exact two-decimal string."""
    return str(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN))


def write_licences() -> None:
    with (HERE / "licences.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(list(licence_columns.REQUIRED + licence_columns.OPTIONAL))
        for i, lic in enumerate(LICENCES):
            out.writerow(
                [
                    lic.licence_id,
                    lic.holder,
                    f"{43000000 + i * 7919:08d}",
                    lic.deposit,
                    lic.resources,
                    lic.oblast,
                    lic.instrument,
                    lic.issued_on.isoformat(),
                    "active",
                    lic.is_new,
                    "controlled",
                ]
            )


def _monthly_royalties(
    lic: Licence, rng: random.Random
) -> dict[tuple[int, int], tuple[float, float]]:
    """Synthetic gross royalty and costs per producing month."""
    found: dict[tuple[int, int], tuple[float, float]] = {}
    for period in periods():
        if lic.producing_from is not None and period >= lic.producing_from:
            ramp = min(
                1.0, 0.25 + 0.15 * sum(1 for p in periods() if lic.producing_from <= p < period)
            )
            gross = lic.royalty_uah_m * 1e6 * ramp * rng.uniform(0.85, 1.15)
            found[period] = (gross, gross * rng.uniform(0.2, 0.4))
    return found


def _quarters(
    by_month: dict[tuple[int, int], tuple[float, float]],
) -> list[tuple[str, date, float, float]]:
    """Months summed into the calendar quarters wholly inside the 24 months."""
    months = set(periods())
    found = []
    for year in (2024, 2025, 2026):
        for q in range(1, 5):
            span = [(year, 3 * q - 2), (year, 3 * q - 1), (year, 3 * q)]
            if not all(m in months for m in span):
                continue
            rows = [by_month[m] for m in span if m in by_month]
            if rows:
                found.append(
                    (
                        f"{year}-Q{q}",
                        month_end(year, 3 * q),
                        sum(g for g, _ in rows),
                        sum(c for _, c in rows),
                    )
                )
    return found


def write_filings(rng: random.Random) -> None:
    with (HERE / "filings.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(list(filing_columns.COLUMNS))
        for lic in LICENCES:
            by_month = _monthly_royalties(lic, rng)
            if monthly(lic):
                rows = [
                    (f"{y}-{m:02d}", month_end(y, m), g, c) for (y, m), (g, c) in by_month.items()
                ]
            else:
                rows = _quarters(by_month)
            for label, end, gross, costs in rows:
                out.writerow(
                    [
                        lic.licence_id,
                        label,
                        "royalty",
                        money(gross),
                        "UAH",
                        f"SYNTH-{lic.licence_id}-{label}-R",
                        1,
                        money(costs),
                        paid_on(end, monthly(lic)).isoformat(),
                    ]
                )
            if lic.one_off is not None:
                stream, period, amount, ccy = lic.one_off
                label = f"{period[0]}-{period[1]:02d}"
                out.writerow(
                    [
                        lic.licence_id,
                        label,
                        stream,
                        amount,
                        ccy,
                        f"SYNTH-{lic.licence_id}-{label}-{stream[:1].upper()}",
                        1,
                        "0.00",
                        received_on(period).isoformat(),
                    ]
                )
        # One corrected filing: the Likarivske 2026-Q2 rent was refiled with a higher amount,
        # late (after the 2026-08-19 payment day).
        out.writerow(
            [
                "UA-SP-2025-0711",
                "2026-Q2",
                "royalty",
                "27300000.00",
                "UAH",
                "SYNTH-UA-SP-2025-0711-2026-Q2-R",
                2,
                "8100000.00",
                "2026-09-14",
            ]
        )


# Official NBU rates (UAH per USD) published on these days (../shared/data/README.md).
NBU_PUBLISHED = {
    date(2025, 1, 13): Decimal("42.2841"),
    date(2025, 5, 22): Decimal("41.4360"),
    date(2025, 10, 2): Decimal("41.2200"),
    date(2025, 10, 23): Decimal("41.7550"),
    date(2026, 1, 12): Decimal("43.0757"),
}


def write_fx(rng: random.Random) -> None:
    """Business-day rates: the published NBU points exactly (REAL), the days between drawn
    as a random walk pinned to them (SYNTHETIC); after the last point a free random walk."""
    anchors = sorted(NBU_PUBLISHED.items())
    day, end = date(2024, 11, 1), date(2026, 12, 4)
    rows: list[tuple[date, Decimal]] = []
    level = 41.45
    while day <= end:
        if day.weekday() < 5:
            level = max(36.0, level * (1 + rng.gauss(0.00012, 0.0022)))
            rows.append((day, Decimal(f"{level:.4f}")))
        day += timedelta(days=1)
    # Pin the walk: between two published points shift it linearly so it meets both.
    pinned: list[tuple[date, Decimal]] = []
    walk = dict(rows)
    for on, _ in rows:
        before = [a for a in anchors if a[0] <= on]
        after = [a for a in anchors if a[0] >= on]
        shift = Decimal(0)
        if before and after:
            (d0, r0), (d1, r1) = before[-1], after[0]
            s0, s1 = r0 - walk.get(d0, r0), r1 - walk.get(d1, r1)
            span = (d1 - d0).days
            shift = s0 if span == 0 else s0 + (s1 - s0) * Decimal((on - d0).days) / Decimal(span)
        elif before:
            d0, r0 = before[-1]
            shift = r0 - walk.get(d0, r0)
        elif after:
            d1, r1 = after[0]
            shift = r1 - walk.get(d1, r1)
        rate = NBU_PUBLISHED.get(on, (walk[on] + shift).quantize(Decimal("0.0001")))
        pinned.append((on, rate))
    with (HERE / "fx.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["date", "base", "quote", "rate"])
        for on, rate in pinned:
            out.writerow([on.isoformat(), "USD", "UAH", f"{rate:.4f}"])


def write_transfers() -> None:
    """The PPP Agency's transfer of the 2025 accruals on the 1 April 2026 deadline: the amount
    is what the example's 2025 filings accrue under the agreement, worked out by building the
    example without a transfer (ILLUSTRATIVE: no real transfer has been published)."""
    target = HERE / "transfers.csv"
    target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(str(Path(folder) / "example.db"))
        build_demo(db, folder=HERE)
        admin = authenticate_first_admin(db)
        report = cycle_report(db, admin, as_of=date(2026, 3, 31))
    [year_2025] = [p for p in report.periods if p.period_year == 2025]
    due = year_2025.accrued["UAH"]
    with target.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["reference", "transfer_date", "period", "amount", "currency", "note"])
        out.writerow(
            [
                "PPP-URIF-TRANSFER-2025",
                "2026-04-01",
                2025,
                format_amount(due, "UAH"),
                "UAH",
                "ILLUSTRATIVE: the example's 2025 accruals, transferred on the Res. 1616 deadline",
            ]
        )


def authenticate_first_admin(db: Database) -> User:
    """The example's administrator (the first user the demo creates)."""
    with db.read() as conn:
        return get_user(conn, user_id=1)


def main() -> None:
    rng = random.Random(SEED)
    write_licences()
    write_filings(rng)
    write_fx(rng)
    write_transfers()


if __name__ == "__main__":
    main()
