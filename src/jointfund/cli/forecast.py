"""`jointfund forecast run|show|compare|charts|scenarios`: the analyst's Monte Carlo."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from jointfund.cli import forecast_analysis, forecast_backtest
from jointfund.cli.options import DbOption, JsonOption, TokenOption, acting, parse_day
from jointfund.cli.output import emit_json, err, out, table
from jointfund.config import Settings
from jointfund.forecast import (
    ForecastRun,
    Levers,
    Scenario,
    TargetCurve,
    compare_runs,
    derive,
    load_run,
    load_scenario,
    parameters_said,
    run_forecast,
    save_run,
    scenario_names,
    summary_json,
    upper_bound_95,
)
from jointfund.fund.forecast_books import forecast_start
from jointfund.i18n import DEFAULT, N_, current, gettext, localise_numbers, wording
from jointfund.i18n.forecast_words import output_words
from jointfund.i18n.message import Message, localised

app = typer.Typer(
    help=N_("Forecast fund inflows, NAV and recoupment by Monte Carlo."), no_args_is_help=True
)
RunArg = Annotated[Path, typer.Argument(help=N_("A saved run's directory"))]
PriceFactor = Annotated[
    float,
    typer.Option("--price-factor", help=N_("What-if: multiply every price path (0.25..4)")),
]
LicenceShift = Annotated[
    int,
    typer.Option("--licence-shift", help=N_("What-if: licences this many years later (-5..15)")),
]
TerritoryLever = Annotated[
    str,
    typer.Option("--territory", help=N_("What-if: moderate (as the scenario), frozen or return")),
]
InKindLever = Annotated[
    str, typer.Option("--in-kind", help=N_("What-if: usai (as the scenario), none or larger"))
]


def with_levers(
    scenario: str, price_factor: float, licence_shift: int, territory: str, in_kind: str
) -> Scenario:
    """The scenario, or (when a lever moved) the what-if derived from a term sheet's scenario."""
    chosen = load_scenario(scenario)
    levers = Levers(price_factor, licence_shift, territory, in_kind)  # type: ignore[arg-type]
    return chosen if levers == Levers() else derive(chosen, levers)


app.command("calibrate")(forecast_analysis.calibrate)
app.command("sensitivity")(forecast_analysis.sensitivity)
app.command("export")(forecast_analysis.export)
app.command("backtest")(forecast_backtest.backtest)


def _usd(value: float) -> str:
    if abs(value) >= 1e8:
        return localised(Message("${amount:,.2f} bn", amount=value / 1e9))
    return localised(Message("${amount:,.1f} m", amount=value / 1e6))


def _probability(curve: TargetCurve, paths: int) -> tuple[str, str, str, str]:
    """Final-year probability, its error, a 95% bound and the estimator, for the summary table."""
    rare = curve.rare
    if rare is None:
        bound = f"{upper_bound_95(curve.prob[-1], paths):.4%}"
        plain = localised(Message("plain MC ({paths:,})", paths=paths))
        return f"{curve.prob[-1]:.4%}", f"±{curve.se[-1]:.4%}", bound, plain
    plain_hits = curve.hits[-1] if curve.hits else 0
    if rare.hits == 0:
        return (
            localised(Message("0 hits")),
            "-",
            f"{upper_bound_95(0.0, paths):.4%}",
            localised(
                Message(
                    "IS: 0 of {paths:,}; {plain} plain hits", paths=rare.paths, plain=plain_hits
                )
            ),
        )
    return (
        f"{rare.prob:.3g}",
        f"±{rare.se:.2g}",
        "-",
        localised(
            Message(
                "IS ({hits:,} of {paths:,} hit, ESS {ess:,.0f}); {plain} plain hits",
                hits=rare.hits,
                paths=rare.paths,
                ess=rare.ess,
                plain=plain_hits,
            )
        ),
    )


