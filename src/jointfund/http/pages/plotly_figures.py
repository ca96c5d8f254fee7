"""Plotly figures as plain data (traces and layout) for the pages' charts; drawn in the browser."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from jointfund.forecast import Comparison, ForecastRun
from jointfund.http.pages.vocabulary import term
from jointfund.i18n import DEFAULT, N_, current, gettext, localise_numbers
from jointfund.i18n import gettext as _

Figure = dict[str, Any]
_BN = 1e9
_BLUE = "31,119,180"
_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf")


def _layout(title: str, y_title: str, **more: Any) -> dict[str, Any]:
    return {
        "title": {"text": title, "font": {"size": 14}},
        "yaxis": {"title": {"text": y_title}},
        "margin": {"l": 55, "r": 15, "t": 40, "b": 40},
        "legend": {"orientation": "h", "y": -0.2},
        "autosize": True,
        **more,
    }


def inflows_by_month(series: Mapping[str, Mapping[str, float]], months: Sequence[str]) -> Figure:
    """Stacked monthly bars of the fund's inflow (USD millions) with one colour per resource."""
    data = [
        {
            "type": "bar",
            "name": term(resource),
            "x": list(months),
            "y": [round(by_month.get(m, 0.0), 4) for m in months],
            "marker": {"color": _COLOURS[i % len(_COLOURS)]},
        }
        for i, (resource, by_month) in enumerate(sorted(series.items()))
    ]
    layout = _layout(_("Fund inflows by resource"), _("USD m"), barmode="stack")
    if current() != DEFAULT:  # Plotly names months in English only; numbers read everywhere
        layout["xaxis"] = {"tickformat": "%m.%Y"}
    return {"data": data, "layout": layout}


def conditional(run: ForecastRun, title: str) -> str:
    """A chart title that says the result is conditional on the scenario's assumptions."""
    note = gettext(N_("conditional on scenario {scenario}'s assumptions"))
    return f"{title}<br><sub>{note.format(scenario=run.manifest.scenario)}</sub>"


def fan(run: ForecastRun, series: str, title: str) -> Figure:
    """A percentile fan (5-95 and 25-75 bands, median) of one yearly series in USD bn."""
    years = list(run.calendar_years)
    values = run.fans[series].values
    col = [[row[k] / _BN for row in values] for k in range(5)]

    def band(low: list[float], high: list[float], name: str, alpha: float) -> list[Figure]:
        edge = {"width": 0}
        return [
            {"type": "scatter", "x": years, "y": high, "mode": "lines", "line": edge,
             "showlegend": False, "hoverinfo": "skip", "name": name},
            {"type": "scatter", "x": years, "y": low, "mode": "lines", "line": edge,
             "fill": "tonexty", "fillcolor": f"rgba({_BLUE},{alpha})", "name": name},
        ]  # fmt: skip

    data = [
        *band(col[0], col[4], "5-95%", 0.2),
        *band(col[1], col[3], "25-75%", 0.4),
        {"type": "scatter", "x": years, "y": col[2], "mode": "lines", "name": _("median"),
         "line": {"color": f"rgb({_BLUE})"}},
    ]  # fmt: skip
    return {"data": data, "layout": _layout(conditional(run, gettext(title)), _("USD bn"))}


