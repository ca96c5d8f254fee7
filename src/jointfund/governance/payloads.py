"""What each proposal kind carries: typed payloads read from plain JSON, every problem at once."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from jointfund.dates import DAY, RANGE, day_or_reason
from jointfund.errors import InputError, Problem
from jointfund.i18n.message import Message
from jointfund.money import AmountError, parse_amount

_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,63}$")
_PARTNER = re.compile(r"^[A-Z]{2,8}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True, slots=True)
class InvestmentPayload:
    """Commit the fund to an investment of up to `amount_minor`."""

    investment_id: str
    name: str
    amount_minor: int
    currency: str
    on: date


@dataclass(frozen=True, slots=True)
class InKindValuationPayload:
    """Approve the one assessed value the Audit Committee recommended, and book it to capital.

    The hashes bind the approval to the exact cost report, valuation and recommendation: if
    any of them changes, the payload no longer matches and the approval books nothing.
    """

    recommendation_id: int
    assessed_minor: int
    currency: str
    cost_report_hash: str
    valuation_hash: str
    recommendation_hash: str
    on: date | None


@dataclass(frozen=True, slots=True)
class DistributionPayload:
    """Pay `amount_minor` out of fund cash to the partners by the terms' rule."""

    amount_minor: int
    currency: str
    on: date


@dataclass(frozen=True, slots=True)
class MarkPayload:
    """Carry an investment at `fair_value_minor` from `on` (a valuation mark or a write-down)."""

    investment_id: str
    fair_value_minor: int
    currency: str
    method: str
    on: date


@dataclass(frozen=True, slots=True)
class TermChangePayload:
    """Replace the fund's term sheet (a preset id or a full YAML text) from `on`."""

    on: date
    preset: str | None
    terms_yaml: str | None


@dataclass(frozen=True, slots=True)
class AdmitPartnerPayload:
    """Admit a new partner (its rules then come in through a term change)."""

    partner_id: str
    name: str
    legal_entity: str
    on: date


@dataclass(frozen=True, slots=True)
class PeriodClosePayload:
    """Close the books through `through`: nothing dated on or before it can be booked after."""

    through: date


@dataclass(frozen=True, slots=True)
class JournalEntryPayload:
    """Manual journal entries, each as the journal file's JSON shape (read by the fund)."""

    entries: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True, slots=True)
class BoardResolutionPayload:
    """What a board meeting decided on `on`, recorded with how it is known (reported or
    illustrative) and its sources; it books nothing."""

    on: date
    meeting: str
    decisions: tuple[str, ...]
    standing: str
    sources: tuple[str, ...]


_STANDINGS = ("reported", "illustrative")
# Fund decisions are taken in one currency; a code, not a sentence to translate.
FUND_CURRENCY = "USD"


class _Reader:
    """Reads fields from one payload, collecting problems instead of stopping at the first."""

    def __init__(self, payload: Mapping[str, Any]) -> None:
        self.payload = payload
        self.problems: list[Problem] = []

    def text(
        self, name: str, *, pattern: re.Pattern[str] | None = None, optional: bool = False
    ) -> str:
        value = self.payload.get(name)
        if value is None and optional:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.problems.append(Problem(Message("required text is missing"), field=name))
            return ""
        if pattern is not None and not pattern.match(value):
            self.problems.append(
                Problem(
                    Message("{value!r} is not allowed", value=value),
                    field=name,
                    expected=pattern.pattern,
                )
            )
        return value

    def day(self, name: str, *, optional: bool = False) -> date | None:
        value = self.payload.get(name)
        if value is None and optional:
            return None
        day, reason = day_or_reason(value) if isinstance(value, str) else (None, "not a date")
        if day is None:
            self.problems.append(
                Problem(
                    reason, field=name, expected=Message("{form} ({span})", form=DAY, span=RANGE)
                )
            )
        return day

    def amount(self, name: str, currency: str) -> int:
        value = self.payload.get(name)
        if not isinstance(value, str):
            self.problems.append(
                Problem(
                    Message("amounts are decimal strings"),
                    field=name,
                    expected=Message('e.g. "1000000.00"'),
                )
            )
            return 0
        try:
            minor = parse_amount(value, currency, allow_negative=False)
        except AmountError as exc:
            self.problems.append(Problem(exc.reason, field=name))
            return 0
        if minor <= 0:
            self.problems.append(Problem(Message("must be more than zero"), field=name))
        return minor

    def currency(self) -> str:
        value = self.payload.get("currency", FUND_CURRENCY)
        if value != FUND_CURRENCY:
            self.problems.append(
                Problem(
                    Message("{value!r}: fund decisions are in USD", value=value),
                    field="currency",
                    expected=FUND_CURRENCY,
                )
            )
        return FUND_CURRENCY

    def done(self) -> None:
        if self.problems:
            raise InputError(self.problems)


def investment(payload: Mapping[str, Any]) -> InvestmentPayload:
    """Read an `investment` payload: investment_id, name, amount, currency, on."""
    r = _Reader(payload)
    ccy = r.currency()
    result = InvestmentPayload(
        r.text("investment_id", pattern=_SLUG),
        r.text("name"),
        r.amount("amount", ccy),
        ccy,
        r.day("on") or date.min,
    )
    r.done()
    return result


