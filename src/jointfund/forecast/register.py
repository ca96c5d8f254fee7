"""The deposit register: which deposits exist, what they would produce, under which permit."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import Field, TypeAdapter, ValidationError, model_validator

from jointfund.errors import InputError, Problem
from jointfund.forecast.validation import Sourced, Strict, problems_from, read_yaml
from jointfund.i18n.message import Message

ControlStatus = Literal["controlled", "frontline", "occupied"]
Stage = Literal["advanced", "explored", "early", "hydrocarbon"]
CapexClass = Literal["small", "medium", "large", "mega"]


class ExistingOutput(Sourced):
    """Output under a permit issued before the agreement (not a new licence)."""

    output: float = Field(ge=0, description="product units per year")
    from_year: int = Field(ge=1990, le=2200)
    life_years: int = Field(ge=1, le=200)
    royalty_schedule: str | None = None


class NewLicence(Sourced):
    """A component that needs a new licence, permit or PSA, and so goes through the pipeline."""

    capacity: float = Field(gt=0, description="product units per year at full output")
    life_years: int = Field(ge=1, le=200)
    stage: Stage
    permit_fee_uah: float = Field(default=0.0, ge=0)
    bonus_usd: float = Field(default=0.0, ge=0)
    royalty_schedule: str | None = None


class Deposit(Strict):
    """One deposit of the register, with the estimates the forecast needs."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    resources: list[str]
    oblast: str
    control_status: ControlStatus
    source_url: str
    commodity: str
    instrument: Literal["special_permit", "psa"]
    new_licence: bool
    capex_class: CapexClass
    existing: ExistingOutput | None = None
    new: NewLicence | None = None
    assumption: str = Field(min_length=1)

    @model_validator(mode="after")
    def _new_block_matches_flag(self) -> Deposit:
        if self.new_licence != (self.new is not None):
            raise ValueError(Message("new_licence is true exactly when a 'new:' block is given"))
        return self


_REGISTER = TypeAdapter(list[Deposit])


def bundled_register_path() -> Path:
    """Path of the deposit register that ships with the package."""
    return Path(str(resources.files("jointfund.forecast") / "data" / "deposits.yaml"))


def load_register(path: Path | None = None) -> tuple[Deposit, ...]:
    """Read and validate a deposit register; every bad value is reported at once."""
    path = path or bundled_register_path()
    raw = read_yaml(path)
    try:
        deposits = _REGISTER.validate_python(raw)
    except ValidationError as exc:
        raise InputError(problems_from(exc, str(path))) from None
    seen: set[str] = set()
    problems = []
    for i, dep in enumerate(deposits):
        if dep.id in seen:
            said = Message("duplicate deposit id {id!r}", id=dep.id)
            problems.append(Problem(said, str(path), field=f"{i}.id"))
        seen.add(dep.id)
    if problems:
        raise InputError(problems)
    return tuple(deposits)
