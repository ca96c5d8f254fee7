"""Resource names resolve to canonical slugs; Annex A coverage; revenue-stream GFS codes."""

from __future__ import annotations

import pytest

from jointfund.errors import InputError
from jointfund.terms import RevenueStream, all_resources, covered_resources, resource, stream_info


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("lithium (spodumene)", "lithium"),
        ("Lithium (petalite, minor spodumene)", "lithium"),
        ("REE", "rare_earths"),
        ("rare earths (Y, Sm)", "rare_earths"),
        ("ilmenite", "titanium"),
        ("titanium (ilmenite, rutile)", "titanium"),
        ("Natural gas", "natural_gas"),
        ("LNG", "natural_gas"),
        ("natural_gas", "natural_gas"),
        ("condensate", "gas_condensate"),
        ("shale gas", "shale_gas"),
        ("iron ore (>60% Fe)", "iron_ore"),
        ("coking coal", "coal"),
        ("cesium", "caesium"),
        ("zirconium (zircon)", "zirconium"),
    ],
)
def test_aliases_resolve_to_canonical_slugs(name: str, slug: str) -> None:
    assert resource(name).slug == slug


@pytest.mark.parametrize(
    "slug", ["lithium", "graphite", "titanium", "uranium", "manganese", "rare_earths", "oil"]
)
def test_annex_a_resources_are_covered(slug: str) -> None:
    assert resource(slug).covered


@pytest.mark.parametrize("slug", ["coal", "iron_ore", "lead", "kaolin"])
def test_resources_outside_annex_a_are_not_covered(slug: str) -> None:
    assert not resource(slug).covered


def test_annex_a_has_57_entries_counting_each_rare_earth_and_oil_and_gas() -> None:
    listed = [r for r in covered_resources() if r.kind == "mineral" and r.slug != "rare_earths"]
    assert len(listed) + 2 == 57  # + oil, natural gas
    assert len({r.slug for r in all_resources()}) == len(all_resources())


def test_unknown_resource_raises_input_error_with_closest_match() -> None:
    with pytest.raises(InputError) as caught:
        resource("lithum")
    problem = caught.value.problems[0]
    assert problem.field == "resource" and problem.expected == "lithium"


def test_revenue_streams_carry_eiti_gfs_codes() -> None:
    codes = {stream: stream_info(stream).gfs_code for stream in RevenueStream}
    assert codes == {
        RevenueStream.ROYALTY: "1415E1",
        RevenueStream.PERMIT_FEE: "114521E",
        RevenueStream.AUCTION_PROCEEDS: "1415E5",
        RevenueStream.PSA_STATE_SHARE: "1415E31",
        RevenueStream.SIGNATURE_BONUS: "1415E2",
    }
