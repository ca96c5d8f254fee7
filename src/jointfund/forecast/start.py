"""Where the paths start: zero at the scenario's start year, or the books' state on an as-of day.

The books give integer minor units (`BooksState`); the engine reads floats (`StartPoint`). The
part of the first simulated year before the as-of day is already in the books, so the engine
simulates only the rest of it (`elapsed`); accruals the books hold but have not transferred
arrive by the cycle's deadline, valued at the transfer year's rate.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass(frozen=True, slots=True)
class BooksState:
    """The books on `as_of`, in U.S.-dollar cents unless stated (read through a fund use case).

    pending: accrued receipts not yet transferred, by accrual year and currency (minor units).
    issued: new licences (issued on or after entry into force) by the deposit name the licence
    register gives, with their issue day. distributed: cumulative distributions per partner.
    """

    as_of: date
    nav_minor: int
    capital_minor: Mapping[str, int]
    distributed_minor: Mapping[str, int]
    pending: Mapping[int, Mapping[str, int]]
    issued: Mapping[str, date]
    inflows_minor: int = 0  # Ukrainian inflows credited to capital so far (transfers included)
    direct_inflows_minor: int = 0  # of which receipts credited as paid (terms without a cycle)
    uah_per_usd: Decimal | None = None  # the official rate on the as-of day (latest published)
    # contributions booked in the as-of year up to the day, by "PARTNER:cash" / "PARTNER:in_kind"
    year_contributed_minor: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StartPoint:
    """The engine's start state: year 0 is `first_year`, of which `elapsed` is already booked.

    arrivals_uah / arrivals_usd: untransferred accruals by the year index they arrive in.
    issued: register deposit id -> licence year index (negative: before year 0).
    """

    as_of: date
    first_year: int
    elapsed: float
    nav: float
    capital: tuple[float, float]
    distributed: tuple[float, float]
    arrivals_uah: tuple[float, ...] = ()
    arrivals_usd: tuple[float, ...] = ()
    issued: Mapping[str, int] = field(default_factory=dict)
    unmatched: tuple[str, ...] = ()  # issued licences whose deposit the register does not hold
    uah_per_usd: float | None = None  # the books' rate on the as-of day: the FX path's start
    # what the books already received in year 0 by "PARTNER:kind": year 0's scheduled
    # contributions count only beyond it
    year_contributed: Mapping[str, float] = field(default_factory=dict)


def _words(name: str) -> list[str]:
    return re.findall(r"[\w'-]+", name.lower())


def match_deposits(
    names: Mapping[str, date], register: Sequence[tuple[str, str]]
) -> tuple[dict[str, date], tuple[str, ...]]:
    """Register deposit id -> issue day for each licensed deposit name, matched by its first
    word (the place name: "Dobra lithium site" -> dobra) among the words of a register name;
    and the names no register deposit matches."""
    found: dict[str, date] = {}
    missing: list[str] = []
    for name, day in sorted(names.items()):
        words = _words(name)
        hits = [dep for dep, full in register if words and words[0] in _words(full)]
        if len(hits) == 1:
            found[hits[0]] = min(day, found.get(hits[0], day))
        else:
            missing.append(name)
    return found, tuple(missing)


def first_year_of(as_of: date) -> tuple[int, float]:
    """(first simulated year, share of it already in the books): the rest of the as-of year, or
    the next year whole when the as-of day is the year's last."""
    days = (date(as_of.year, 12, 31) - date(as_of.year, 1, 1)).days + 1
    done = (as_of - date(as_of.year, 1, 1)).days + 1
    if done >= days:
        return as_of.year + 1, 0.0
    return as_of.year, done / days