def _print_summary(run: ForecastRun, where: Path | None) -> None:
    m = run.manifest
    horizon = run.calendar_years[-1]
    said = localised(
        Message(
            "scenario {scenario}: {paths:,} paths x {years} years ({first}-{last}), seed {seed}",
            scenario=m.scenario,
            paths=m.paths,
            years=m.years,
            first=run.calendar_years[0],
            last=horizon,
            seed=m.seed_entropy,
        )
    )
    if m.as_of:
        said += localised(Message(", from the books on {day}", day=m.as_of))
    if where:
        said += localised(Message(", saved in {folder}", folder=where))
    out.print(said)
    if m.caveat:
        out.print(wording.said(m.caveat))
    if m.parameter_uncertainty:
        out.print(localised(parameters_said(m.parameter_uncertainty)))
    for key, title in (
        ("us_value", N_("U.S. recoupment (distributions + U.S. share of NAV)")),
        ("cum_inflow", N_("Total cumulative Ukrainian inflow into the fund (not U.S. recoupment)")),
    ):
        series = run.fans.get(key)
        if series is None:
            continue
        pct = list(series.percentiles)
        rows = []
        for i, year in enumerate(run.calendar_years):
            if year in (run.calendar_years[0] + 10, horizon) or i == 0:
                values = series.values[i]
                se = f" ±{_usd(series.mean_se[i])}" if series.mean_se else ""
                rows.append(
                    (
                        year,
                        _usd(series.mean[i]) + se,
                        *(_usd(values[pct.index(float(p))]) for p in (5, 50, 95)),
                    )
                )
        table(title, ["year", "mean ± MC s.e.", "P5", "median", "P95"], rows)
    for curves, title in (
        (
            run.targets,
            localised(Message("P(U.S. recoupment >= target in {year})", year=horizon)),
        ),
        (
            run.inflow_targets,
            localised(
                Message("P(total inflow >= target by {year}) (not U.S. recoupment)", year=horizon)
            ),
        ),
    ):
        if curves:
            table(
                title,
                ["target", "probability", "MC std. error", "95% upper bound", "estimator"],
                [(_usd(t.target_usd), *_probability(t, m.paths)) for t in curves],
            )
    table(
        "Recoupment of own capital within the horizon",
        ["partner", "basis", "P(not recouped)", "MC std. error"],
        [(s.partner, s.basis, f"{s.never:.2%}", f"±{s.never_se:.2%}") for s in run.survival],
    )


@app.command("scenarios")
def scenarios(as_json: JsonOption = False) -> None:
    """The bundled scenarios."""
    names = scenario_names()
    if as_json:
        emit_json(names)
    else:
        for name in names:
            out.print(name)


@app.command("run")
def run(
    scenario: Annotated[str, typer.Argument(help=N_("Bundled scenario name or a YAML file"))],
    paths: Annotated[int, typer.Option("--paths", min=1)] = 10_000,
    seed: Annotated[int | None, typer.Option("--seed")] = None,
    years: Annotated[int, typer.Option("--years", min=1, max=100)] = 40,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help=N_("Dask scheduler address, e.g. tcp://host:8786")),
    ] = None,
    antithetic: Annotated[bool, typer.Option("--antithetic")] = False,
    tornado: Annotated[
        bool, typer.Option("--tornado", help=N_("Also compute the tornado"))
    ] = False,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help=N_("Directory to save the run in"))
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help=N_("Start from the books on this day, YYYY-MM-DD (needs --db)")
        ),
    ] = None,
    price_factor: PriceFactor = 1.0,
    licence_shift: LicenceShift = 0,
    territory: TerritoryLever = "moderate",
    in_kind: InKindLever = "usai",
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Run a scenario, save it with its manifest, print the summary."""
    chosen = with_levers(scenario, price_factor, licence_shift, territory, in_kind)
    start = None
    if as_of is not None:
        day = parse_day(as_of, "--as-of")
        assert day is not None
        opened, actor = acting(token, db)
        start = forecast_start(opened, actor, chosen, as_of=day)
        if start.unmatched:
            said = Message(
                "licences whose deposit the scenario's register does not hold (not modelled): "
                "{licences}",
                licences=", ".join(start.unmatched),
            )
            err.print(localised(said))
    if as_json or not err.is_terminal:
        result = run_forecast(
            chosen,
            paths=paths,
            seed=seed,
            years=years,
            scheduler=scheduler,
            antithetic=antithetic,
            sensitivity=tornado,
            start=start,
        )
    else:
        with Progress(
            TextColumn("simulating"),
            BarColumn(),
            TextColumn("{task.completed:,}/{task.total:,} paths"),
            TimeRemainingColumn(),
            console=err,
            transient=True,
        ) as bar:
            task = bar.add_task("paths", total=paths)
            result = run_forecast(
                chosen,
                paths=paths,
                seed=seed,
                years=years,
                scheduler=scheduler,
                antithetic=antithetic,
                sensitivity=tornado,
                start=start,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    where = out_dir or Settings().runs_dir / f"{result.manifest.scenario}-{stamp}"
    save_run(result, where)
    if as_json:
        emit_json({"run": str(where), **summary_json(result)})
    else:
        _print_summary(result, where)


@app.command("show")
def show(run_dir: RunArg, as_json: JsonOption = False) -> None:
    """Print a saved run's summary."""
    result = load_run(run_dir)
    if as_json:
        emit_json(summary_json(result))
    else:
        _print_summary(result, None)


