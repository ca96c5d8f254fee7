"""Commands for fund operations: contributions, investments, capital, metrics, statements."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Annotated, Any

import typer

from jointfund.cli.options import (
    DbOption,
    JsonOption,
    TokenOption,
    acting,
    parse_day,
    parse_minor,
    required_day,
)
from jointfund.cli.output import emit_json, err, out, table
from jointfund.clock import utcnow
from jointfund.config import Settings
from jointfund.errors import InputError, Problem
from jointfund.fund import capital as capital_cases
from jointfund.fund import contributions as contribution_cases
from jointfund.fund import metrics as metric_cases
from jointfund.fund import statements as statement_cases
from jointfund.fund.contributions import ContributionRow
from jointfund.fund.figures import metrics_figures
from jointfund.fund.metrics import Performance
from jointfund.fund.position import BRIDGE_LABELS
from jointfund.i18n import N_, gettext, localise_numbers
from jointfund.i18n.message import Message, localised
from jointfund.ledger.chart import REPORTING_CURRENCY
from jointfund.money import format_amount

USD = REPORTING_CURRENCY  # the books' one reporting currency (ledger.chart)
_CAPITAL = ("contributions", "income", "unrealised", "distributions", "closing")


def _amount(text: str, currency: str, option: str) -> int:
    return parse_minor(text, currency, option, Message("e.g. 75000000.00"))


def _usd(minor: int) -> str:
    return format_amount(minor, USD, grouping=True)


def _ratio(value: Fraction | None, places: int = 4) -> str | None:
    if value is None:
        return None
    return str(round(Decimal(value.numerator) / Decimal(value.denominator), places))


def _opt(minor: int | None, currency: str = USD) -> str | None:
    return None if minor is None else format_amount(minor, currency)


def _contribution_json(row: ContributionRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "partner": row.partner,
        "form": row.form,
        "kind": row.kind,
        "value_date": row.value_date.isoformat(),
        "currency": row.currency,
        "amount": _opt(row.amount, row.currency),
        "usd_amount": _opt(row.usd_amount),
        "reference": row.reference,
        "description": row.description,
        "approved_basis": row.approved_basis,
        "approved_value": _opt(row.approved_value),
        "proposal_id": row.proposal_id,
    }


app = typer.Typer(help=N_("Contributions in cash and in kind."), no_args_is_help=True)


@app.command("add-cash")
def add_cash(
    partner: Annotated[str, typer.Option("--partner", help=N_("US or UA"))],
    amount: Annotated[str, typer.Option("--amount", help=N_("Decimal amount, e.g. 75000000.00"))],
    value_date: Annotated[str, typer.Option("--date", help=N_("Value date, YYYY-MM-DD"))],
    reference: Annotated[str, typer.Option("--reference", help=N_("Bank reference (idempotency)"))],
    currency: Annotated[str, typer.Option("--currency")] = USD,
    rate: Annotated[
        str | None, typer.Option("--rate", help=N_("USD per unit of a non-USD currency"))
    ] = None,
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Book a cash contribution to the partner's capital (re-running it changes nothing)."""
    opened, actor = acting(token, db)
    usd_rate = None
    if rate is not None:
        try:
            usd_rate = Decimal(rate)
        except InvalidOperation:
            raise InputError(
                [Problem(Message("not a rate: {rate!r}", rate=rate), field="--rate")]
            ) from None
    row, created = contribution_cases.record_cash(
        opened,
        actor,
        partner=partner,
        amount_minor=_amount(amount, currency, "--amount"),
        currency=currency,
        value_date=required_day(value_date, "--date"),
        reference=reference,
        usd_rate=usd_rate,
    )
    if as_json:
        emit_json({**_contribution_json(row), "created": created})
    else:
        parts = {
            "id": row.id,
            "partner": partner,
            "amount": localise_numbers(amount),
            "currency": currency,
        }
        said = (
            Message("contribution {id} booked: {partner} {amount} {currency}", **parts)
            if created
            else Message("contribution {id} already booked: {partner} {amount} {currency}", **parts)
        )  # fmt: skip
        out.print(localised(said))


