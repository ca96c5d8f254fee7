"""`jointfund governance`: the committees, the general partner and the reserved matters as the
terms report them; seat members; record a committee's recommendation of a proposal."""

from __future__ import annotations

from typing import Annotated

import typer

from jointfund.cli.options import DbOption, JsonOption, TokenOption, acting
from jointfund.cli.output import code_words, emit_json, out, table
from jointfund.fund import committees as cases
from jointfund.i18n import N_
from jointfund.i18n.message import Message, localised

app = typer.Typer(
    help=N_("Committees, the general partner and reserved matters; seats and recommendations."),
    no_args_is_help=True,
)


@app.command("committees")
def committees(token: TokenOption = None, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Each committee with its seats per partner (and whether the ratio is reported or
    uncertain, with sources), its voting rule, members and the proposal kinds it recommends."""
    opened, actor = acting(token, db)
    data = cases.governance_dict(cases.governance(opened, actor))
    if as_json:
        emit_json(data)
        return
    gp = data["general_partner"]
    if gp:
        said = Message(
            "general partner: {name} ({jurisdiction}), acting for {acts_for} [{standing}]",
            name=gp["name"],
            jurisdiction=gp["jurisdiction"],
            acts_for=gp["acts_for"],
            standing=code_words(gp["standing"]),
        )
        out.print(localised(said), markup=False)
    table(
        "Committees",
        ["committee", "seats", "standing", "rule", "members", "recommends", "sources"],
        [
            (
                c["name"],
                " ".join(f"{p}:{n}" for p, n in c["seats"].items()),
                c["standing"] + (f" ({c['note']})" if c["note"] else ""),
                f"{code_words(c['rule'])} [{code_words(c['rule_standing'])}]",
                "; ".join(f"{p}: {', '.join(m) or '-'}" for p, m in c["members"].items()),
                ", ".join(
                    f"{code_words(r['decision'])} [{code_words(r['standing'])}]"
                    for r in c["routes"]
                )
                or "-",
                " ".join(s["url"] for s in c["sources"]),
            )
            for c in data["committees"]
        ],
    )
    table(
        "Reserved matters",
        ["matter", "reserved to", "decisions", "standing"],
        [
            (
                m["what"],
                code_words(m["reserved_to"]) + (f" {m['partner']}" if m["partner"] else ""),
                ", ".join(code_words(d) for d in m["decisions"]) or "-",
                code_words(m["standing"]),
            )
            for m in data["reserved"]
        ],
    )


@app.command("seat")
def seat(
    committee: Annotated[str, typer.Argument(help=N_("Committee id, e.g. investment"))],
    user: Annotated[str, typer.Argument(help=N_("A board manager's user name"))],
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Seat a board manager on a committee for their partner (within its seats)."""
    opened, actor = acting(token, db)
    found = cases.seat_member(opened, actor, committee, user)
    if as_json:
        emit_json({"committee": found.id, "user": user, "seated": True})
    else:
        said = Message("{user} seated on the {committee}", user=user, committee=found.name)
        out.print(localised(said), markup=False)


@app.command("unseat")
def unseat(
    committee: Annotated[str, typer.Argument(help=N_("Committee id"))],
    user: Annotated[str, typer.Argument(help=N_("The member's user name"))],
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record that a member left a committee."""
    opened, actor = acting(token, db)
    cases.unseat_member(opened, actor, committee, user)
    if as_json:
        emit_json({"committee": committee, "user": user, "seated": False})
    else:
        said = Message("{user} no longer sits on {committee}", user=user, committee=committee)
        out.print(localised(said), markup=False)


@app.command("recommend")
def recommend(
    proposal_id: Annotated[int, typer.Argument(help=N_("Proposal id"))],
    payload_hash: Annotated[
        str,
        typer.Option(
            "--payload-hash", help=N_("The payload you reviewed (`jointfund proposal ID`)")
        ),
    ],
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Recommend a proposal's payload to the board as a member of the committee it goes to."""
    opened, actor = acting(token, db)
    step = cases.recommend(opened, actor, proposal_id, payload_hash=payload_hash)
    data = cases.step_dict(step)
    if as_json:
        emit_json({"id": proposal_id, **(data or {})})
    elif step.satisfied:
        said = Message(
            "the {committee} recommends proposal {id} to the board",
            committee=step.committee.name,
            id=proposal_id,
        )
        out.print(localised(said))
    else:
        said = Message(
            "recommendation recorded; the {committee} needs more ({rule})",
            committee=step.committee.name,
            rule=step.committee.recommendation.rule.value,
        )
        out.print(localised(said))
