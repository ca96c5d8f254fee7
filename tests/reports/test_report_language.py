"""Reports in the reader's language (issue 18): the quarterly statement and the GAPP checklist
in Ukrainian from the CLI when its environment asks (`JOINTFUND_LANG=uk`), and from the pages'
download for a reader who chose Ukrainian; headings from the catalogue, amounts and dates the
Ukrainian way, the fund's name as the term sheet gives it in Ukrainian, no English heading left;
a restatement lists what changed in Ukrainian too.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from jointfund import store
from jointfund.fund import contributions, report_data, statement_documents
from jointfund.fund.setup import fund_terms
from jointfund.i18n import language
from jointfund.reports.periods import parse_period
from jointfund.reports.rendering import money
from jointfund.reports.statement import build_statement
from tests.conftest import require_pdf
from tests.http.pages.test_web_http import csrf_of, signed_in
from tests.http.pages.web_site import ADMIN, Server, Site, build_books, free_port, make_app
from tests.operator import operator

from .report_fixtures import built_demo

EXE = Path(sys.executable).with_name("jointfund")
needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing"
)
# Every heading of the statement, in English and as the Ukrainian catalogue says it.
HEADINGS = {
    "Summary": "Підсумок",
    "NAV bridge": "Рух ЧВА",
    "Balance sheet": "Баланс",
    "Schedule of investments": "Перелік інвестицій",
    "Statement of operations": "Звіт про результати діяльності",
    "Statement of cash flows": "Звіт про рух грошових коштів",
    "Partners' capital": "Капітал партнерів",
    "Performance since inception": "Результати від заснування",
}
# Other English words of the statement that must not be left in a Ukrainian one.
ENGLISH_WORDS = (
    "Quarterly report",
    "Net asset value",
    "Opening NAV",
    "Closing NAV",
    "Opening cash",
    "Closing cash",
    "generated",
    "amounts in",
    "period",
    "Paid in",
    "Owners' view",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The demo fund served over real HTTP (the CLI reads the same database file)."""
    folder = tmp_path_factory.mktemp("report-language")
    db, settings, tokens, proposal = build_books(folder)
    port = free_port()
    with Server(make_app(settings), port):
        yield Site(f"http://127.0.0.1:{port}", db, settings, tokens, proposal)
    db.dispose()


