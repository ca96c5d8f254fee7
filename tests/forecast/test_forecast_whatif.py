"""A negotiator's what-if: a term sheet's scenario with levers moved, in range, with every
changed number named as an assumption, and the same paths for the same seed."""

from __future__ import annotations

import numpy as np
import pytest

from jointfund.errors import InputError
from jointfund.forecast import Levers, compare_runs, derive, load_scenario, run_forecast
from jointfund.forecast.provenance import census_counts
from jointfund.forecast.whatif import TERM_SHEETS, check_levers

PATHS, YEARS, SEED = 600, 25, 20250430


@pytest.fixture(scope="module")
def march() -> object:
    return load_scenario("terms-2025-03")


def fields_of(error: pytest.ExceptionInfo[InputError]) -> set[str | None]:
    return {p.field for p in error.value.problems}


@pytest.mark.parametrize(
    ("levers", "field"),
    [
        (Levers(price_factor=0.2), "price_factor"),
        (Levers(price_factor=4.5), "price_factor"),
        (Levers(price_factor=float("nan")), "price_factor"),
        (Levers(licence_shift=-6), "licence_shift"),
        (Levers(licence_shift=16), "licence_shift"),
        (Levers(territory="annexed"), "territory"),  # type: ignore[arg-type]
        (Levers(in_kind="lots"), "in_kind"),  # type: ignore[arg-type]
    ],
)
def test_a_lever_out_of_range_is_a_located_problem(levers: Levers, field: str) -> None:
    with pytest.raises(InputError) as error:
        check_levers("terms-2025-03", levers)
    assert fields_of(error) == {field}


def test_every_bad_lever_is_reported_at_once_and_the_base_must_be_a_term_sheet() -> None:
    with pytest.raises(InputError) as error:
        check_levers("base", Levers(price_factor=9, licence_shift=99, territory="x"))  # type: ignore[arg-type]
    assert fields_of(error) == {"scenario", "price_factor", "licence_shift", "territory"}
    for name in TERM_SHEETS:
        assert check_levers(name, Levers(4.0, 15, "return", "larger")).price_factor == 4.0


def test_the_edges_of_each_range_are_accepted(march: object) -> None:
    for levers in (Levers(0.25, -5, "frozen", "none"), Levers(4.0, 15, "return", "larger")):
        assert derive(march, levers).name.startswith("terms-2025-03~what-if~")  # type: ignore[arg-type]


def test_moved_levers_change_the_numbers_and_name_them_as_assumptions(march: object) -> None:
    base = march
    derived = derive(base, Levers(1.5, 3, "frozen", "none"))  # type: ignore[arg-type]
    assert census_counts(derived)["uncovered"] == 0
    lithium = derived.model.prices.commodities["lithium"]
    was = base.model.prices.commodities["lithium"]  # type: ignore[attr-defined]
    assert lithium.s0 == pytest.approx(was.s0 * 1.5)
    assert lithium.long_run == pytest.approx(was.long_run * 1.5)
    assert lithium.label_of("s0")[0] == "assumed"  # type: ignore[index]
    assert "price level x1.5" in lithium.label_of("s0")[1]  # type: ignore[index]
    assert lithium.label_of("sigma") == was.label_of("sigma"), "an unmoved number keeps its label"
    advanced = derived.model.pipeline.classes["advanced"]
    before = base.model.pipeline.classes["advanced"].licence_year  # type: ignore[attr-defined]
    assert advanced.licence_year.mode == before.mode + 3
    assert "licence timing +3 years" in advanced.label_of("licence_year")[1]  # type: ignore[index]
    dobra = derived.model.pipeline.overrides["dobra"].licence_year
    assert dobra is not None and dobra.min == 2029
    assert derived.model.territory.transitions.controlled == [1.0, 0.0, 0.0]
    assert "territory: frozen" in (derived.model.territory.transitions.assumption or "")
    assert {c.kind for c in derived.model.contributions} == {"cash"}
    assert derived.terms == base.terms, "the term sheet itself is not a lever"  # type: ignore[attr-defined]
    assert (
        derived.name
        == "terms-2025-03~what-if~prices-x1.5~licences+3y~territory-frozen~in-kind-none"
    )


def test_every_term_sheet_with_every_lever_keeps_the_census_at_zero_uncovered() -> None:
    for name in TERM_SHEETS:
        base = load_scenario(name)
        for levers in (Levers(0.5, -5, "return", "larger"), Levers(2.0, 10, "frozen", "none")):
            assert census_counts(derive(base, levers))["uncovered"] == 0, (name, levers)


def test_licences_never_move_before_the_start_year(march: object) -> None:
    derived = derive(march, Levers(licence_shift=-5))  # type: ignore[arg-type]
    for block in derived.model.pipeline.classes.values():
        assert block.licence_year.min >= derived.model.start_year


def test_unmoved_levers_give_the_base_paths_exactly(march: object) -> None:
    same = derive(march, Levers())  # type: ignore[arg-type]
    a = run_forecast(march, paths=PATHS, seed=SEED, years=YEARS)  # type: ignore[arg-type]
    b = run_forecast(same, paths=PATHS, seed=SEED, years=YEARS)
    for key in ("final_cum_inflow", "final_nav"):
        np.testing.assert_array_equal(a.path_metrics[key], b.path_metrics[key])


def test_the_same_seed_gives_the_same_what_if_and_a_paired_comparison(march: object) -> None:
    levers = Levers(1.3, 2, "return", "larger")
    one = run_forecast(derive(march, levers), paths=PATHS, seed=SEED, years=YEARS)  # type: ignore[arg-type]
    two = run_forecast(derive(march, levers), paths=PATHS, seed=SEED, years=YEARS)  # type: ignore[arg-type]
    np.testing.assert_array_equal(
        one.path_metrics["final_cum_inflow"], two.path_metrics["final_cum_inflow"]
    )
    base = run_forecast(march, paths=PATHS, seed=SEED, years=YEARS)  # type: ignore[arg-type]
    result = compare_runs(base, one)
    assert result.paired
    inflow = result.deltas[0]
    assert inflow.se_paired is not None and inflow.se_paired < inflow.se_unpaired


def test_a_higher_price_level_raises_every_path_s_inflow(march: object) -> None:
    base = run_forecast(march, paths=PATHS, seed=SEED, years=YEARS)  # type: ignore[arg-type]
    high = run_forecast(derive(march, Levers(2.0)), paths=PATHS, seed=SEED, years=YEARS)  # type: ignore[arg-type]
    lifted = high.path_metrics["final_cum_inflow"] >= base.path_metrics["final_cum_inflow"]
    assert lifted.all()
    assert (
        high.path_metrics["final_cum_inflow"].mean() > base.path_metrics["final_cum_inflow"].mean()
    )
