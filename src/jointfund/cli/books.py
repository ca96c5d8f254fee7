"""Commands over the books: init, post, balances, journal, verify, close."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jointfund.cli.options import DbOption, JsonOption, database, ledger, parse_day
from jointfund.cli.output import emit_json, err, out, table
from jointfund.errors import InputError, IntegrityError, Problem
from jointfund.fund.setup import set_up_fund
from jointfund.intake.journal_file import read_journal
from jointfund.intake.sources import read_text
from jointfund.ledger import Checkpoint, PostedEntry
from jointfund.money import format_amount
from jointfund.store import schema_revision
from jointfund.terms import DEFAULT_PRESET


def init(
    terms: Annotated[
        str,
        typer.Option("--terms", help="Term sheet: a preset id (see `terms list`) or a YAML file"),
    ] = DEFAULT_PRESET,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create the database and set the fund up under a term sheet (safe to repeat)."""
    opened = database(db)
    setup = set_up_fund(opened, terms)
    revision = schema_revision(opened)
    url = opened.engine.url.render_as_string(hide_password=True)
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
        out.print(
            f"fund in {url} runs under {setup.terms_id} (schema {revision}); "
            f"{setup.accounts_opened} accounts opened"
        )


def post(
    file: Annotated[Path, typer.Argument(help="Journal file: .json, .jsonl or .csv")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Post a journal file: every entry, or (on any problem) none, each problem located."""
    journal = read_journal(file)
    books = ledger(db)
    broken = books.problems(journal.entries)
    if broken:
        raise InputError(
            Problem(str(error), file=journal.path, row=journal.lines[i]) for i, error in broken
        )
    results = books.post_many(journal.entries)
    created = sum(r.created for r in results)
    if as_json:
        emit_json({"posted": created, "already_present": len(results) - created})
    else:
        out.print(f"posted {created} entries, {len(results) - created} already present")


def balances(
    as_of: Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD")] = None,
    root: Annotated[str | None, typer.Option("--root", help="Only this account subtree")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Balances of every account (or a subtree), now or at the end of a day."""
    rows = ledger(db).balances(parse_day(as_of, "--as-of"), root)
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
        f"Balances{' as of ' + as_of if as_of else ''}",
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
    account: Annotated[str | None, typer.Option("--account", help="Account or subtree")] = None,
    start: Annotated[str | None, typer.Option("--from", help="YYYY-MM-DD")] = None,
    end: Annotated[str | None, typer.Option("--to", help="YYYY-MM-DD")] = None,
    kind: Annotated[str | None, typer.Option("--kind")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100_000)] = 100,
    after: Annotated[int, typer.Option("--after", help="Show entries after this seq")] = 0,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Journal entries in chain order, filtered by account, dates and kind."""
    found = ledger(db).journal(
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
        Path | None, typer.Option("--checkpoint", help="A checkpoint file kept from a close")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Recompute the hash chain and every balance from the journal; exit 6 on any mismatch."""
    kept = None
    if checkpoint is not None:
        kept = Checkpoint.from_json(read_text(checkpoint), source=str(checkpoint))
    report = ledger(db).verify(kept)
    if as_json:
        emit_json(
            {
                "ok": report.ok,
                "entries": report.entries,
                "postings": report.postings,
                "last_seq": report.last_seq,
                "last_hash": report.last_hash,
                "findings": [
                    {"seq": f.seq, "key": f.key, "account": f.account, "what": f.what}
                    for f in report.findings
                ],
            }
        )
    elif report.ok:
        out.print(
            f"verify ok: {report.entries} entries, {report.postings} postings, "
            f"chain head #{report.last_seq} {report.last_hash[:16]}…, balances match the journal"
        )
    else:
        for finding in report.findings[1:20]:
            err.print(f"  {finding}", markup=False)
    if not report.ok:
        first = report.first_bad
        raise IntegrityError(f"verify failed at {first}; {len(report.findings)} finding(s)")


def close(
    through: Annotated[str, typer.Option("--through", help="Last day of the period, YYYY-MM-DD")],
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Write the checkpoint JSON here")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Close the books through a day; later entries dated inside it are refused."""
    day = parse_day(through, "--through")
    assert day is not None
    checkpoint = ledger(db).close(day)
    if out_file is not None:
        out_file.write_text(checkpoint.to_json() + "\n", encoding="utf-8")
    if as_json:
        emit_json(
            {"through": through, "last_seq": checkpoint.last_seq, "last_hash": checkpoint.last_hash}
        )
    else:
        where = f"; checkpoint written to {out_file}" if out_file else ""
        out.print(f"closed through {through} at entry #{checkpoint.last_seq}{where}")
