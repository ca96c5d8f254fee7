"""Commands over the books: init, post, balances, journal, verify, close, checkpoint."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jointfund.cli.options import DbOption, JsonOption, TokenOption, acting, database, parse_day
from jointfund.cli.output import emit_json, err, out, table
from jointfund.errors import InputError, IntegrityError, NotFoundError, Problem
from jointfund.fund import books
from jointfund.fund.manual_entries import close_payload, entries_payload
from jointfund.fund.proposals import propose
from jointfund.fund.setup import set_up_fund
from jointfund.fund.users import authenticate
from jointfund.i18n import N_
from jointfund.i18n.message import Message, localised
from jointfund.intake.journal_file import read_journal
from jointfund.intake.sources import read_text
from jointfund.ledger import Checkpoint, PostedEntry
from jointfund.money import format_amount
from jointfund.terms import DEFAULT_PRESET


def init(
    terms: Annotated[
        str,
        typer.Option(
            "--terms", help=N_("Term sheet: a preset id (see `terms list`) or a YAML file")
        ),
    ] = DEFAULT_PRESET,
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create the database and set the fund up under a term sheet (safe to repeat).

    A new fund needs no token; once it has users, only an administrator may run it."""
    opened = database(db)
    actor = authenticate(opened, token) if token else None
    setup = set_up_fund(opened, terms, actor)
    info = books.describe(opened)
    revision, url = info.schema_revision, info.url
    if as_json:
        emit_json(
            {
                "database": url,
                "schema_revision": revision,
                "terms": setup.terms_id,
                "accounts_opened": setup.accounts_opened,
            }
        )
    else:
        said = Message(
            "fund in {url} runs under {terms} (schema {revision}); {opened} accounts opened",
            url=url,
            terms=setup.terms_id,
            revision=revision,
            opened=setup.accounts_opened,
        )
        out.print(localised(said))


