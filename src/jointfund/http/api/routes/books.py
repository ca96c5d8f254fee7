"""The books traced: trial balance and balance sheet as of a day, an entry's filings, and
one account's history with its running balance."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Path, Query

from jointfund.fund import books, trace
from jointfund.fund.trial_balance import balance_sheet, trial_balance
from jointfund.governance import User
from jointfund.http.api.pagination import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT, page_of
from jointfund.http.api.permit import Permit
from jointfund.http.api.schemas.books import (
    AccountHistoryOut,
    BalanceSheetOut,
    EntryFilingsOut,
    TrialBalanceOut,
    account_history_out,
    balance_sheet_out,
    entry_filing_out,
    trial_balance_out,
)
from jointfund.http.api.schemas.common import ERROR_RESPONSES, Day
from jointfund.http.state import BooksDep

router = APIRouter(prefix="/api/ledger", tags=["ledger"], responses=ERROR_RESPONSES)
Reader = Annotated[User, Depends(Permit("ledger.read"))]
FilingsReader = Annotated[User, Depends(Permit("filings.read"))]
AsOf = Annotated[Day | None, Query(description="End of this day, YYYY-MM-DD; now when absent")]


@router.get("/trial-balance", response_model=TrialBalanceOut)
def trial_balance_read(db: BooksDep, user: Reader, as_of: AsOf = None) -> TrialBalanceOut:
    """Every account's balance at the end of a day as a debit or a credit, totals per currency."""
    return trial_balance_out(trial_balance(db, user, as_of=as_of))


@router.get("/balance-sheet", response_model=BalanceSheetOut)
def balance_sheet_read(db: BooksDep, user: Reader, as_of: AsOf = None) -> BalanceSheetOut:
    """Assets, liabilities and equity at the end of a day, per currency as booked."""
    return balance_sheet_out(balance_sheet(db, user, as_of=as_of))


@router.get("/entries/{seq}/filings", response_model=EntryFilingsOut)
def entry_filings(
    db: BooksDep,
    user: FilingsReader,
    seq: Annotated[int, Path(ge=1, le=MAX_ID)],
    after: Annotated[int, Query(ge=0, le=MAX_ID, description="Filings after this id")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> EntryFilingsOut:
    """The filing versions one entry booked, in id order after the cursor, and their count."""
    key = books.entry(db, user, seq=seq).entry.key
    rows, count = trace.filings_of_entry(db, user, key, after_id=after, limit=limit + 1)
    path = f"/api/ledger/entries/{seq}/filings"
    items, following = page_of(rows, limit, lambda r: int(r.id), path, {})
    return EntryFilingsOut(
        entry_key=key, count=count, items=[entry_filing_out(r) for r in items], next=following
    )


@router.get("/accounts/{name}/history", response_model=AccountHistoryOut)
def account_history(
    db: BooksDep,
    user: Reader,
    name: Annotated[str, Path(min_length=1, max_length=200)],
    after: Annotated[int, Query(ge=0, le=MAX_ID, description="Postings after this seq")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> AccountHistoryOut:
    """One account's postings in chain order after the cursor, each with the running balance."""
    found = trace.account_ledger(db, user, name, after_seq=after, limit=limit)
    following = None
    if found.more:
        path = f"/api/ledger/accounts/{quote(name, safe=':')}/history"
        following = f"{path}?{urlencode({'after': found.lines[-1].seq, 'limit': limit})}"
    return account_history_out(found, following)
