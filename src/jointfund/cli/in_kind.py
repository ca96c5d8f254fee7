"""Commands for in-kind aid as reported: the cost report, the valuation, the committee's
recommendation, the proposal to the board, and each report's chain with what it still needs."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated, Any

import typer

from jointfund.cli.options import DbOption, JsonOption, TokenOption, acting, parse_day, parse_minor
from jointfund.cli.output import emit_json, out, table
from jointfund.errors import InputError, Problem
from jointfund.fund import in_kind as cases
from jointfund.fund import in_kind_status as status
from jointfund.i18n import DEFAULT, N_, current, gettext, localise_numbers
from jointfund.i18n.message import Message, localised
from jointfund.money import AmountError, format_amount, parse_amount

app = typer.Typer(
    help=N_("In-kind aid as reported: cost report, valuation, recommendation, board approval."),
    no_args_is_help=True,
)

USD = "USD"


# What a report still needs, in the page's words; English shows the stored code.
_NEEDED = {
    "valuation": N_("a valuation of the current cost report"),
    "recommendation": N_("the Audit Committee's recommendation"),
    "proposal": N_("a proposal to the board"),
    "approvals": N_("the board's approvals"),
    "nothing": N_("nothing: booked"),
    "not_booked": N_("nothing: illustrative, never booked"),
}


def _needed(code: str) -> str:
    return code if current() == DEFAULT or code not in _NEEDED else gettext(_NEEDED[code])


def _usd(text: str, field: str) -> int:
    return parse_minor(text, USD, field, Message("e.g. 12500000.00"))


def _items(given: list[str]) -> list[cases.Item]:
    """`DESCRIPTION=AMOUNT` pairs; every bad one named at once."""
    found, problems = [], []
    for i, text in enumerate(given, start=1):
        description, sep, amount = text.rpartition("=")
        if not sep:
            problems.append(
                Problem(
                    repr(text[:80]),  # the bad argument itself
                    field=f"--item[{i}]",
                    expected=Message("DESCRIPTION=AMOUNT"),
                )
            )
            continue
        try:
            found.append(cases.Item(description, parse_amount(amount, USD, allow_negative=False)))
        except AmountError as exc:
            problems.append(
                Problem(
                    exc.problems[0].message,
                    field=f"--item[{i}]",
                    expected=Message("e.g. 12500000.00"),
                )
            )
    if problems:
        raise InputError(problems)
    return found


def _evidence(given: list[str]) -> list[cases.Evidence]:
    """`REFERENCE=SHA256` pairs, or a file whose SHA-256 is taken (its name the reference)."""
    found = []
    for text in given:
        path = Path(text)
        if "=" not in text and path.is_file():
            found.append(cases.Evidence(path.name, hashlib.sha256(path.read_bytes()).hexdigest()))
            continue
        reference, _, digest = text.rpartition("=")
        found.append(cases.Evidence(reference or text, digest if reference else ""))
    return found


def _day(text: str, option: str) -> Any:
    day = parse_day(text, option)
    assert day is not None
    return day


@app.command("cost-report")
def cost_report(
    reference: Annotated[str, typer.Option("--reference", help=N_("The report's reference"))],
    reported_on: Annotated[str, typer.Option("--date", help=N_("Report date, YYYY-MM-DD"))],
    item: Annotated[
        list[str], typer.Option("--item", help=N_("DESCRIPTION=AMOUNT in USD (repeat per item)"))
    ],
    reporter: Annotated[str, typer.Option("--reporter")] = cases.MINISTRY_OF_DEFENCE,
    partner: Annotated[str, typer.Option("--partner")] = "US",
    kind: Annotated[str, typer.Option("--kind")] = "military_aid",
    illustrative: Annotated[
        bool, typer.Option("--illustrative", help=N_("An example figure: shown, never booked"))
    ] = False,
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record the cost the Ministry of Defence reports (Res. 1411); other figures under the
    same reference are its next revision."""
    opened, actor = acting(token, db)
    row, created = cases.file_cost_report(
        opened,
        actor,
        reference=reference,
        reported_on=_day(reported_on, "--date"),
        items=_items(item),
        partner=partner,
        kind=kind,
        reporter=reporter,
        illustrative=illustrative,
    )
    cost = format_amount(row.cost_minor, USD)
    if as_json:
        emit_json(
            {"id": row.id, "reference": row.reference, "revision": row.revision,
             "cost": cost, "hash": row.content_hash, "created": created}
        )  # fmt: skip
        return
    parts = {"reference": row.reference, "revision": row.revision, "cost": localise_numbers(cost)}
    said = (
        Message("cost report {reference} revision {revision} recorded: {cost} USD", **parts)
        if created
        else Message(
            "cost report {reference} revision {revision} already recorded: {cost} USD", **parts
        )
    )
    out.print(localised(said))


