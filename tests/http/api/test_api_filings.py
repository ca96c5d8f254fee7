"""Filings and licences over HTTP: one 422 listing every bad row, idempotent re-uploads."""

from __future__ import annotations

from jointfund.fund import filing_lists, users
from jointfund.fund.demo import example_dir
from tests.http.api.conftest import FILER_LICENCE, Fund

HEADER = "licence_id,period,stream,gross_amount,currency,payer_reference,version,costs,received_on"


def _upload(fund: Fund, who: str, name: str, text: str) -> tuple[int, dict[str, object]]:
    with fund.client(who) as http:
        got = http.post("/api/filings", files={"file": (name, text.encode(), "text/csv")})
    return got.status_code, got.json()


def test_an_upload_with_several_bad_rows_is_refused_whole_with_every_row_named(
    fund: Fund,
) -> None:
    text = "\n".join(
        [
            HEADER,
            f"{FILER_LICENCE},2026-04,royalty,100.00,UAH,API-BAD-1,1,0.00,2026-05-15",
            "NO-SUCH-LICENCE,2026-04,royalty,100.00,UAH,API-BAD-2,1,0.00,2026-05-15",
            f"{FILER_LICENCE},2026-04,royalty,12x.00,UAH,API-BAD-3,1,0.00,2026-05-15",
            f"{FILER_LICENCE},2026-13,royalty,100.00,UAH,API-BAD-4,1,0.00,2026-05-15",
        ]
    )
    status, body = _upload(fund, "admin", "april.csv", text + "\n")
    assert status == 422
    error = body["error"]
    assert isinstance(error, dict)
    assert error["code"] == "invalid_input"
    problems = error["problems"]
    assert {p["row"] for p in problems} >= {4, 5}
    assert all(p["file"] == "april.csv" for p in problems)
    assert {p["field"] for p in problems if p["row"] == 4} == {"gross_amount"}
    with fund.client("admin") as http:
        listed = http.get("/api/filings", params={"licence": FILER_LICENCE, "limit": 1000})
    refs = {f["payer_reference"] for f in listed.json()["items"]}
    assert "API-BAD-1" not in refs


def test_unknown_licence_is_reported_on_its_row(fund: Fund) -> None:
    text = f"{HEADER}\nNO-SUCH-LICENCE,2026-04,royalty,100.00,UAH,API-BAD-9,1,0.00,2026-05-15\n"
    status, body = _upload(fund, "admin", "one.csv", text)
    assert status == 422
    error = body["error"]
    assert isinstance(error, dict)
    assert [(p["row"], p["field"]) for p in error["problems"]] == [(2, "licence_id")]


def test_re_uploading_a_file_books_nothing_new(fund: Fund) -> None:
    text = f"{HEADER}\n{FILER_LICENCE},2026-04,royalty,1500.00,UAH,API-NEW-1,1,0.00,2026-05-15\n"
    status, first = _upload(fund, "admin", "new.csv", text)
    assert status == 200, first
    assert first["booked"] == 1
    status, again = _upload(fund, "admin", "new.csv", text)
    assert status == 200
    assert (again["booked"], again["unchanged"], again["entries"]) == (0, 1, 0)
    demo = (example_dir() / "filings.csv").read_text()
    status, whole = _upload(fund, "admin", "filings.csv", demo)
    assert status == 200
    assert whole["booked"] == 0 and whole["unchanged"] == whole["filings"]


def test_a_reporting_entity_files_only_for_its_own_licences(fund: Fund) -> None:
    own = f"{HEADER}\n{FILER_LICENCE},2026-05,royalty,10.00,UAH,API-FILER-1,1,0.00,2026-06-15\n"
    other = f"{HEADER}\nUA-SP-2017-0415,2026-05,royalty,10.00,UAH,API-FILER-2,1,0.00,2026-06-15\n"
    assert _upload(fund, "filer", "own.csv", own)[0] == 200
    status, body = _upload(fund, "filer", "other.csv", other)
    assert status == 403
    assert body["error"]["code"] == "permission_denied"  # type: ignore[index]


def test_filings_list_shows_the_terms_decision_and_pages_by_id(fund: Fund) -> None:
    with fund.client("auditor") as http:
        first = http.get("/api/filings", params={"limit": 50}).json()
        second = http.get(first["next"]).json()
    assert len(first["items"]) == 50
    assert first["items"][-1]["id"] < second["items"][0]["id"]
    assert all(isinstance(f["eligible"], bool) for f in first["items"])
    assert any(f["rule"] for f in first["items"])


def test_licences_list_and_an_idempotent_licence_upload(fund: Fund) -> None:
    demo = (example_dir() / "licences.csv").read_bytes()
    with fund.client("admin") as http:
        listed = http.get("/api/licences", params={"limit": 1000}).json()
        again = http.post("/api/licences", files={"file": ("licences.csv", demo, "text/csv")})
    assert listed["next"] is None and listed["count"] == len(listed["items"])
    assert FILER_LICENCE in {lic["licence_id"] for lic in listed["items"]}
    assert again.json() == {"created": 0, "updated": 0, "unchanged": listed["count"]}


def test_the_licence_register_comes_a_page_at_a_time_by_id(fund: Fund) -> None:
    with fund.client("admin") as http:
        whole = http.get("/api/licences", params={"limit": 1000}).json()
        pages, url = [], "/api/licences?limit=4"
        while url:
            answer = http.get(url).json()
            assert answer["count"] == whole["count"] and len(answer["items"]) <= 4
            pages.append(answer["items"])
            url = answer["next"]
        unknown = http.get("/api/licences", params={"after": "UA-NO-SUCH"})
    walked = [lic for page in pages for lic in page]
    assert walked == whole["items"], "every licence once, in id order"
    assert [lic["licence_id"] for lic in walked] == sorted(lic["licence_id"] for lic in walked)
    assert len(pages) == -(-whole["count"] // 4) >= 3
    assert unknown.status_code == 422
    assert unknown.json()["error"]["problems"][0]["field"] == "after"


def test_a_year_filter_keeps_the_quarterly_filings_of_that_year(fund: Fund) -> None:
    # Minerals file by quarter (2025-Q1), hydrocarbons by month (2025-01): one year holds both,
    # in the API's list and in the filings page's list by period.
    with fund.client("admin") as http:
        listed = http.get("/api/filings", params={"year": 2025, "limit": 1000}).json()["items"]
    admin = users.authenticate(fund.db, fund.tokens["admin"])
    by_period, count = filing_lists.filings_by_period(fund.db, admin, year=2025, limit=1000)
    for periods in ({f["period"] for f in listed}, {r.period for r in by_period}):
        assert any("-Q" in p for p in periods) and any("-Q" not in p for p in periods), periods
        assert all(p.startswith("2025-") for p in periods)
    assert count == len({(r.payer_reference) for r in by_period})
