"""A forecast's outputs in the words of the language in force: an amount in millions or
billions of dollars, and a comparison output's name ("P(U.S. recoupment >= 66,900,000,000)"),
for the pages and the CLI alike."""

from __future__ import annotations

import re

from jointfund.i18n import N_, gettext
from jointfund.i18n.vocabulary import term

_BN = 1e9


def usd_words(value: float) -> str:
    """An amount in dollars, in millions or billions (digits as English writes them)."""
    if abs(value) >= 1e8:
        return gettext(N_("${amount} bn")).format(amount=f"{value / _BN:,.2f}")
    return gettext(N_("${amount} m")).format(amount=f"{value / 1e6:,.1f}")


_OUTPUTS = (
    (
        re.compile(r"mean cumulative inflow \(final year\)"),
        N_("mean cumulative inflow (final year)"),
    ),
    (re.compile(r"mean NAV \(final year\)"), N_("mean NAV (final year)")),
    (re.compile(r"mean U\.S\. recoupment \(final year\)"), N_("mean U.S. recoupment (final year)")),
    (
        re.compile(r"P\(U\.S\. recoupment >= (?P<usd>[\d,.]+)\)"),
        N_("P(U.S. recoupment ≥ {amount})"),
    ),
    (re.compile(r"P\(total inflow >= (?P<usd>[\d,.]+)\)"), N_("P(total inflow ≥ {amount})")),
    (
        re.compile(r"P\(recouped within horizon, (?P<who>US|UA) (?P<basis>cash|value)\)"),
        N_("P(recouped within the horizon, {who}, {basis})"),
    ),
)


_PARTNERS = {"US": N_("the U.S."), "UA": N_("Ukraine")}


def output_words(name: str) -> str:
    """A comparison output's name in the language in force (as written if of no known shape)."""
    for pattern, message in _OUTPUTS:
        found = pattern.fullmatch(name)
        if found is None:
            continue
        parts = found.groupdict()
        usd = parts.pop("usd", None)
        if usd is not None:
            parts["amount"] = usd_words(float(usd.replace(",", "")))
        if "basis" in parts:
            parts["basis"] = term(parts["basis"])
        if "who" in parts:
            parts["who"] = gettext(_PARTNERS[parts["who"]])
        return gettext(message).format(**parts)
    return name
