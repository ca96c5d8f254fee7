"""JSON responses serialised once, by pydantic, from an already validated shape.

A route that returns a model lets FastAPI validate and serialise it again against its
`response_model`; a hot read route returns `json_response(model)` instead and keeps the
`response_model` for the OpenAPI document.
"""

from __future__ import annotations

from pydantic import BaseModel
from starlette.responses import Response


def json_response(model: BaseModel) -> Response:
    """`model` as an `application/json` response, serialised straight to bytes."""
    return Response(model.__pydantic_serializer__.to_json(model), media_type="application/json")
