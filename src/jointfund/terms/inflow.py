"""Inflow rules: how much of one state receipt goes to the fund, on what basis, credited to whom.

"New" licence (decided here, stated in the presets): a licence is new when it was issued on
or after the rule's `new_from` date (default: entry into force). The register can override
the date: `is_new=True` marks an older permit as new exploitation (counted), `is_new=False`
marks a re-issued or re-registered old permit as not new (not counted); `None` lets the
issue date decide.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from jointfund.errors import InputError, Problem
from jointfund.i18n.message import Message
from jointfund.money import split_share
from jointfund.terms.catalogue import Resource, RevenueStream, resource
from jointfund.terms.schema import (
    Basis,
    CreditTo,
    InflowRule,
    Instrument,
    LicenceScope,
    TermSheet,
    Territory,
)


@dataclass(frozen=True, slots=True)
class LicenceFacts:
    """What the inflow rules need to know about the licence a receipt comes from."""

    issued_on: date
    resources: tuple[str, ...]
    territory: Territory = Territory.CONTROLLED
    instrument: Instrument = Instrument.SPECIAL_PERMIT
    is_new: bool | None = None
    occupied_at_signing: bool = False


@dataclass(frozen=True, slots=True)
class InflowDecision:
    """The outcome for one receipt: fund_minor + budget_minor == gross_minor, always."""

    eligible: bool
    stream: RevenueStream
    rule_id: str | None
    share: Decimal
    basis: Basis | None
    gross_minor: int
    costs_minor: int
    base_minor: int
    fund_minor: int
    budget_minor: int
    credit_partner: str | None
    credit_to: CreditTo | None
    reason: str | None = None


def is_new_licence(licence: LicenceFacts, new_from: date) -> bool:
    """Apply the "new licence" test: the register's explicit flag, else the issue date."""
    if licence.is_new is not None:
        return licence.is_new
    return licence.issued_on >= new_from


def _matches(item: Resource, selection: str | tuple[str, ...]) -> bool:
    """Tell whether a resource falls under a rule's resource selection (groups included)."""
    if selection == "all":
        return True
    if selection == "covered":
        return item.covered
    return item.slug in selection or (item.group is not None and item.group in selection)


def _why_not(
    terms: TermSheet, rule: InflowRule, licence: LicenceFacts, items: tuple[Resource, ...]
) -> str | None:
    """The first condition of `rule` this licence fails, in words; None when all hold."""
    if licence.instrument not in rule.instruments:
        return f"rule {rule.id} applies to {_names(rule.instruments)}, not {licence.instrument}"
    if licence.territory not in rule.territories:
        return f"rule {rule.id} excludes {licence.territory} territory"
    if not any(_matches(item, rule.resources) for item in items):
        wanted = "covered (Annex A)" if rule.resources == "covered" else str(rule.resources)
        return (
            f"rule {rule.id} needs {wanted} resources; licence has {_names(i.slug for i in items)}"
        )
    if rule.licences is LicenceScope.NEW_ONLY:
        new_from = rule.new_from or terms.entry_into_force
        if not is_new_licence(licence, new_from):
            if licence.is_new is False:
                return (
                    f"rule {rule.id} counts new licences only; the register marks this one not new"
                )
            return (
                f"rule {rule.id} counts new licences only; issued {licence.issued_on.isoformat()}, "
                f"before {new_from.isoformat()}"
            )
    return None


def _names(values: Iterable[object]) -> str:
    """Join enum members or strings for messages."""
    return ", ".join(str(v) for v in values)


def _check_amounts(gross: int, costs: int) -> None:
    """Refuse amounts that are not non-negative integer minor units."""
    problems: list[Problem] = []
    for field, value in (("gross_minor", gross), ("costs_minor", costs)):
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(
                Problem(Message("{field} must be int minor units", field=field), field=field)
            )
        elif value < 0:
            problems.append(
                Problem(Message("{field} must not be negative", field=field), field=field)
            )
    if problems:
        raise InputError(problems)


def _check_licence(stream: RevenueStream, licence: LicenceFacts) -> None:
    """Refuse receipts a licence of this kind cannot produce."""
    problems: list[Problem] = []
    if stream is RevenueStream.PSA_STATE_SHARE and licence.instrument is not Instrument.PSA:
        problems.append(
            Problem(
                Message(
                    "the state's share of output arises only under a production-sharing agreement"
                ),
                field="stream",
                expected=Message("instrument psa, or another stream"),
            )
        )
    if not licence.resources:
        problems.append(Problem(Message("the licence lists no resources"), field="resources"))
    if problems:
        raise InputError(problems)


def _ineligible(
    stream: RevenueStream, gross: int, costs: int, reason: str, rule_id: str | None = None
) -> InflowDecision:
    """A decision that sends the whole receipt to the budget."""
    return InflowDecision(
        eligible=False,
        stream=stream,
        rule_id=rule_id,
        share=Decimal(0),
        basis=None,
        gross_minor=gross,
        costs_minor=costs,
        base_minor=0,
        fund_minor=0,
        budget_minor=gross,
        credit_partner=None,
        credit_to=None,
        reason=reason,
    )


@lru_cache(maxsize=4096)
def _resources(names: tuple[str, ...]) -> tuple[Resource, ...]:
    """Resolve resource names once per distinct tuple (imports repeat them per filing)."""
    return tuple(resource(name) for name in names)


