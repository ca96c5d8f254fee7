"""The board decisions a term sheet attaches approval rules to, and the kinds of rule."""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    """Board decisions a term sheet can attach an approval rule to; `other` is the fallback."""

    INVESTMENT = "investment"
    IN_KIND_VALUATION = "in_kind_valuation"
    DISTRIBUTION = "distribution"
    WRITE_DOWN = "write_down"
    TERM_CHANGE = "term_change"
    ADMIT_PARTNER = "admit_partner"
    OTHER = "other"


class ApprovalKind(StrEnum):
    """Approval rules: every manager, one manager of each partner, or a board majority."""

    UNANIMOUS = "unanimous"
    EACH_PARTNER = "each_partner"
    MAJORITY = "majority"
