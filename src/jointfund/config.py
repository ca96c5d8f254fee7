"""Settings (database URL, paths) read from the environment once and passed in, never global."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE = "jointfund.db"


class Settings(BaseSettings):
    """Where jointfund keeps its books; `JOINTFUND_*` environment variables override."""

    model_config = SettingsConfigDict(env_prefix="JOINTFUND_", extra="ignore")

    database_url: str = Field(
        default=DEFAULT_DATABASE,
        description="SQLAlchemy URL, or a plain file path meaning SQLite.",
    )
    runs_dir: Path = Field(default=Path("runs"), description="Where saved forecast runs live.")
    session_secret: str | None = Field(
        default=None,
        description="Key that signs web session cookies; unset, each process makes a random one.",
    )


def database_url(value: str) -> str:
    """Turn a plain file path into a SQLite URL; pass real URLs through unchanged."""
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser()}"
