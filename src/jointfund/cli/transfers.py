"""Commands for the contribution cycle: record a transfer, list accruals and transfers."""

from __future__ import annotations

from typing import Annotated

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
from jointfund.cli.output import emit_json, out, table
from jointfund.clock import utcnow
from jointfund.fund import cycle_report
from jointfund.fund import transfers as cases
from jointfund.i18n import DEFAULT, N_, current, localise_numbers
from jointfund.i18n.message import Message, localised
from jointfund.i18n.vocabulary import term
from jointfund.i18n.wording import said as said_again
from jointfund.money import format_amount


def _amounts(values: dict[str, int]) -> str:
    said = (
        f"{localise_numbers(format_amount(v, c, grouping=True))} {c}" for c, v in values.items()
    )
    return " + ".join(said) or "0"


def transfer(
    amount: Annotated[str, typer.Option("--amount", help=N_("Decimal amount, e.g. 1250000.00"))],
    transfer_date: Annotated[str, typer.Option("--date", help=N_("Transfer date, YYYY-MM-DD"))],
    period: Annotated[int, typer.Option("--period", help=N_("Year of the receipts it settles"))],
    reference: Annotated[
        str, typer.Option("--reference", help=N_("Payment reference (idempotency)"))
    ],
    currency: Annotated[str, typer.Option("--currency")] = "UAH",
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Book a transfer of accrued receipts: capital credited at the transfer day's rate."""
    opened, actor = acting(token, db)
    minor = parse_minor(amount, currency, "--amount", Message("e.g. 1250000.00"))
    day = required_day(transfer_date, "--date")
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
        parts = {
            "id": row.id,
            "amount": localise_numbers(amount),
            "currency": currency,
            "period": period,
            "usd": localise_numbers(usd),
            "partner": row.partner,
            "rate": said_again(row.rate),
        }
        said = (
            Message(
                "transfer {id} booked: {amount} {currency} for {period} receipts, "
                "{usd} USD to {partner} capital ({rate})",
                **parts,
            )
            if created
            else Message(
                "transfer {id} already booked: {amount} {currency} for {period} receipts, "
                "{usd} USD to {partner} capital ({rate})",
                **parts,
            )
        )
        out.print(localised(said))


def transfers(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help=N_("YYYY-MM-DD (default today)"))
    ] = None,
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
    said = Message(
        "{partner}'s share accrues in the {accrual}; transferred {rule}; capital credited at "
        "the {fx_date} rate",
        partner=report.partner,
        accrual=said_again(report.accrual),
        rule=said_again(report.transfer_rule),
        fx_date=(
            report.fx_date.replace("_", " ") if current() == DEFAULT else term(report.fx_date)
        ),
    )
    out.print(localised(said))
    table(
        localised(
            Message("Contribution cycle as of {day} ({terms})", day=day, terms=report.terms_id)
        ),
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
            localised(
                Message("{year}: accruals by budget code, licence and stream", year=p.period_year)
            ),
            ["budget code", "licence", "stream", "filings", "amount"],
            [
                (
                    line.budget_code or f"({term('unmapped')})",
                    line.licence_id,
                    line.stream,
                    line.filings,
                    _amounts({line.currency: line.amount_minor}),
                )
                for line in p.lines
            ],
        )
        for t in p.transfers:
            said = Message(
                "  transfer {reference} on {day}: {amount} {currency} = {usd} USD ({rate})",
                reference=t.reference,
                day=t.transfer_date,
                amount=localise_numbers(format_amount(t.amount_minor, t.currency, grouping=True)),
                currency=t.currency,
                usd=localise_numbers(format_amount(t.usd_minor, "USD", grouping=True)),
                rate=said_again(t.rate),
            )
            out.print(localised(said))
        for note in p.notes:
            out.print(localised(Message("  note: {note}", note=note)))
        if p.transfers:
            difference = format_amount(p.fx_difference_usd_minor, "USD", grouping=True)
            said = Message(
                "  FX difference against the receipt days' rates: {usd} USD",
                usd=localise_numbers(difference),
            )
            out.print(localised(said))
