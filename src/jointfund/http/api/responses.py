"""JSON responses serialised once, by pydantic, from an already validated shape.

A route that returns a model lets FastAPI validate and serialise it again against its
`response_model`; a hot read route returns `json_response(model)` instead and keeps the
`response_model` for the OpenAPI document.
"""

from __future__ import annotations

from pydantic import BaseModel
from starlette.responses import Response


def json_bytes(model: BaseModel) -> bytes:
    """`model` serialised straight to JSON bytes."""
    return model.__pydantic_serializer__.to_json(model)


def json_body(body: bytes) -> Response:
    """JSON bytes already serialised (or kept from an earlier request) as a response."""
    return Response(body, media_type="application/json")


def json_response(model: BaseModel) -> Response:
    """`model` as an `application/json` response, serialised straight to bytes."""
    return json_body(json_bytes(model))
