"""The ledger rules a batch of entries may break before anything is written: an unknown or
closed account, a currency the account does not hold, a date inside a closed period."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from jointfund.errors import AccountStateError, ClosedPeriodError, LedgerError
from jointfund.i18n.message import Message
from jointfund.ledger import Account, Entry


def rule_problems(
    batch: Sequence[Entry], known: dict[str, tuple[int, Account]], closed: date | None
) -> list[tuple[int, LedgerError]]:
    """Every ledger rule the batch breaks, by index: accounts, currencies, closed periods."""
    found: list[tuple[int, LedgerError]] = []
    for i, entry in enumerate(batch):
        if closed is not None and entry.effective_date <= closed:
            found.append(
                (
                    i,
                    ClosedPeriodError(
                        Message(
                            "entry {key} is dated {effective_date}, inside the period closed "
                            "through {closed}",
                            key=entry.key,
                            effective_date=entry.effective_date,
                            closed=closed,
                        )
                    ),
                )
            )
        for posting in entry.postings:
            hit = known.get(posting.account)
            if hit is None:
                found.append(
                    (i, AccountStateError(Message("no account {account}", account=posting.account)))
                )
                continue
            account = hit[1]
            if posting.currency != account.currency:
                found.append(
                    (
                        i,
                        AccountStateError(
                            Message(
                                "account {name} holds {currency}, not {currency2}",
                                name=account.name,
                                currency=account.currency,
                                currency2=posting.currency,
                            )
                        ),
                    )
                )
            if not account.is_open_on(entry.effective_date):
                found.append(
                    (
                        i,
                        AccountStateError(
                            Message(
                                "account {name} is not open on {effective_date}",
                                name=account.name,
                                effective_date=entry.effective_date,
                            )
                        ),
                    )
                )
    return found