@app.command("provenance")
def provenance(
    scenario: Annotated[str, typer.Argument(help=N_("Bundled scenario name or a YAML file"))],
    years: Annotated[int, typer.Option("--years", min=1, max=100)] = 40,
    top: Annotated[
        int, typer.Option("--top", min=0, help=N_("Numbers listed by inflow share"))
    ] = 15,
    price_factor: PriceFactor = 1.0,
    licence_shift: LicenceShift = 0,
    territory: TerritoryLever = "moderate",
    in_kind: InKindLever = "usai",
    as_json: JsonOption = False,
) -> None:
    """Census of the scenario's numbers: sourced, assumed, share of the mean each enters."""
    from jointfund.forecast.provenance import census

    chosen = with_levers(scenario, price_factor, licence_shift, territory, in_kind)
    result = census(chosen, years=years)
    if as_json:
        emit_json(result.as_dict())
        return
    said = Message(
        "scenario {scenario}: {count} numbers; inflow shares from {paths:,} paths over "
        "{years} years",
        scenario=result.scenario,
        count=sum(result.counts.values()),
        paths=result.paths,
        years=result.horizon_years,
    )
    out.print(localised(said))
    table(
        "Provenance census",
        ["status", "numbers", "mean inflow touched", "mean inflow by its scale (capacity)"],
        [
            (
                s,
                str(result.counts[s]),
                f"{result.mean_touched[s]:.1%}",
                f"{result.scale_share[s]:.1%}",
            )
            for s in ("sourced", "assumed", "uncovered")
        ],
    )
    sourced = Message(
        "share of the mean inflow resting on sourced numbers only: {share:.1%}",
        share=result.fully_sourced,
    )
    out.print(localised(sourced))
    weak = [n for n in result.numbers if n.status != "sourced" and n.share_of_mean]
    common = sum(1 for n in weak if (n.share_of_mean or 0.0) > 0.999)
    every = Message(
        "{count} assumed numbers enter every component (territory, timing, fund share)",
        count=common,
    )
    out.print(localised(every))
    ranked = sorted(
        (n for n in weak if (n.share_of_mean or 0.0) <= 0.999),
        key=lambda n: -(n.share_of_mean or 0.0),
    )[:top]
    if ranked:
        table(
            "Assumed numbers specific to some components, by the expected inflow they enter",
            ["number", "value", "share of mean", "assumption"],
            [
                (n.path, f"{n.value:,.6g}", f"{n.share_of_mean or 0.0:.1%}", n.label[:70])
                for n in ranked
            ],
        )
    for n in result.numbers:
        if n.status == "uncovered":
            uncovered = Message(
                "uncovered: {path} = {value:g} (no source states it, no assumption names it)",
                path=n.path,
                value=n.value,
            )
            err.print(localised(uncovered))


@app.command("compare")
def compare(a: RunArg, b: RunArg, as_json: JsonOption = False) -> None:
    """Deltas (B − A) and their standard errors; paired when both ran on the same random numbers."""
    result = compare_runs(load_run(a), load_run(b))
    if as_json:
        emit_json(result.as_dict())
        return
    note = gettext(
        N_("paired on common random numbers") if result.paired else N_("unpaired (different seeds)")
    )
    table(
        f"{result.scenario_b} − {result.scenario_a} ({note})",
        ["output", "A", "B", "B − A", "std. error"],
        [
            (
                d.output if current() == DEFAULT else localise_numbers(output_words(d.output)),
                f"{d.a:,.4g}",
                f"{d.b:,.4g}",
                f"{d.delta:,.4g}",
                f"±{(d.se_paired if d.se_paired is not None else d.se_unpaired):,.3g}",
            )
            for d in result.deltas
        ],
    )


@app.command("charts")
def charts(
    run_dir: RunArg,
    out_dir: Annotated[Path, typer.Option("--out", help=N_("Directory for the PNG and SVG files"))],
    as_json: JsonOption = False,
) -> None:
    """Draw the fan chart, P(target) curve, survival curves and tornado as PNG and SVG."""
    from jointfund.forecast.run_charts import render_charts  # loads matplotlib: only here

    files = render_charts(load_run(run_dir), out_dir)
    if as_json:
        emit_json([str(f) for f in files])
    else:
        for path in files:
            out.print(str(path))
