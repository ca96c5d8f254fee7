"""Calibrated price blocks: which published series stands for which scenario commodity, unit
conversions, and the YAML file a scenario merges with `extends: [base, prices/FILE.yaml]`."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from jointfund.errors import InputError, Problem
from jointfund.forecast.calibration import Calibration, calibrate
from jointfund.forecast.pricedata import PriceSeries, annual, latest_level, pick
from jointfund.i18n.message import Message

LCE_PER_LI = 73.891 / (2 * 6.941)  # t Li2CO3 per t Li: molar masses, so $/t Li / 5.323 = $/t LCE
MMBTU_PER_TCM = 35.3147 * 1.036  # ft3 per m3 x MMBtu per thousand ft3 (EIA average heat content)


@dataclass(frozen=True, slots=True)
class Mapping:
    """A published series standing for a scenario commodity, with the unit conversion."""

    commodity: str
    code: str
    unit: str
    factor: float
    note: str


# The series the bundled scenarios can use; `--series commodity=CODE` adds or replaces one.
DEFAULTS: tuple[Mapping, ...] = (
    Mapping("oil", "CRUDE_BRENT", "USD/bbl", 1.0, "Brent, the European benchmark"),
    Mapping(
        "natural_gas",
        "NGAS_EUR",
        "USD/tcm",
        MMBTU_PER_TCM,
        f"European hub gas; $/mmbtu x {MMBTU_PER_TCM:.2f} mmbtu per thousand m3 "
        "(35.3147 ft3/m3 x 1,036 Btu/ft3, EIA average heat content: an assumed gas quality)",
    ),
    Mapping(
        "thermal_coal",
        "COAL_AUS",
        "USD/t",
        1.0,
        "Newcastle 6,000 kcal/kg thermal coal; the Pink Sheet has no coking coal",
    ),
    Mapping("iron_ore", "IRON_ORE", "USD/t", 1.0, "62% Fe fines cfr China, $ per dry tonne"),
    Mapping(
        "lithium",
        "lithium_unit_value",
        "USD/t LCE",
        1.0 / LCE_PER_LI,
        f"USGS U.S. unit value per t of lithium content / {LCE_PER_LI:.3f} t LCE per t Li; "
        "a unit value of U.S. apparent consumption, NOT a battery-grade carbonate spot price: "
        "use its kappa and sigma, and judge its level before using it",
    ),
)


def mapping_for(spec: str, series: Sequence[PriceSeries], file: str) -> tuple[Mapping, PriceSeries]:
    """`commodity=CODE`, `CODE` or `commodity`, resolved against the defaults and the file."""
    commodity, _, code = spec.partition("=")
    if not code:
        known = {m.commodity: m for m in DEFAULTS} | {m.code.lower(): m for m in DEFAULTS}
        found = known.get(spec.lower())
        if found is None:
            s = pick(series, spec, file)
            return Mapping(s.code.lower(), s.code, s.unit, 1.0, "as published"), s
        return found, pick(series, found.code, file)
    s = pick(series, code, file)
    base = next((m for m in DEFAULTS if m.commodity == commodity and m.code == s.code), None)
    return base or Mapping(commodity, s.code, s.unit, 1.0, "as published"), s


def default_specs(series: Sequence[PriceSeries]) -> list[str]:
    """The default commodities whose series this file holds."""
    codes = {s.code.lower() for s in series}
    return [m.commodity for m in DEFAULTS if m.code.lower() in codes]


@dataclass(frozen=True, slots=True)
class CalibratedPrice:
    """A commodity's calibration from one series, ready to become a scenario price block."""

    mapping: Mapping
    series: PriceSeries
    calibration: Calibration
    s0: float
    s0_period: str

    def block(self) -> dict[str, Any]:
        """The scenario `prices.commodities.<name>` block; every field is set, so merging it over
        another scenario's block replaces that block whole."""
        c, m = self.calibration, self.mapping
        fit = c.fit
        out: dict[str, Any] = {
            "source": self.citation(),
            "assumption": self.assumption(),
            "model": fit.model,
            "unit": m.unit,
            "s0": _sig(self.s0 * m.factor),
            "mu": 0.0,
            "sigma": _sig(fit.params["sigma"].value),
            "kappa": None,
            "long_run": None,
            "sigma_chi": None,
            "rho": 0.0,
            "chi0": 0.0,
        }
        if fit.model == "gbm":
            out["mu"] = _sig(fit.params["mu"].value)
        elif fit.model == "schwartz_smith":
            for key in ("kappa", "sigma_chi", "mu"):
                out[key] = _sig(fit.params[key].value)
            out["chi0"] = _sig(c.two_factor.chi_last)
        else:
            out["kappa"] = _sig(fit.params["kappa"].value)
            out["long_run"] = _sig(fit.params["long_run"].value * m.factor)
        out["fit"] = self.spread()
        return {**out, **self.labels(out)}

    def spread(self) -> dict[str, Any] | None:
        """The block's `fit`: the standard error of each fitted parameter the block states
        (finite ones only) and, where the fit gives it, their correlation matrix in that order;
        what `parameter_uncertainty: draw` samples from. None when no standard error is finite."""
        fit = self.calibration.fit
        keys = [k for k, v in fit.params.items() if math.isfinite(v.se) and v.se > 0]
        if not keys:
            return None
        se = {
            k: _sig(fit.params[k].se * (self.mapping.factor if k == "long_run" else 1.0))
            for k in keys
        }
        out: dict[str, Any] = {"model": fit.model, "se": se, "correlation": None}
        if fit.correlation is not None:
            at = [list(fit.params).index(k) for k in keys]
            out["correlation"] = [_Row(round(fit.correlation[i][j], 4) for j in at) for i in at]
        return out

    def labels(self, block: dict[str, Any]) -> dict[str, dict[str, str]]:
        """Each number of the block named as sourced (the fit or the series states it) or
        assumed (fixed by the model chosen), as every scenario number must be."""
        c, s = self.calibration, self.series
        fitted = [k for k in c.fit.params if block.get(k) is not None]
        numbers = [k for k, v in block.items() if isinstance(v, int | float)]
        fixed = [k for k in numbers if k not in fitted and k != "s0"]
        sourced = {
            "s0": f"{s.publisher}, {s.vintage}: {s.code} {self.s0_period} (the latest observation)",
        }
        if fitted:
            sourced[", ".join(fitted)] = (
                f"exact maximum-likelihood {c.fit.model} fit to {s.code}, "
                f"{c.years[0]}-{c.years[-1]} (estimates and standard errors in `source`)"
            )
        if block.get("fit") is not None:
            sourced["fit"] = (
                f"asymptotic sampling distribution of the same {c.fit.model} fit to {s.code}, "
                f"{c.years[0]}-{c.years[-1]}: standard errors and correlation of the estimates "
                "(delta method); a run draws from it only with `parameter_uncertainty: draw`"
            )
        assumed = (
            {", ".join(fixed): f"fixed by the {c.fit.model} model: no such term is estimated"}
            if fixed
            else {}
        )
        return {"sourced": sourced, "assumed": assumed}

    def citation(self) -> str:
        """Series, dates, vintage and the fit, in one line a reader can check."""
        c, s = self.calibration, self.series
        fit = c.fit
        est = ", ".join(
            f"{k} {_fmt(v.value * (self.mapping.factor if k == 'long_run' else 1.0))} "
            f"(s.e. {_fmt(v.se * (self.mapping.factor if k == 'long_run' else 1.0))})"
            for k, v in fit.params.items()
        )
        return (
            f"{s.publisher} ({s.licence}), {s.vintage}: {s.code} [{s.unit}], calendar-year "
            f"{'means' if s.frequency == 'monthly' else 'values'} {c.years[0]}-{c.years[-1]} "
            f"({len(c.years)} years); exact MLE {fit.model}: {est}; s0 = {s.code} "
            f"{'mean ' if s.frequency == 'monthly' else ''}{self.s0_period}"
        )

    def assumption(self) -> str:
        """What the fit cannot tell, stated."""
        c = self.calibration
        parts = [f"model {c.chosen}: {c.reason}"]
        if c.chosen != "gbm" and not c.mean_reversion_identified:
            parts.append(
                f"this sample cannot reject a random walk (ADF p = {c.adf_pvalue:.2f}), so its "
                "mean reversion is the analyst's judgement, not the data's finding"
            )
        if c.chosen == "ou" and c.kappa_bias_corrected is not None:
            parts.append(f"small-sample corrected kappa {c.kappa_bias_corrected:.3f}")
        if c.two_factor.identified:
            parts.append("a two-factor model is identified (see the calibration report)")
        else:
            parts.append("two-factor model not identified: " + c.two_factor.reason)
        parts.append(self.mapping.note)
        return "; ".join(parts)


