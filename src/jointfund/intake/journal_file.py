"""Journal files (JSON, JSON Lines or CSV) turned into ledger entries, every problem located."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jointfund.dates import DAY, DAY_EXPECTED, day_or_reason
from jointfund.errors import InputError, Problem
from jointfund.i18n.message import Message
from jointfund.intake.sources import Located, csv_rows, json_records, read_text
from jointfund.ledger import Entry, Posting, entry_problems
from jointfund.money import AmountError, format_amount, is_currency, parse_amount

CSV_COLUMNS = ("key", "date", "kind", "account", "amount", "currency")
CSV_OPTIONAL = ("memo",)


@dataclass(frozen=True, slots=True)
class JournalFile:
    """Entries read from a file and the line each one starts on."""

    path: str
    entries: list[Entry]
    lines: list[int]


def read_journal(path: Path, *, name: str | None = None) -> JournalFile:
    """Read every entry; on any problem raise one InputError listing them all."""
    label = name or str(path)
    text = read_text(path, name=label)
    if path.suffix.lower() == ".csv":
        return _from_csv(text, label)
    return _from_json(text, label)


def _date(value: Any, problems: list[Problem], where: dict[str, Any]) -> date | None:
    if not isinstance(value, str):
        problems.append(Problem(Message("date must be a string"), expected=DAY, **where))
        return None
    day, reason = day_or_reason(value.strip())
    if day is None:
        problems.append(Problem(reason, expected=DAY_EXPECTED, **where))
    return day


def _posting(raw: Any, problems: list[Problem], where: dict[str, Any]) -> Posting | None:
    field = where["field"]
    if not isinstance(raw, dict):
        problems.append(Problem(Message("posting must be an object"), **where))
        return None
    account, amount, ccy = raw.get("account"), raw.get("amount"), raw.get("currency")
    ok = True
    if not isinstance(account, str) or not account:
        problems.append(
            Problem(Message("account is missing"), **{**where, "field": f"{field}.account"})
        )
        ok = False
    if not isinstance(ccy, str) or not is_currency(ccy):
        problems.append(
            Problem(
                Message("unknown currency {ccy!r}", ccy=ccy),
                expected=Message("an ISO 4217 code such as USD"),
                **{**where, "field": f"{field}.currency"},
            )
        )
        return None
    if not isinstance(amount, str):
        problems.append(
            Problem(
                Message("amount must be a decimal string"),
                expected=Message('a string such as "75000000.00"'),
                **{**where, "field": f"{field}.amount"},
            )
        )
        return None
    try:
        minor = parse_amount(amount, ccy)
    except AmountError as exc:
        problems.append(Problem(exc.problems[0].message, **{**where, "field": f"{field}.amount"}))
        return None
    return Posting(str(account), minor, ccy) if ok else None


def _entry(raw: Located, label: str, problems: list[Problem]) -> Entry | None:
    where: dict[str, Any] = {"file": label, "row": raw.line}
    value = raw.value
    if not isinstance(value, dict):
        problems.append(Problem(Message("entry must be an object"), **where))
        return None
    before = len(problems)
    unknown = set(value) - {"key", "date", "kind", "memo", "metadata", "links", "postings"}
    for name in sorted(unknown):
        problems.append(Problem(Message("unknown field {name!r}", name=name), field=name, **where))
    key, kind, memo = value.get("key"), value.get("kind"), value.get("memo", "")
    for name, item in (("key", key), ("kind", kind), ("memo", memo)):
        if not isinstance(item, str):
            problems.append(
                Problem(Message("{name} must be a string", name=name), field=name, **where)
            )
    when = _date(value.get("date"), problems, {**where, "field": "date"})
    metadata, links = value.get("metadata", {}), value.get("links", [])
    if not isinstance(metadata, dict):
        problems.append(Problem(Message("metadata must be an object"), field="metadata", **where))
    if not isinstance(links, list) or not all(isinstance(x, str) for x in links):
        problems.append(Problem(Message("links must be a list of strings"), field="links", **where))
    raw_postings = value.get("postings")
    if not isinstance(raw_postings, list):
        problems.append(Problem(Message("postings must be a list"), field="postings", **where))
        return None
    postings = [
        _posting(p, problems, {**where, "field": f"postings[{i}]"})
        for i, p in enumerate(raw_postings)
    ]
    if len(problems) > before or when is None:
        return None
    entry = Entry(
        key=str(key),
        effective_date=when,
        kind=str(kind),
        postings=tuple(p for p in postings if p is not None),
        memo=str(memo),
        metadata=metadata,
        links=tuple(links),
    )
    for field, message in entry_problems(entry):
        problems.append(Problem(message, field=field, **where))
    return entry


def entries_from_values(values: Sequence[Any], label: str) -> list[Entry]:
    """Entries from already-decoded objects in the JSON file shape (a proposal's payload);
    one InputError naming every problem."""
    problems: list[Problem] = []
    found = [_entry(Located(i + 1, value), label, problems) for i, value in enumerate(values)]
    if problems:
        raise InputError(problems)
    return [e for e in found if e is not None]


def entry_values(entry: Entry) -> dict[str, Any]:
    """An entry in the JSON file shape `entries_from_values` reads back."""
    return {
        "key": entry.key,
        "date": entry.effective_date.isoformat(),
        "kind": entry.kind,
        "memo": entry.memo,
        "metadata": dict(entry.metadata),
        "links": list(entry.links),
        "postings": [
            {
                "account": p.account,
                "amount": format_amount(p.amount, p.currency),
                "currency": p.currency,
            }
            for p in entry.postings
        ],
    }


def _from_json(text: str, label: str) -> JournalFile:
    problems: list[Problem] = []
    found: list[Entry] = []
    lines: list[int] = []
    for record in json_records(text, label):
        entry = _entry(record, label, problems)
        if entry is not None:
            found.append(entry)
            lines.append(record.line)
    if problems:
        raise InputError(problems)
    return JournalFile(label, found, lines)


def _from_csv(text: str, label: str) -> JournalFile:
    """One posting per row; consecutive rows with the same key form an entry."""
    groups: list[Located] = []
    problems: list[Problem] = []
    for row in csv_rows(text, label, CSV_COLUMNS, CSV_OPTIONAL):
        if "__extra__" in row.value:
            problems.append(
                Problem(Message("row has more cells than the header"), file=label, row=row.line)
            )
            continue
        cells = row.value
        posting = {
            "account": cells["account"],
            "amount": cells["amount"],
            "currency": cells["currency"],
        }
        if groups and groups[-1].value["key"] == cells["key"]:
            head = groups[-1].value
            same = (head["date"], head["kind"]) == (cells["date"], cells["kind"])
            if not same:
                problems.append(
                    Problem(
                        Message("date and kind must match the entry's first row"),
                        file=label,
                        row=row.line,
                        field="date",
                    )
                )
            head["postings"].append(posting)
            continue
        groups.append(
            Located(
                row.line,
                {
                    "key": cells["key"],
                    "date": cells["date"],
                    "kind": cells["kind"],
                    "memo": cells.get("memo", ""),
                    "postings": [posting],
                },
            )
        )
    found: list[Entry] = []
    lines: list[int] = []
    for group in groups:
        entry = _entry(group, label, problems)
        if entry is not None:
            found.append(entry)
            lines.append(group.line)
    if not groups and not problems:
        problems.append(Problem(Message("file has no entries"), file=label))
    if problems:
        raise InputError(problems)
    return JournalFile(label, found, lines)
