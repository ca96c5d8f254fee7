"""Commands for investments: cash paid into one, and its income or exit proceeds."""

from __future__ import annotations

from typing import Annotated

import typer

from jointfund.cli.options import (
    DbOption,
    JsonOption,
    TokenOption,
    acting,
    parse_minor,
    required_day,
)
from jointfund.cli.output import emit_json, out
from jointfund.fund import investments as investment_cases
from jointfund.i18n import N_
from jointfund.i18n.message import Message, localised
from jointfund.ledger.chart import REPORTING_CURRENCY

USD = REPORTING_CURRENCY


def _amount(text: str) -> int:
    return parse_minor(text, USD, "--amount", Message("e.g. 75000000.00"))


def _booked(what: Message, investment: str, created: bool, as_json: bool) -> None:
    if as_json:
        emit_json({"investment": investment, "created": created})
    else:
        said = (
            Message("{what} booked", what=what)
            if created
            else Message("{what} already booked", what=what)
        )
        out.print(localised(said))


app = typer.Typer(help=N_("Disbursements and proceeds of investments."), no_args_is_help=True)


@app.command("disburse")
def disburse(
    investment: Annotated[str, typer.Argument(help=N_("Investment id"))],
    amount: Annotated[str, typer.Option("--amount")],
    on: Annotated[str, typer.Option("--date", help=N_("YYYY-MM-DD"))],
    reference: Annotated[str, typer.Option("--reference")],
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Pay cash into a committed investment."""
    opened, actor = acting(token, db)
    created = investment_cases.disburse(
        opened,
        actor,
        investment,
        amount_minor=_amount(amount),
        on=required_day(on, "--date"),
        reference=reference,
    )
    _booked(
        Message("disbursement to {investment}", investment=investment), investment, created, as_json
    )


@app.command("proceeds")
def proceeds(
    investment: Annotated[str, typer.Argument(help=N_("Investment id"))],
    amount: Annotated[str, typer.Option("--amount")],
    on: Annotated[str, typer.Option("--date", help=N_("YYYY-MM-DD"))],
    reference: Annotated[str, typer.Option("--reference")],
    exit_: Annotated[
        bool, typer.Option("--exit", help=N_("Sale or repayment, not income"))
    ] = False,
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Book income or exit proceeds; the cash stays in the fund."""
    opened, actor = acting(token, db)
    created = investment_cases.record_proceeds(
        opened,
        actor,
        investment,
        amount_minor=_amount(amount),
        on=required_day(on, "--date"),
        reference=reference,
        exit=exit_,
    )
    _booked(
        Message("proceeds from {investment}", investment=investment), investment, created, as_json
    )
