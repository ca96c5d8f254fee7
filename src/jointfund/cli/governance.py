"""Commands for people and decisions: users and tokens, propose, approve, reject, proposals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from jointfund.cli.options import DbOption, JsonOption, TokenOption, acting, database
from jointfund.cli.output import emit_json, out, table
from jointfund.errors import InputError, Problem
from jointfund.fund import proposals as proposal_cases
from jointfund.fund import users as user_cases
from jointfund.fund.committees import step_dict
from jointfund.fund.proposals import ProposalView
from jointfund.governance import Interface, Role, User, in_words
from jointfund.i18n.message import Message
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


users_app = typer.Typer(help="Users, roles and API tokens.", no_args_is_help=True)


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="Unique user name")],
    role: Annotated[
        str,
        typer.Option(
            "--role", help="administrator, board_manager, auditor, reporting_entity, public"
        ),
    ] = "administrator",
    partner: Annotated[
        str | None, typer.Option("--partner", help="Board managers: US or UA")
    ] = None,
    licence: Annotated[
        list[str] | None,
        typer.Option("--licence", help="Reporting entities: a licence id (repeat)"),
    ] = None,
    bootstrap: Annotated[
        bool,
        typer.Option(
            "--bootstrap", help="Create the first administrator (only when no users exist)"
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
            out.print(f"created administrator {user.name} (id {user.id})")
            out.print(f"token (shown once, keep it safe): {issued.secret}", markup=False)
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
        out.print(f"added {user.label} (id {user.id})", markup=False)


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
    name: Annotated[str, typer.Argument(help="Whose token")],
    label: Annotated[str, typer.Option("--label")] = "",
    days: Annotated[
        int, typer.Option("--days", min=1, help="Days until it expires")
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
        out.print(f"token {issued.id} for {name}, expires {expires} (shown once):")
        out.print(issued.secret, markup=False)


@users_app.command("revoke")
def users_revoke(
    token_id: Annotated[int, typer.Argument(help="Id of the token to revoke")],
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
        out.print(f"token {token_id} revoked" + ("" if changed else " (it was already)"))


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
            help="investment, in_kind_valuation, distribution, write_down, valuation_mark, "
            "term_change or admit_partner"
        ),
    ],
    payload: Annotated[
        Path | None, typer.Option("--payload", help="JSON file with the payload")
    ] = None,
    json_payload: Annotated[
        str | None, typer.Option("--json-payload", help="The payload as JSON text")
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
        out.print(
            f"proposal {created.id} ({created.kind.value}) opened; "
            f"payload {created.payload_hash[:16]}…"
        )


def approve(
    proposal_id: Annotated[int, typer.Argument(help="Proposal id")],
    payload_hash: Annotated[
        str,
        typer.Option(
            "--payload-hash",
            help="The payload you reviewed (`jointfund proposal ID` shows it and its hash)",
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
        out.print(
            f"proposal {proposal_id} approved and executed ({len(outcome.entry_keys)} entries)"
        )
    else:
        out.print(
            f"proposal {proposal_id} approved; "
            f"more approvals needed ({outcome.state.rule.kind.value})"
        )


def reject(
    proposal_id: Annotated[int, typer.Argument(help="Proposal id")],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept with the decision)")],
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
        out.print(f"proposal {done.id} rejected")


def proposal(
    proposal_id: Annotated[int, typer.Argument(help="Proposal id")],
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """One proposal: what it decides in plain words, its payload hash (approvals name it), who
    approved for which partner, and what is still needed."""
    opened, actor = acting(token, db)
    view = proposal_cases.show_proposal(opened, actor, proposal_id)
    if as_json:
        emit_json(_view_json(view))
        return
    p = view.proposal
    out.print(f"proposal {p.id} ({p.kind.value}), {view.status.value}", markup=False)
    out.print(in_words(p.kind, p.payload), markup=False)
    out.print(f"payload hash {p.payload_hash}", markup=False)
    step = view.committee
    if step is not None:
        votes = ", ".join(f"{k} {len(v)}" for k, v in sorted(step.counted.items()))
        out.print(
            f"committee: {step.committee.name} ({step.committee.recommendation.rule.value}; "
            f"recommended by {votes}): "
            + ("recommended" if step.satisfied else "awaiting its recommendation"),
            markup=False,
        )
    for partner, managers in sorted(view.state.counted.items()):
        through = f" (through {view.acting[partner]})" if partner in view.acting else ""
        out.print(
            f"  {partner}{through}: approved by {', '.join(sorted(managers)) or 'nobody yet'}",
            markup=False,
        )
    out.print(
        f"rule {view.state.rule.kind.value}: "
        + ("satisfied" if view.state.satisfied else "more approvals needed"),
        markup=False,
    )
    if view.status.value == "open":
        out.print(
            f"to approve: jointfund approve {p.id} --payload-hash {p.payload_hash}", markup=False
        )


def proposals(
    status: Annotated[
        str | None, typer.Option("--status", help="open, executed, rejected or expired")
    ] = None,
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Proposals with their status and the approvals that count for the current payload."""
    opened, actor = acting(token, db)
    views = proposal_cases.list_proposals(opened, actor, status=status)
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


app = typer.Typer(help="Board proposals: propose, approve, reject, list.", no_args_is_help=True)
app.command("propose")(propose)
app.command("approve")(approve)
app.command("reject")(reject)
app.command("list")(proposals)