class _Row(list[float]):
    """A matrix row, written on one line of the block."""


class _Dumper(yaml.SafeDumper):
    """Safe YAML with matrix rows in flow style."""


_Dumper.add_representer(
    _Row, lambda d, row: d.represent_sequence("tag:yaml.org,2002:seq", row, flow_style=True)
)


def _sig(value: float) -> float:
    return float(f"{value:.4g}")


def _fmt(value: float) -> str:
    return "n/a" if not math.isfinite(value) else f"{value:.4g}"


def calibrate_series(
    series: Sequence[PriceSeries],
    file: str,
    specs: Sequence[str] = (),
    *,
    model: str = "auto",
    since: int | None = None,
    until: int | None = None,
) -> list[CalibratedPrice]:
    """Calibrate each requested commodity (all defaults this file holds when none is named)."""
    chosen = list(specs) or default_specs(series)
    if not chosen:
        raise InputError(
            [
                Problem(
                    Message("no default series in this file; name one"),
                    file=file,
                    field="--series",
                    expected=Message("{choices}", choices=", ".join(s.code for s in series[:12])),
                )
            ]
        )
    out = []
    problems: list[Problem] = []
    for spec in chosen:
        try:
            mapping, s = mapping_for(spec, series, file)
            points = [
                (y, v)
                for y, v in annual(s)
                if (since is None or y >= since) and (until is None or y <= until)
            ]
            cal = calibrate(points, model, where=f"{file}:{s.code}")
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        s0, period = latest_level(s)
        out.append(CalibratedPrice(mapping, s, cal, s0, period))
    if problems:
        raise InputError(problems)
    return out


