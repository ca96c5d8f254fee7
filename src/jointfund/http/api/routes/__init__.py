"""One router per resource, each route calling one `fund` or `store` façade function."""
