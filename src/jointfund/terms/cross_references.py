"""The checks across a term sheet's sections: every partner, rule and committee it names is
declared, amounts fit the reporting currency, and the sections that go together do."""

from __future__ import annotations

from decimal import Decimal

from jointfund.i18n.message import Message
from jointfund.ledger.chart import REPORTING_CURRENCY
from jointfund.money import AmountError, from_decimal, is_currency
from jointfund.terms.actions import Action, ApprovalKind
from jointfund.terms.committees import committee_problems
from jointfund.terms.schema import DistributionMethod, TermSheet


def reference_problems(sheet: TermSheet) -> list[tuple[str, str]]:
    """List (key path, message) for references and amounts that do not fit the rest of the sheet."""
    ids = [p.id for p in sheet.partners]
    known = set(ids)
    out: list[tuple[str, str]] = []

    def partner(path: str, value: str | None) -> None:
        if value is not None and value not in known:
            out.append(
                (
                    path,
                    Message(
                        "unknown partner {value!r}; declared partners are {ids}",
                        value=value,
                        ids=ids,
                    ),
                )
            )

    def money(path: str, amount: Decimal) -> None:
        try:
            from_decimal(amount, sheet.reporting_currency)
        except AmountError as exc:
            out.append((path, exc.problems[0].message))

    for index, pid in enumerate(ids):
        if ids.index(pid) != index:
            out.append(
                (f"partners[{index}].id", Message("partner {pid!r} is declared twice", pid=pid))
            )
    if not is_currency(sheet.reporting_currency):
        out.append(
            (
                "reporting_currency",
                Message("unknown currency {currency!r}", currency=sheet.reporting_currency),
            )
        )
    elif sheet.reporting_currency != REPORTING_CURRENCY:
        # The chart keeps capital accounts in one currency; a sheet that names another would
        # book ownership in one and report it in the other.
        out.append(
            (
                "reporting_currency",
                Message(
                    "the books report in {books}, not {currency}",
                    books=REPORTING_CURRENCY,
                    currency=sheet.reporting_currency,
                ),
            )
        )
    rule_ids = [rule.id for rule in sheet.inflow]
    for index, rule in enumerate(sheet.inflow):
        partner(f"inflow[{index}].credit_partner", rule.credit_partner)
        if rule_ids.index(rule.id) != index:
            out.append(
                (f"inflow[{index}].id", Message("inflow rule {id!r} is declared twice", id=rule.id))
            )
    contribution = sheet.contribution
    for index, pid in enumerate(contribution.cash_partners):
        partner(f"contribution.cash_partners[{index}]", pid)
    if contribution.in_kind is not None:
        for index, pid in enumerate(contribution.in_kind.partners):
            partner(f"contribution.in_kind.partners[{index}]", pid)
    if contribution.past_aid is not None:
        partner("contribution.past_aid.partner", contribution.past_aid.partner)
        if is_currency(sheet.reporting_currency):
            money("contribution.past_aid.amount", contribution.past_aid.amount)
    if sheet.threshold is not None:
        partner("threshold.contributor", sheet.threshold.contributor)
        partner("threshold.raised_by_aid_of", sheet.threshold.raised_by_aid_of)
        partner("threshold.match_partner", sheet.threshold.match_partner)
        if (sheet.threshold.match_partner is None) != (sheet.threshold.match_multiple is None):
            out.append(
                (
                    "threshold.match_multiple",
                    Message("match_partner and match_multiple go together"),
                )
            )
        if is_currency(sheet.reporting_currency):
            money("threshold.total", sheet.threshold.total)
    if sheet.priority is not None:
        partner("priority.senior_partner", sheet.priority.senior_partner)
        aid = contribution.past_aid
        if aid is None or aid.partner != sheet.priority.senior_partner:
            out.append(
                (
                    "priority.senior_partner",
                    Message(
                        "the senior balance is the senior partner's past aid: "
                        "set contribution.past_aid for this partner"
                    ),
                )
            )
    if sheet.cycle is not None:
        partner("cycle.partner", sheet.cycle.partner)
    distribution = sheet.distribution
    partner("distribution.residual_to", distribution.residual_to)
    if distribution.method is DistributionMethod.SENIOR_THEN_PRO_RATA and sheet.priority is None:
        out.append(
            ("distribution.method", Message("senior_then_pro_rata needs a priority section"))
        )
    if distribution.method is DistributionMethod.FIXED_SHARES:
        shares = distribution.shares or {}
        if set(shares) != known:
            out.append(
                ("distribution.shares", Message("give a share for each partner {ids}", ids=ids))
            )
        elif sum(shares.values()) != 1:
            out.append(("distribution.shares", Message("shares must add up to 1")))
    elif distribution.shares is not None:
        out.append(
            ("distribution.shares", Message("shares are only used with method fixed_shares"))
        )
    governance = sheet.governance
    if set(governance.seats) != known:
        out.append(
            ("governance.seats", Message("give board seats for each partner {ids}", ids=ids))
        )
    if Action.OTHER not in governance.approvals:
        out.append(
            ("governance.approvals.other", Message("an approval rule for `other` is required"))
        )
    for action, spec in governance.approvals.items():
        partner(f"governance.approvals.{action}.veto_partner", spec.veto_partner)
        if spec.veto_partner is not None and spec.rule is not ApprovalKind.MAJORITY:
            out.append(
                (
                    f"governance.approvals.{action}.veto_partner",
                    Message("a veto only applies to majority"),
                )
            )
    out.extend(
        committee_problems(
            ids,
            {action: spec.rule for action, spec in governance.approvals.items()},
            governance.committees,
            governance.routes,
            governance.general_partner,
            governance.reserved,
        )
    )
    return out
