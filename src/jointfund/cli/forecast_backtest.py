"""`jointfund forecast backtest`: the forecast from the books on an earlier day, against what
the books recorded after it."""

from __future__ import annotations

from typing import Annotated

import typer

from jointfund.cli.options import DbOption, JsonOption, TokenOption, acting, parse_day
from jointfund.cli.output import emit_json, out, table
from jointfund.forecast import load_scenario
from jointfund.forecast.backtest import backtest_dict
from jointfund.fund.forecast_books import forecast_backtest
from jointfund.i18n import N_, gettext
from jointfund.i18n.message import Message, localised

_TITLES = {
    "receipts": N_("Fund share of receipts paid in the year (USD at receipt rates)"),
    "inflow": N_("Inflow credited to Ukraine's capital in the year (transfers, USD)"),
    "nav": N_("NAV at the year end (USD)"),
    "capital_ua": N_("Ukraine's contributed capital at the year end (USD)"),
}


def backtest(
    scenario: Annotated[str, typer.Argument(help=N_("Bundled scenario name or a YAML file"))],
    from_day: Annotated[
        str, typer.Option("--from", help=N_("Start from the books on this day, YYYY-MM-DD"))
    ],
    to_year: Annotated[
        int | None,
        typer.Option("--to", help=N_("Last year to compare (default: the books' latest year)")),
    ] = None,
    paths: Annotated[int, typer.Option("--paths", min=2)] = 10_000,
    seed: Annotated[int | None, typer.Option("--seed")] = None,
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Run the forecast from the books on an earlier day and show where what the books
    recorded later falls in its fans (percentile, 50 % and 90 % band coverage)."""
    opened, actor = acting(token, db)
    day = parse_day(from_day, "--from")
    assert day is not None
    result = forecast_backtest(
        opened,
        actor,
        load_scenario(scenario),
        from_day=day,
        to_year=to_year,
        paths=paths,
        seed=seed,
    )
    if as_json:
        emit_json(backtest_dict(result))
        return
    said = Message(
        "scenario {scenario} from the books on {day}: {paths:,} paths, seed {seed}; "
        "bands: 50 % = P25-P75, 90 % = P5-P95",
        scenario=result.scenario,
        day=result.as_of,
        paths=result.paths,
        seed=result.seed_entropy,
    )
    out.print(localised(said))
    for name, rows in result.series.items():
        cover = result.coverage(name)
        table(
            localised(
                Message(
                    "{title}; coverage 50 %: {band_50:.0%}, 90 %: {band_90:.0%}",
                    title=gettext(_TITLES[name]),
                    band_50=cover["band_50"],
                    band_90=cover["band_90"],
                )
            ),
            ["year", "observed", "percentile", "P5", "P50", "P95", "in 50 %", "in 90 %"],
            [
                (
                    r.year,
                    f"{r.observed:,.0f}",
                    f"{r.percentile:.1f}",
                    f"{r.fan[0]:,.0f}",
                    f"{r.fan[2]:,.0f}",
                    f"{r.fan[4]:,.0f}",
                    "yes" if r.in_50 else "no",
                    "yes" if r.in_90 else "no",
                )
                for r in rows
            ],
        )
