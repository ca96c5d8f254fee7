"""`jointfund audit`: the audit log, filtered by actor, action, target and days."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from jointfund.cli.options import DbOption, JsonOption, TokenOption, acting, parse_day
from jointfund.cli.output import emit_json, out, table
from jointfund.fund.audit import MAX_PAGE, AuditRecord, read_audit
from jointfund.i18n import N_
from jointfund.i18n.message import Message, localised


def record_json(record: AuditRecord) -> dict[str, Any]:
    """An audit record as plain data (the CLI's and the API's shape)."""
    return {
        "seq": record.seq,
        "at": record.at,
        "actor": record.actor,
        "role": record.role,
        "interface": record.interface,
        "action": record.action,
        "target": record.target,
        "detail": record.detail,
        "detail_hash": record.detail_hash,
    }


def audit(
    actor: Annotated[str | None, typer.Option("--actor", help=N_("A user's name"))] = None,
    action: Annotated[str | None, typer.Option("--action", help=N_("e.g. filings.submit"))] = None,
    target: Annotated[str | None, typer.Option("--object", help=N_("e.g. proposal:3"))] = None,
    start: Annotated[str | None, typer.Option("--from", help=N_("YYYY-MM-DD (UTC)"))] = None,
    end: Annotated[str | None, typer.Option("--to", help=N_("YYYY-MM-DD (UTC)"))] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=MAX_PAGE)] = MAX_PAGE,
    after: Annotated[
        int, typer.Option("--after", min=0, max=2**63 - 1, help=N_("After this seq"))
    ] = 0,
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The audit log (auditors and administrators): who, in which role, did what, and when."""
    first, last = parse_day(start, "--from"), parse_day(end, "--to")
    opened, reader = acting(token, db)
    found = read_audit(
        opened,
        reader,
        actor=actor,
        action=action,
        target=target,
        start=first,
        end=last,
        after_seq=after,
        limit=limit + 1,
    )
    shown = found[:limit]
    following = shown[-1].seq if len(found) > limit else None
    if as_json:
        emit_json({"records": [record_json(r) for r in shown], "next_after": following})
        return
    table(
        "Audit log",
        ["seq", "at", "actor", "role", "via", "action", "object", "detail hash"],
        [
            (
                str(r.seq),
                r.at[:19].replace("T", " "),
                r.actor,
                r.role or "",
                r.interface,
                r.action,
                r.target,
                r.detail_hash[:16],
            )
            for r in shown
        ],
    )
    if following is not None:
        out.print(localised(Message("more records: --after {after}", after=following)))
