"""A proposal's payload in plain words, as a manager reviews it before approving its hash."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from jointfund.errors import InputError
from jointfund.governance import payloads
from jointfund.governance.proposals import ProposalKind
from jointfund.money import format_amount


def _money(minor: int, currency: str) -> str:
    return f"{format_amount(minor, currency, grouping=True)} {currency}"


def _investment(p: Mapping[str, Any]) -> str:
    x = payloads.investment(p)
    return (
        f"Commit up to {_money(x.amount_minor, x.currency)} to {x.name} "
        f"(investment {x.investment_id}), from {x.on}."
    )


def _mark(p: Mapping[str, Any]) -> str:
    x = payloads.mark(p, default_method="fair value")
    return (
        f"Carry investment {x.investment_id} at {_money(x.fair_value_minor, x.currency)} "
        f"({x.method}) from {x.on}."
    )


def _write_down(p: Mapping[str, Any]) -> str:
    x = payloads.mark(p, default_method="write-down")
    return (
        f"Write investment {x.investment_id} down to "
        f"{_money(x.fair_value_minor, x.currency)} from {x.on}."
    )


def _distribution(p: Mapping[str, Any]) -> str:
    x = payloads.distribution(p)
    return (
        f"Pay {_money(x.amount_minor, x.currency)} out of the fund's cash to the partners by "
        f"the terms' distribution rule, on {x.on}."
    )


def _in_kind(p: Mapping[str, Any]) -> str:
    x = payloads.in_kind_valuation(p)
    when = f", from {x.on}" if x.on else ""
    return (
        f"Approve the assessed value of {_money(x.assessed_minor, x.currency)} that "
        f"recommendation #{x.recommendation_id} recommends, and credit it to its partner's "
        f"capital{when}."
    )


def _term_change(p: Mapping[str, Any]) -> str:
    x = payloads.term_change(p)
    sheet = (
        f"the bundled term sheet {x.preset}"
        if x.preset
        else f"a term sheet given in full ({len((x.terms_yaml or '').splitlines())} lines)"
    )
    return f"Put {sheet} in force from {x.on}."


def _admit(p: Mapping[str, Any]) -> str:
    x = payloads.admit_partner(p)
    return f"Admit {x.name} ({x.partner_id}, {x.legal_entity}) as a partner from {x.on}."


def _journal(p: Mapping[str, Any]) -> str:
    x = payloads.journal_entry(p)
    lines = []
    for entry in x.entries[:5]:
        postings = entry.get("postings") or []
        moves = "; ".join(
            f"{q.get('account')} {q.get('amount')} {q.get('currency')}"
            for q in postings
            if isinstance(q, Mapping)
        )
        lines.append(f"{entry.get('key')} on {entry.get('date')} ({entry.get('kind')}): {moves}")
    more = f" …and {len(x.entries) - 5} more" if len(x.entries) > 5 else ""
    return f"Post {len(x.entries)} manual journal entries: " + " | ".join(lines) + more + "."


def _close(p: Mapping[str, Any]) -> str:
    x = payloads.period_close(p)
    return (
        f"Close the books through {x.through}: nothing dated on or before it can be booked "
        "afterwards, and partners keep the checkpoint."
    )


def _resolution(p: Mapping[str, Any]) -> str:
    x = payloads.board_resolution(p)
    return (
        f"Record the board's decisions at {x.meeting} on {x.on} ({x.standing}): "
        + "; ".join(x.decisions)
        + "."
    )


_WORDS: Mapping[ProposalKind, Callable[[Mapping[str, Any]], str]] = {
    ProposalKind.INVESTMENT: _investment,
    ProposalKind.VALUATION_MARK: _mark,
    ProposalKind.WRITE_DOWN: _write_down,
    ProposalKind.DISTRIBUTION: _distribution,
    ProposalKind.IN_KIND_VALUATION: _in_kind,
    ProposalKind.TERM_CHANGE: _term_change,
    ProposalKind.ADMIT_PARTNER: _admit,
    ProposalKind.JOURNAL_ENTRY: _journal,
    ProposalKind.PERIOD_CLOSE: _close,
    ProposalKind.BOARD_RESOLUTION: _resolution,
}


def in_words(kind: ProposalKind, payload: Mapping[str, Any]) -> str:
    """What approving this payload decides, in one or two sentences (a payload that no longer
    reads says so rather than failing)."""
    try:
        return _WORDS[kind](payload)
    except InputError as exc:
        return f"A {kind.value} payload that does not read: {exc}"