Z90 = 1.2815515655446004  # the 90th percentile of a standard normal


def estimation_ranges(prices: Sequence[CalibratedPrice]) -> list[dict[str, Any]]:
    """`sensitivity.inputs` that vary each fitted parameter over its estimation uncertainty:
    p10/p90 of the estimate's asymptotic normal (for a level, of its log), so `forecast
    sensitivity` can say how much of the output's spread the fit's own error carries."""
    out: list[dict[str, Any]] = []
    for p in prices:
        fit = p.calibration.fit
        for key, est in fit.params.items():
            if key not in ("kappa", "sigma", "long_run", "mu") or not math.isfinite(est.se):
                continue
            if key == "long_run":
                spread = Z90 * est.se / est.value
                low = est.value * p.mapping.factor * math.exp(-spread)
                high = est.value * p.mapping.factor * math.exp(spread)
            else:
                low, high = est.value - Z90 * est.se, est.value + Z90 * est.se
                if key in ("kappa", "sigma"):
                    low = max(low, 1e-3)
                if key == "mu":
                    low, high = max(low, -1.0), min(high, 1.0)
            out.append(
                {
                    "name": f"{p.mapping.commodity} {key} (fit)",
                    "path": f"prices.commodities.{p.mapping.commodity}.{key}",
                    "p10": _sig(low),
                    "p90": _sig(high),
                    "assumed": {
                        "p10, p90": "estimation uncertainty of the fit: 10th and 90th "
                        "percentiles of the estimate's asymptotic normal distribution"
                    },
                }
            )
    return out


