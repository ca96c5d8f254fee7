"""Small workbooks in the publishers' own layouts (Pink Sheet, USGS DS140), for reader tests."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from openpyxl import Workbook

from jointfund.forecast.model import GBM, OU, SCHWARTZ_SMITH, PriceParams
from jointfund.forecast.prices import price_paths

SHARED_PRICES = Path(__file__).resolve().parents[3] / "shared" / "data" / "prices"
PINK_SHEET_FILE = SHARED_PRICES / "CMO-Historical-Data-Monthly.xlsx"
LITHIUM_FILE = SHARED_PRICES / "ds140-lithium-2021.xlsx"


def simulate(params: PriceParams, years: int, seed: int) -> np.ndarray:
    """One yearly price path from the engine's own price model."""
    rng = np.random.default_rng(seed)
    shocks = rng.standard_normal((years, params.factors, 1))
    out = price_paths((params,), ((1.0,),), [shocks])[0]
    assert out is not None
    return out[:, 0]


def gbm(mu: float, sigma: float, s0: float = 50.0) -> PriceParams:
    return PriceParams("x", GBM, s0, mu, sigma, 0.0, 0.0, 0.0, 0.0, 0.0)


def ou(kappa: float, long_run: float, sigma: float, s0: float = 50.0) -> PriceParams:
    return PriceParams("x", OU, s0, 0.0, sigma, kappa, math.log(long_run), 0.0, 0.0, 0.0)


def two_factor(kappa: float, sigma_chi: float, mu: float, sigma: float) -> PriceParams:
    return PriceParams("x", SCHWARTZ_SMITH, 50.0, mu, sigma, kappa, 0.0, sigma_chi, 0.0, 0.0)


def pink_sheet(
    path: Path,
    columns: Sequence[tuple[str, str, str, Sequence[float | str]]],
    first_year: int = 1960,
    updated: str = "Updated on December 02, 2025",
) -> Path:
    """Sheet 'Monthly Prices' as the World Bank lays it out: four title rows, then name, unit and
    code rows, then one row per month ('1960M01'); '…' marks a missing value."""
    book = Workbook()
    book.active.title = "AFOSHEET"
    sheet = book.create_sheet("Monthly Prices")
    sheet.append(["World Bank Commodity Price Data (The Pink Sheet)"])
    sheet.append(["monthly prices in nominal US dollars, 1960 to present"])
    sheet.append(["(monthly series are available only in nominal US dollars)"])
    sheet.append([updated])
    sheet.append([None, *(c[0] for c in columns)])
    sheet.append([None, *(f"({c[1]})" for c in columns)])
    sheet.append([None, *(c[2] for c in columns)])
    months = max(len(c[3]) for c in columns)
    for i in range(months):
        label = f"{first_year + i // 12}M{i % 12 + 1:02d}"
        sheet.append([label, *(c[3][i] if i < len(c[3]) else "…" for c in columns)])
    book.create_sheet("Description")
    book.save(path)
    return path


def ds140(path: Path, commodity: str, years: Sequence[int], values: Sequence[float | str]) -> Path:
    """A USGS Data Series 140 sheet: title rows, a 'Year' header, yearly rows, footnotes."""
    book = Workbook()
    sheet = book.active
    sheet.title = f"{commodity.title()} statistics"
    sheet.append([f"{commodity.upper()} STATISTICS1"])
    sheet.append(["U.S. GEOLOGICAL SURVEY"])
    sheet.append([f"[All values in metric tons (t) {commodity} unless otherwise noted]"])
    sheet.append(["Last modification: August 2, 2023"])
    sheet.append(["Year", "Production", "Imports", "Unit value ($/t)", "Unit value (98$/t)"])
    for year, value in zip(years, values, strict=True):
        sheet.append([year, "W", "NA", value, value])
    sheet.append(["NA Not available. W Withheld to avoid disclosing company proprietary data."])
    book.save(path)
    return path


def monthly_from_yearly(yearly: Sequence[float]) -> list[float]:
    """Twelve equal months per year, so each calendar-year mean is the yearly value."""
    return [float(v) for v in yearly for _ in range(12)]
