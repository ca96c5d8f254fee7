"""Plotly's JavaScript, served from the installed Python package: no CDN, machines are offline."""

from __future__ import annotations

import hashlib
from functools import cache

from fastapi import APIRouter, Request, Response

router = APIRouter(include_in_schema=False)
PLOTLY_PATH = "/assets/plotly.min.js"


@cache
def plotly_bundle() -> tuple[bytes, str]:
    """The bundled plotly.js and its ETag, read once per process."""
    from plotly.offline import get_plotlyjs  # type: ignore[import-untyped]

    body = get_plotlyjs().encode("utf-8")
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


@router.get(PLOTLY_PATH)
def plotly_js(request: Request) -> Response:
    """plotly.min.js with a validator, so browsers fetch its 4 MB once."""
    body, etag = plotly_bundle()
    headers = {"ETag": etag, "Cache-Control": "public, max-age=86400"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="text/javascript", headers=headers)
