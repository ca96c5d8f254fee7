"""Reports and exports built from the books as plain data."""
