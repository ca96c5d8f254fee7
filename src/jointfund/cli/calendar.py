"""`jointfund calendar`: the statutory deadlines with their status; record one met."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import typer

from jointfund.cli.options import DbOption, JsonOption, TokenOption, acting, parse_day
from jointfund.cli.output import emit_json, out, table
from jointfund.clock import utcnow
from jointfund.fund import calendar as cases
from jointfund.i18n import DEFAULT, N_, current, localise_numbers
from jointfund.i18n.message import Message, localised

app = typer.Typer(
    help=N_("Statutory deadlines of the contribution cycle and of rent, with their status."),
    invoke_without_command=True,
)


@app.callback()
def calendar(
    ctx: typer.Context,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help=N_("YYYY-MM-DD (default today)"))
    ] = None,
    rent: Annotated[
        bool, typer.Option("--rent/--no-rent", help=N_("List rent filings' deadlines"))
    ] = True,
    licence: Annotated[
        str | None, typer.Option("--licence", help=N_("Only this licence's rent filings"))
    ] = None,
    after: Annotated[
        int | None, typer.Option("--after", min=1, help=N_("Rent filings after this filing id"))
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, max=10_000, help=N_("Rent filings a page"))
    ] = cases.RENT_PAGE,
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every statutory deadline (15 March reports, 1 April transfer, 1 May annual report, the
    audit) with its status: met, met late, due or overdue; rent filings counted, and a page of
    them listed, newest receipt first."""
    if ctx.invoked_subcommand is not None:
        return
    opened, actor = acting(token, db)
    day = parse_day(as_of, "--as-of") or utcnow().date()
    found = cases.compliance_calendar(
        opened, actor, as_of=day, rent=rent, after=after, limit=limit, licence_id=licence
    )
    data = cases.calendar_dict(found)
    if as_json:
        emit_json(data)
        return
    table(
        localised(Message("Compliance calendar as of {day}", day=day)),
        ["due", "period", "what", "who", "status", "amounts", "breaks"],
        [
            (
                i["due_on"],
                i["period"],
                i["what"],
                i["who"],
                i["status"],
                "; ".join(_amount(k, v) for k, v in i["amounts"].items()),
                "; ".join(i["breaks"]),
            )
            for i in data["items"]
        ],
    )
    counts = ", ".join(f"{n} {s}" for s, n in sorted(data["counts"].items()))
    said = Message(
        "{counts}; {flagged} rent filing(s) flagged", counts=counts, flagged=data["flagged"]
    )
    out.print(localised(said))
    if found.rent_next is not None:
        more = Message(
            "{shown} of {filings} rent filings shown; the next page: --after {after}",
            shown=len(found.rent),
            filings=data["rent"]["filings"],
            after=found.rent_next,
        )
        out.print(localised(more))


@app.command("record")
def record(
    deadline: Annotated[str, typer.Argument(help=N_("Deadline id, e.g. treasury-receipts-report"))],
    period: Annotated[int, typer.Option("--period", help=N_("Year of the receipts it covers"))],
    done_on: Annotated[str, typer.Option("--date", help=N_("When it was met, YYYY-MM-DD"))],
    reference: Annotated[str, typer.Option("--reference", help=N_("The document (idempotency)"))],
    note: Annotated[str, typer.Option("--note")] = "",
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record a statutory report received or an audit done for a period."""
    opened, actor = acting(token, db)
    day = parse_day(done_on, "--date")
    assert day is not None
    row, created = cases.record_deadline(
        opened,
        actor,
        deadline_id=deadline,
        period_year=period,
        done_on=day,
        reference=reference,
        note=note,
    )
    if as_json:
        emit_json({"id": row.id, "created": created, "deadline": deadline, "period": period})
    else:
        said = (
            Message(
                "{deadline} for {period} recorded ({reference}, {day})",
                deadline=deadline, period=period, reference=reference, day=day,
            )
            if created
            else Message(
                "{deadline} for {period} already recorded ({reference}, {day})",
                deadline=deadline, period=period, reference=reference, day=day,
            )
        )  # fmt: skip
        out.print(localised(said))


def _amount(currency: str, value: str) -> str:
    """A sum as English showed it ("UAH 1234.50"); another language groups and writes it its
    way ("1 234,50 UAH")."""
    if current() == DEFAULT:
        return f"{currency} {value}"
    return f"{localise_numbers(f'{Decimal(value):,}')} {currency}"
