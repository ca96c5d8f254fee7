"""Sentences the books write in English (FX warnings, calendar rules broken, transfer notes,
the forecast's caveat) in the language in force, for every adapter that shows them (pages,
CLI): each known shape is matched and written again from its catalogue message, its parts
localised; a phrase of the vocabulary is shown in its words. The data, the API and every JSON
output keep the English sentence."""

from __future__ import annotations

import re
from datetime import date

from babel.dates import format_date

from jointfund.i18n import DEFAULT, N_, current, gettext, localise_date, localise_numbers
from jointfund.i18n.message import Message, localised
from jointfund.i18n.vocabulary import WORDS, term

_DAY = r"\d{4}-\d{2}-\d{2}"
_MONEY = r"(?P<num>-?[\d,]+(?:\.\d+)?) (?P<currency>[A-Z]{3})"
# Each shape: the English sentence as a pattern, and the message that says it. A group's name
# says how its text is shown: day* a date, num* a number, word* a vocabulary term, words* a
# comma-separated list of terms, monthday an "MM-DD" day of the year; any other name as it is.
SHAPES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), message)
    for pattern, message in (
        # FX warnings (fund.position.fx_warnings)
        (
            rf"(?P<currency>[A-Z]{{3}}) rate stale as of (?P<day>{_DAY})",
            N_("{currency} rate stale as of {day}"),
        ),
        (
            r"(?P<currency>[A-Z]{3}) has no rate on or before the date: NAV is incomplete "
            r"\((?P<account>.+) not translated\)",
            N_(
                "{currency} has no rate on or before the date: NAV is incomplete "
                "({account} not translated)"
            ),
        ),
        # the compliance calendar (fund.calendar, terms.rent)
        (
            rf"Res\. 1616: the (?P<year>\d{{4}}) receipts are to be transferred by (?P<day>{_DAY})",
            N_("Res. 1616: the {year} receipts are to be transferred by {day}"),
        ),
        (
            rf"due (?P<day>{_DAY}); the books hold no record of it",
            N_("due {day}; the books hold no record of it"),
        ),
        (
            r"Rent for (?P<period>[\w-]+) \(fund share (?P<num>[\d.,-]+) (?P<currency>[A-Z]{3})\)",
            N_("Rent for {period} (fund share {num} {currency})"),
        ),
        (r"Rent for (?P<period>[\w-]+)", N_("Rent for {period}")),
        (r"accrued (?P<currency>[A-Z]{3})", N_("accrued {currency}")),
        (r"remaining (?P<currency>[A-Z]{3})", N_("remaining {currency}")),
        (
            r"rent-period: rent for (?P<words>.+) is declared by (?P<word>\w+) "
            r"\(Tax Code Art\. 257\.1\), not by (?P<word_found>\w+) \((?P<period>[\w-]+)\)",
            N_(
                "rent for {words} is declared by {word} (Tax Code Art. 257.1), "
                "not by {word_found} ({period})"
            ),
        ),
        (
            rf"rent-payment-deadline: paid (?P<day>{_DAY}), (?P<num>\d+) days after the "
            rf"(?P<day_due>{_DAY}) deadline \((?P<num_declare>\d+) days to declare, "
            r"(?P<num_pay>\d+) to pay; Tax Code Art\. 257\)",
            N_(
                "paid {day}, {num} days after the {day_due} deadline ({num_declare} days to "
                "declare, {num_pay} to pay; Tax Code Art. 257)"
            ),
        ),
        # why a filing is not eligible (terms.inflow)
        (
            rf"receipts for period (?P<period>[\w-]+) \(ending (?P<day>{_DAY}), received "
            rf"(?P<day_received>{_DAY})\) precede entry into force on (?P<day_force>{_DAY})",
            N_(
                "receipts for period {period} (ending {day}, received {day_received}) precede "
                "entry into force on {day_force}"
            ),
        ),
        (
            rf"receipts for periods ending (?P<day>{_DAY}) precede entry into force on "
            rf"(?P<day_force>{_DAY})",
            N_("receipts for periods ending {day} precede entry into force on {day_force}"),
        ),
        (
            rf"rule (?P<rule>[\w-]+) counts new licences only; issued (?P<day>{_DAY}), before "
            rf"(?P<day_from>{_DAY})",
            N_("rule {rule} counts new licences only; issued {day}, before {day_from}"),
        ),
        (
            r"rule (?P<rule>[\w-]+) counts new licences only; the register marks this one not new",
            N_("rule {rule} counts new licences only; the register marks this one not new"),
        ),
        (
            r"rule (?P<rule>[\w-]+) excludes (?P<word>\w+) territory",
            N_("rule {rule} excludes {word} territory"),
        ),
        (
            r"rule (?P<rule>[\w-]+) applies to (?P<words>[\w, ]+), not (?P<word>\w+)",
            N_("rule {rule} applies to {words}, not {word}"),
        ),
        (
            r"rule (?P<rule>[\w-]+) needs covered \(Annex A\) resources; licence has "
            r"(?P<words>[\w, ]+)",
            N_("rule {rule} needs covered (Annex A) resources; licence has {words}"),
        ),
        # the contribution transfers (fund.transfers, fund.cycle_report)
        (
            r"by (?P<monthday>\d{2}-\d{2}) of the year after the receipts \((?P<word>.+)\)",
            N_("by {monthday} of the year after the receipts ({word})"),
        ),
        (
            rf"transferred after the (?P<day>{_DAY}) deadline",
            N_("transferred after the {day} deadline"),
        ),
        (
            rf"(?P<pair>[A-Z]{{3}}/[A-Z]{{3}}) (?P<num>[\d.]+) on (?P<day>{_DAY})",
            N_("{pair} {num} on {day}"),
        ),
        # a proposal's payload in plain words (governance.payload_words); a manual journal entry's
        # postings are shown as the books write them
        (
            rf"Commit up to {_MONEY} to (?P<name>.+) \(investment (?P<id>[\w.-]+)\), "
            rf"from (?P<day>{_DAY})\.",
            N_("Commit up to {num} {currency} to {name} (investment {id}), from {day}."),
        ),
        (
            rf"Record the board's decisions at (?P<meeting>.+) on (?P<day>{_DAY}) "
            r"\((?P<word>\w+)\): (?P<decisions>.+)\.",
            N_("Record the board's decisions at {meeting} on {day} ({word}): {decisions}."),
        ),
        (
            rf"Carry investment (?P<id>[\w.-]+) at {_MONEY} \((?P<word>.+)\) "
            rf"from (?P<day>{_DAY})\.",
            N_("Carry investment {id} at {num} {currency} ({word}) from {day}."),
        ),
        (
            rf"Write investment (?P<id>[\w.-]+) down to {_MONEY} from (?P<day>{_DAY})\.",
            N_("Write investment {id} down to {num} {currency} from {day}."),
        ),
        (
            rf"Pay {_MONEY} out of the fund's cash to the partners by the terms' distribution "
            rf"rule, on (?P<day>{_DAY})\.",
            N_(
                "Pay {num} {currency} out of the fund's cash to the partners by the terms' "
                "distribution rule, on {day}."
            ),
        ),
        (
            rf"Approve the assessed value of {_MONEY} that recommendation #(?P<id>\d+) "
            rf"recommends, and credit it to its partner's capital, from (?P<day>{_DAY})\.",
            N_(
                "Approve the assessed value of {num} {currency} that recommendation #{id} "
                "recommends, and credit it to its partner's capital, from {day}."
            ),
        ),
        (
            rf"Approve the assessed value of {_MONEY} that recommendation #(?P<id>\d+) "
            r"recommends, and credit it to its partner's capital\.",
            N_(
                "Approve the assessed value of {num} {currency} that recommendation #{id} "
                "recommends, and credit it to its partner's capital."
            ),
        ),
        (
            rf"Put the bundled term sheet (?P<preset>\S+) in force from (?P<day>{_DAY})\.",
            N_("Put the bundled term sheet {preset} in force from {day}."),
        ),
        (
            r"Put a term sheet given in full \((?P<num>\d+) lines\) in force from "
            rf"(?P<day>{_DAY})\.",
            N_("Put a term sheet given in full ({num} lines) in force from {day}."),
        ),
        (
            r"Admit (?P<name>.+) \((?P<id>[^,]+), (?P<entity>.+)\) as a partner from "
            rf"(?P<day>{_DAY})\.",
            N_("Admit {name} ({id}, {entity}) as a partner from {day}."),
        ),
        (
            rf"Close the books through (?P<day>{_DAY}): nothing dated on or before it can be "
            r"booked afterwards, and partners keep the checkpoint\.",
            N_(
                "Close the books through {day}: nothing dated on or before it can be booked "
                "afterwards, and partners keep the checkpoint."
            ),
        ),
        # the forecast's caveat (forecast.provenance.caveat)
        (
            r"Conditional on the assumptions of scenario '(?P<scenario>[^']+)', not a "
            r"prediction: (?P<num_assumed>\d+) of its (?P<num_total>\d+) numbers are "
            r"assumptions \(named, not sourced\) and (?P<num_sourced>\d+) are stated by a "
            r"source\. Census: `(?P<command>[^`]+)` or (?P<url>\S+)\.",
            N_(
                "Conditional on the assumptions of scenario '{scenario}', not a prediction: "
                "{num_assumed} of its {num_total} numbers are assumptions (named, not sourced) "
                "and {num_sourced} are stated by a source. Census: `{command}` or {url}."
            ),
        ),
    )
)


