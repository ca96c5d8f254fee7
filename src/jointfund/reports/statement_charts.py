"""Statement charts (NAV bridge waterfall, capital by partner) as embeddable PNG data URIs."""

from __future__ import annotations

import base64
import io

from matplotlib.figure import Figure

from jointfund.reports.statement import FundStatement

_MILLION = 100 * 1_000_000  # USD minor units in a million dollars


def _data_uri(fig: Figure) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def bridge_chart(statement: FundStatement) -> str:
    """The NAV bridge as a waterfall: opening, each cause, closing (USD millions)."""
    bridge = statement.bridge
    labels = ["Opening NAV"]
    bottoms, heights, colours = [0.0], [bridge.opening / _MILLION], ["#4a6fa5"]
    level = bridge.opening
    for _key, label, amount in bridge.steps:
        if amount == 0:
            continue
        labels.append(label)
        bottoms.append(min(level, level + amount) / _MILLION)
        heights.append(abs(amount) / _MILLION)
        colours.append("#3c9d5d" if amount > 0 else "#c0504d")
        level += amount
    labels.append("Closing NAV")
    bottoms.append(0.0)
    heights.append(bridge.closing / _MILLION)
    colours.append("#4a6fa5")
    fig = Figure(figsize=(7.5, 3.2))
    ax = fig.subplots()
    ax.bar(range(len(labels)), heights, bottom=bottoms, color=colours)
    ax.set_xticks(range(len(labels)), labels, rotation=20, ha="right", fontsize=8)
    ax.set_ylabel("USD m")
    ax.set_title(f"NAV bridge, {statement.source.period.label}")
    return _data_uri(fig)


def capital_chart(statement: FundStatement) -> str:
    """Closing capital by partner (USD millions)."""
    fig = Figure(figsize=(4.5, 2.6))
    ax = fig.subplots()
    partners = [row.partner for row in statement.capital]
    ax.bar(partners, [row.closing / _MILLION for row in statement.capital], color="#4a6fa5")
    ax.set_ylabel("USD m")
    ax.set_title("Partners' capital at period end")
    return _data_uri(fig)
