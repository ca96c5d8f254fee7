"""plotly.js for the pages' charts, served from an installed package: no CDN, machines are
offline. The partial bundle the charts need (`settings.plotly_js`, installed by npm) when there
is one, else the plotly Python package's full bundle; compressed on the way (GZip middleware)."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from fastapi import APIRouter, Request, Response

from jointfund.errors import ConfigError
from jointfund.http.state import state_of
from jointfund.i18n.message import Message

router = APIRouter(include_in_schema=False)
PLOTLY_PATH = "/assets/plotly.min.js"


@cache
def plotly_bundle(path: Path | None = None) -> tuple[bytes, str]:
    """The plotly.js bundle at `path` (None: the plotly package's own) and its ETag, read once
    per process."""
    if path is None:
        from plotly.offline import get_plotlyjs  # type: ignore[import-untyped]

        body = get_plotlyjs().encode("utf-8")
    else:
        try:
            body = path.read_bytes()
        except OSError as exc:
            raise ConfigError(
                Message(
                    "JOINTFUND_PLOTLY_JS: cannot read {path}: {exc}", path=str(path), exc=str(exc)
                )
            ) from None
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


@router.get(PLOTLY_PATH)
def plotly_js(request: Request) -> Response:
    """plotly.js with a validator, so browsers fetch it once."""
    body, etag = plotly_bundle(state_of(request).settings.plotly_js)
    headers = {"ETag": etag, "Cache-Control": "public, max-age=86400"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="text/javascript", headers=headers)
