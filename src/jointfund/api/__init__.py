"""The REST API: an app factory, one router per resource, one JSON error body."""

from jointfund.api.app import app_from_environment, create_app

__all__ = ["app_from_environment", "create_app"]
