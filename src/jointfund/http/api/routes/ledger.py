"""The books: journal pages, one entry, balances as of a date, verification."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import Response

from jointfund.fund import books
from jointfund.governance import User
from jointfund.http.api.pagination import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT, page_of
from jointfund.http.api.permit import Permit
from jointfund.http.api.read_cache import ANY_ENTRY
from jointfund.http.api.reads import SHORT_PAGE, read_briefly
from jointfund.http.api.responses import json_body, json_bytes, json_response
from jointfund.http.api.schemas.common import ERROR_RESPONSES, Day
from jointfund.http.api.schemas.ledger import (
    BalancesOut,
    EntryOut,
    JournalPageOut,
    VerifyOut,
    balances_out,
    entry_out,
    journal_page_out,
    verify_out,
)
from jointfund.http.state import BooksDep, state_of

router = APIRouter(prefix="/api/ledger", tags=["ledger"], responses=ERROR_RESPONSES)
Reader = Annotated[User, Depends(Permit("ledger.read"))]
Verifier = Annotated[User, Depends(Permit("ledger.verify"))]


@router.get("/journal", response_model=JournalPageOut)
async def journal(
    request: Request,
    db: BooksDep,
    user: Reader,
    after: Annotated[int, Query(ge=0, le=MAX_ID, description="Show entries after this seq")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    account: Annotated[str | None, Query(description="An account or subtree")] = None,
    start: Annotated[Day | None, Query(alias="from")] = None,
    end: Annotated[Day | None, Query(alias="to")] = None,
    kind: str | None = None,
) -> Response:
    """Journal entries in chain order after the cursor `after`, filtered by account, dates, kind."""
    query = {"account": account, "from": start, "to": end, "kind": kind}
    if account or start or end or kind:
        # A filter may scan far to fill a page: a worker thread, and not kept.
        fetched = await read_briefly(
            db,
            False,
            lambda: books.journal(
                db,
                user,
                account=account,
                start=start,
                end=end,
                kind=kind,
                after_seq=after,
                limit=limit + 1,
            ),
        )
        items, following = page_of(fetched, limit, lambda s: s.seq, "/api/ledger/journal", query)
        return json_response(journal_page_out(items, following))
    # An unfiltered page is a bounded range of seqs, and kept: a page followed by another
    # entry never changes; the last page changes with the next entry posted.
    cache, key = state_of(request).read_cache, ("journal", after, limit)
    cache.alias(request.scope["path"], request.scope["query_string"], key)
    body = await cache.lookup(key)
    if body is None:
        read_at, fetched = await read_briefly(
            db,
            limit <= SHORT_PAGE,
            lambda: books.journal_at_head(db, user, after_seq=after, limit=limit + 1),
        )
        items, following = page_of(fetched, limit, lambda s: s.seq, "/api/ledger/journal", query)
        body = json_bytes(journal_page_out(items, following))
        cache.store(key, read_at, body, None if following else ANY_ENTRY)
    return json_body(body)


@router.get("/entries/by-key", response_model=EntryOut)
def entry_by_key(
    db: BooksDep, user: Reader, key: Annotated[str, Query(min_length=1, max_length=200)]
) -> EntryOut:
    """One entry by its idempotency key."""
    return entry_out(books.entry(db, user, key=key))


@router.get("/entries/{seq}", response_model=EntryOut)
def entry_by_seq(
    db: BooksDep, user: Reader, seq: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> EntryOut:
    """One entry by its place in the chain."""
    return entry_out(books.entry(db, user, seq=seq))


@router.get("/balances", response_model=BalancesOut)
async def balances(
    request: Request,
    db: BooksDep,
    user: Reader,
    as_of: Annotated[Day | None, Query(description="End of this day; now when absent")] = None,
    root: Annotated[str | None, Query(description="Only this account subtree")] = None,
) -> Response:
    """Balances of every account (or a subtree), now or at the end of a day."""
    # Kept until an entry dated on or before `as_of` (any entry, for now) is posted.
    cache, key = state_of(request).read_cache, ("balances", as_of, root)
    cache.alias(request.scope["path"], request.scope["query_string"], key)
    body = await cache.lookup(key)
    if body is None:
        # Now is one indexed read of the materialised balances; a date sums every day before it.
        read_at, rows = await read_briefly(
            db, as_of is None, lambda: books.balances_at_head(db, user, as_of=as_of, root=root)
        )
        body = json_bytes(balances_out(rows, as_of, root))
        cache.store(key, read_at, body, ANY_ENTRY if as_of is None else as_of)
    return json_body(body)


@router.get("/verify", response_model=VerifyOut)
def verify(db: BooksDep, user: Verifier) -> VerifyOut:
    """Recompute the hash chain and every balance from the journal and report disagreements."""
    return verify_out(books.verify(db, user))
