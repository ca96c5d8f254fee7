"""The JSON API: one router per resource under `/api/`, bearer tokens, one error body."""

from jointfund.http.api.routes import (
    audit,
    books,
    calendar,
    capital,
    committees,
    contributions,
    filings,
    forecast,
    fx,
    in_kind,
    ledger,
    licences,
    metrics,
    proposals,
    receipts,
    session,
    statements,
    terms,
    transparency,
)

ROUTERS = tuple(
    module.router
    for module in (
        session,
        ledger,
        books,
        licences,
        filings,
        fx,
        receipts,
        contributions,
        in_kind,
        calendar,
        committees,
        proposals,
        capital,
        metrics,
        statements,
        forecast,
        terms,
        transparency,
        audit,
    )
)
"""Every API router, in the order the docs list them."""

__all__ = ["ROUTERS"]
