"""The `jointfund` command line: one module per command family; it parses, calls, reports."""
