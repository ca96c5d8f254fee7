"""How the lists sort: the sorts each list offers (only those an index serves), and a sort
read from an address (`date` ascending, `-date` descending)."""

from __future__ import annotations

from jointfund.store.audit import AUDIT_SORTS
from jointfund.store.filing_reads import FILING_SORTS
from jointfund.store.journal import JOURNAL_SORTS
from jointfund.store.keyset import Sort, parse_sort
from jointfund.store.licence_pages import LICENCE_SORTS

__all__ = ["AUDIT", "FILINGS", "JOURNAL", "LICENCES", "Sort", "parse_sort"]

AUDIT = tuple(AUDIT_SORTS)
"""The audit log: by record number (the order written), actor, action or object."""

LICENCES = tuple(LICENCE_SORTS)
"""The licence register: by licence id, holder or issue date."""

FILINGS = tuple(FILING_SORTS)
"""Stored filings: by period, day received, licence, or amount within its currency."""

JOURNAL = tuple(JOURNAL_SORTS)
"""The journal: by chain order, effective date, kind or key."""