def post(
    file: Annotated[Path, typer.Argument(help=N_("Journal file: .json, .jsonl or .csv"))],
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Propose manual journal entries from a file for the board's approval (maker-checker).

    Every entry is checked now (accounts open, currencies, closed periods, and no posting to
    an account the terms govern); the board's approval posts them, keyed under the proposal.
    """
    opened, actor = acting(token, db)
    journal = read_journal(file)
    proposal = propose(opened, actor, "journal_entry", entries_payload(journal.entries))
    if as_json:
        emit_json(
            {
                "proposal": proposal.id,
                "entries": len(journal.entries),
                "payload_hash": proposal.payload_hash,
            }
        )
    else:
        said = Message(
            "proposal {id}: {entries} journal entries await the board's approval "
            "(payload {payload})",
            id=proposal.id,
            entries=len(journal.entries),
            payload=proposal.payload_hash,
        )
        out.print(localised(said))


def balances(
    as_of: Annotated[str | None, typer.Option("--as-of", help=N_("YYYY-MM-DD"))] = None,
    root: Annotated[
        str | None, typer.Option("--root", help=N_("Only this account subtree"))
    ] = None,
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Balances of every account (or a subtree), now or at the end of a day."""
    opened, actor = acting(token, db)
    rows = books.balances(opened, actor, as_of=parse_day(as_of, "--as-of"), root=root)
    if as_json:
        emit_json(
            [
                {
                    "account": r.account,
                    "currency": r.currency,
                    "amount": format_amount(r.amount, r.currency),
                    "minor": r.amount,
                }
                for r in rows
            ]
        )
        return
    table(
        localised(Message("Balances as of {day}", day=as_of)) if as_of else "Balances",
        ["account", "balance", "currency"],
        [(r.account, format_amount(r.amount, r.currency, grouping=True), r.currency) for r in rows],
    )


def _entry_json(stored: PostedEntry) -> dict[str, object]:
    entry = stored.entry
    return {
        "seq": stored.seq,
        "key": entry.key,
        "date": entry.effective_date.isoformat(),
        "kind": entry.kind,
        "memo": entry.memo,
        "metadata": dict(entry.metadata),
        "links": list(entry.links),
        "booked_at": stored.booked_at,
        "hash": stored.hash,
        "prev_hash": stored.prev_hash,
        "postings": [
            {
                "account": p.account,
                "amount": format_amount(p.amount, p.currency),
                "currency": p.currency,
            }
            for p in entry.postings
        ],
    }


def journal(
    account: Annotated[str | None, typer.Option("--account", help=N_("Account or subtree"))] = None,
    start: Annotated[str | None, typer.Option("--from", help=N_("YYYY-MM-DD"))] = None,
    end: Annotated[str | None, typer.Option("--to", help=N_("YYYY-MM-DD"))] = None,
    kind: Annotated[str | None, typer.Option("--kind")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100_000)] = 100,
    after: Annotated[int, typer.Option("--after", help=N_("Show entries after this seq"))] = 0,
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Journal entries in chain order, filtered by account, dates and kind."""
    opened, actor = acting(token, db)
    found = books.journal(
        opened,
        actor,
        account=account,
        start=parse_day(start, "--from"),
        end=parse_day(end, "--to"),
        kind=kind,
        after_seq=after,
        limit=limit,
    )
    if as_json:
        emit_json([_entry_json(s) for s in found])
        return
    rows = []
    for stored in found:
        e = stored.entry
        for i, p in enumerate(e.postings):
            head = (
                (str(stored.seq), e.effective_date.isoformat(), e.kind, e.key)
                if i == 0
                else ("", "", "", "")
            )
            rows.append(
                (*head, p.account, format_amount(p.amount, p.currency, grouping=True), p.currency)
            )
    table("Journal", ["seq", "date", "kind", "key", "account", "amount", "currency"], rows)


def verify(
    checkpoint: Annotated[
        Path | None, typer.Option("--checkpoint", help=N_("A checkpoint file kept from a close"))
    ] = None,
    token: TokenOption = None,
    db: DbOption = None,
    since: Annotated[
        bool,
        typer.Option(
            "--since",
            help=N_(
                "Verify only what followed the --checkpoint (its hashes prove what preceded it)"
            ),
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Recompute the hash chains and every balance; exit 6 on any mismatch."""
    kept = None
    if checkpoint is not None:
        kept = Checkpoint.from_json(read_text(checkpoint), source=str(checkpoint))
    elif since:
        raise InputError([Problem(Message("--since needs --checkpoint FILE"), field="--since")])
    opened, actor = acting(token, db)
    report = books.verify(opened, actor, kept, since=since)
    if as_json:
        emit_json(
            {
                "ok": report.ok,
                "entries": report.entries,
                "postings": report.postings,
                "last_seq": report.last_seq,
                "last_hash": report.last_hash,
                "since_seq": report.since_seq,
                "findings": [
                    {"seq": f.seq, "key": f.key, "account": f.account, "what": f.what}
                    for f in report.findings
                ],
            }
        )
    elif report.ok and report.since_seq is not None:
        said = Message(
            "verify ok since the checkpoint (entry #{since}): {entries} entries and {postings} "
            "postings after it, chain head #{seq} {head}…, balances match; what precedes it "
            "rests on the checkpoint's hashes (the full verify checks it too)",
            since=report.since_seq,
            entries=report.entries,
            postings=report.postings,
            seq=report.last_seq,
            head=report.last_hash[:16],
        )
        out.print(localised(said))
    elif report.ok:
        said = Message(
            "verify ok: {entries} entries, {postings} postings, chain head #{seq} {head}…, "
            "balances match the journal",
            entries=report.entries,
            postings=report.postings,
            seq=report.last_seq,
            head=report.last_hash[:16],
        )
        out.print(localised(said))
    else:
        for finding in report.findings[1:20]:
            err.print(f"  {localised(finding.said())}", markup=False)
    first = report.first_bad
    if first is not None:
        raise IntegrityError(
            Message(
                "verify failed at {first}; {count} finding(s)",
                first=first.said(),
                count=len(report.findings),
            )
        )


def close(
    through: Annotated[
        str, typer.Option("--through", help=N_("Last day of the period, YYYY-MM-DD"))
    ],
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Propose closing the books through a day already past; the board's approval closes it
    (then `jointfund checkpoint` writes the checkpoint partners keep)."""
    day = parse_day(through, "--through")
    assert day is not None
    opened, actor = acting(token, db)
    proposal = propose(opened, actor, "period_close", close_payload(day))
    if as_json:
        emit_json(
            {"proposal": proposal.id, "through": through, "payload_hash": proposal.payload_hash}
        )
    else:
        said = Message(
            "proposal {id}: closing the books through {through} awaits the board's approval "
            "(payload {payload})",
            id=proposal.id,
            through=through,
            payload=proposal.payload_hash,
        )
        out.print(localised(said))


def checkpoint(
    through: Annotated[
        str | None, typer.Option("--through", help=N_("The close's last day (default: the latest)"))
    ] = None,
    out_file: Annotated[
        Path | None, typer.Option("--out", help=N_("Write the checkpoint JSON here"))
    ] = None,
    token: TokenOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The checkpoint of a close, to keep and later check with `verify --checkpoint`."""
    day = parse_day(through, "--through")
    opened, actor = acting(token, db)
    kept = books.checkpoints(opened, actor)
    found = [c for c in kept if day is None or c.through == day]
    if not found:
        raise NotFoundError(
            Message("no close through {through}", through=through)
            if through
            else Message("the books have no close")
        )
    chosen = found[-1]
    if out_file is not None:
        out_file.write_text(chosen.to_json() + "\n", encoding="utf-8")
    if as_json:
        emit_json(
            {
                "through": chosen.through.isoformat(),
                "last_seq": chosen.last_seq,
                "last_hash": chosen.last_hash,
            }
        )
    else:
        where = localised(Message("; written to {file}", file=out_file)) if out_file else ""
        said = Message(
            "checkpoint of the close through {through}: entry #{seq} {head}…{where}",
            through=chosen.through,
            seq=chosen.last_seq,
            head=chosen.last_hash[:16],
            where=where,
        )
        out.print(localised(said))
