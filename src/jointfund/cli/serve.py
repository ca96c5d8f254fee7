"""`jointfund serve`: run the REST API (and the web pages, when installed) with uvicorn."""

from __future__ import annotations

import os
from typing import Annotated

import typer
import uvicorn

from jointfund.cli.options import DbOption
from jointfund.cli.output import out
from jointfund.config import Settings, check_workers
from jointfund.i18n import N_
from jointfund.i18n.message import Message, localised

# The app is named by import string: uvicorn builds it from the environment in each worker,
# and the CLI stays independent of the HTTP package (the layers contract keeps them apart).
APP_FACTORY = "jointfund.http:app_from_environment"

HEALTHCHECK_TIMEOUT_S = 60
"""uvicorn restarts a worker that takes longer than this to start (opening large books can
migrate them first) or to answer its ping; its 5 s default killed workers busy under load on
two cores, and every request they held failed."""


def serve(
    host: Annotated[str, typer.Option("--host", help=N_("Interface to listen on"))] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, help=N_("Worker processes"))] = 1,
    healthcheck_timeout: Annotated[
        int,
        typer.Option(
            "--healthcheck-timeout",
            min=1,
            help=N_(
                "Seconds a worker may take to start or to answer the supervisor's ping "
                "before it is restarted (with --workers)"
            ),
        ),
    ] = HEALTHCHECK_TIMEOUT_S,
    db: DbOption = None,
) -> None:
    """Serve the REST API (OpenAPI at /docs) and the web pages over HTTP."""
    if db is not None:
        os.environ["JOINTFUND_DATABASE_URL"] = db
    check_workers(Settings(), workers)
    said = Message(
        "dashboard at http://{host}:{port}/ (public page /transparency, API docs /docs); "
        "sign in with a user name and token (`jointfund demo` prints the demo logins)",
        host=host,
        port=port,
    )
    out.print(localised(said), markup=False)
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        ws="none",
        timeout_worker_healthcheck=healthcheck_timeout,
    )
