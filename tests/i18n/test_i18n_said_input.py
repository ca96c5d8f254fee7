"""A bad filings file is explained in the reader's language: the `jointfund` command with
JOINTFUND_LANG=uk and the filings upload page of a Ukrainian reader name each located problem
(file, row, field) and what was expected in Ukrainian; without the variable the command says
it in English, word for word as before."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib.resources import files
from pathlib import Path
from typing import Any

import httpx
import pytest

from jointfund.fund import open_books
from jointfund.fund.demo import build_demo
from tests.http.pages.conftest import artefacts, browser, site  # noqa: F401 - fixtures used below
from tests.http.pages.test_web_browser import new_page, sign_in
from tests.http.pages.test_web_http import csrf_of
from tests.http.pages.web_site import ADMIN, Site

EXE = Path(sys.executable).with_name("jointfund")
HEADER = (
    "licence_id,period,stream,gross_amount,currency,payer_reference,version,costs,received_on\n"
)
# Row 2: a day February never has; row 3: costs above the gross amount.
BAD = (
    HEADER
    + "UA-SP-2012-0907,2026-01,royalty,1000.00,UAH,SAID-1,1,0.00,2026-02-30\n"
    + "UA-SP-2012-0907,2026-01,royalty,1000.00,UAH,SAID-2,1,2000.00,2026-02-15\n"
)
# Read cleanly, then refused by the books: the registry holds no such licence.
UNKNOWN_LICENCE = HEADER + "UA-NO-SUCH-LICENCE,2026-01,royalty,1000.00,UAH,SAID-3,1,0.00,\n"
LOCALE_VARIABLES = ("JOINTFUND_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
# "1 Jan 1991" and "31 Dec 2100" as Ukrainian writes them (a narrow space before "р.").
RANGE_UK = "день від 1 січ. 1991\u202fр. до 31 груд. 2100\u202fр."


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The demo fund on a SQLite file, a folder for the files to import, and an environment
    signed in as its administrator with no language chosen."""
    folder = tmp_path_factory.mktemp("said")
    db = open_books(str(folder / "demo.db"))
    token = {x.name: x.token for x in build_demo(db).logins}["administrator"]
    db.dispose()
    env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARIABLES}
    env.update({"COLUMNS": "200", "JOINTFUND_TOKEN": token})
    (folder / "march.csv").write_text(BAD, encoding="utf-8")
    (folder / "unknown.csv").write_text(UNKNOWN_LICENCE, encoding="utf-8")
    return folder, env


def import_refused(folder: Path, env: dict[str, str], name: str) -> list[str]:
    """Import `name` with the command as a user runs it; the lines it prints on refusing."""
    done = subprocess.run(
        [EXE, "filings", "import", name, "--db", "demo.db"],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=folder,
    )
    assert done.returncode == 3, done.stderr  # an input error, nothing booked
    assert done.stdout == ""
    return done.stderr.splitlines()


def test_the_command_names_each_problem_of_a_filings_file_in_ukrainian(
    books: tuple[Path, dict[str, str]],
) -> None:
    folder, env = books
    ukrainian = {**env, "JOINTFUND_LANG": "uk"}
    assert import_refused(folder, ukrainian, "march.csv") == [
        "помилка: march.csv:2:received_on: такої дати не існує: '2026-02-30' "
        f"(очікується YYYY-MM-DD ({RANGE_UK})) (і ще проблем: 1)",
        "  march.csv:3:costs: витрати перевищують валову суму "
        "(очікується витрати не більші за валову суму)",
    ]
    [licence] = import_refused(folder, ukrainian, "unknown.csv")
    # The located frame is the command's; the sentence itself is the books' licence check.
    assert licence.startswith("помилка: unknown.csv:2:licence_id: ")
    assert "'UA-NO-SUCH-LICENCE'" in licence
    assert "(очікується " in licence


def test_without_the_variable_the_command_says_it_in_english_as_before(
    books: tuple[Path, dict[str, str]],
) -> None:
    folder, env = books
    assert import_refused(folder, env, "march.csv") == [
        "error: march.csv:2:received_on: no such date: '2026-02-30' "
        "(expected YYYY-MM-DD (a day from 1991-01-01 to 2100-12-31)) (and 1 more problems)",
        "  march.csv:3:costs: costs exceed the gross amount (expected costs no larger than gross)",
    ]
    assert import_refused(folder, env, "unknown.csv") == [
        "error: unknown.csv:2:licence_id: unknown licence 'UA-NO-SUCH-LICENCE' "
        "(expected a licence registered with `jointfund licences import`)"
    ]


