"""The lines the CLI prints for people, in Ukrainian when the environment asks for it: the
summary of an import, verify's verdict, the NAV line and the help texts, each with numbers
written the Ukrainian way; the same commands in English read as before, and JSON never
changes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from jointfund.cli.app import main
from jointfund.fund import open_books
from jointfund.fund.demo import build_demo

# One new royalty on a licence whose royalties the example terms share with the fund.
FILING = (
    "licence_id,period,stream,gross_amount,currency,payer_reference,version,costs,received_on\n"
    "UA-SP-2025-0822,2026-11,royalty,1234567.80,UAH,TEST-CLI-LINES-2026-11-R,1,0.00,2026-11-20\n"
)
NBSP = "\xa0"  # how Ukrainian groups thousands


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lines")
    db = open_books(str(folder / "demo.db"))
    logins = build_demo(db).logins
    db.dispose()
    (folder / "token").write_text(next(x.token for x in logins if x.name == "administrator"))
    return folder


@pytest.fixture
def db(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    shutil.copy(built / "demo.db", tmp_path / "demo.db")
    (tmp_path / "filing.csv").write_text(FILING, encoding="utf-8")
    monkeypatch.setenv("JOINTFUND_TOKEN", (built / "token").read_text())
    monkeypatch.setenv("COLUMNS", "200")
    return str(tmp_path / "demo.db")


def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, lang: str, *args: str
) -> str:
    monkeypatch.setenv("JOINTFUND_LANG", lang)
    code = main(list(args))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def test_an_import_verify_and_the_nav_speak_ukrainian_with_ukrainian_numbers(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    csv = str(Path(db).with_name("filing.csv"))
    imported = run(capsys, monkeypatch, "uk", "filings", "import", csv, "--db", db)
    assert imported.startswith("надходження: проведено 1, виправлено 0, без змін 0"), imported
    assert f"частка фонду 617{NBSP}283,90 UAH" in imported, "half the royalty, written our way"
    again = run(capsys, monkeypatch, "en", "filings", "import", csv, "--db", db)
    assert again.startswith("filings: 0 booked, 0 corrected, 1 unchanged"), again

    verified = run(capsys, monkeypatch, "uk", "verify", "--db", db)
    assert verified.startswith("перевірка успішна: проводок "), verified
    assert "залишки збігаються з журналом" in verified
    assert "verify ok" not in verified
    english = run(capsys, monkeypatch, "en", "verify", "--db", db)
    assert english.startswith("verify ok: ") and "balances match the journal" in english

    nav = run(capsys, monkeypatch, "uk", "metrics", "--db", db).splitlines()[0]
    day = r"\d+ \w+\. \d{4}\s?р\."  # the date in words, as Ukrainian writes it
    amount = rf"\d{{1,3}}(?:{NBSP}\d{{3}})+,\d\d"
    assert re.fullmatch(rf"ЧВА на {day}: {amount} USD", nav), nav

    as_json = run(capsys, monkeypatch, "uk", "verify", "--db", db, "--json")
    assert as_json == run(capsys, monkeypatch, "en", "verify", "--db", db, "--json")
    assert json.loads(as_json)["ok"] is True


def test_help_texts_are_in_the_language_in_force(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    said = run(capsys, monkeypatch, "uk", "filings", "import", "--help")
    assert "Файл CSV або JSON" in said and "Вивести машиночитний JSON." in said
    assert "CSV or JSON file" not in said
    groups = run(capsys, monkeypatch, "uk", "--help")
    assert "Імпорт валютних курсів на дати." in groups, "a command group's help"
    assert "Перерахувати ланцюги хешів" in groups, "a command's docstring"
    assert "Recompute the hash chains" not in groups
    english = run(capsys, monkeypatch, "en", "filings", "import", "--help")
    assert "CSV or JSON file" in english and "Print machine-readable JSON." in english


def test_table_cells_the_books_store_as_codes_or_sentences_read_in_ukrainian(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from jointfund.cli.output import out

    monkeypatch.setattr(out, "width", 220)  # one line per row, whatever width the run began at
    metrics = run(capsys, monkeypatch, "uk", "metrics", "--db", db)
    assert "Капітал партнерів" in metrics and "Partners' capital" not in metrics
    licences = run(capsys, monkeypatch, "uk", "licences", "list", "--db", db)
    assert "нафта, природний газ" in licences, "a list of resource codes in words"
    assert "чинна" in licences and "active" not in licences
    filings = run(capsys, monkeypatch, "uk", "filings", "list", "--year", "2026", "--db", db)
    assert "бонус за підписання" in filings and "signature_bonus" not in filings
    english = run(capsys, monkeypatch, "en", "licences", "list", "--db", db)
    assert "oil, natural_gas" in english, "English shows the codes as stored"


def test_the_forecast_says_what_it_is_conditional_on_in_ukrainian(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("JOINTFUND_RUNS_DIR", str(tmp_path / "runs"))
    args = ("forecast", "run", "base", "--paths", "200", "--years", "5", "--seed", "1")
    said = run(capsys, monkeypatch, "uk", *args)
    assert "За умови припущень сценарію «base», а не передбачення" in said
    assert "Параметри цін" in said and "Price parameters" not in said
    english = run(capsys, monkeypatch, "en", *args)
    assert "Price parameters: the same on every path" in english


def test_the_forecasts_amounts_estimators_and_census_read_in_ukrainian(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from jointfund.cli.output import out

    monkeypatch.setattr(out, "width", 240)  # one line per row, whatever width the run began at
    monkeypatch.setenv("JOINTFUND_RUNS_DIR", str(tmp_path / "runs"))
    args = ("forecast", "run", "base", "--paths", "200", "--years", "5", "--seed", "1")
    said = run(capsys, monkeypatch, "uk", *args)
    assert re.search(r"75,0 млн \$", said), "amounts the Ukrainian way, in words"
    assert "500,00 млрд $" in said, "a target's amount too"
    assert "0 влучань" in said and "вибірка за значущістю: 0 з " in said, said
    for english in (" bn", " m ", "hits", "IS:", "plain MC"):
        assert english not in said, english
    english = run(capsys, monkeypatch, "en", *args)
    assert "$75.0 m" in english and "$500.00 bn" in english and "plain hits" in english

    saved = sorted(str(p) for p in (tmp_path / "runs").iterdir())
    compared = run(capsys, monkeypatch, "uk", "forecast", "compare", saved[0], saved[-1])
    assert "P(окупність для США ≥ 66,90 млрд $)" in compared, "outputs named in words"
    assert "mean" not in compared and "recoupment" not in compared
    assert "P(U.S. recoupment >= 66,900,000,000)" in run(
        capsys, monkeypatch, "en", "forecast", "compare", saved[0], saved[-1]
    )

    census = run(capsys, monkeypatch, "uk", "forecast", "provenance", "base")
    assert "з джерелом" in census and "sourced" not in census
    share = re.search(r"лише на підтверджені джерелами числа: (\S+)", census)
    assert share is not None and re.fullmatch(r"\d+,\d%", share.group(1)), share


def test_the_contribution_cycle_reads_in_ukrainian(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    said = run(capsys, monkeypatch, "uk", "contributions", "transfers", "--db", db)
    assert "в спеціальному фонді державного бюджету" in said, "the term sheet's accrual in words"
    assert "до 1 квітня року, що настає за роком надходжень" in said
    assert "за офіційним курсом на дату переказу" in said
    assert f"75{NBSP}000{NBSP}000,00 UAH" in said and "(без коду)" in said
    assert re.search(r"USD/UAH \d+,\d+ на \d+ квіт\. 2026", said), "the rate used, in words"
    for english in ("special fund", "of the year after", "unmapped", "75,000,000.00", " on 20"):
        assert english not in said, english
    english = run(capsys, monkeypatch, "en", "contributions", "transfers", "--db", db)
    assert "capital credited at the transfer date rate" in english
    assert "75,000,000.00 UAH" in english and "(unmapped)" in english


def test_yes_no_sums_and_next_steps_read_in_ukrainian(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from jointfund.cli.output import out

    monkeypatch.setattr(out, "width", 240)
    people = run(capsys, monkeypatch, "uk", "users", "list", "--db", db)
    assert "так" in people and "True" not in people
    calendar = run(capsys, monkeypatch, "uk", "calendar", "--db", db)
    assert re.search(rf"\d{{1,3}}(?:{NBSP}\d{{3}})+,\d\d UAH", calendar), "a sum the Ukrainian way"
    assert not re.search(r"UAH \d+\.\d\d", calendar)
    aid = run(capsys, monkeypatch, "uk", "contributions", "in-kind", "list", "--db", db)
    assert "нічого: ілюстративний, не зараховується" in aid and "not_booked" not in aid
    english = run(capsys, monkeypatch, "en", "users", "list", "--db", db)
    assert "True" in english
    assert re.search(r"UAH \d+\.\d\d", run(capsys, monkeypatch, "en", "calendar", "--db", db))


def test_a_proposal_its_committee_and_the_accounts_read_in_ukrainian(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from jointfund.cli.output import out

    monkeypatch.setattr(out, "width", 240)
    shown = run(capsys, monkeypatch, "uk", "proposal", "1", "--db", db)
    assert shown.startswith("пропозиція 1 (інвестиція), відкрита"), shown
    assert "Зобов’язатися інвестувати до 25" in shown, "the payload in plain Ukrainian words"
    assert "правило одностайно" in shown and "(кожен партнер;" in shown
    for english in ("(investment)", "Commit up to", "unanimous", "each_partner"):
        assert english not in shown, english
    seats = run(capsys, monkeypatch, "uk", "governance", "committees", "--db", db)
    assert "[повідомлено]" in seats and "кожен партнер [припущення]" in seats
    assert "each_partner" not in seats and "[reported]" not in seats
    accounts = run(capsys, monkeypatch, "uk", "accounts", "list", "--db", db)
    assert "актив" in accounts and "без від’ємного залишку" in accounts
    assert "non-negative" not in accounts
    english = run(capsys, monkeypatch, "en", "proposal", "1", "--db", db)
    assert english.startswith("proposal 1 (investment), open") and "rule unanimous" in english
    assert "non-negative" in run(capsys, monkeypatch, "en", "accounts", "list", "--db", db)
