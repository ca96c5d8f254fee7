"""Two term sheets side by side in plain words: the economic terms first (what flows into the
fund, who puts in what, who is paid first and when), then governance, then the record of the
text itself. Words in the language in force; the raw keys stay available below."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from jointfund.i18n import N_, current, gettext, localise_numbers
from jointfund.i18n.vocabulary import term
from jointfund.terms import TermSheet

Row = dict[str, Any]
_NONE = N_("none")
_KINDS = {"military_aid": N_("military aid")}


def _action(code: str) -> str:
    return gettext(N_("any other decision")) if code == "other" else term(code)


def _pct(share: Decimal) -> str:
    return localise_numbers(f"{(share * 100).normalize():f}%")


def _usd(amount: Decimal) -> str:
    if amount >= Decimal(10) ** 9:
        number = localise_numbers(f"{amount / Decimal(10) ** 9:,.1f}")
        return gettext(N_("${amount} bn")).format(amount=number)
    return gettext(N_("${amount} m")).format(amount=localise_numbers(f"{amount / 10**6:,.1f}"))


def _words(codes: Iterable[object]) -> str:
    return ", ".join(term(str(c)) for c in codes)


def _each_rule(sheet: TermSheet, show: Callable[[Any], str]) -> str:
    """One text per inflow rule, joined; rules that read alike are shown once."""
    texts = list(dict.fromkeys(show(rule) for rule in sheet.inflow))
    return "; ".join(texts) or gettext(_NONE)


def _share(rule: Any) -> str:
    return gettext(N_("{share} of {streams}")).format(
        share=_pct(rule.share), streams=_words(rule.streams)
    )


def _basis(rule: Any) -> str:
    return term(str(rule.basis))


def _licences(rule: Any) -> str:
    if str(rule.licences) == "all":
        return gettext(N_("every licence, old and new"))
    return gettext(N_("new licences only"))


def _resources(rule: Any) -> str:
    if rule.resources == "covered":
        return gettext(N_("the listed (covered) resources"))
    if rule.resources == "all":
        return gettext(N_("every natural resource"))
    return _words(rule.resources)


def _liberated(rule: Any) -> str:
    if rule.liberated_share is None:
        return gettext(N_("the same share"))
    return _pct(rule.liberated_share)


def _credited(rule: Any) -> str:
    if str(rule.credit_to) == "capital":
        return gettext(N_("{partner}'s capital")).format(partner=rule.credit_partner)
    return gettext(N_("the fund's income"))


def _threshold(sheet: TermSheet) -> str:
    t = sheet.threshold
    if t is None:
        return gettext(_NONE)
    text = gettext(N_("{partner} pays in until {total} is reached")).format(
        partner=t.contributor, total=_usd(t.total)
    )
    if t.raised_by_aid_of is not None:
        text += gettext(N_(", raised by {partner} aid")).format(partner=t.raised_by_aid_of)
    if t.match_partner is not None and t.match_multiple is not None:
        text += gettext(N_("; {partner}'s aid counts ×{multiple}")).format(
            partner=t.match_partner, multiple=localise_numbers(f"{t.match_multiple:g}")
        )
    return text


def _priority(sheet: TermSheet) -> str:
    p = sheet.priority
    if p is None:
        return gettext(N_("none: partners are paid pro rata"))
    return gettext(N_("{partner} is paid first, {rate} a year compounded")).format(
        partner=p.senior_partner, rate=_pct(p.rate)
    )


def _past_aid(sheet: TermSheet) -> str:
    aid = sheet.contribution.past_aid
    if aid is None:
        return gettext(N_("not counted"))
    return gettext(N_("{amount} of {partner} aid since {since}")).format(
        amount=_usd(aid.amount), partner=aid.partner, since=aid.since.isoformat()
    )


def _in_kind(sheet: TermSheet) -> str:
    rule = sheet.contribution.in_kind
    if rule is None:
        return gettext(_NONE)
    kinds = ", ".join(
        gettext(_KINDS[k]) if k in _KINDS else k.replace("_", " ") for k in rule.kinds
    )
    return gettext(N_("from {partners}: {kinds}")).format(
        partners=", ".join(rule.partners), kinds=kinds
    )


def _lock(sheet: TermSheet) -> str:
    if sheet.lock is None:
        return gettext(N_("none"))
    return gettext(N_("{years} years: income is reinvested, not paid out")).format(
        years=sheet.lock.years
    )


def _distribution(sheet: TermSheet) -> str:
    d = sheet.distribution
    method = {
        "pro_rata": N_("pro rata to capital"),
        "senior_then_pro_rata": N_("the senior partner first, then pro rata"),
        "fixed_shares": N_("fixed shares"),
    }[str(d.method)]
    text = gettext(method)
    if d.shares:
        text += ": " + ", ".join(f"{k} {_pct(v)}" for k, v in d.shares.items())
    return text


def _seats(sheet: TermSheet) -> str:
    return ", ".join(f"{k} {v}" for k, v in sheet.governance.seats.items())


def _approvals(sheet: TermSheet) -> str:
    found = sheet.governance.approvals
    if not found:
        return gettext(_NONE)
    return "; ".join(
        f"{_action(str(action))}: {term(str(spec.rule))}"
        + (f" ({spec.veto_partner})" if spec.veto_partner else "")
        for action, spec in found.items()
    )


def _committees(sheet: TermSheet) -> str:
    found = sheet.governance.committees
    if not found:
        return gettext(_NONE)
    return "; ".join(
        f"{c.name_uk if current() == 'uk' and c.name_uk else c.name}: "
        + ", ".join(f"{k} {v}" for k, v in c.seats.items())
        for c in found
    )


_STATUS = {"draft": N_("draft"), "framework": N_("framework"), "agreement": N_("agreement")}
_ECONOMIC: tuple[tuple[str, Callable[[TermSheet], str]], ...] = (
    (N_("Fund's share of receipts"), lambda s: _each_rule(s, _share)),
    (N_("Taken from"), lambda s: _each_rule(s, _basis)),
    (N_("Licences counted"), lambda s: _each_rule(s, _licences)),
    (N_("Resources counted"), lambda s: _each_rule(s, _resources)),
    (N_("Share from liberated territory"), lambda s: _each_rule(s, _liberated)),
    (N_("Receipts credited to"), lambda s: _each_rule(s, _credited)),
    (N_("Contribution threshold"), _threshold),
    (N_("Priority return"), _priority),
    (N_("Past aid counted"), _past_aid),
    (N_("Contributions in kind"), _in_kind),
    (N_("Reinvestment lock"), _lock),
    (N_("Distributions"), _distribution),
    (N_("Entry into force"), lambda s: s.entry_into_force.isoformat()),
)
_GOVERNANCE: tuple[tuple[str, Callable[[TermSheet], str]], ...] = (
    (N_("Board seats"), _seats),
    (N_("Approvals"), _approvals),
    (N_("Committees"), _committees),
    (
        N_("General partner"),
        lambda s: gettext(N_("named")) if s.governance.general_partner else gettext(_NONE),
    ),
)
_RECORD: tuple[tuple[str, Callable[[TermSheet], str]], ...] = (
    (N_("Status of the text"), lambda s: gettext(_STATUS[str(s.metadata.status)])),
    (N_("Date of the text"), lambda s: s.metadata.text_date.isoformat()),
    (N_("Sources cited"), lambda s: localise_numbers(str(len(s.metadata.sources)))),
)
GROUPS = (
    (N_("Economic terms"), _ECONOMIC),
    (N_("Governance"), _GOVERNANCE),
    (N_("The text"), _RECORD),
)


def plain_rows(a: TermSheet, b: TermSheet, *, only_differences: bool = False) -> list[Row]:
    """Groups of rows (economic terms first), each row a topic and both sheets' words."""
    out: list[Row] = []
    for group, topics in GROUPS:
        rows = []
        for topic, show in topics:
            left, right = show(a), show(b)
            if only_differences and left == right:
                continue
            rows.append({"topic": gettext(topic), "a": left, "b": right, "differs": left != right})
        if rows:
            out.append({"group": gettext(group), "rows": rows})
    return out