def _part(name: str, text: str) -> str:
    if name.startswith("day"):
        return localise_date(text)
    if name.startswith("num"):
        return localise_numbers(text)
    if name.startswith("words"):
        return ", ".join(term(w) for w in text.split(", "))
    if name.startswith("word"):
        return term(text)
    if name == "monthday":
        month, day = (int(x) for x in text.split("-"))
        return format_date(date(2000, month, day), "d MMMM", locale=current())
    return text


def said(text: object) -> str:
    """An English sentence of the books in the language in force. English shows it as the
    books wrote it (the same words as the CLI, the API and the reports); a sentence of no
    known shape is shown as it is, a vocabulary phrase in its words. A `Message` is said
    from its catalogue message."""
    if isinstance(text, Message):
        return localised(text)
    sentence = "" if text is None else str(text)
    words = WORDS.get(sentence)
    if words:
        return gettext(words)
    if current() == DEFAULT:
        return sentence
    listed = sentence.split(", ")
    if len(listed) > 1 and all(code in WORDS for code in listed):
        return ", ".join(term(code) for code in listed)  # a list of codes, e.g. resources
    for pattern, message in SHAPES:
        found = pattern.fullmatch(sentence)
        if found:
            parts = {k: _part(k, v) for k, v in found.groupdict().items()}
            return gettext(message).format(**parts)
    return sentence