def p_target(run: ForecastRun) -> Figure:
    """P(U.S. recoupment >= target in the year) and P(total inflow >= target by the year) per
    target, with a ±2 standard error band."""
    years = list(run.calendar_years)
    data: list[Figure] = []
    curves = [(N_("U.S. recoupment ≥ {amount}"), c) for c in run.targets]
    curves += [(N_("total inflow ≥ {amount}"), c) for c in run.inflow_targets]
    for i, (what, curve) in enumerate(curves):
        colour = _COLOURS[i % len(_COLOURS)]
        amount = localise_numbers(f"{curve.target_usd / _BN:,.1f}")
        label = gettext(what).format(amount=gettext(N_("${amount} bn")).format(amount=amount))
        high = [min(p + 2 * s, 1.0) for p, s in zip(curve.prob, curve.se, strict=True)]
        low = [max(p - 2 * s, 0.0) for p, s in zip(curve.prob, curve.se, strict=True)]
        data += [
            {"type": "scatter", "x": years, "y": high, "mode": "lines", "line": {"width": 0},
             "showlegend": False, "hoverinfo": "skip", "legendgroup": label},
            {"type": "scatter", "x": years, "y": low, "mode": "lines", "line": {"width": 0},
             "fill": "tonexty", "fillcolor": colour + "44", "showlegend": False,
             "hoverinfo": "skip", "legendgroup": label},
            {"type": "scatter", "x": years, "y": list(curve.prob), "mode": "lines",
             "name": label, "line": {"color": colour}, "legendgroup": label},
        ]  # fmt: skip
    layout = _layout(
        conditional(run, _("P(measure ≥ comparison line by year; lines, not debts), ±2 s.e.")),
        _("probability"),
    )
    layout["yaxis"]["range"] = [-0.02, 1.02]
    return {"data": data, "layout": layout}


def survival(run: ForecastRun) -> Figure:
    """P(partner not yet recouped) by year, one step line per partner and basis."""
    years = list(run.calendar_years)
    data = [
        {
            "type": "scatter",
            "x": years,
            "y": list(s.survival),
            "mode": "lines",
            "line": {"shape": "hv", "color": _COLOURS[i % len(_COLOURS)]},
            "name": f"{s.partner} ({s.basis}); never {s.never:.1%}",
        }
        for i, s in enumerate(run.survival)
    ]
    layout = _layout(conditional(run, _("P(not yet recouped) by year")), _("probability"))
    layout["yaxis"]["range"] = [-0.02, 1.02]
    return {"data": data, "layout": layout}


def tornado(run: ForecastRun) -> Figure | None:
    """Horizontal bars of the output as each input moves from its P10 to its P90."""
    if run.tornado is None or not run.tornado.bars:
        return None
    bars = list(reversed(run.tornado.bars))
    lows = [min(b.output_low, b.output_high) for b in bars]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "y": [b.name for b in bars],
            "x": [abs(b.output_high - b.output_low) for b in bars],
            "base": lows,
            "marker": {"color": f"rgb({_BLUE})"},
            "name": _("P10-P90 swing"),
        }
    ]
    layout = _layout(
        conditional(run, gettext(N_("Tornado: {output}")).format(output=run.tornado.output)),
        "",
    )
    layout["shapes"] = [
        {"type": "line", "x0": run.tornado.base, "x1": run.tornado.base, "yref": "paper",
         "y0": 0, "y1": 1, "line": {"color": "black", "width": 1}},
    ]  # fmt: skip
    layout["margin"]["l"] = 160
    return {"data": data, "layout": layout}


def comparison(result: Comparison) -> Figure:
    """Probability deltas (B − A) with ±2 standard error bars."""
    shown = [d for d in result.deltas if d.output.startswith("P(")]
    errors = [2 * (d.se_paired if d.se_paired is not None else d.se_unpaired) for d in shown]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "y": [d.output for d in shown],
            "x": [d.delta for d in shown],
            "error_x": {"type": "data", "array": errors, "visible": True},
            "marker": {"color": f"rgb({_BLUE})"},
            "name": "B − A",
        }
    ]
    what = _("probabilities")
    layout = _layout(f"{result.scenario_b} − {result.scenario_a}: {what}", "")
    layout["margin"]["l"] = 260
    return {"data": data, "layout": layout}


def run_figures(run: ForecastRun) -> dict[str, Figure]:
    """Every chart of a run, by name."""
    found = {
        "us_value": fan(run, "us_value", N_("U.S. recoupment (distributions + share of NAV)")),
        "fan": fan(run, "cum_inflow", N_("Total cumulative inflow (not U.S. recoupment)")),
        "nav": fan(run, "nav", N_("Fund NAV")),
        "p_target": p_target(run),
        "survival": survival(run),
    }
    bars = tornado(run)
    if bars is not None:
        found["tornado"] = bars
    return found
