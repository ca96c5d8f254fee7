"""A negotiator's what-if on the forecast page, through the real app over HTTP and in Chromium:
pick a term sheet, move its levers, run, and see it overlaid on the base with paired errors."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from .test_web_browser import new_page, sign_in
from .test_web_http import csrf_of, signed_in
from .test_web_languages import AXE, AXE_RUN, BROWSER_LOCALE, SIZES, check_page, require_axe
from .web_site import Site

ANALYST = "auditor"  # a user with forecast.run who is not an administrator
LEVERS = {
    "scenario": "terms-2025-03",
    "price_factor": "1.25",
    "licence_shift": "2",
    "territory": "frozen",
    "in_kind": "none",
    "paths": "800",
    "seed": "7",
    "years": "25",
}


def wait_done(client: httpx.Client, run_id: str) -> dict[str, Any]:
    """Poll the run's JSON twin until it is done (or fail after a minute)."""
    for _ in range(240):
        data = client.get(f"/forecast/runs/{run_id}", params={"format": "json"}).json()
        if data["status"] in ("done", "failed"):
            return dict(data)
        time.sleep(0.25)
    raise AssertionError(f"run {run_id} did not finish")


def start(client: httpx.Client, form: dict[str, str]) -> httpx.Response:
    data = {"csrf_token": csrf_of(client, "/forecast"), **form}
    return client.post("/forecast/whatif", data=data)


def test_a_what_if_runs_paired_with_its_base_and_both_are_saved(site: Site) -> None:
    with signed_in(site, ANALYST) as client:
        answer = start(client, LEVERS)
        assert answer.status_code == 303, answer.text[:500]
        run_id = answer.headers["location"].rsplit("/", 1)[1]
        assert run_id.startswith("whatif-terms-2025-03-")
        data = wait_done(client, run_id)
        assert data["status"] == "done", data
        assert data["paired"] is True
        moved = [lever["moved"] for lever in data["whatif"]["levers"]]
        assert moved == [True, True, True, True]
        assert "~prices-x1.25~" in data["summary"]["scenario"]
        outputs = [d["output"] for d in data["deltas"]]
        assert outputs[0] == "mean cumulative inflow (final year)"
        assert data["deltas"][0]["delta"].startswith("+$"), "higher prices raise the inflow"
        assert set(data["figures"]) == {
            "whatif_fan",
            "whatif_us_value",
            "whatif_nav",
            "whatif_p_target",
        }
        fan = data["figures"]["whatif_fan"]["data"]
        assert {t.get("legendgroup") for t in fan} == {"base", "what-if"}, "one chart, both runs"
        assert data["figures"]["whatif_p_target"]["layout"]["yaxis"]["type"] == "log"
        base_id = data["whatif"]["base_run"]
        base = wait_done(client, base_id)
        assert base["summary"]["scenario"] == "terms-2025-03"
        assert base["summary"]["seed"] == data["summary"]["seed"] == 7
        listed = client.get("/forecast", params={"format": "json"}).json()["runs"]
        assert run_id in listed and base_id in listed
        again = start(client, LEVERS | {"price_factor": "0.8"})
        second = wait_done(client, again.headers["location"].rsplit("/", 1)[1])
        assert second["whatif"]["base_run"] == base_id, "a base of the same shape is reused"
        assert second["deltas"][0]["delta"].startswith("−$")
        shown = client.get(f"/forecast/runs/{run_id}", headers={"Accept-Language": "uk"}).text
        table = shown.split('id="deltas"')[1].split("</table>")[0]
        assert "P(окупність у межах горизонту, США, " in table, "partners named in Ukrainian"
        assert "P(окупність у межах горизонту, Україна, " in table


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("price_factor", "9"),
        ("price_factor", "abc"),
        ("licence_shift", "-40"),
        ("licence_shift", "1.5"),
        ("territory", "annexed"),
        ("in_kind", "everything"),
        ("scenario", "base"),
        ("paths", "1"),
        ("years", "0"),
    ],
)
def test_a_bad_lever_shows_the_form_again_with_the_problem_at_its_field(
    site: Site, field: str, value: str
) -> None:
    with signed_in(site, ANALYST) as client:
        before = client.get("/forecast", params={"format": "json"}).json()["runs"]
        answer = start(client, LEVERS | {field: value})
        twin = client.post(
            "/forecast/whatif",
            params={"format": "json"},
            data={"csrf_token": csrf_of(client, "/forecast"), **LEVERS, field: value},
        )
        after = client.get("/forecast", params={"format": "json"}).json()["runs"]
    assert answer.status_code == 422, answer.text[:300]
    assert f'id="error-{field}"' in answer.text
    assert (
        f'value="{value}"' in answer.text
        or f'value="{value}" selected' in answer.text
        or (field in ("territory", "in_kind", "scenario"))
    )
    assert twin.status_code == 422
    assert field in {p["field"] for p in twin.json()["error"]["problems"]}
    assert before == after, "nothing ran"