@app.command("list")
def list_contributions(
    as_of: Annotated[str | None, typer.Option("--as-of", help=N_("YYYY-MM-DD"))] = None,
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Contributions by value date; in kind only once the board approved its assessed value
    (`contributions in-kind list` shows the reports still on their way)."""
    opened, actor = acting(token, db)
    rows = contribution_cases.list_all(opened, actor, as_of=parse_day(as_of, "--as-of"))
    if as_json:
        emit_json([_contribution_json(r) for r in rows])
        return
    table(
        "Contributions",
        ["id", "date", "partner", "form", "amount", "to capital", "reference"],
        [
            (
                r.id,
                r.value_date.isoformat(),
                r.partner,
                r.form if r.form != "in_kind" else f"in kind ({r.approved_basis or 'pending'})",
                format_amount(r.amount, r.currency, grouping=True) + f" {r.currency}"
                if r.amount is not None
                else " / ".join(f"{b}={_usd(v)}" for b, v in sorted(r.values.items())),
                _usd(r.usd_amount or r.approved_value or 0),
                r.reference,
            )
            for r in rows
        ],
    )


def capital(
    as_of: Annotated[str | None, typer.Option("--as-of", help=N_("YYYY-MM-DD"))] = None,
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Capital accounts and ownership per partner, as booked (in-kind aid at its approved
    assessed value only; the forecast's in-kind scenarios analyse other values)."""
    opened, actor = acting(token, db)
    day = parse_day(as_of, "--as-of")
    found = capital_cases.capital_accounts(opened, actor, as_of=day)
    if as_json:
        emit_json(
            {
                "as_of": as_of,
                "partners": {
                    p: {
                        **{f: format_amount(int(getattr(a, f)), USD) for f in _CAPITAL},
                        "share": str(a.share),
                        "share_pct": _ratio(a.share * 100, 4),
                    }
                    for p, a in found.accounts.items()
                },
                "unallocated": format_amount(found.unallocated, USD),
            }
        )
        return
    table(
        localised(Message("Capital accounts as of {day} (USD)", day=as_of))
        if as_of
        else localised(Message("Capital accounts (USD)")),
        ["partner", *_CAPITAL, "share %"],
        [
            (p, *(_usd(int(getattr(a, f))) for f in _CAPITAL), _ratio(a.share * 100, 2))
            for p, a in found.accounts.items()
        ],
    )


def _perf_json(p: Performance) -> dict[str, Any]:
    return {
        "paid_in": format_amount(p.paid_in, USD),
        "distributed": format_amount(p.distributed, USD),
        "nav": format_amount(p.nav, USD),
        "irr": None if p.irr is None else round(p.irr, 6),
        "tvpi": _ratio(p.tvpi),
        "dpi": _ratio(p.dpi),
        "rvpi": _ratio(p.rvpi),
    }


def metrics(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help=N_("YYYY-MM-DD (default today)"))
    ] = None,
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """NAV, IRR, TVPI, DPI, RVPI for the fund and each partner, and comparison lines."""
    opened, actor = acting(token, db)
    day = parse_day(as_of, "--as-of") or utcnow().date()
    found = metric_cases.fund_metrics(
        opened, actor, as_of=day, stale_after_days=Settings().fx_stale_days
    )
    for warning in found.warnings:
        err.print(localised(Message("warning: {warning}", warning=warning)), markup=False)
    figures = metrics_figures(found)
    if as_json:
        emit_json(figures)
        return
    nav = {"day": day, "total": localise_numbers(_usd(found.nav.total))}
    said = (
        Message("NAV on {day}: {total} USD", **nav)
        if found.nav.complete
        else Message("NAV on {day}: {total} USD (incomplete)", **nav)
    )
    out.print(localised(said))
    table(
        "Capital and share of NAV (USD)",
        ["partner", "closing capital", "share %", "NAV share"],
        [
            (p, _usd(x.closing), _ratio(x.share * 100, 4), _usd(x.nav_share))
            for p, x in found.position.partners.items()
        ],
    )
    table(
        "From partners' capital to NAV (USD)",
        ["item", "amount"],
        [(BRIDGE_LABELS[k], _usd(v)) for k, v in found.position.bridge],
    )
    perf = {"fund": found.fund, **found.partners}
    table(
        "Performance",
        ["", "paid in", "distributed", "NAV", "IRR", "TVPI", "DPI", "RVPI"],
        [
            (
                k,
                _usd(v.paid_in),
                _usd(v.distributed),
                _usd(v.nav),
                "" if v.irr is None else f"{v.irr:.2%}",
                _ratio(v.tvpi) or "",
                _ratio(v.dpi) or "",
                _ratio(v.rvpi) or "",
            )
            for k, v in perf.items()
        ],
    )
    table(
        "Comparison lines (not debts: the Agreement creates none)",
        ["line", "received %", "with NAV %"],
        [(r["target"], r["received_pct"], r["with_nav_pct"]) for r in figures["recoupment"]],
    )


def statement(
    partner: Annotated[str, typer.Option("--partner", help=N_("US or UA"))],
    quarter: Annotated[str, typer.Option("--quarter", help=N_("e.g. 2026Q1"))],
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """ILPA-style capital account statement for a partner and quarter."""
    opened, actor = acting(token, db)
    found = statement_cases.capital_statement(
        opened, actor, partner, quarter, stale_after_days=Settings().fx_stale_days
    )
    for warning in found.warnings:
        err.print(localised(Message("warning: {warning}", warning=warning)), markup=False)
    if as_json:
        emit_json(
            {
                "partner": found.partner,
                "quarter": found.quarter.label,
                "complete": found.complete,
                "warnings": list(found.warnings),
                "closing": format_amount(found.closing, USD),
                "lines": {label: format_amount(v, USD) for label, v in found.rows()},
                "ownership": str(found.ownership),
                "nav_share": format_amount(found.nav_share, USD),
                "performance": _perf_json(found.performance),
            }
        )
        return
    table(
        localised(
            Message(
                "Capital account statement: {partner}, {quarter} ({start} to {end}), USD",
                partner=found.partner,
                quarter=found.quarter.label,
                start=found.quarter.start,
                end=found.quarter.end,
            )
            if found.complete
            else Message(
                "Capital account statement: {partner}, {quarter} ({start} to {end}), USD "
                "(NAV incomplete: a balance has no FX rate)",
                partner=found.partner,
                quarter=found.quarter.label,
                start=found.quarter.start,
                end=found.quarter.end,
            )
        ),
        ["line", "amount"],
        [(label, _usd(v)) for label, v in found.rows()],
    )
    p = found.performance
    said = Message(
        "ownership {ownership}%; NAV share {nav_share}; IRR {irr}; TVPI {tvpi}; DPI {dpi}; "
        "RVPI {rvpi}",
        ownership=localise_numbers(_ratio(found.ownership * 100, 4)),
        nav_share=localise_numbers(_usd(found.nav_share)),
        irr=gettext(N_("n/a")) if p.irr is None else localise_numbers(f"{p.irr:.2%}"),
        tvpi=localise_numbers(_ratio(p.tvpi)),
        dpi=localise_numbers(_ratio(p.dpi)),
        rvpi=localise_numbers(_ratio(p.rvpi)),
    )
    out.print(localised(said))
