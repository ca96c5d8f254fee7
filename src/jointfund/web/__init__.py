"""Server-rendered pages for people; every page also answers as JSON (its twin).

Wiring, done once by the app factory::

    from jointfund.web import install
    from jointfund.web.pages import STATIC_DIR, STATIC_URL, router

    install(app, settings)                 # database, session key, forecast jobs
    app.include_router(router)
    app.mount(STATIC_URL, StaticFiles(directory=STATIC_DIR), name="static")

JSON twin: any page answers with its data as JSON when asked with `?format=json` or with
`Accept: application/json` (and no `text/html`). Forms are POSTs carrying the session's
`csrf_token` field (or an `X-CSRF-Token` header); the twin of a POST returns its result
as JSON instead of a redirect. Errors answer with one body:
`{"error": {"code", "message", "problems": [...]}}`.
"""

from jointfund.web.context import WebContext, install

__all__ = ["WebContext", "install"]
