"""The bundled presets load, cite sources, state assumptions, and round-trip through YAML."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest

import jointfund.terms as terms_pkg
from jointfund.errors import InputError
from jointfund.terms import (
    DEFAULT_PRESET,
    Status,
    load_terms,
    parse_terms_yaml,
    preset_ids,
    terms_to_yaml,
)

EXPECTED_PRESETS = [
    "ua-us-2025-02-21-draft",
    "ua-us-2025-02-26-framework",
    "ua-us-2025-03-us-draft",
    "ua-us-2025-04-30-agreement",
]


def test_the_four_presets_ship_and_the_agreement_is_the_default() -> None:
    assert preset_ids() == EXPECTED_PRESETS
    assert DEFAULT_PRESET == "ua-us-2025-04-30-agreement"
    assert load_terms().id == DEFAULT_PRESET


@pytest.mark.parametrize("preset_id", EXPECTED_PRESETS)
def test_preset_loads_cites_sources_and_lists_assumptions(preset_id: str) -> None:
    terms = load_terms(preset_id)
    assert terms.id == preset_id
    assert terms.partner_ids == ("US", "UA")
    assert terms.reporting_currency == "USD"
    assert all(s.url.startswith("https://") for s in terms.metadata.sources)
    assert len(terms.metadata.sources) >= 3
    assert terms.metadata.assumptions, "every preset must say what it assumes"


@pytest.mark.parametrize("preset_id", EXPECTED_PRESETS)
def test_preset_round_trips_through_yaml(preset_id: str) -> None:
    terms = load_terms(preset_id)
    assert parse_terms_yaml(terms_to_yaml(terms)) == terms


def test_key_differences_between_the_four_texts() -> None:
    feb21, feb26, march, final = (load_terms(p) for p in EXPECTED_PRESETS)
    assert feb21.inflow[0].basis == "net_of_costs" and feb21.inflow[0].licences == "all"
    assert feb21.threshold is not None and feb21.threshold.total == Decimal("500000000000")
    assert feb21.threshold.match_multiple == 2
    assert feb21.inflow[0].liberated_share == Decimal("0.6")
    assert feb26.inflow[0].basis == "gross" and feb26.inflow[0].licences == "new_only"
    assert march.priority is not None and march.priority.rate == Decimal("0.04")
    assert march.governance.seats == {"US": 3, "UA": 2}
    assert march.contribution.past_aid is not None
    assert final.metadata.status is Status.AGREEMENT
    assert final.entry_into_force == date(2025, 5, 23)
    assert final.lock is not None and final.lock.years == 10
    assert final.inflow[0].resources == "covered"
    assert final.contribution.past_aid is None
    assert final.governance.seats == {"US": 3, "UA": 3}


def test_load_terms_from_a_file_path(tmp_path: pytest.TempPathFactory) -> None:
    path = tmp_path / "mine.yaml"  # type: ignore[operator]
    path.write_text(terms_to_yaml(load_terms()), encoding="utf-8")
    assert load_terms(path) == load_terms()


def test_unknown_preset_suggests_the_closest_id() -> None:
    with pytest.raises(InputError) as caught:
        load_terms("ua-us-2025-04-30-agreemnt")
    assert caught.value.problems[0].expected == "ua-us-2025-04-30-agreement"


def test_public_api_is_curated() -> None:
    assert len(set(terms_pkg.__all__)) == len(terms_pkg.__all__)
    assert not [name for name in terms_pkg.__all__ if name.startswith("_")]
    for name in terms_pkg.__all__:
        assert hasattr(terms_pkg, name), name


def test_terms_imports_no_database_cli_or_numpy() -> None:
    code = (
        "import sys, jointfund.terms; "
        "print(sorted(m for m in ('sqlalchemy', 'typer', 'click', 'numpy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
