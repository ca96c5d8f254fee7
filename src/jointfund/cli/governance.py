"""Commands for people and decisions: users and tokens, propose, approve, reject, proposals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from jointfund.cli.options import DbOption, JsonOption, TokenOption, acting, database
from jointfund.cli.output import emit_json, out, table
from jointfund.errors import InputError, Problem
from jointfund.fund import proposal_views
from jointfund.fund import proposals as proposal_cases
from jointfund.fund import users as user_cases
from jointfund.fund.committees import step_dict
from jointfund.fund.proposal_views import ProposalView
from jointfund.governance import Interface, Role, User, in_words
from jointfund.i18n import N_
from jointfund.i18n.message import Codes, Message, localised
from jointfund.i18n.wording import said as said_again
from jointfund.intake.sources import read_text


def _user_json(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "name": user.name,
        "role": user.role.value,
        "partner": user.partner,
        "licence_ids": list(user.licence_ids),
        "active": user.active,
    }


users_app = typer.Typer(help=N_("Users, roles and API tokens."), no_args_is_help=True)


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help=N_("Unique user name"))],
    role: Annotated[
        str,
        typer.Option(
            "--role", help=N_("administrator, board_manager, auditor, reporting_entity, public")
        ),
    ] = "administrator",
    partner: Annotated[
        str | None, typer.Option("--partner", help=N_("Board managers: US or UA"))
    ] = None,
    licence: Annotated[
        list[str] | None,
        typer.Option("--licence", help=N_("Reporting entities: a licence id (repeat)")),
    ] = None,
    bootstrap: Annotated[
        bool,
        typer.Option(
            "--bootstrap", help=N_("Create the first administrator (only when no users exist)")
        ),
    ] = False,
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add a user; `--bootstrap` creates the first administrator and prints its token once."""
    if bootstrap:
        opened = database(db)
        user, issued = user_cases.bootstrap_admin(opened, name, interface=Interface.CLI)
        if as_json:
            emit_json({"user": _user_json(user), "token": issued.secret, "token_id": issued.id})
        else:
            said = Message("created administrator {name} (id {id})", name=user.name, id=user.id)
            out.print(localised(said))
            shown = Message("token (shown once, keep it safe): {secret}", secret=issued.secret)
            out.print(localised(shown), markup=False)
        return
    opened, actor = acting(token, db)
    try:
        parsed_role = Role(role)
    except ValueError:
        roles = ", ".join(Role)  # the role codes, written the same in every language
        raise InputError(
            [Problem(Message("unknown role {role!r}", role=role), field="--role", expected=roles)]
        ) from None
    user = user_cases.add_user(
        opened, actor, name, parsed_role, partner=partner, licence_ids=licence or ()
    )
    if as_json:
        emit_json(_user_json(user))
    else:
        out.print(
            localised(Message("added {user} (id {id})", user=user.label, id=user.id)), markup=False
        )


