"""Neutralising spreadsheet formula injection in every text cell we export (OWASP CSV injection)."""

from __future__ import annotations

import re

# A spreadsheet treats a cell starting with one of these as a formula or a DDE call.
FORMULA_START = frozenset("=+-@\t\r")
# Characters the XLSX format cannot hold at all; openpyxl would refuse the whole workbook.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(text: str) -> str:
    """The text with a leading apostrophe when a spreadsheet would read it as a formula."""
    cleaned = _XML_ILLEGAL.sub(" ", text)
    first = cleaned[:1]
    stripped = cleaned.lstrip(" ")[:1]
    if first in FORMULA_START or stripped in FORMULA_START:
        return "'" + cleaned
    return cleaned
