"""The ledger as Beancount text, so `bean-check` and Fava can read the same books."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from jointfund.errors import ConflictError
from jointfund.i18n.message import Message
from jointfund.ledger import Account, PostedEntry
from jointfund.money import format_amount

_BAD = re.compile(r"[^A-Za-z0-9-]")


def beancount_account(name: str) -> str:
    """Our account name in Beancount's spelling: components capitalised, '_' as '-'."""
    parts = name.split(":")
    spelled = [parts[0]]
    for part in parts[1:]:
        part = _BAD.sub("-", part)
        spelled.append(part[:1].upper() + part[1:])
    return ":".join(spelled)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def beancount_lines(
    accounts: Sequence[Account], journal: Iterable[PostedEntry], *, title: str = "jointfund"
) -> Iterable[str]:
    """Lines of a Beancount file: options, opens, every entry, closes and balance assertions."""
    names: dict[str, str] = {}
    for account in accounts:
        spelled = beancount_account(account.name)
        if spelled in names.values():
            raise ConflictError(Message("two accounts spell {name} in Beancount", name=spelled))
        names[account.name] = spelled
    yield f"option {_quote('title')} {_quote(title)}"
    yield f"option {_quote('operating_currency')} {_quote('USD')}"
    yield ""
    for account in sorted(accounts, key=lambda a: (a.opened_on, a.name)):
        yield f"{account.opened_on.isoformat()} open {names[account.name]} {account.currency}"
    yield ""
    totals: dict[str, int] = defaultdict(int)
    last_day = date.min
    for stored in journal:
        entry = stored.entry
        last_day = max(last_day, entry.effective_date)
        narration = entry.memo or entry.kind
        yield f"{entry.effective_date.isoformat()} * {_quote(narration)}"
        yield f"  key: {_quote(entry.key)}"
        yield f"  kind: {_quote(entry.kind)}"
        yield f"  seq: {stored.seq}"
        yield f"  hash: {_quote(stored.hash)}"
        for posting in entry.postings:
            totals[posting.account] += posting.amount
            amount = format_amount(posting.amount, posting.currency)
            yield f"  {names[posting.account]}  {amount} {posting.currency}"
        yield ""
    if last_day == date.min:
        return
    check_day = last_day + timedelta(days=1)
    for account in sorted(accounts, key=lambda a: a.name):
        if account.closed_on is not None:
            yield f"{account.closed_on.isoformat()} close {names[account.name]}"
            continue
        if account.opened_on > check_day:
            continue
        amount = format_amount(totals.get(account.name, 0), account.currency)
        yield f"{check_day.isoformat()} balance {names[account.name]} {amount} {account.currency}"
