"""Words that come with a report's data rather than its template (NAV bridge steps, entry
kinds, the capital-to-NAV lines, the books' FX warnings, what a restatement changed), said in
the language in force.

English shows them exactly as the data holds them (codes included), so an English report is
byte for byte what it was; Ukrainian says each from the catalogue.
"""

from __future__ import annotations

import re

from jointfund.i18n import DEFAULT, N_, current, gettext, localise_date, localise_numbers
from jointfund.i18n.message import Message, localised

# Entry kinds as the journal stores them (the statement of cash flows lists cash by kind).
ENTRY_KINDS: dict[str, str] = {
    "contribution": N_("contribution"),
    "inflow": N_("inflow"),
    "inflow-correction": N_("inflow correction"),
    "distribution": N_("distribution"),
    "disbursement": N_("disbursement"),
    "proceeds": N_("proceeds"),
    "valuation_mark": N_("valuation mark"),
    "write_down": N_("write-down"),
    "reversal": N_("reversal"),
    "rent_payment": N_("rent payment"),
}
# The lines from partners' capital to NAV, as `fund.position` labels them.
CAPITAL_TO_NAV = (
    N_("Partners' capital"),
    N_("Results not yet allocated"),
    N_("In-kind aid held outside the fund"),
    N_("Unrealised currency translation"),
    N_("Other"),
)
# The GAPP checklist's statuses (`gapp.Status`).
STATUSES = (N_("met"), N_("partial"), N_("missing"))
_DAY = r"\d{4}-\d{2}-\d{2}"
# The FX warnings `fund.position.fx_warnings` writes, and the message that says each.
_SHAPES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(rf"(?P<currency>[A-Z]{{3}}) rate stale as of (?P<day>{_DAY})"),
        N_("{currency} rate stale as of {day}"),
    ),
    (
        re.compile(
            r"(?P<currency>[A-Z]{3}) has no rate on or before the date: NAV is incomplete "
            r"\((?P<account>.+) not translated\)"
        ),
        N_(
            "{currency} has no rate on or before the date: NAV is incomplete "
            "({account} not translated)"
        ),
    ),
)


# What a restatement lists (`fund.statement_documents.restatement_differences`): each headline
# figure that changed, "label: before then, after now", or that none did.
_CHANGED = re.compile(r"(?P<label>.+): (?P<old>.+) then, (?P<new>.+) now")
_LABELS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?P<partner>\S+) closing capital"), N_("{partner} closing capital")),
    (re.compile(r"Investment (?P<name>.+), committed"), N_("Investment {name}, committed")),
)
_RESTATED = (N_("{label}: {old} then, {new} now"), N_("not shown"), N_("no figure changed"))


def _figure(text: str) -> str:
    """A restated figure: an amount in the language's digits, or "not shown" in its words."""
    return gettext(text) if text == "not shown" else localise_numbers(text)


def _label(text: str) -> str:
    """A restated figure's label in the language in force."""
    for pattern, message in _LABELS:
        found = pattern.fullmatch(text)
        if found:
            return gettext(message).format(**found.groupdict())
    return gettext(text)


def said(text: object) -> str:
    """`text` in the language in force: a catalogue Message said again, an entry kind or a
    known label or sentence from the catalogue, anything else (an account, a name) as it is."""
    if isinstance(text, Message):
        return localised(text)
    written = "" if text is None else str(text)
    if current() == DEFAULT or not written:
        return written  # (gettext("") is the catalogue's header)
    if written in ENTRY_KINDS:
        return gettext(ENTRY_KINDS[written])
    for pattern, message in _SHAPES:
        found = pattern.fullmatch(written)
        if found:
            parts = found.groupdict()
            if "day" in parts:
                parts["day"] = localise_date(parts["day"])
            return gettext(message).format(**parts)
    changed = _CHANGED.fullmatch(written)
    if changed:
        return gettext(_RESTATED[0]).format(
            label=_label(changed["label"]),
            old=_figure(changed["old"]),
            new=_figure(changed["new"]),
        )
    return gettext(written)
