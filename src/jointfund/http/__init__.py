"""The HTTP layer: one app serving the JSON API (`api`) and the pages (`pages`)."""

from jointfund.http.app import app_from_environment, create_app

__all__ = ["app_from_environment", "create_app"]
