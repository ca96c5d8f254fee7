"""Generate the example U.S.-Ukraine fund's input files (illustrative licences, SYNTHETIC filings).

Deterministic (seeded): `python examples/us-ukraine/generate.py` rewrites licences.csv,
filings.csv and fx.csv beside this script. Deposits, holders and statuses follow
../shared/domain/deposits.yaml (controlled deposits only); licence ids, issue dates, holder
registry ids and every amount are invented for illustration and are not real data.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

from jointfund.intake import filings as filing_columns
from jointfund.intake import licences as licence_columns

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
        date(2026, 1, 12),
        0,
        None,
        ("signature_bonus", (2026, 2), "2000000.00", "USD"),
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
        date(2025, 9, 15),
        0,
        None,
        ("permit_fee", (2025, 9), "12000000.00", "UAH"),
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
        date(2025, 7, 11),
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


def received_on(period: tuple[int, int]) -> date:
    """Royalty for a month is paid by the 15th of the next month."""
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


def write_filings(rng: random.Random) -> None:
    with (HERE / "filings.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(list(filing_columns.COLUMNS))
        for lic in LICENCES:
            for n, period in enumerate(periods()):
                label = f"{period[0]}-{period[1]:02d}"
                if lic.producing_from is not None and period >= lic.producing_from:
                    ramp = min(
                        1.0,
                        0.25 + 0.15 * sum(1 for p in periods() if lic.producing_from <= p < period),
                    )
                    gross = lic.royalty_uah_m * 1e6 * ramp * rng.uniform(0.85, 1.15)
                    costs = gross * rng.uniform(0.2, 0.4)
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
                            received_on(period).isoformat(),
                        ]
                    )
                if lic.one_off is not None and lic.one_off[1] == period:
                    stream, _, amount, ccy = lic.one_off
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
                del n
        # One corrected filing: the Likarivske June 2026 royalty was refiled with a higher amount.
        out.writerow(
            [
                "UA-SP-2025-0711",
                "2026-06",
                "royalty",
                "9100000.00",
                "UAH",
                "SYNTH-UA-SP-2025-0711-2026-06-R",
                2,
                "2700000.00",
                "2026-08-14",
            ]
        )


def write_fx(rng: random.Random) -> None:
    rate = 41.45
    day = date(2024, 11, 1)
    with (HERE / "fx.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["date", "base", "quote", "rate"])
        while day <= date(2026, 11, 20):
            if day.weekday() < 5:
                rate = max(36.0, rate * (1 + rng.gauss(0.00012, 0.0022)))
                out.writerow([day.isoformat(), "USD", "UAH", f"{rate:.4f}"])
            day += timedelta(days=1)


def main() -> None:
    rng = random.Random(SEED)
    write_licences()
    write_filings(rng)
    write_fx(rng)


if __name__ == "__main__":
    main()