def test_a_bad_lever_is_explained_in_ukrainian(site: Site) -> None:
    with signed_in(site, ANALYST) as client:
        data = {"csrf_token": csrf_of(client, "/forecast"), **LEVERS, "price_factor": "9"}
        answer = client.post("/forecast/whatif", data=data, headers={"Accept-Language": "uk"})
    assert answer.status_code == 422
    assert (
        "поза межами: від 0,25 до 4"
        in answer.text.split('id="error-price_factor"')[1][:300].lower()
    )


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("lang", sorted(BROWSER_LOCALE))
def test_a_negotiator_runs_a_what_if_and_sees_it_overlaid_on_the_base(
    browser: Any, site: Site, artefacts: Path, lang: str, size: str
) -> None:
    page = new_page(browser, site, viewport=SIZES[size], locale=BROWSER_LOCALE[lang])
    sign_in(page, site, ANALYST, "/forecast")
    check_page(page, lang, size)
    form = "#whatif-form"
    page.fill(f"{form} input[name=price_factor]", "9")
    page.click(f"{form} button[type=submit]")
    page.wait_for_selector("#error-price_factor")
    said = page.inner_text("#error-price_factor")
    assert said == (
        "Поза межами: від 0,25 до 4." if lang == "uk" else "Out of range: from 0.25 to 4."
    )
    assert page.evaluate("document.activeElement.name") == "price_factor", "the field has focus"
    assert page.input_value(f"{form} input[name=price_factor]") == "9", "what was typed stays"
    check_page(page, lang, size)
    # The form comes back with status 422, which Chromium reports on the console as a failed
    # load of the page itself; nothing else may appear there.
    assert [e for e in page.errors if "status of 422" not in e] == []
    assert len(page.errors) == 1, page.errors
    page.errors.clear()
    page.select_option(f"{form} select[name=scenario]", "terms-2025-02-26")
    page.fill(f"{form} input[name=price_factor]", "0.8" if lang == "en" else "1.5")
    page.fill(f"{form} input[name=licence_shift]", "3")
    page.select_option(f"{form} select[name=territory]", "return")
    page.select_option(f"{form} select[name=in_kind]", "larger")
    page.fill(f"{form} input[name=paths]", "600")
    page.fill(f"{form} input[name=years]", "30")
    page.screenshot(path=str(artefacts / f"whatif-form-{lang}-{size}.png"), full_page=True)
    page.click(f"{form} button[type=submit]")
    page.wait_for_url("**/forecast/runs/whatif-**")
    page.wait_for_selector(
        "[data-figure='figure-whatif_p_target'][data-drawn=true]", timeout=60_000
    )
    check_page(page, lang, size)
    fan = page.locator("#chart-whatif_fan .scatterlayer .trace")
    assert fan.count() == 6, "a band and a median for the base and for the what-if"
    assert page.locator("#chart-whatif_p_target .annotation").count() >= 3, "targets labelled"
    ticks = page.locator("#chart-whatif_p_target .ytick text").all_text_contents()
    assert any("e-" in t or "−" in t for t in ticks), f"a log axis: {ticks}"
    assert page.locator("#whatif-levers dd.moved").count() == 4
    rows = page.locator("#deltas tbody tr")
    assert rows.count() >= 6
    assert page.locator("#deltas tbody tr").first.locator("td").nth(1).inner_text().startswith("±")
    page.screenshot(path=str(artefacts / f"whatif-run-{lang}-{size}.png"), full_page=True)
    assert page.errors == []
    page.context.close()


@pytest.mark.parametrize("lang", sorted(BROWSER_LOCALE))
def test_the_what_if_form_its_errors_and_its_result_have_no_serious_accessibility_violation(
    browser: Any, site: Site, lang: str
) -> None:
    require_axe()
    page = new_page(
        browser, site, viewport=SIZES["desktop"], locale=BROWSER_LOCALE[lang], bypass_csp=True
    )
    sign_in(page, site, ANALYST, "/forecast")
    found: list[str] = []

    def audit(where: str) -> None:
        page.add_script_tag(path=str(AXE))
        found.extend(f"{where}: {v}" for v in page.evaluate(AXE_RUN))

    page.fill("#whatif-form input[name=licence_shift]", "99")
    page.click("#whatif-form button[type=submit]")
    page.wait_for_selector("#error-licence_shift")
    audit("form with an error")
    page.fill("#whatif-form input[name=licence_shift]", "1")
    page.fill("#whatif-form input[name=paths]", "300")
    page.click("#whatif-form button[type=submit]")
    page.wait_for_url("**/forecast/runs/whatif-**")
    page.wait_for_selector(
        "[data-figure='figure-whatif_p_target'][data-drawn=true]", timeout=60_000
    )
    audit("result")
    page.context.close()
    assert found == [], "\n".join(found)
