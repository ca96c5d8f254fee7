"""Commands for the contribution cycle: record a transfer, list accruals and transfers."""

from __future__ import annotations

from typing import Annotated

import typer

from jointfund.cli.options import DbOption, JsonOption, TokenOption, acting, parse_day
from jointfund.cli.output import emit_json, out, table
from jointfund.clock import utcnow
from jointfund.errors import InputError, Problem
from jointfund.fund import cycle_report
from jointfund.fund import transfers as cases
from jointfund.i18n.message import Message
from jointfund.money import AmountError, format_amount, parse_amount


def _amounts(values: dict[str, int]) -> str:
    return " + ".join(f"{format_amount(v, c, grouping=True)} {c}" for c, v in values.items()) or "0"


def transfer(
    amount: Annotated[str, typer.Option("--amount", help="Decimal amount, e.g. 1250000.00")],
    transfer_date: Annotated[str, typer.Option("--date", help="Transfer date, YYYY-MM-DD")],
    period: Annotated[int, typer.Option("--period", help="Year of the receipts it settles")],
    reference: Annotated[str, typer.Option("--reference", help="Payment reference (idempotency)")],
    currency: Annotated[str, typer.Option("--currency")] = "UAH",
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Book a transfer of accrued receipts: capital credited at the transfer day's rate."""
    opened, actor = acting(token, db)
    try:
        minor = parse_amount(amount, currency, allow_negative=False)
    except AmountError as exc:
        problem = Problem(
            exc.problems[0].message, field="--amount", expected=Message("e.g. 1250000.00")
        )
        raise InputError([problem]) from None
    day = parse_day(transfer_date, "--date")
    assert day is not None
    row, created = cases.record_transfer(
        opened,
        actor,
        amount_minor=minor,
        transfer_date=day,
        reference=reference,
        period_year=period,
        currency=currency,
    )
    usd = format_amount(row.usd_amount or 0, "USD")
    if as_json:
        emit_json(
            {
                "id": row.id,
                "created": created,
                "partner": row.partner,
                "amount": amount,
                "currency": currency,
                "usd_amount": usd,
                "rate": row.rate,
                "period": period,
                "entry_key": row.entry_key,
            }
        )
    else:
        state = "booked" if created else "already booked"
        out.print(
            f"transfer {row.id} {state}: {amount} {currency} for {period} receipts, "
            f"{usd} USD to {row.partner} capital ({row.rate})"
        )


def transfers(
    as_of: Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD (default today)")] = None,
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Accruals due to the fund and the transfers that settle them, period by period."""
    opened, actor = acting(token, db)
    day = parse_day(as_of, "--as-of") or utcnow().date()
    report = cycle_report.cycle_report(opened, actor, as_of=day)
    if as_json:
        emit_json(cycle_report.report_dict(report))
        return
    out.print(
        f"{report.partner}'s share accrues in the {report.accrual}; transferred "
        f"{report.transfer_rule}; capital credited at the {report.fx_date.replace('_', ' ')} rate"
    )
    table(
        f"Contribution cycle as of {day} ({report.terms_id})",
        ["period", "due", "status", "accrued", "transferred", "remaining", "credited USD"],
        [
            (
                p.period_year,
                p.due_on.isoformat(),
                p.status,
                _amounts(p.accrued),
                _amounts(p.transferred),
                _amounts(p.remaining),
                format_amount(p.credited_usd_minor, "USD", grouping=True),
            )
            for p in report.periods
        ],
    )
    for p in report.periods:
        table(
            f"{p.period_year}: accruals by budget code, licence and stream",
            ["budget code", "licence", "stream", "filings", "amount"],
            [
                (
                    line.budget_code or "(unmapped)",
                    line.licence_id,
                    line.stream,
                    line.filings,
                    f"{format_amount(line.amount_minor, line.currency, grouping=True)} "
                    f"{line.currency}",
                )
                for line in p.lines
            ],
        )
        for t in p.transfers:
            out.print(
                f"  transfer {t.reference} on {t.transfer_date}: "
                f"{format_amount(t.amount_minor, t.currency, grouping=True)} {t.currency} = "
                f"{format_amount(t.usd_minor, 'USD', grouping=True)} USD ({t.rate})"
            )
        for note in p.notes:
            out.print(f"  note: {note}")
        if p.transfers:
            out.print(
                f"  FX difference against the receipt days' rates: "
                f"{format_amount(p.fx_difference_usd_minor, 'USD', grouping=True)} USD"
            )
