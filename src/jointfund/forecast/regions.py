"""Territory regions: which region a deposit's oblast belongs to, and how regions' yearly
shocks correlate (neighbours share a correlation, others none)."""

from __future__ import annotations

import numpy as np

from jointfund.forecast.scenario_schema import ScenarioModel


def oblast_key(text: str) -> str:
    """The first oblast a register entry names ("Kharkiv, Poltava" -> "Kharkiv")."""
    for sep in (",", "(", "/"):
        text = text.split(sep)[0]
    return text.strip().removesuffix(" offshore")


def region_of(model: ScenarioModel, oblast: str) -> str | None:
    """The region whose oblasts include the deposit's (first) oblast."""
    key = oblast_key(oblast)
    for name, region in model.territory.regions.items():
        if key in region.oblasts:
            return name
    return None


def region_correlation(model: ScenarioModel) -> np.ndarray:
    """Correlation of the regions' yearly shocks (sorted names): neighbour_rho between
    neighbours, 0 otherwise."""
    names = sorted(model.territory.regions)
    rho = model.territory.region_correlation
    corr = np.eye(len(names))
    for i, name in enumerate(names):
        for other in model.territory.regions[name].neighbours:
            if other in names and rho is not None:
                j = names.index(other)
                corr[i, j] = corr[j, i] = rho.neighbour_rho
    return corr
