"""A one-deposit scenario with every random input switched off, written to a temp directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

DEPOSIT = {
    "id": "tiny",
    "name": "Tiny deposit",
    "resources": ["lithium"],
    "oblast": "Kirovohrad",
    "control_status": "controlled",
    "source_url": "https://example.org/tiny",
    "commodity": "lithium",
    "instrument": "special_permit",
    "new_licence": True,
    "capex_class": "small",
    "new": {
        "capacity": 10000,
        "life_years": 3,
        "stage": "explored",
        "permit_fee_uah": 415.0e6,
        "assumption": "test",
    },
    "assumption": "test deposit",
}


def assume_all(node: Any) -> Any:
    """A copy in which every block's `assumption:` text also names each of its numbers
    (`assumed:`), the per-number labelling the schema asks for."""
    if isinstance(node, list):
        return [assume_all(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: assume_all(v) for k, v in node.items()}
    text = out.get("assumption")
    if isinstance(text, str) and "assumed" not in out and "sourced" not in out:
        numeric = [k for k, v in out.items() if k != "assumption" and _has_number(v)]
        if numeric:
            out["assumed"] = {", ".join(numeric): text}
    return out


def _has_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    if isinstance(value, dict):  # a block with its own label answers for its numbers
        labelled = "assumption" in value or "assumed" in value or "sourced" in value
        return not labelled and any(_has_number(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_number(v) for v in value)
    return False


def tiny_scenario(tmp: Path, **overrides: object) -> Path:
    """Write the tiny scenario (and its register) and return the scenario path."""
    (tmp / "deposits.yaml").write_text(yaml.safe_dump([assume_all(DEPOSIT)]))
    sc = {
        "name": "tiny",
        "start_year": 2025,
        "deposits": "deposits.yaml",
        "terms": {
            "fields": {"assumption": "test", "fund_share": 0.5, "new_only": True, "lock_years": 10}
        },
        "pipeline": {
            "classes": {
                "explored": {
                    "assumption": "certain",
                    "p_licence": 1.0,
                    "licence_year": {"min": 2026, "mode": 2026, "max": 2026},
                    "dev_years": {"min": 3, "mode": 3, "max": 3},
                    "ramp_years": 2,
                    "p_fail": 0.0,
                    "capacity_log_sd": 0.0,
                }
            },
            "capex_delay_years": {
                "assumption": "none",
                "small": 0,
                "medium": 0,
                "large": 0,
                "mega": 0,
            },
        },
        "prices": {
            "commodities": {
                "lithium": {
                    "assumption": "fixed",
                    "model": "gbm",
                    "unit": "USD/t",
                    "s0": 1000.0,
                    "mu": 0.0,
                    "sigma": 0.0,
                }
            }
        },
        "fiscal": {
            "royalty": {"lithium": {"assumption": "10%", "tiers": [{"rate": 0.10}]}},
            "psa": {
                "assumption": "x",
                "royalty_rate": 0.02,
                "state_share": 0.3,
                "profit_margin": 0.35,
            },
            "net_cost_fraction": {"assumption": "x", "value": 0.3},
            "fx": {"assumption": "fixed", "s0": 41.5, "drift": 0.0, "kappa": 1.0, "sigma": 0.0},
        },
        "territory": {
            "output_factor": {
                "assumption": "x",
                "controlled": 1.0,
                "frontline": 0.5,
                "occupied": 0.0,
            },
            "transitions": {
                "assumption": "frozen",
                "controlled": [1, 0, 0],
                "frontline": [0, 1, 0],
                "occupied": [0, 0, 1],
            },
        },
        "contributions": [],
        "fund": {
            "investment_return": {"assumption": "flat", "mu": 0.0, "sigma": 0.0, "war_drag": 0.0}
        },
        "assumed": {"start_year": "test"},
        "outputs": {"assumed": {"targets_usd": "test"}, "targets_usd": [6.0e6, 7.0e6]},
    }
    sc.update(overrides)
    sc = assume_all(sc)
    path = tmp / "tiny.yaml"
    path.write_text(yaml.safe_dump(sc))
    return path
