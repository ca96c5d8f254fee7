"""Response and request bodies: pydantic models at the edge, built from the domain's records."""