@users_app.command("list")
def users_list(token: TokenOption = None, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Every user with role, partner and status."""
    opened, actor = acting(token, db)
    found = user_cases.list_users(opened, actor)
    if as_json:
        emit_json([_user_json(u) for u in found])
        return
    table(
        "Users",
        ["id", "name", "role", "partner", "licences", "active"],
        [
            (u.id, u.name, u.role.value, u.partner or "", ",".join(u.licence_ids), u.active)
            for u in found
        ],
    )


@users_app.command("token")
def users_token(
    name: Annotated[str, typer.Argument(help=N_("Whose token"))],
    label: Annotated[str, typer.Option("--label")] = "",
    days: Annotated[
        int, typer.Option("--days", min=1, help=N_("Days until it expires"))
    ] = user_cases.DEFAULT_TOKEN_DAYS,
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Issue an API token for a user; the token is printed once and only its hash is kept."""
    opened, actor = acting(token, db)
    issued = user_cases.issue_token(opened, actor, name, label=label, days=days)
    expires = issued.expires_at.isoformat() if issued.expires_at else None
    if as_json:
        emit_json({"token_id": issued.id, "token": issued.secret, "expires_at": expires})
    else:
        said = Message(
            "token {id} for {name}, expires {expires} (shown once):",
            id=issued.id,
            name=name,
            expires=expires,
        )
        out.print(localised(said))
        out.print(issued.secret, markup=False)


@users_app.command("revoke")
def users_revoke(
    token_id: Annotated[int, typer.Argument(help=N_("Id of the token to revoke"))],
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Revoke an API token at once."""
    opened, actor = acting(token, db)
    changed = user_cases.revoke_token(opened, actor, token_id)
    if as_json:
        emit_json({"token_id": token_id, "revoked": True, "changed": changed})
    else:
        said = (
            Message("token {id} revoked", id=token_id)
            if changed
            else Message("token {id} revoked (it was already)", id=token_id)
        )
        out.print(localised(said))


def _read_payload(payload: Path | None, json_payload: str | None) -> dict[str, Any]:
    if (payload is None) == (json_payload is None):
        raise InputError(
            [
                Problem(
                    Message("give exactly one of --payload FILE or --json-payload TEXT"),
                    field="--payload",
                )
            ]
        )
    source = str(payload) if payload is not None else "--json-payload"
    text = read_text(payload) if payload is not None else str(json_payload)
    try:
        value = json.loads(text, parse_float=lambda s: s)
    except json.JSONDecodeError as exc:
        raise InputError(
            [Problem(Message("not JSON: {msg}", msg=exc.msg), file=source, row=exc.lineno)]
        ) from None
    if not isinstance(value, dict):
        raise InputError([Problem(Message("the payload must be a JSON object"), file=source)])
    return value


def _view_json(view: ProposalView) -> dict[str, Any]:
    p = view.proposal
    return {
        "id": p.id,
        "kind": p.kind.value,
        "status": view.status.value,
        "payload": dict(p.payload),
        "in_words": in_words(p.kind, p.payload),
        "payload_hash": p.payload_hash,
        "revision": p.revision,
        "expires_at": p.expires_at.isoformat() if p.expires_at else None,
        "rule": view.state.rule.kind.value,
        "approvals": {k: sorted(v) for k, v in view.state.counted.items()},
        "satisfied": view.state.satisfied,
        "committee": step_dict(view.committee),
        "acting": dict(view.acting),
    }


def propose(
    kind: Annotated[
        str,
        typer.Argument(
            help=N_(
                "investment, in_kind_valuation, distribution, write_down, valuation_mark, "
                "term_change or admit_partner"
            )
        ),
    ],
    payload: Annotated[
        Path | None, typer.Option("--payload", help=N_("JSON file with the payload"))
    ] = None,
    json_payload: Annotated[
        str | None, typer.Option("--json-payload", help=N_("The payload as JSON text"))
    ] = None,
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Open a board proposal; it executes when the approvals the terms require are in."""
    opened, actor = acting(token, db)
    created = proposal_cases.propose(opened, actor, kind, _read_payload(payload, json_payload))
    if as_json:
        emit_json(
            {"id": created.id, "kind": created.kind.value, "payload_hash": created.payload_hash}
        )
    else:
        said = Message(
            "proposal {id} ({kind}) opened; payload {payload}…",
            id=created.id,
            kind=created.kind.value,
            payload=created.payload_hash[:16],
        )
        out.print(localised(said))


def approve(
    proposal_id: Annotated[int, typer.Argument(help=N_("Proposal id"))],
    payload_hash: Annotated[
        str,
        typer.Option(
            "--payload-hash",
            help=N_("The payload you reviewed (`jointfund proposal ID` shows it and its hash)"),
        ),
    ],
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Approve a proposal for your partner; the approval that completes the rule executes it."""
    opened, actor = acting(token, db)
    outcome = proposal_cases.approve(opened, actor, proposal_id, payload_hash=payload_hash)
    if as_json:
        emit_json(
            {
                "id": proposal_id,
                "executed": outcome.executed,
                "status": outcome.proposal.status.value,
                "entries": list(outcome.entry_keys),
            }
        )
    elif outcome.executed:
        said = Message(
            "proposal {id} approved and executed ({entries} entries)",
            id=proposal_id,
            entries=len(outcome.entry_keys),
        )
        out.print(localised(said))
    else:
        said = Message(
            "proposal {id} approved; more approvals needed ({rule})",
            id=proposal_id,
            rule=outcome.state.rule.kind.value,
        )
        out.print(localised(said))


def reject(
    proposal_id: Annotated[int, typer.Argument(help=N_("Proposal id"))],
    reason: Annotated[str, typer.Option("--reason", help=N_("Why (kept with the decision)"))],
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Reject a proposal; it can no longer execute."""
    opened, actor = acting(token, db)
    done = proposal_cases.reject(opened, actor, proposal_id, reason=reason)
    if as_json:
        emit_json({"id": done.id, "status": done.status.value})
    else:
        out.print(localised(Message("proposal {id} rejected", id=done.id)))


def proposal(
    proposal_id: Annotated[int, typer.Argument(help=N_("Proposal id"))],
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """One proposal: what it decides in plain words, its payload hash (approvals name it), who
    approved for which partner, and what is still needed."""
    opened, actor = acting(token, db)
    view = proposal_views.show_proposal(opened, actor, proposal_id)
    if as_json:
        emit_json(_view_json(view))
        return
    p = view.proposal
    heading = Message(
        "proposal {id} ({kind}), {status}",
        id=p.id,
        kind=Codes((p.kind.value,)),
        status=Codes((view.status.value,)),
    )
    out.print(localised(heading), markup=False)
    out.print(said_again(in_words(p.kind, p.payload)), markup=False)
    out.print(localised(Message("payload hash {payload}", payload=p.payload_hash)), markup=False)
    step = view.committee
    if step is not None:
        votes = ", ".join(f"{k} {len(v)}" for k, v in sorted(step.counted.items()))
        parts = {
            "committee": step.committee.name,
            "rule": Codes((step.committee.recommendation.rule.value,)),
            "votes": votes,
        }
        said = (
            Message("committee: {committee} ({rule}; recommended by {votes}): recommended", **parts)
            if step.satisfied
            else Message(
                "committee: {committee} ({rule}; recommended by {votes}): "
                "awaiting its recommendation",
                **parts,
            )
        )
        out.print(localised(said), markup=False)
    for partner, managers in sorted(view.state.counted.items()):
        through = (
            localised(Message(" (through {manager})", manager=view.acting[partner]))
            if partner in view.acting
            else ""
        )
        approved = (
            Message(
                "  {partner}{through}: approved by {managers}",
                partner=partner,
                through=through,
                managers=", ".join(sorted(managers)),
            )
            if managers
            else Message(
                "  {partner}{through}: approved by nobody yet", partner=partner, through=through
            )
        )
        out.print(localised(approved), markup=False)
    rule = Codes((view.state.rule.kind.value,))
    ruled = (
        Message("rule {rule}: satisfied", rule=rule)
        if view.state.satisfied
        else Message("rule {rule}: more approvals needed", rule=rule)
    )
    out.print(localised(ruled), markup=False)
    if view.status.value == "open":
        how = Message(
            "to approve: jointfund approve {id} --payload-hash {payload}",
            id=p.id,
            payload=p.payload_hash,
        )
        out.print(localised(how), markup=False)


def proposals(
    status: Annotated[
        str | None, typer.Option("--status", help=N_("open, executed, rejected or expired"))
    ] = None,
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Proposals with their status and the approvals that count for the current payload."""
    opened, actor = acting(token, db)
    views = proposal_views.list_proposals(opened, actor, status=status)
    if as_json:
        emit_json([_view_json(v) for v in views])
        return
    table(
        "Proposals",
        ["id", "kind", "status", "rule", "approvals", "payload"],
        [
            (
                v.proposal.id,
                v.proposal.kind.value,
                v.status.value,
                v.state.rule.kind.value,
                " ".join(f"{k}:{len(m)}" for k, m in v.state.counted.items()),
                v.proposal.payload_hash[:12],
            )
            for v in views
        ],
    )


app = typer.Typer(help=N_("Board proposals: propose, approve, reject, list."), no_args_is_help=True)
app.command("propose")(propose)
app.command("approve")(approve)
app.command("reject")(reject)
app.command("list")(proposals)
