"""Statement charts (NAV bridge waterfall, capital by partner) as embeddable PNG data URIs,
their titles, labels and axis numbers in the language in force."""

from __future__ import annotations

import base64
import io

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from jointfund.i18n import DEFAULT, N_, current, gettext, localise_numbers
from jointfund.reports.report_words import said
from jointfund.reports.statement import FundStatement

_MILLION = 100 * 1_000_000  # USD minor units in a million dollars


def _data_uri(fig: Figure) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _tick(value: float, _position: int) -> str:
    """An axis number (USD millions) in the language's digits: `1 234,5`."""
    return localise_numbers(f"{value:,.2f}".rstrip("0").rstrip("."))


def _millions_axis(ax: Axes) -> None:
    """Label the value axis "USD m" in the language, its numbers in the language's digits (an
    English chart keeps matplotlib's own ticks, so its image is what it always was)."""
    ax.set_ylabel(gettext(N_("USD m")))
    if current() != DEFAULT:
        ax.yaxis.set_major_formatter(FuncFormatter(_tick))


def bridge_chart(statement: FundStatement) -> str:
    """The NAV bridge as a waterfall: opening, each cause, closing (USD millions)."""
    bridge = statement.bridge
    labels = [gettext(N_("Opening NAV"))]
    bottoms, heights, colours = [0.0], [bridge.opening / _MILLION], ["#4a6fa5"]
    level = bridge.opening
    for _key, label, amount in bridge.steps:
        if amount == 0:
            continue
        labels.append(said(label))
        bottoms.append(min(level, level + amount) / _MILLION)
        heights.append(abs(amount) / _MILLION)
        colours.append("#3c9d5d" if amount > 0 else "#c0504d")
        level += amount
    labels.append(gettext(N_("Closing NAV")))
    bottoms.append(0.0)
    heights.append(bridge.closing / _MILLION)
    colours.append("#4a6fa5")
    fig = Figure(figsize=(7.5, 3.2))
    ax = fig.subplots()
    ax.bar(range(len(labels)), heights, bottom=bottoms, color=colours)
    ax.set_xticks(range(len(labels)), labels, rotation=20, ha="right", fontsize=8)
    _millions_axis(ax)
    period = statement.source.period.label
    ax.set_title(gettext(N_("NAV bridge, {period}")).format(period=period))
    return _data_uri(fig)


def capital_chart(statement: FundStatement) -> str:
    """Closing capital by partner (USD millions)."""
    fig = Figure(figsize=(4.5, 2.6))
    ax = fig.subplots()
    partners = [row.partner for row in statement.capital]
    ax.bar(partners, [row.closing / _MILLION for row in statement.capital], color="#4a6fa5")
    _millions_axis(ax)
    ax.set_title(gettext(N_("Partners' capital at period end")))
    return _data_uri(fig)