# Which rule takes a receipt depends on the stream and the licence, never on the amount, so the
# choice is remembered per term sheet (kept alive beside its cache so its id is not reused).
_RULE_CHOICES: dict[int, tuple[TermSheet, dict[Any, tuple[InflowRule | None, Any]]]] = {}


def _choose_rule(
    terms: TermSheet, stream: RevenueStream, licence: LicenceFacts, items: tuple[Resource, ...]
) -> tuple[InflowRule | None, tuple[str, str] | None]:
    """The first rule that takes this receipt, or None and the first reason one did not."""
    holder = _RULE_CHOICES.get(id(terms))
    if holder is None or holder[0] is not terms:
        holder = (terms, {})
        _RULE_CHOICES[id(terms)] = holder
    key = (stream, licence, items)
    hit = holder[1].get(key)
    if hit is not None:
        return hit
    first_reason: tuple[str, str] | None = None
    chosen: InflowRule | None = None
    for rule in terms.inflow:
        if stream not in rule.streams:
            continue
        reason = _why_not(terms, rule, licence, items)
        if reason is None:
            chosen = rule
            break
        first_reason = first_reason or (rule.id, reason)
    holder[1][key] = (chosen, first_reason)
    return chosen, first_reason


@dataclass(frozen=True, slots=True)
class InflowChoice:
    """Which rule (if any) takes a receipt of one stream from one licence, and its share.

    It depends on the stream, the licence and the period's side of entry into force, never on
    the amount, so imports decide it once per licence and stream and then only `split`.
    """

    stream: RevenueStream
    rule: InflowRule | None
    share: Decimal
    reason: str | None
    reason_rule_id: str | None

    @property
    def eligible(self) -> bool:
        """Whether any of the receipt reaches the fund."""
        return self.rule is not None

    def split(self, gross_minor: int, costs_minor: int = 0) -> tuple[int, int, int]:
        """(base, fund part, budget part) of one receipt; fund + budget == gross exactly."""
        rule = self.rule
        if rule is None:
            return 0, 0, gross_minor
        base = gross_minor
        if rule.basis is Basis.NET_OF_COSTS:
            base = max(gross_minor - costs_minor, 0)
        fund, _ = split_share(base, self.share, rule.rounding)
        return base, fund, gross_minor - fund


def precedes_entry_into_force(
    entry_into_force: date, *, period: str, period_end: date, received_on: date
) -> str:
    """Why one filing before entry into force is not eligible, in words true of that filing."""
    return (
        f"receipts for period {period} (ending {period_end.isoformat()}, received "
        f"{received_on.isoformat()}) precede entry into force on "
        f"{entry_into_force.isoformat()}"
    )


def choose_inflow(
    terms: TermSheet,
    *,
    stream: RevenueStream | str,
    licence: LicenceFacts,
    period_end: date,
    resource_name: str | None = None,
) -> InflowChoice:
    """The rule a receipt falls under (first matching rule wins), or why none does."""
    stream = RevenueStream(stream)
    _check_licence(stream, licence)
    names = (resource_name,) if resource_name is not None else licence.resources
    items = _resources(names)
    if period_end < terms.entry_into_force:
        reason = (
            f"receipts for periods ending {period_end.isoformat()} precede entry into force "
            f"on {terms.entry_into_force.isoformat()}"
        )
        return InflowChoice(stream, None, Decimal(0), reason, None)
    rule, first_reason = _choose_rule(terms, stream, licence, items)
    if rule is not None:
        liberated = licence.occupied_at_signing and licence.territory is not Territory.OCCUPIED
        share = (
            rule.liberated_share if liberated and rule.liberated_share is not None else rule.share
        )
        return InflowChoice(stream, rule, share, None, None)
    if first_reason is None:
        return InflowChoice(
            stream, None, Decimal(0), f"no inflow rule of {terms.id} takes {stream}", None
        )
    return InflowChoice(stream, None, Decimal(0), first_reason[1], first_reason[0])


def assess_inflow(
    terms: TermSheet,
    *,
    stream: RevenueStream | str,
    licence: LicenceFacts,
    gross_minor: int,
    costs_minor: int = 0,
    period_end: date,
    resource_name: str | None = None,
) -> InflowDecision:
    """Decide how much of one receipt flows to the fund under `terms` (first matching rule wins).

    `resource_name` narrows the test to the resource the receipt is for; without it a
    licence qualifies when any of its resources does.
    """
    stream = RevenueStream(stream)
    _check_amounts(gross_minor, costs_minor)
    choice = choose_inflow(
        terms, stream=stream, licence=licence, period_end=period_end, resource_name=resource_name
    )
    rule = choice.rule
    if rule is None:
        return _ineligible(
            stream, gross_minor, costs_minor, choice.reason or "", choice.reason_rule_id
        )
    base, fund, budget = choice.split(gross_minor, costs_minor)
    return InflowDecision(
        eligible=True,
        stream=stream,
        rule_id=rule.id,
        share=choice.share,
        basis=rule.basis,
        gross_minor=gross_minor,
        costs_minor=costs_minor,
        base_minor=base,
        fund_minor=fund,
        budget_minor=budget,
        credit_partner=rule.credit_partner,
        credit_to=rule.credit_to,
    )
