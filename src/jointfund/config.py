"""Settings (database URL, paths) read from the environment once and passed in, never global."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from jointfund.errors import ConfigError
from jointfund.i18n.message import Message

DEFAULT_DATABASE = "jointfund.db"


class Settings(BaseSettings):
    """Where jointfund keeps its books; `JOINTFUND_*` environment variables override."""

    model_config = SettingsConfigDict(env_prefix="JOINTFUND_", extra="ignore")

    database_url: str = Field(
        default=DEFAULT_DATABASE,
        description="SQLAlchemy URL, or a plain file path meaning SQLite.",
    )
    runs_dir: Path = Field(default=Path("runs"), description="Where saved forecast runs live.")
    fx_stale_days: int = Field(
        default=7,
        ge=0,
        description="An FX rate older than this many days marks the figures it translates "
        "stale as of its date.",
    )
    plotly_js: Path | None = Field(
        default=None,
        description=(
            "A plotly.js bundle to serve to the pages' charts, such as the partial bundle "
            "`make setup` installs (node_modules/plotly.js-basic-dist-min/plotly-basic.min.js); "
            "unset, the full bundle of the plotly Python package."
        ),
    )
    fx_max_jump: Decimal = Field(
        default=Decimal("0.2"),
        gt=0,
        description=(
            "How far (a fraction: 0.2 is 20 %) an imported FX rate may move from the pair's "
            "previous rate before the import needs explicit confirmation (--confirm-jumps)."
        ),
    )
    session_secret: str | None = Field(
        default=None,
        description=(
            "Key that signs web session cookies; required when several worker processes serve "
            "(unset, a lone process makes a random one and sessions end when it restarts)."
        ),
    )


def database_url(value: str) -> str:
    """Turn a plain file path into a SQLite URL; pass real URLs through unchanged."""
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser()}"


def check_workers(settings: Settings, workers: int) -> None:
    """Refuse several worker processes without one shared session key: each would sign
    cookies with a key of its own and refuse the others' (sign-ins would fail at random)."""
    if workers > 1 and not settings.session_secret:
        raise ConfigError(
            Message(
                "serving with {workers} workers needs one session key for all of them: set "
                "JOINTFUND_SESSION_SECRET (for example to the output of `python -c 'import "
                "secrets; print(secrets.token_urlsafe(32))'`)",
                workers=workers,
            )
        )