def start_point(
    books: BooksState, lag_years: int, register: Sequence[tuple[str, str]]
) -> StartPoint:
    """Translate the books' state into the engine's floats; an accrual of year Y arrives in
    year Y + lag (or in year 0 when that is already past: an overdue transfer). `register`:
    (deposit id, name) of the scenario's deposits, to which the issued licences are matched."""
    first, elapsed = first_year_of(books.as_of)
    issued, unmatched = match_deposits(books.issued, register)
    uah: dict[int, float] = {}
    usd: dict[int, float] = {}
    for year, amounts in books.pending.items():
        k = max(year + lag_years - first, 0)
        for currency, minor in amounts.items():
            target = usd if currency == "USD" else uah
            if currency not in ("USD", "UAH"):
                continue  # the cycle accrues in the budget's hryvnias and dollar bonuses only
            target[k] = target.get(k, 0.0) + minor / 100.0
    size = max([*uah, *usd], default=-1) + 1
    return StartPoint(
        as_of=books.as_of,
        first_year=first,
        elapsed=elapsed,
        nav=books.nav_minor / 100.0,
        capital=(
            books.capital_minor.get("US", 0) / 100.0,
            books.capital_minor.get("UA", 0) / 100.0,
        ),
        distributed=(
            books.distributed_minor.get("US", 0) / 100.0,
            books.distributed_minor.get("UA", 0) / 100.0,
        ),
        arrivals_uah=tuple(uah.get(k, 0.0) for k in range(size)),
        arrivals_usd=tuple(usd.get(k, 0.0) for k in range(size)),
        issued={dep: day.year - first for dep, day in issued.items()},
        unmatched=unmatched,
        uah_per_usd=None if books.uah_per_usd is None else float(books.uah_per_usd),
        year_contributed=(
            {k: v / 100.0 for k, v in books.year_contributed_minor.items()}
            if first == books.as_of.year
            else {}
        ),
    )


def tri_cdf(x: float, a: float, c: float, b: float) -> float:
    """CDF of the triangular distribution (min a, mode c, max b) at x."""
    if x < a or (x == a and a < b):
        return 0.0
    if x >= b:
        return 1.0
    if x <= c:
        return (x - a) ** 2 / ((b - a) * (c - a))
    return 1.0 - (b - x) ** 2 / ((b - a) * (b - c))


def not_before_start(
    p_licence: float, licence_year: tuple[float, float, float]
) -> tuple[float, float]:
    """A component the books show unlicensed on the as-of day, conditioned on that fact:
    (P(licence), the licence-year uniform's lower bound). Licence years that round to before
    year 0 are cut off the triangle; P(licence) becomes the chance of a licence in the years
    left (0 when the whole window has passed)."""
    lo = tri_cdf(-0.5, *licence_year)
    if lo <= 0.0:
        return p_licence, 0.0
    if lo >= 1.0:
        return 0.0, 0.0
    return p_licence * (1.0 - lo) / (1.0 - p_licence * lo), lo


def start_dict(start: StartPoint) -> dict[str, Any]:
    """The start point as plain JSON values (a run's manifest keeps it, so the run replays)."""
    return {
        "as_of": start.as_of.isoformat(),
        "first_year": start.first_year,
        "elapsed": start.elapsed,
        "nav": start.nav,
        "capital": list(start.capital),
        "distributed": list(start.distributed),
        "arrivals_uah": list(start.arrivals_uah),
        "arrivals_usd": list(start.arrivals_usd),
        "issued": dict(start.issued),
        "unmatched": list(start.unmatched),
        "uah_per_usd": start.uah_per_usd,
        "year_contributed": dict(start.year_contributed),
    }


def start_from_dict(data: Mapping[str, Any] | None) -> StartPoint | None:
    """The start point a manifest kept (None: the run started from zero)."""
    if data is None:
        return None
    return StartPoint(
        as_of=date.fromisoformat(data["as_of"]),
        first_year=int(data["first_year"]),
        elapsed=float(data["elapsed"]),
        nav=float(data["nav"]),
        capital=(float(data["capital"][0]), float(data["capital"][1])),
        distributed=(float(data["distributed"][0]), float(data["distributed"][1])),
        arrivals_uah=tuple(float(v) for v in data["arrivals_uah"]),
        arrivals_usd=tuple(float(v) for v in data["arrivals_usd"]),
        issued={str(k): int(v) for k, v in data["issued"].items()},
        unmatched=tuple(data["unmatched"]),
        uah_per_usd=None if data["uah_per_usd"] is None else float(data["uah_per_usd"]),
        year_contributed={str(k): float(v) for k, v in data["year_contributed"].items()},
    )
