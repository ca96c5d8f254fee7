"""A partner's capital account: the components of its equity subtree and its ownership share."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True, slots=True)
class CapitalAccount:
    """One partner's capital account in USD minor units (credit-positive), and its share."""

    partner: str
    contributions: int
    income: int
    unrealised: int
    distributions: int
    share: Fraction

    @property
    def closing(self) -> int:
        """Contributions plus allocated income and unrealised change, less distributions."""
        return self.contributions + self.income + self.unrealised - self.distributions