def jointfund(site: Site, lang: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed `jointfund` command as the administrator, in `lang`."""
    env = {**os.environ, "JOINTFUND_LANG": lang, "JOINTFUND_TOKEN": site.tokens[ADMIN]}
    done = subprocess.run(
        [EXE, *args, "--db", site.settings.database_url],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    return done


def flat(text: str) -> str:
    """Text on one line, single-spaced (a no-break space is a space), as words are compared."""
    return " ".join(text.replace("\xa0", " ").split())


def nav_closing(site: Site, quarter: str, lang: str) -> str:
    """The quarter's closing NAV as the report writes it in `lang`."""
    built = build_statement(report_data.statement_input(site.db, parse_period(quarter)))
    with language(lang):
        return flat(money(built.nav_closing))


class _Text(HTMLParser):
    """The text people read in an HTML document (not its stylesheet), and its images' alt."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_style = tag == "style"
        self.found += [v for k, v in attrs if k == "alt" and v]

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if not self.in_style:
            self.found.append(data)


def html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return flat(" ".join(parser.found))


def assert_ukrainian_statement(text: str, site: Site, quarter: str) -> None:
    """Ukrainian headings, title and fund name; the NAV written the Ukrainian way; no English
    heading or word of the statement left."""
    assert f"Квартальний звіт {quarter}" in text
    for english, ukrainian in HEADINGS.items():
        assert ukrainian in text, ukrainian
        assert english not in text, english
    for english in ENGLISH_WORDS:
        assert english not in text, english
    nav = nav_closing(site, quarter, "uk")
    assert re.fullmatch(r"\d{1,3}( \d{3})+,\d{2}", nav), nav
    assert nav in text
    assert nav_closing(site, quarter, "en") not in text
    title_uk = fund_terms(site.db).metadata.title_uk
    assert title_uk.split(" (")[0] in text.replace("- ", "-")


@needs_pdftotext
def test_the_cli_writes_the_quarterly_pdf_in_ukrainian_when_its_language_is(
    site: Site, tmp_path: Path
) -> None:
    require_pdf()
    pages: dict[str, str] = {}
    for lang in ("uk", "en"):
        out = tmp_path / f"statement-{lang}.pdf"
        jointfund(site, lang, "report", "statement", "--period", "2026Q2", "--format", "pdf",
                  "--out", str(out))  # fmt: skip
        read = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True)
        pages[lang] = flat(read.stdout)
    assert_ukrainian_statement(pages["uk"], site, "2026Q2")
    assert "квіт. 2026" in pages["uk"], "the period's dates in Ukrainian"
    # The same books in English, from the same command in an English environment.
    assert "Quarterly report 2026Q2" in pages["en"]
    assert all(english in pages["en"] for english in HEADINGS)
    assert nav_closing(site, "2026Q2", "en") in pages["en"]


def test_the_statement_download_follows_the_readers_language(site: Site) -> None:
    with signed_in(site, ADMIN) as client:
        english = client.get("/statements", params={"quarter": "2026Q3"})
        assert 'action="/statements/report.html"' in english.text, "issued from the page"
        form = {"csrf_token": csrf_of(client, "/statements"), "quarter": "2026Q3"}
        assert client.post("/statements/report.html", data=form).status_code == 303
        english = client.get("/statements", params={"quarter": "2026Q3"})
        link = re.search(r'href="(/statements/report\.html\?quarter=2026Q3)"', english.text)
        assert link is not None, "the statements page links the issued quarterly report"
        en = client.get(link.group(1))
        client.get("/language/uk", params={"next": "/statements"})
        uk = client.get(link.group(1))
    assert uk.status_code == 200, uk.text[:300]
    assert uk.headers["content-type"].startswith("text/html")
    assert 'filename="jointfund-statement-2026Q3-uk.html"' in uk.headers["content-disposition"]
    assert '<html lang="uk">' in uk.text
    assert_ukrainian_statement(html_text(uk.text), site, "2026Q3")
    assert "Діаграма руху ЧВА" in html_text(uk.text), "the charts' alt text too"
    assert "Quarterly report 2026Q3" in html_text(en.text)
    assert nav_closing(site, "2026Q3", "en") in html_text(en.text)


def test_the_gapp_checklist_speaks_the_clis_language(site: Site, tmp_path: Path) -> None:
    out = tmp_path / "gapp.html"
    said = jointfund(site, "uk", "report", "gapp", "--as-of", "2026-11-22", "--format", "html",
              "--out", str(out))  # fmt: skip
    text = html_text(out.read_text(encoding="utf-8"))
    assert "Перелік вимог до звітності та аудиту (GAPP, RGI)" in text
    assert "Чи проходить фінансова звітність фонду аудит?" in text
    assert "висновку зовнішнього аудитора в jointfund немає" in text
    assert "станом на 22 лист. 2026 р." in text
    assert "Project-Id-Version" not in text, "an item never produced shows a dash"
    assert "RGI 5" in text and "–" in text
    for english in ("Question", "Evidence", "auditor's opinion", "partial", "missing", "as of"):
        assert english not in text, english
    # What the command says on the terminal is Ukrainian too: the file written, each status.
    assert said.stderr.startswith(f"записано {out} (sha256 ")
    assert "частково" in said.stdout and "partial" not in said.stdout


def test_a_restatement_in_ukrainian_says_what_changed_in_ukrainian(tmp_path: Path) -> None:
    db = built_demo(f"sqlite:///{tmp_path / 'books.db'}")
    admin = operator(db)
    period = parse_period("2026Q3")
    statement_documents.statement(db, admin, period, fmt="html")
    contributions.record_cash(
        db,
        admin,
        partner="US",
        amount_minor=5_000_000_00,
        currency="USD",
        value_date=date(2026, 9, 1),
        reference="LATE-2026-09",
    )
    with language("uk"):
        restated = statement_documents.statement(db, admin, period, fmt="html", restate=True)
    text = html_text(restated.content.decode())
    assert "Квартальний звіт 2026Q3 (перевидано)" in text
    assert "Перевидано: капітал US на кінець: було 75 000 000,00, тепер 80 000 000,00" in text
    assert "then" not in text and "closing capital" not in text
    # The log says which language the digest's bytes are in (English issues read as before).
    with db.read() as tx:
        details = [r.detail for r in store.report_log.reports_of(tx, "statement")]
    assert details[0].startswith("NAV ") and "language" not in details[0]
    assert details[1].startswith("restated; NAV ") and "; language uk; known at " in details[1]
    db.dispose()
