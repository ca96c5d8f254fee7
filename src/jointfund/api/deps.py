"""Request-scoped dependencies: the app's one Database, its settings and its forecast jobs.

They only read `app.state`, so they are async: FastAPI runs them on the event loop instead of
sending each to a worker thread.
"""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request

from jointfund.api.forecast_jobs import ForecastJobs
from jointfund.config import Settings
from jointfund.store import Database


def app_database(request: Request) -> Database:
    """The Database the app factory opened; every use case opens its own short transaction."""
    return cast(Database, request.app.state.db)


async def get_db(request: Request) -> Database:
    """`app_database` as a dependency."""
    return app_database(request)


async def get_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    return cast(Settings, request.app.state.settings)


async def get_jobs(request: Request) -> ForecastJobs:
    """The forecast runs this app started."""
    return cast(ForecastJobs, request.app.state.forecast_jobs)


DbDep = Annotated[Database, Depends(get_db)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
JobsDep = Annotated[ForecastJobs, Depends(get_jobs)]
