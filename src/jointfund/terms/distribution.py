"""Distribution rules: split cash pro rata to capital, by fixed shares, or senior first.

The reinvestment lock is checked separately (`lock.check_distribution_allowed`), so a
forecast can ask "what would each partner get" for any date.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from jointfund.errors import InputError, Problem
from jointfund.i18n.message import Message
from jointfund.money import allocate
from jointfund.terms.priority import SeniorBalance, split_income
from jointfund.terms.schema import DistributionMethod, TermSheet


@dataclass(frozen=True, slots=True)
class DistributionResult:
    """Who gets what: per-partner totals (senior payment included) summing to the amount."""

    amount_minor: int
    by_partner: Mapping[str, int]
    senior_minor: int = 0
    senior_balance: SeniorBalance | None = None


def _capital_weights(terms: TermSheet, capital: Mapping[str, int]) -> list[int]:
    """Capital per partner in declaration order; known partners, non-negative, not all 0."""
    problems = [
        Problem(Message("unknown partner {pid!r} in capital", pid=pid), field="capital")
        for pid in capital
        if pid not in terms.partner_ids
    ]
    weights = [capital.get(pid, 0) for pid in terms.partner_ids]
    if any(isinstance(w, bool) or not isinstance(w, int) or w < 0 for w in weights):
        problems.append(
            Problem(Message("capital must be non-negative int minor units"), field="capital")
        )
    elif not any(weights):
        problems.append(
            Problem(Message("no partner has capital to distribute pro rata to"), field="capital")
        )
    if problems:
        raise InputError(problems)
    return weights


def _split_rest(terms: TermSheet, amount: int, capital: Mapping[str, int]) -> list[int]:
    """Split what is left after a senior tier: to the residual partner, fixed shares or pro rata."""
    rule = terms.distribution
    ids = terms.partner_ids
    if rule.residual_to is not None:
        return [amount if pid == rule.residual_to else 0 for pid in ids]
    if rule.method is DistributionMethod.FIXED_SHARES and rule.shares is not None:
        return allocate(amount, [rule.shares[pid] for pid in ids])
    if amount == 0:
        return [0] * len(ids)
    return allocate(amount, _capital_weights(terms, capital))


def distribute(
    terms: TermSheet,
    amount_minor: int,
    *,
    capital: Mapping[str, int],
    senior: SeniorBalance | None = None,
) -> DistributionResult:
    """Split `amount_minor` between the partners under the term sheet's distribution rule, exactly.

    `capital` is each partner's capital account; `senior` the accrued senior balance that a
    senior_then_pro_rata rule pays first (see priority.accrue_senior).
    """
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int) or amount_minor < 0:
        raise InputError(
            [Problem(Message("amount must be non-negative int minor units"), field="amount")]
        )
    ids = terms.partner_ids
    senior_paid, balance_after = 0, None
    rest = amount_minor
    if terms.distribution.method is DistributionMethod.SENIOR_THEN_PRO_RATA:
        if senior is None or terms.priority is None:
            raise InputError(
                [
                    Problem(
                        Message("a senior-first distribution needs the senior balance"),
                        field="senior",
                    )
                ]
            )
        split = split_income(senior, amount_minor)
        senior_paid, rest, balance_after = split.senior_minor, split.rest_minor, split.balance
    parts = _split_rest(terms, rest, capital)
    by_partner = dict(zip(ids, parts, strict=True))
    if senior_paid and terms.priority is not None:
        by_partner[terms.priority.senior_partner] += senior_paid
    return DistributionResult(amount_minor, by_partner, senior_paid, balance_after)
