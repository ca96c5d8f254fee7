"""The JSON API: one router per resource under `/api/`, bearer tokens, one error body."""

from jointfund.http.api.routes import (
    audit,
    calendar,
    capital,
    committees,
    contributions,
    filings,
    forecast,
    fx,
    ledger,
    licences,
    metrics,
    proposals,
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
        licences,
        filings,
        fx,
        contributions,
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
