"""Plotly figures as plain data (traces and layout) for the pages' charts; drawn in the browser."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from jointfund.forecast import Comparison, ForecastRun, TargetCurve, upper_bound_95
from jointfund.i18n import DEFAULT, N_, current, gettext, localise_numbers
from jointfund.i18n import gettext as _
from jointfund.i18n.vocabulary import term

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


def _target_label(what: str, target_usd: float) -> str:
    amount = localise_numbers(f"{target_usd / _BN:,.1f}")
    return gettext(what).format(amount=gettext(N_("${amount} bn")).format(amount=amount))


def _floor(*runs: ForecastRun) -> float:
    """The bottom of a probability axis: a decade below one path in the runs' paths, or below
    the smallest importance-sampling estimate shown."""
    low = min(0.5 / max(r.manifest.paths, 1) for r in runs)
    for run in runs:
        for curve in (*run.targets, *run.inflow_targets):
            if curve.rare is not None and curve.rare.hits > 0 and curve.rare.prob > 0:
                low = min(low, curve.rare.prob / 3)
    return float(10 ** math.floor(math.log10(low)))


def _curves(run: ForecastRun) -> list[tuple[str, TargetCurve]]:
    return [(N_("U.S. recoupment ≥ {amount}"), c) for c in run.targets] + [
        (N_("total inflow ≥ {amount}"), c) for c in run.inflow_targets
    ]


End = tuple[str, float, str]


def _probability_traces(
    run: ForecastRun, floor: float, *, dash: str = "solid", suffix: str = "", band: bool = True
) -> tuple[list[Figure], list[End], list[str]]:
    """Each target's curve on a log axis (zeros left out) with its ±2 s.e. band and, for the
    final year, its importance-sampling estimate; with the labels to write at the lines' ends
    and the targets no path reaches (which the caller draws once, at their 95 % bound)."""
    years = list(run.calendar_years)
    data: list[Figure] = []
    ends: list[End] = []
    unreached: list[str] = []
    for i, (what, curve) in enumerate(_curves(run)):
        colour = _COLOURS[i % len(_COLOURS)]
        label = _target_label(what, curve.target_usd)
        rare = curve.rare
        if max(curve.prob) <= 0:
            if rare is not None and rare.hits > 0 and rare.prob > 0:
                estimate = gettext(N_("{label}: importance sampling")).format(label=label)
                data.append(
                    {"type": "scatter", "x": [years[-1]], "y": [rare.prob], "mode": "markers",
                     "name": estimate + suffix, "showlegend": False,
                     "marker": {"color": colour, "symbol": "diamond", "size": 9}}
                )  # fmt: skip
                ends.append((estimate, rare.prob, colour))
            else:
                unreached.append(label)
            continue
        pairs = list(zip(curve.prob, curve.se, strict=True))
        if band:
            high = [min(p + 2 * e, 1.0) if p > 0 else None for p, e in pairs]
            low = [max(p - 2 * e, floor) if p > 0 else None for p, e in pairs]
            data += [
                {"type": "scatter", "x": years, "y": high, "mode": "lines", "line": {"width": 0},
                 "showlegend": False, "hoverinfo": "skip", "legendgroup": label + suffix},
                {"type": "scatter", "x": years, "y": low, "mode": "lines", "line": {"width": 0},
                 "fill": "tonexty", "fillcolor": colour + "33", "showlegend": False,
                 "hoverinfo": "skip", "legendgroup": label + suffix},
            ]  # fmt: skip
        data.append(
            {"type": "scatter", "x": years, "y": [p if p > 0 else None for p in curve.prob],
             "mode": "lines", "name": label + suffix, "line": {"color": colour, "dash": dash},
             "legendgroup": label + suffix}
        )  # fmt: skip
        ends.append((label, [p for p in curve.prob if p > 0][-1], colour))
    return data, ends, unreached


def _unreached(labels: list[str], paths: int, years: list[int]) -> tuple[list[Figure], list[End]]:
    """One dotted line at the 95 % upper bound for the targets no path reaches, each labelled."""
    if not labels:
        return [], []
    bound = upper_bound_95(0.0, paths)
    name = gettext(N_("95% bound: no path of {paths} reaches it")).format(
        paths=localise_numbers(f"{paths:,}")
    )
    line = {"type": "scatter", "x": years, "y": [bound] * len(years), "mode": "lines",
            "name": name, "line": {"color": "#5b6575", "dash": "dot"}}  # fmt: skip
    return [line], [(label, bound, "#5b6575") for label in labels]


def _end_labels(ends: list[End], x: int) -> list[Figure]:
    """A label at the end of each line, stacked downwards when labels would overlap."""
    out = []
    previous: float | None = None
    stack = 0
    for label, y, colour in sorted(ends, key=lambda e: -e[1]):
        level = math.log10(y)
        stack = stack + 1 if previous is not None and previous - level < 0.15 else 0
        previous = level if stack == 0 else previous
        out.append(
            {"x": x, "y": level, "xref": "x", "yref": "y", "text": label, "showarrow": False,
             "xanchor": "right", "yanchor": "bottom" if stack == 0 else "top",
             "yshift": 0 if stack == 0 else -13 * (stack - 1) - 2,
             "font": {"size": 10, "color": colour}, "bgcolor": "rgba(255,255,255,0.7)"}
        )  # fmt: skip
    return out


def _log_layout(title: str, floor: float, ends: list[End], x: int) -> Figure:
    layout = _layout(title, _("probability (log scale)"))
    decades = -math.floor(math.log10(floor))
    layout["yaxis"] |= {
        "type": "log",
        "range": [math.log10(floor), 0.05],
        "exponentformat": "power",
        "dtick": 1 if decades <= 6 else 2 if decades <= 12 else 3,
    }
    layout["height"] = 460
    layout["annotations"] = _end_labels(ends, x)
    layout["margin"]["b"] = 60
    return layout


def p_target(run: ForecastRun) -> Figure:
    """P(U.S. recoupment >= target in the year) and P(total inflow >= target by the year) per
    target on a log axis, each line labelled with its target, with a ±2 standard error band;
    the targets no path reaches share one dotted line at their 95 % upper bound."""
    floor = _floor(run)
    data, ends, unreached = _probability_traces(run, floor)
    lines, more = _unreached(unreached, run.manifest.paths, list(run.calendar_years))
    title = conditional(run, _("P(measure ≥ comparison line by year; lines, not debts), ±2 s.e."))
    layout = _log_layout(title, floor, ends + more, run.calendar_years[-1])
    return {"data": data + lines, "layout": layout}


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


_WHATIF = "255,127,14"


def _fan_band(run: ForecastRun, series: str, rgb: str, name: str, dash: str) -> list[Figure]:
    """One run's 5-95 % band and median of a yearly series in USD bn, named `name`."""
    years = list(run.calendar_years)
    values = run.fans[series].values
    low, mid, high = ([row[k] / _BN for row in values] for k in (0, 2, 4))
    band = gettext(N_("{name}: 5-95%")).format(name=name)
    median = gettext(N_("{name}: median")).format(name=name)
    return [
        {"type": "scatter", "x": years, "y": high, "mode": "lines", "line": {"width": 0},
         "showlegend": False, "hoverinfo": "skip", "legendgroup": name},
        {"type": "scatter", "x": years, "y": low, "mode": "lines", "line": {"width": 0},
         "fill": "tonexty", "fillcolor": f"rgba({rgb},0.22)", "name": band, "legendgroup": name},
        {"type": "scatter", "x": years, "y": mid, "mode": "lines", "name": median,
         "line": {"color": f"rgb({rgb})", "dash": dash}, "legendgroup": name},
    ]  # fmt: skip