@pytest.mark.parametrize(
    "viewport", [{"width": 1366, "height": 900}, {"width": 390, "height": 844}], ids=str
)
def test_the_upload_page_shows_the_problem_table_in_ukrainian(
    browser: Any,  # noqa: F811 - the fixture imported above
    site: Site,  # noqa: F811
    tmp_path: Path,
    artefacts: Path,  # noqa: F811
    viewport: dict[str, int],
) -> None:
    upload = tmp_path / "march.csv"
    upload.write_text(BAD, encoding="utf-8")
    page = new_page(browser, site, viewport=viewport, locale="uk-UA")
    sign_in(page, site, ADMIN, "/filings")
    assert page.get_attribute("html", "lang") == "uk"
    page.set_input_files("#upload-form input[type=file]", str(upload))
    page.click("#upload-form button")
    page.wait_for_selector("#upload-errors")
    date = page.inner_text("tr.bad-row[data-line='2'] .row-problems")
    assert date == (
        f"received_on: такої дати не існує: '2026-02-30' (очікується YYYY-MM-DD ({RANGE_UK}))"
    )
    costs = page.inner_text("tr.bad-row[data-line='3'] .row-problems")
    assert (
        costs
        == "costs: витрати перевищують валову суму (очікується витрати не більші за валову суму)"
    )
    assert page.inner_text("tr.bad-row[data-line='2'] td.bad-cell") == "2026-02-30"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # The problems are read without scrolling the table sideways, on a phone as on a desktop.
    scroller = page.locator("#upload-errors .scroll").bounding_box()
    told = page.locator("tr.bad-row[data-line='2'] .row-problems").bounding_box()
    assert scroller is not None and told is not None
    assert told["x"] + told["width"] <= scroller["x"] + scroller["width"] + 1
    page.locator("#upload-errors").scroll_into_view_if_needed()
    page.screenshot(path=str(artefacts / f"upload-errors-uk-{viewport['width']}.png"))
    # The refused upload answers 422, which the console reports; nothing else may go wrong.
    assert [e for e in page.errors if "422" not in e] == []
    page.context.close()


def test_a_locked_sign_in_is_refused_in_the_readers_language(site: Site) -> None:  # noqa: F811
    refused = re.compile(r'<p class="error-message" role="alert">(.*?)</p>')
    with httpx.Client(base_url=site.url, headers={"Accept-Language": "uk"}) as client:
        csrf = csrf_of(client, "/signin")
        for n in range(6):  # five distinct wrong tokens lock the name
            answer = client.post(
                "/signin", data={"csrf_token": csrf, "name": "nobody", "token": f"jf_wrong-{n}"}
            )
        twin = client.post(
            "/signin",
            data={"csrf_token": csrf, "name": "nobody", "token": "jf_wrong-6"},
            params={"format": "json"},
        )
    assert answer.status_code == 429
    wait = answer.headers["Retry-After"]
    assert refused.findall(answer.text) == [
        f"забагато невдалих спроб входу для цього імені користувача; спробуйте ще раз через {wait} с"
    ]
    assert twin.status_code == 429
    assert "too many failed sign-ins for this user name" in twin.text, "the JSON twin in English"


def test_a_refused_treasury_file_is_explained_in_ukrainian(
    browser: Any,  # noqa: F811
    site: Site,  # noqa: F811
    tmp_path: Path,
) -> None:
    bad = tmp_path / "bad-treasury.csv"
    bad.write_text("REP_PERIOD;FUND_TYP;COD_INCO;NAME_INC;FAKT_AMT\n13.2025;S;13030100;x;1\n")
    page = new_page(browser, site, locale="uk-UA")
    sign_in(page, site, ADMIN, "/treasury")
    page.set_input_files("#treasury-form input[type=file]", str(bad))
    page.click("#treasury-form button")
    page.wait_for_selector("#upload-errors")
    assert page.locator("#upload-errors li").all_inner_texts() == [
        "рядок 2 REP_PERIOD: такого місяця не існує: '13.2025' (очікується м.рррр (1991–2100))"
    ]
    page.context.close()


def test_a_bad_term_sheet_is_explained_in_ukrainian(tmp_path: Path) -> None:
    sheet = (files("jointfund.terms") / "presets" / "ua-us-2025-04-30-agreement.yaml").read_text(
        encoding="utf-8"
    )
    bad = sheet.replace('share: "50%"', "share: 0.5", 1).replace('share: "50%"', 'share: "-3"', 1)
    (tmp_path / "bad.yaml").write_text(bad, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARIABLES}
    said = {}
    for lang in ("uk", "en"):
        done = subprocess.run(
            [EXE, "terms", "show", "bad.yaml"],
            capture_output=True,
            text=True,
            check=False,
            env={**env, "COLUMNS": "200", "JOINTFUND_LANG": lang},
            cwd=tmp_path,
        )
        assert done.returncode == 3, done.stderr
        said[lang] = done.stderr.splitlines()
    quoted = '"0.5", "50%"'
    assert said["uk"] == [
        "помилка: bad.yaml:inflow[0].share: частка: слід записати рядком, а не YAML float "
        f'(0.5 неточне) (очікується рядок у лапках, напр. {quoted} або "1/2") (і ще проблем: 1)',
        f"  bad.yaml:inflow[1].share: '-3' не є числом (очікується рядок у лапках, напр. {quoted} "
        'або "1/2")',
    ]
    assert said["en"] == [
        "error: bad.yaml:inflow[0].share: a share must be written as a string, not a YAML float "
        f'(0.5 is inexact) (expected a quoted string such as {quoted} or "1/2") '
        "(and 1 more problems)",
        f"  bad.yaml:inflow[1].share: '-3' is not a number (expected a quoted string such as "
        f'{quoted} or "1/2")',
    ]