def block_yaml(prices: Sequence[CalibratedPrice], command: str, *, ranges: bool = False) -> str:
    """The price-block file: a partial scenario (only `prices.commodities`, and with `ranges` the
    `sensitivity.inputs` of the fits' uncertainty) with a header that names the data, their
    licences and the command that wrote it."""
    credits = sorted({p.series.attribution for p in prices})
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    head = [
        "# Calibrated price models, written by `jointfund forecast calibrate` on " + stamp + ".",
        f"# Command: {command}",
        "# Use: in a scenario, `extends: [base, <this file>]` replaces these commodities' blocks.",
        "# Data (keep this attribution with any figure derived from them):",
        *(f"#   {c}" for c in credits),
    ]
    for p in prices:
        c = p.calibration
        head.append(f"# {p.mapping.commodity}: {p.series.code}, {c.years[0]}-{c.years[-1]}")
        for fit in (c.gbm, c.ou):
            if fit is None:
                head.append(f"#   ou: {c.ou_note}")
                continue
            est = ", ".join(f"{k} {_fmt(v.value)} ± {_fmt(v.se)}" for k, v in fit.params.items())
            head.append(f"#   {fit.model}: {est}; loglik {fit.loglik:.2f}, AIC {fit.aic:.2f}")
        head.append(
            f"#   ADF {c.adf_stat:.2f} (p = {c.adf_pvalue:.3f}); two-factor: {c.two_factor.reason}"
        )
    body: dict[str, Any] = {
        "prices": {"commodities": {p.mapping.commodity: p.block() for p in prices}}
    }
    if ranges:
        head.append(
            "# sensitivity.inputs: merged over a scenario it REPLACES that scenario's inputs, so "
            "`forecast sensitivity` apportions the output over the fits' estimation error."
        )
        body["sensitivity"] = {"inputs": estimation_ranges(prices)}
    text = yaml.dump(body, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return "\n".join(head) + "\n" + text


def report(prices: Sequence[CalibratedPrice]) -> list[dict[str, Any]]:
    """Plain data for `--json`: every fit with its standard errors, tests and the block."""
    out = []
    for p in prices:
        c = p.calibration
        fits = {
            f.model: {
                "params": {k: {"value": v.value, "se": v.se} for k, v in f.params.items()},
                "correlation": f.correlation,
                "loglik": f.loglik,
                "aic": f.aic,
                "n": f.n,
            }
            for f in (c.gbm, c.ou)
            if f is not None
        }
        out.append(
            {
                "commodity": p.mapping.commodity,
                "series": p.series.code,
                "series_unit": p.series.unit,
                "attribution": p.series.attribution,
                "file": p.series.file,
                "years": [c.years[0], c.years[-1]],
                "unit_factor": p.mapping.factor,
                "fits": fits,
                "ou_note": c.ou_note or None,
                "adf": {"stat": c.adf_stat, "pvalue": c.adf_pvalue},
                "kappa_bias_corrected": c.kappa_bias_corrected,
                "two_factor": {
                    "identified": c.two_factor.identified,
                    "reason": c.two_factor.reason,
                    "params": {
                        k: {"value": v.value, "se": v.se} for k, v in c.two_factor.params.items()
                    },
                },
                "chosen": c.chosen,
                "reason": c.reason,
                "block": p.block(),
            }
        )
    return out


def write_block(
    prices: Sequence[CalibratedPrice], path: str | Path, command: str, *, ranges: bool = False
) -> Path:
    """Write the price-block file (parents created)."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(block_yaml(prices, command, ranges=ranges), encoding="utf-8")
    return out
