"""Server-rendered pages for people; every page also answers as JSON (its twin).

JSON twin: any page answers with its data as JSON when asked with `?format=json` or with
`Accept: application/json` (and no `text/html`). Forms are POSTs carrying the session's
`csrf_token` field (or an `X-CSRF-Token` header); the twin of a POST returns its result
as JSON instead of a redirect. Errors answer with the one body of `http.error_status`.
"""

from jointfund.http.pages.router import STATIC_DIR, STATIC_URL, router

__all__ = ["STATIC_DIR", "STATIC_URL", "router"]