def _overlaid(title: str) -> str:
    """A what-if chart's title with the note that both runs share their paths (the what-if's
    assumptions are stated above the charts, its name is too long for a phone)."""
    note = _("base solid, what-if dashed; same random paths")
    return f"{gettext(title)}<br><sub>{note}</sub>"


def overlaid_fan(base: ForecastRun, whatif: ForecastRun, series: str, title: str) -> Figure:
    """The base's and the what-if's fans of one series on one chart (same years, same paths)."""
    data = [
        *_fan_band(base, series, _BLUE, _("base"), "solid"),
        *_fan_band(whatif, series, _WHATIF, _("what-if"), "dash"),
    ]
    return {"data": data, "layout": _layout(_overlaid(title), _("USD bn"))}


def overlaid_p_target(base: ForecastRun, whatif: ForecastRun) -> Figure:
    """Both runs' P(target) curves on one log axis: base solid, what-if dashed, same colour per
    target, each labelled at its end; targets neither run reaches share one dotted bound."""
    floor = _floor(base, whatif)
    base_data, base_ends, base_none = _probability_traces(
        base, floor, suffix=" · " + _("base"), band=False
    )
    what_data, what_ends, what_none = _probability_traces(
        whatif, floor, dash="dash", suffix=" · " + _("what-if")
    )
    neither = [label for label in what_none if label in base_none]
    lines, more = _unreached(neither, whatif.manifest.paths, list(whatif.calendar_years))
    reached = {label for label, _y, _c in what_ends}
    ends = what_ends + [e for e in base_ends if e[0] not in reached] + more
    title = _overlaid(N_("P(measure ≥ comparison line by year)"))
    layout = _log_layout(title, floor, ends, whatif.calendar_years[-1])
    return {"data": base_data + what_data + lines, "layout": layout}


def whatif_figures(base: ForecastRun, whatif: ForecastRun) -> dict[str, Figure]:
    """The what-if's charts, each overlaid on its base."""
    return {
        "whatif_fan": overlaid_fan(base, whatif, "cum_inflow", N_("Cumulative inflow")),
        "whatif_us_value": overlaid_fan(base, whatif, "us_value", N_("U.S. recoupment")),
        "whatif_nav": overlaid_fan(base, whatif, "nav", N_("Fund NAV")),
        "whatif_p_target": overlaid_p_target(base, whatif),
    }


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