@app.command("valuation")
def valuation(
    cost_report: Annotated[
        str, typer.Option("--cost-report", help=N_("The cost report's reference"))
    ],
    reference: Annotated[
        str, typer.Option("--reference", help=N_("The valuation report's reference"))
    ],
    consultant: Annotated[str, typer.Option("--consultant")],
    method: Annotated[str, typer.Option("--method", help=N_("How the value was assessed"))],
    assessed: Annotated[str, typer.Option("--assessed-value", help=N_("USD, e.g. 11800000.00"))],
    valued_on: Annotated[str, typer.Option("--date", help=N_("Valuation date, YYYY-MM-DD"))],
    evidence: Annotated[
        list[str], typer.Option("--evidence", help=N_("REFERENCE=SHA256, or a FILE to hash"))
    ],
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record the evaluation consultant's valuation of a cost report, with its evidence."""
    opened, actor = acting(token, db)
    row, created = cases.file_valuation(
        opened,
        actor,
        cost_report=cost_report,
        reference=reference,
        consultant=consultant,
        method=method,
        assessed_minor=_usd(assessed, "--assessed-value"),
        valued_on=_day(valued_on, "--date"),
        evidence=_evidence(evidence),
    )
    value = format_amount(row.assessed_minor, USD)
    if as_json:
        emit_json(
            {"id": row.id, "cost_report": cost_report, "assessed_value": value,
             "hash": row.content_hash, "created": created}
        )  # fmt: skip
        return
    parts = {"id": row.id, "report": cost_report, "value": localise_numbers(value)}
    said = (
        Message("valuation {id} of {report} recorded: assessed value {value} USD", **parts)
        if created
        else Message(
            "valuation {id} of {report} already recorded: assessed value {value} USD", **parts
        )
    )
    out.print(localised(said))


@app.command("recommend")
def recommend(
    valuation_id: Annotated[int, typer.Option("--valuation", help=N_("The valuation's id"))],
    assessed: Annotated[str, typer.Option("--assessed-value", help=N_("The value read, USD"))],
    recommended_on: Annotated[str, typer.Option("--date", help=N_("YYYY-MM-DD"))],
    note: Annotated[str, typer.Option("--note")] = "",
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record the Audit Committee's recommendation of the valuation's assessed value."""
    opened, actor = acting(token, db)
    row, created = cases.recommend(
        opened,
        actor,
        valuation_id=valuation_id,
        assessed_minor=_usd(assessed, "--assessed-value"),
        recommended_on=_day(recommended_on, "--date"),
        note=note,
    )
    if as_json:
        emit_json({"id": row.id, "hash": row.content_hash, "created": created})
        return
    said = (
        Message(
            "recommendation {id} recorded; put it to the board with `in-kind propose`", id=row.id
        )
        if created
        else Message(
            "recommendation {id} already recorded; put it to the board with `in-kind propose`",
            id=row.id,
        )
    )
    out.print(localised(said))


@app.command("propose")
def propose(
    cost_report: Annotated[
        str, typer.Option("--cost-report", help=N_("The cost report's reference"))
    ],
    on: Annotated[str | None, typer.Option("--on", help=N_("Credit date, YYYY-MM-DD"))] = None,
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Put the recommended assessed value to the board (managers approve it by the terms)."""
    opened, actor = acting(token, db)
    made = status.propose_approval(opened, actor, cost_report, on=parse_day(on, "--on"))
    if as_json:
        emit_json({"id": made.id, "payload": dict(made.payload), "payload_hash": made.payload_hash})
        return
    said = Message(
        "proposal {id} opened; approve with --payload-hash {payload}",
        id=made.id,
        payload=made.payload_hash,
    )
    out.print(localised(said))


@app.command("list")
def list_chains(
    token: TokenOption = None, db: DbOption = None, as_json: JsonOption = False
) -> None:
    """Each cost report: cost → valuation → recommendation → approval → booked, and what it
    still needs."""
    opened, actor = acting(token, db)
    found = status.in_kind_chains(opened, actor)
    if as_json:
        emit_json([status.chain_dict(c) for c in found])
        return

    def usd(minor: int | None) -> str:
        return "" if minor is None else format_amount(minor, USD, grouping=True)

    table(
        "In-kind aid as reported",
        ["reference", "cost", "assessed", "recommended", "proposal", "booked", "needed"],
        [
            (
                c.chain.cost.reference + (" *" if c.chain.cost.illustrative else ""),
                usd(c.chain.cost.cost_minor),
                usd(c.chain.valuation.assessed_minor if c.chain.valuation else None),
                usd(c.chain.recommendation.assessed_minor if c.chain.recommendation else None),
                "" if c.board is None else f"#{c.board.proposal_id}",
                usd(c.credit.usd_amount if c.credit else None),
                _needed(c.needed.value),
            )
            for c in found
        ],
    )
