"""`jointfund forecast calibrate|sensitivity|export`: the analyst's tools around a forecast."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer

from jointfund.cli.options import JsonOption
from jointfund.cli.output import emit_json, out, table
from jointfund.errors import InputError, Problem
from jointfund.forecast.priceblock import block_yaml, calibrate_series, report, write_block
from jointfund.forecast.pricedata import PriceSeries, read_prices, write_series_csv
from jointfund.i18n import N_, gettext
from jointfund.i18n.message import Message, localised

# The one sensitivity method offered (a name, the same in every language).
_SOBOL = "sobol"


def calibrate(
    prices: Annotated[
        list[Path],
        typer.Option(
            "--prices",
            help=N_("A Pink Sheet or USGS DS140 workbook (.xlsx), or a derived .csv; repeatable"),
        ),
    ],
    series: Annotated[
        list[str] | None,
        typer.Option(
            "--series",
            help=N_(
                "commodity=CODE, CODE or a default commodity (oil, natural_gas, thermal_coal, "
                "iron_ore, lithium); repeatable; default: every default series the files hold"
            ),
        ),
    ] = None,
    model: Annotated[str, typer.Option("--model", help=N_("auto (lower AIC), gbm or ou"))] = "auto",
    since: Annotated[int | None, typer.Option("--since", help=N_("First calendar year"))] = None,
    until: Annotated[int | None, typer.Option("--until", help=N_("Last calendar year"))] = None,
    out_file: Annotated[
        Path | None,
        typer.Option("--out", help=N_("Write the price block here (default: print it)")),
    ] = None,
    series_out: Annotated[
        Path | None,
        typer.Option("--series-out", help=N_("Also write the series used as a small derived CSV")),
    ] = None,
    ranges: Annotated[
        bool,
        typer.Option(
            "--ranges",
            help=N_(
                "Also write sensitivity.inputs spanning each fitted parameter's estimation "
                "uncertainty (they replace a scenario's inputs when merged)"
            ),
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Fit GBM and log-OU to published prices by exact maximum likelihood; write a price block."""
    specs = list(series or [])
    fitted = []
    used: list[PriceSeries] = []
    problems: list[Problem] = []
    for path in prices:
        found = read_prices(path)
        mine = [s for s in specs if _in_file(s, found)] if specs else []
        if specs and not mine:
            continue
        try:
            batch = calibrate_series(found, str(path), mine, model=model, since=since, until=until)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        fitted.extend(batch)
        used.extend(p.series for p in batch)
    unmatched = [
        s for s in specs if not any(_matches(s, p.series.code, p.mapping.commodity) for p in fitted)
    ]
    problems.extend(
        Problem(Message("no file holds series {series!r}", series=s), field="--series")
        for s in unmatched
    )
    if problems:
        raise InputError(problems)
    args = [a for path in prices for a in ("--prices", str(path))]
    args += [a for spec in specs for a in ("--series", spec)] + ["--model", model]
    args += ["--since", str(since)] if since is not None else []
    args += ["--until", str(until)] if until is not None else []
    args += ["--out", str(out_file)] if out_file is not None else []
    args += ["--ranges"] if ranges else []
    command = "jointfund forecast calibrate " + shlex.join(args)
    if out_file is not None:
        write_block(fitted, out_file, command, ranges=ranges)
    if series_out is not None:
        write_series_csv(used, series_out)
    if as_json:
        emit_json({"out": str(out_file) if out_file else None, "prices": report(fitted)})
        return
    if out_file is None:
        sys.stdout.write(block_yaml(fitted, command, ranges=ranges))
        return
    rows = []
    for p in fitted:
        c = p.calibration
        for i, (key, est) in enumerate(c.fit.params.items()):
            scale = p.mapping.factor if key == "long_run" else 1.0
            head = (
                (
                    p.mapping.commodity,
                    f"{p.series.code} {c.years[0]}-{c.years[-1]}",
                    c.chosen,
                    f"{c.adf_pvalue:.2f}",
                    "yes" if c.two_factor.identified else "no",
                )
                if i == 0
                else ("", "", "", "", "")
            )
            rows.append((*head, key, f"{est.value * scale:.4g}", f"{est.se * scale:.3g}"))
    table(
        localised(
            Message("Calibrated price models (block units), written to {file}", file=out_file)
        ),
        ["commodity", "series", "model", "ADF p", "2-factor", "parameter", "estimate", "s.e."],
        rows,
    )
    sources = "; ".join(sorted({p.series.attribution for p in fitted}))
    out.print(localised(Message("Data: {sources}", sources=sources)))


def _matches(spec: str, code: str, commodity: str) -> bool:
    name, _, given = spec.partition("=")
    target = (given or name).lower()
    return target in {code.lower(), commodity.lower()} or name.lower() == commodity.lower()


def _in_file(spec: str, found: list[PriceSeries]) -> bool:
    from jointfund.forecast.priceblock import DEFAULTS

    name, _, code = spec.partition("=")
    codes = {s.code.lower() for s in found}
    if code:
        return code.lower() in codes
    default = next((m for m in DEFAULTS if m.commodity == name.lower()), None)
    return name.lower() in codes or (default is not None and default.code.lower() in codes)


