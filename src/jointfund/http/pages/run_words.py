"""A forecast run in the words of the page's language: amounts in millions or billions, each
target's probability with its error and estimator, and a comparison's deltas (dollars for means,
percentages for probabilities) with their paired errors."""

from __future__ import annotations

from typing import Any

from jointfund.forecast import (
    Comparison,
    ForecastRun,
    TargetCurve,
    census_url,
    upper_bound_95,
)
from jointfund.i18n import N_, gettext
from jointfund.i18n.forecast_words import output_words, usd_words


def _target(t: TargetCurve, paths: int, what: str) -> dict[str, str]:
    """One target's final-year probability, its error and its estimator, as shown."""
    rare = t.rare
    if rare is not None and rare.hits > 0:
        return {
            "target": gettext(what).format(amount=usd_words(t.target_usd)),
            "probability": f"{rare.prob:.3g}",
            "se": f"±{rare.se:.2g}",
            "upper95": "",
            "note": gettext(N_("importance sampling: {hits} of {paths} proposal paths hit")).format(
                hits=f"{rare.hits:,}", paths=f"{rare.paths:,}"
            ),
        }
    return {
        "target": gettext(what).format(amount=usd_words(t.target_usd)),
        "probability": f"{t.prob[-1]:.2%}",
        "se": f"±{t.se[-1]:.2%}",
        "upper95": f"{upper_bound_95(t.prob[-1], paths):.4%}",
        "note": "",
    }


def run_summary(run: ForecastRun) -> dict[str, Any]:
    """The headline numbers of a run, at its final year."""
    m = run.manifest
    cum = run.fans["cum_inflow"].values[-1]
    return {
        "scenario": m.scenario,
        "paths": m.paths,
        "years": m.years,
        "first_year": run.calendar_years[0],
        "last_year": run.calendar_years[-1],
        "seed": m.seed_entropy,
        "cum_inflow": {
            "p5": usd_words(cum[0]),
            "median": usd_words(cum[2]),
            "p95": usd_words(cum[4]),
        },
        "caveat": m.caveat,
        "drawn": sorted((m.parameter_uncertainty or {}).get("commodities", {})),
        "point": list((m.parameter_uncertainty or {}).get("point_estimates", [])),
        "census_url": census_url(m.scenario),
        "targets": [_target(t, m.paths, N_("U.S. recoupment ≥ {amount}")) for t in run.targets]
        + [_target(t, m.paths, N_("total inflow ≥ {amount}")) for t in run.inflow_targets],
        "survival": [
            {
                "partner": s.partner,
                "basis": s.basis,
                "never": f"{s.never:.2%}",
                "se": f"±{s.never_se:.2%}",
            }
            for s in run.survival
        ],
    }


def deltas(result: Comparison) -> list[dict[str, str]]:
    """The comparison's deltas as shown (dollars for means, percentages for probabilities):
    B − A with its error, paired when the runs share their random numbers."""
    out = []
    for d in result.deltas:
        se = d.se_paired if d.se_paired is not None else d.se_unpaired
        if d.output.startswith("P("):
            change = f"{d.delta:+.2%}".replace("-", "−")
            shown = [f"{v:.2%}" for v in (d.a, d.b)] + [change, f"±{se:.2%}"]
        else:
            shown = [
                usd_words(d.a),
                usd_words(d.b),
                ("+" if d.delta >= 0 else "−") + usd_words(abs(d.delta)),
            ]
            shown.append("±" + usd_words(se))
        out.append(dict(zip(("a", "b", "delta", "se"), shown, strict=True)))
        out[-1]["output"] = output_words(d.output)
    return out
