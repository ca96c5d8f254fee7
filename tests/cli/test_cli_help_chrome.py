"""The words the CLI library prints around ours (the usage line, panel titles, the help option,
its usage errors) in the language in force: a Ukrainian reader meets no English in `--help`
or in a mistyped command, and English reads as typer writes it."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from babel.messages.extract import extract_from_dir

from jointfund.cli.app import main
from jointfund.cli.library_words import WORDS
from jointfund.i18n import language
from jointfund.i18n import translations as catalogue

TYPER = Path(typer.__file__).parent
CHROME = ("Usage:", "Options", "Commands", "Arguments", "Show this message", "[required]")


def said(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, lang: str, *args: str
) -> tuple[int, str]:
    """The exit code and everything the command printed, in `lang`."""
    monkeypatch.setenv("JOINTFUND_LANG", lang)
    monkeypatch.setenv("COLUMNS", "200")
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_help_is_framed_in_ukrainian(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, text = said(capsys, monkeypatch, "uk", "filings", "import", "--help")
    assert code == 0
    assert "Використання: jointfund filings import [ПАРАМЕТРИ]" in text
    assert "Аргументи" in text and "Параметри" in text
    assert "Показати цю довідку і вийти." in text
    assert "[обов’язковий]" in text and "[змінна середовища: JOINTFUND_TOKEN]" in text
    assert not [word for word in CHROME if word in text], text
    code, text = said(capsys, monkeypatch, "uk", "filings", "--help")
    assert "jointfund filings [ПАРАМЕТРИ] КОМАНДА [АРГУМЕНТИ]..." in text
    assert "Команди" in text and "Commands" not in text
    code, text = said(capsys, monkeypatch, "en", "filings", "import", "--help")
    assert "Usage: jointfund filings import [OPTIONS]" in text
    assert "Show this message and exit." in text and "[required]" in text
    assert "Використання" not in text, "the words are said again only while Ukrainian is in force"


@pytest.mark.parametrize(
    ("args", "ukrainian", "english"),
    [
        (
            ("filings", "import", "--bogus"),
            "Помилка: Немає параметра --bogus",
            "Error: No such option: --bogus",
        ),
        (
            ("filings", "import"),
            "Помилка: Бракує аргументу 'file'.",
            "Error: Missing argument 'file'.",
        ),
        (
            ("forecast", "run", "base", "--paths", "abc"),
            "Помилка: Неправильне значення '--paths': Має бути ціле число",
            "Error: Invalid value for '--paths': Input should be a valid integer",
        ),
        (
            ("filings", "imprt"),
            "Помилка: Немає команди 'imprt'. Можливо, ви мали на увазі 'import'?",
            "Error: No such command 'imprt'. Did you mean 'import'?",
        ),
        (("version", "extra"), "Помилка: Зайві аргументи: extra", "Got unexpected extra"),
        (
            ("forecast", "run", "base", "--paths"),
            "Помилка: Параметр '--paths' потребує значення.",
            "Error: Option '--paths' requires an argument.",
        ),
    ],
)
def test_a_mistyped_command_is_explained_in_ukrainian(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    ukrainian: str,
    english: str,
) -> None:
    code, text = said(capsys, monkeypatch, "uk", *args)
    assert code == 2
    assert ukrainian in text, text
    assert "Error" not in text and "Usage" not in text and "for help" not in text, text
    code, text = said(capsys, monkeypatch, "en", *args)
    assert code == 2
    assert english in text, text


def test_every_word_typer_asks_gettext_for_is_in_the_catalogue() -> None:
    """An upgrade of typer that asks for a new word is named here, not shown in English."""
    found = extract_from_dir(str(TYPER), keywords={"_": None})
    asked = {item[2] for item in found if isinstance(item[2], str)}
    assert asked, "typer no longer translates through gettext: its words need another way"
    assert sorted(asked - set(WORDS)) == []
    with language("uk"):
        untranslated = [w for w in WORDS if catalogue("uk").gettext(w) == w]
    assert untranslated == []
