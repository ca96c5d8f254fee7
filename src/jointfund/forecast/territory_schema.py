"""The territory block of a scenario: control-state transitions, output factors, per-deposit
overrides, and regions with their correlation."""

from __future__ import annotations

from pydantic import Field, model_validator

from jointfund.forecast.register import ControlStatus
from jointfund.forecast.validation import Sourced, Strict
from jointfund.i18n.message import Message


class Transitions(Sourced):
    """Yearly transition probabilities from each status to (controlled, frontline, occupied)."""

    controlled: list[float] = Field(min_length=3, max_length=3)
    frontline: list[float] = Field(min_length=3, max_length=3)
    occupied: list[float] = Field(min_length=3, max_length=3)

    @model_validator(mode="after")
    def _rows_are_distributions(self) -> Transitions:
        for row in (self.controlled, self.frontline, self.occupied):
            if min(row) < 0 or abs(sum(row) - 1.0) > 1e-9:
                raise ValueError(Message("each row must be non-negative and sum to 1"))
        return self


class OutputFactor(Sourced):
    """Share of normal output (and receipts) by control status; occupied deposits yield nothing."""

    controlled: float = Field(ge=0, le=1)
    frontline: float = Field(ge=0, le=1)
    occupied: float = Field(ge=0, le=0)


class TerritoryOverride(Sourced):
    """Per-deposit starting status and/or transition matrix."""

    status: ControlStatus | None = None
    transitions: Transitions | None = None


class Region(Sourced):
    """A group of oblasts whose deposits share one control path (one uniform per year, so they
    move together, each from its own starting status), with its own transition matrix."""

    oblasts: list[str] = Field(min_length=1)
    neighbours: list[str] = Field(default_factory=list)
    transitions: Transitions | None = None


class RegionCorrelation(Sourced):
    """Correlation of neighbouring regions' yearly control shocks (Gaussian copula)."""

    neighbour_rho: float = Field(ge=-1, le=1)


class Territory(Strict):
    """Territory scenario: output by status, yearly transitions, per-deposit overrides, and
    optionally regions (a deposit's region by its oblast) with correlated neighbours."""

    output_factor: OutputFactor
    transitions: Transitions
    overrides: dict[str, TerritoryOverride] = Field(default_factory=dict)
    regions: dict[str, Region] = Field(default_factory=dict)
    region_correlation: RegionCorrelation | None = None
