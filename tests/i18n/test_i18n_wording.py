"""The books' English sentences (FX warnings, calendar rules broken, transfer notes, the
forecast's caveat) are written again in Ukrainian on pages, their dates and numbers in the
Ukrainian way; a sentence of unknown shape is shown as it is."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from jointfund.forecast import scenario_names
from jointfund.forecast.provenance import caveat
from jointfund.forecast.scenario import load_scenario
from jointfund.fund.metrics import TARGETS
from jointfund.fund.position import BRIDGE_LABELS, Nav, fx_warnings
from jointfund.governance import ProposalKind, in_words
from jointfund.i18n import gettext, language
from jointfund.i18n.vocabulary import WORDS
from jointfund.i18n.wording import SHAPES, said
from jointfund.reports.statement_data import TranslatedLine
from jointfund.terms.inflow import precedes_entry_into_force
from jointfund.terms.loader import load_terms, preset_ids
from jointfund.terms.rent import rent_findings


def _uk(text: str) -> str:
    with language("uk"):
        return said(text)


def _en(text: str) -> str:
    with language("en"):
        return said(text)


def test_fx_warnings_of_the_position_read_in_ukrainian() -> None:
    nav = Nav(
        (
            TranslatedLine(
                "Assets:Cash:UAH", "UAH", 100, 2, Decimal("41.5"), date(2026, 1, 5), "stale"
            ),
            TranslatedLine("Assets:Cash:EUR", "EUR", 100, None, None, None, "missing"),
        )
    )
    stale, missing = sorted(fx_warnings(nav), key=lambda w: w.startswith("EUR"))
    assert _uk(stale) == "Курс UAH застарілий: останній — на 5 січ. 2026\u202fр."
    assert _uk(missing) == (
        "Для EUR немає курсу на цю дату чи раніше: ЧВА неповна (Assets:Cash:EUR не перераховано)"
    )
    assert _en(stale) == "UAH rate stale as of 2026-01-05", "English as every surface says it"


def test_rent_rules_broken_read_in_ukrainian() -> None:
    found = rent_findings(("natural_gas",), "royalty", "2026-Q1", date(2026, 6, 1))
    shown = [_uk(f"{f.rule}: {f.message}") for f in found]
    assert shown == [
        "ренту за природний газ декларують за період «місяць» (ст. 257.1 Податкового кодексу), "
        "а не «квартал» (2026-Q1)",
        "сплачено 1 черв. 2026\u202fр., через 12 дн. після строку 20 трав. 2026\u202fр. "
        "(40 дн. на декларування, 10 — на сплату; ст. 257 Податкового кодексу)",
    ]


def test_the_calendar_and_transfer_sentences_read_in_ukrainian() -> None:
    assert _uk("Res. 1616: the 2025 receipts are to be transferred by 2026-04-01") == (
        "Пост. № 1616: надходження 2025 р. мають бути перераховані до 1 квіт. 2026\u202fр."
    )
    assert _uk("Rent for 2026-01 (fund share 1,234.50 UAH)") == (
        "Рента за 2026-01 (частка фонду 1\xa0234,50 UAH)"
    )
    assert _uk("by 04-01 of the year after the receipts (PPP Agency)") == (
        "до 1 квітня року, що настає за роком надходжень (Агенція ДПП)"
    )
    assert _uk("accrued UAH") == "нараховано, UAH"
    assert _uk("met late") == "виконано із запізненням"
    assert _uk("UA-SP-2025-0711 v1") == "UA-SP-2025-0711 v1", "an unknown text as it is"


def test_the_forecast_caveat_of_a_bundled_scenario_reads_in_ukrainian() -> None:
    name = "base"
    assert name in scenario_names()
    english = caveat(load_scenario(name))
    shown = _uk(english)
    assert shown != english
    assert shown.startswith(f"За умови припущень сценарію «{name}»")


def test_every_shape_has_a_ukrainian_message() -> None:
    with language("uk"):
        assert [m for _, m in SHAPES if gettext(m) == m] == []


WITH_A_CYCLE = [p for p in preset_ids() if load_terms(p).cycle is not None]


def test_a_bundled_term_sheet_has_a_contribution_cycle() -> None:
    assert WITH_A_CYCLE


@pytest.mark.parametrize("preset", WITH_A_CYCLE)
def test_the_words_of_every_bundled_contribution_cycle_are_in_the_vocabulary(
    preset: str,
) -> None:
    cycle = load_terms(preset).cycle
    assert cycle is not None
    words = {cycle.accrual} | {d.what for d in cycle.deadlines} | {d.who for d in cycle.deadlines}
    words |= {d.note for d in cycle.deadlines if d.note}
    assert sorted(words - set(WORDS)) == []


def test_every_bridge_label_is_in_the_vocabulary() -> None:
    assert sorted(set(BRIDGE_LABELS.values()) - set(WORDS)) == []


def test_every_comparison_line_is_in_the_vocabulary() -> None:
    assert sorted({t.label for t in TARGETS} - set(WORDS)) == []


def test_the_rate_a_transfer_was_credited_at_reads_in_ukrainian() -> None:
    assert _uk("USD/UAH 43.2804 on 2026-04-01") == "USD/UAH 43,2804 на 1 квіт. 2026\u202fр."
    assert _en("USD/UAH 43.2804 on 2026-04-01") == "USD/UAH 43.2804 on 2026-04-01"


def test_why_a_filing_is_not_eligible_reads_in_ukrainian() -> None:
    reason = precedes_entry_into_force(
        date(2025, 5, 23),
        period="2025-Q1",
        period_end=date(2025, 3, 31),
        received_on=date(2025, 5, 20),
    )
    assert _uk(reason) == (
        "надходження за період 2025-Q1 (закінчився 31 бер. 2025\u202fр., отримано "
        "20 трав. 2025\u202fр.) передують набранню чинності 23 трав. 2025\u202fр."
    )
    assert _uk(
        "rule new-licence-receipts counts new licences only; issued 2001-03-17, before 2025-05-23"
    ).startswith("правило new-licence-receipts враховує лише нові ліцензії")


def test_a_proposal_in_plain_words_reads_in_ukrainian() -> None:
    invest = in_words(
        ProposalKind.INVESTMENT,
        {"investment_id": "velta-ti", "name": "Velta titanium", "amount": "25000000.00",
         "currency": "USD", "on": "2026-10-01"},
    )  # fmt: skip
    assert _uk(invest) == (
        "Зобов’язатися інвестувати до 25\xa0000\xa0000,00 USD в Velta titanium "
        "(інвестиція velta-ti) з 1 жовт. 2026\u202fр."
    )
    credit = in_words(
        ProposalKind.IN_KIND_VALUATION,
        {"recommendation_id": 5, "assessed_value": "11800000.00", "cost_report_hash": "a" * 64,
         "valuation_hash": "b" * 64, "recommendation_hash": "c" * 64, "on": "2025-12-18"},
    )  # fmt: skip
    assert _uk(credit) == (
        "Затвердити оцінену вартість 11\xa0800\xa0000,00 USD, яку рекомендує рекомендація № 5, "
        "і зарахувати її до капіталу її партнера з 18 груд. 2025\u202fр."
    )
    pay = in_words(
        ProposalKind.DISTRIBUTION, {"amount": "1000.00", "currency": "USD", "on": "2027-01-15"}
    )
    assert _uk(pay).startswith("Виплатити партнерам 1\xa0000,00 USD з грошових коштів фонду")
    close = in_words(ProposalKind.PERIOD_CLOSE, {"through": "2026-12-31"})
    assert _uk(close).startswith("Закрити облік по 31 груд. 2026\u202fр. включно")
    assert _en(invest) == invest


def test_a_board_resolution_in_plain_words_reads_in_ukrainian() -> None:
    english = (
        "Record the board's decisions at Second board meeting on 2025-12-18 (reported): "
        "approve the investment strategy; priorities."
    )
    with language("uk"):
        assert said(english).startswith(
            "Записати рішення правління на засіданні «Second board meeting» 18 груд. 2025"
        )
    assert said(english) == english