def sensitivity(
    scenario: Annotated[str, typer.Argument(help=N_("Bundled scenario name or a YAML file"))],
    method: Annotated[str, typer.Option("--method", help=N_("sobol (the only method)"))] = "sobol",
    n_base: Annotated[
        int,
        typer.Option("--n", help=N_("Base sample size N, a power of two; N (D + 2) evaluations")),
    ] = 256,
    paths: Annotated[
        int,
        typer.Option("--paths", min=2, help=N_("Paths per evaluation (the same paths each time)")),
    ] = 256,
    seed: Annotated[int | None, typer.Option("--seed")] = None,
    years: Annotated[int, typer.Option("--years", min=1, max=100)] = 40,
    output: Annotated[
        list[str] | None,
        typer.Option(
            "--output",
            help=N_(
                "cum_inflow_mean, cum_inflow_p50, nav_p50, us_value_never_recouped, "
                "us_cash_never_recouped or p_target:<usd>; repeatable (default: the scenario's)"
            ),
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=0,
            help=N_(
                "Processes to use (0: one per core, at most one per 4,096 evaluations); the "
                "indices do not depend on it"
            ),
        ),
    ] = 0,
    chart: Annotated[
        Path | None, typer.Option("--chart", help=N_("Directory for the PNG and SVG chart"))
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Sobol first- and total-order indices of an output over the scenario's uncertain inputs."""
    from jointfund.forecast import load_scenario
    from jointfund.forecast.sobol import sobol

    if method != _SOBOL:
        raise InputError(
            [
                Problem(
                    Message("unknown method {method!r}", method=method),
                    field="--method",
                    expected=_SOBOL,
                )
            ]
        )
    chosen = load_scenario(scenario)
    result = sobol(
        chosen,
        n_base=n_base,
        paths=paths,
        seed=seed,
        years=years,
        outputs=list(output or []),
        workers=workers,
    )
    files: list[Path] = []
    if chart is not None:
        from jointfund.forecast.sobol_charts import render_sobol_chart  # loads matplotlib

        files = render_sobol_chart(result, chart)
    if as_json:
        emit_json({**result.as_dict(), "charts": [str(f) for f in files]})
        return
    said = Message(
        "scenario {scenario}: Sobol indices, N = {n}, {evaluations:,} evaluations x {paths:,} "
        "paths, seed {seed}, {seconds:,.1f} s",
        scenario=result.scenario,
        n=result.n_base,
        evaluations=result.evaluations,
        paths=result.paths,
        seed=result.seed_entropy,
        seconds=result.seconds,
    )
    out.print(localised(said))
    for res in result.outputs:
        table(
            localised(
                Message(
                    "{output} (mean {mean:,.4g}; variance over the ranges {variance:,.4g})",
                    output=res.output,
                    mean=res.mean,
                    variance=res.variance,
                )
            ),
            ["input", "range", "S1", "±95%", "ST", "±95%", "low tenth", "high tenth"],
            [
                (
                    i.name,
                    localised(Message("{low:g} → {high:g}", low=i.low, high=i.high)),
                    f"{i.s1:.3f}",
                    f"{i.s1_conf:.3f}",
                    f"{i.st:.3f}",
                    f"{i.st_conf:.3f}",
                    f"{i.effect_low:,.4g}",
                    f"{i.effect_high:,.4g}",
                )
                for i in res.indices
            ],
        )
    out.print(gettext(result.note))
    for path in files:
        out.print(str(path))


def export(
    run_dir: Annotated[Path, typer.Argument(help=N_("A saved run's directory"))],
    fmt: Annotated[str, typer.Option("--format", help=N_("parquet or csv"))] = "parquet",
    out_dir: Annotated[Path, typer.Option("--out", help=N_("Directory for the files"))] = Path(
        "forecast-export"
    ),
    as_json: JsonOption = False,
) -> None:
    """Per-path yearly series, summaries, fans, P(target) and survival as Parquet or CSV."""
    from jointfund.forecast.run_export import export_run

    manifest = export_run(run_dir, out_dir, fmt)
    if as_json:
        emit_json({"out": str(out_dir), **manifest})
        return
    table(
        localised(
            Message("Exported {run} to {folder} ({fmt})", run=run_dir, folder=out_dir, fmt=fmt)
        ),
        ["table", "file", "rows"],
        [(name, info["file"], f"{info['rows']:,}") for name, info in manifest["files"].items()],
    )
    rev = manifest["code_revision"]
    code = rev.get("commit") or rev["version"]
    seed = manifest["seed_entropy"]
    where = out_dir / "manifest.json"
    said = (
        Message(
            "seed {seed}; code {code} (with local changes); manifest: {manifest}",
            seed=seed, code=code, manifest=where,
        )
        if rev.get("dirty")
        else Message("seed {seed}; code {code}; manifest: {manifest}",
                     seed=seed, code=code, manifest=where)
    )  # fmt: skip
    out.print(localised(said))