def in_kind_valuation(payload: Mapping[str, Any]) -> InKindValuationPayload:
    """Read an `in_kind_valuation` payload: recommendation_id, assessed_value, currency, the
    three hashes (cost report, valuation, recommendation) and an optional `on`."""
    r = _Reader(payload)
    rid = payload.get("recommendation_id")
    if isinstance(rid, bool) or not isinstance(rid, int) or not 0 < rid < 2**31:
        r.problems.append(
            Problem(Message("must be a recommendation id"), field="recommendation_id")
        )
        rid = 0
    ccy = r.currency()
    result = InKindValuationPayload(
        rid,
        r.amount("assessed_value", ccy),
        ccy,
        r.text("cost_report_hash", pattern=_SHA256),
        r.text("valuation_hash", pattern=_SHA256),
        r.text("recommendation_hash", pattern=_SHA256),
        r.day("on", optional=True),
    )
    r.done()
    return result


def distribution(payload: Mapping[str, Any]) -> DistributionPayload:
    """Read a `distribution` payload: amount, currency, on."""
    r = _Reader(payload)
    ccy = r.currency()
    result = DistributionPayload(r.amount("amount", ccy), ccy, r.day("on") or date.min)
    r.done()
    return result


def mark(payload: Mapping[str, Any], *, default_method: str) -> MarkPayload:
    """Read a `valuation_mark` or `write_down` payload: investment_id, fair_value, method, on."""
    r = _Reader(payload)
    ccy = r.currency()
    value = payload.get("fair_value")
    fair = 0 if value in ("0", "0.00") else r.amount("fair_value", ccy)
    result = MarkPayload(
        r.text("investment_id", pattern=_SLUG),
        fair,
        ccy,
        r.text("method", optional=True) or default_method,
        r.day("on") or date.min,
    )
    r.done()
    return result


def term_change(payload: Mapping[str, Any]) -> TermChangePayload:
    """Read a `term_change` payload: on, and exactly one of preset or terms_yaml."""
    r = _Reader(payload)
    preset = r.text("preset", optional=True) or None
    text = r.text("terms_yaml", optional=True) or None
    if (preset is None) == (text is None):
        r.problems.append(
            Problem(Message("give exactly one of preset or terms_yaml"), field="preset")
        )
    result = TermChangePayload(r.day("on") or date.min, preset, text)
    r.done()
    return result


def admit_partner(payload: Mapping[str, Any]) -> AdmitPartnerPayload:
    """Read an `admit_partner` payload: partner_id, name, legal_entity, on."""
    r = _Reader(payload)
    result = AdmitPartnerPayload(
        r.text("partner_id", pattern=_PARTNER),
        r.text("name"),
        r.text("legal_entity"),
        r.day("on") or date.min,
    )
    r.done()
    return result


def period_close(payload: Mapping[str, Any]) -> PeriodClosePayload:
    """Read a `period_close` payload: through."""
    r = _Reader(payload)
    result = PeriodClosePayload(r.day("through") or date.min)
    r.done()
    return result


def journal_entry(payload: Mapping[str, Any]) -> JournalEntryPayload:
    """Read a `journal_entry` payload: entries, a non-empty list of entry objects."""
    entries = payload.get("entries")
    if (
        not isinstance(entries, list)
        or not entries
        or not all(isinstance(e, dict) for e in entries)
    ):
        raise InputError(
            [Problem(Message("entries must be a non-empty list of entries"), field="entries")]
        )
    assert isinstance(entries, list)
    return JournalEntryPayload(tuple(entries))


def board_resolution(payload: Mapping[str, Any]) -> BoardResolutionPayload:
    """Read a `board_resolution` payload: on, meeting, decisions (non-empty list of text),
    standing (reported or illustrative), optional sources (URLs)."""
    r = _Reader(payload)
    on = r.day("on") or date.min
    meeting = r.text("meeting")
    decisions = payload.get("decisions")
    if (
        not isinstance(decisions, list)
        or not decisions
        or not all(isinstance(d, str) and d.strip() for d in decisions)
    ):
        r.problems.append(
            Problem(Message("decisions must be a non-empty list of text"), field="decisions")
        )
        decisions = []
    standing = payload.get("standing")
    if standing not in _STANDINGS:
        r.problems.append(
            Problem(
                Message("unknown standing {standing!r}", standing=standing),
                field="standing",
                expected=Message("{first} or {second}", first=_STANDINGS[0], second=_STANDINGS[1]),
            )
        )
    sources = payload.get("sources", [])
    if not isinstance(sources, list) or not all(
        isinstance(u, str) and re.match(r"^https?://\S+$", u) for u in sources
    ):
        r.problems.append(Problem(Message("sources must be a list of URLs"), field="sources"))
        sources = []
    result = BoardResolutionPayload(on, meeting, tuple(decisions), str(standing), tuple(sources))
    r.done()
    return result
