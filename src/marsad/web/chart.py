"""Geometry of the mentions-over-time bar chart; the template draws it as inline SVG (no JavaScript).

Bars run right to left (the page is RTL and time reads the way the text does), labels are thinned so
they never overlap.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    w: float
    h: float
    label: str
    count: int
    show_label: bool


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    plot_height: int
    bars: list[Bar]
    max_count: int


def bar_chart(
    series: list[dict[str, Any]],
    *,
    width: int = 720,
    height: int = 180,
    max_labels: int = 8,
    margin: int = 28,
) -> Chart | None:
    """Bars for ``[{"period": str, "count": int}, ...]``; None when there is nothing to draw."""
    if not series:
        return None
    plot_h = height - 28  # room for the period labels under the bars
    top = max(int(p["count"]) for p in series) or 1
    slot = (width - 2 * margin) / len(series)  # margins keep the edge labels inside the picture
    gap = min(2.0, slot * 0.2)
    every = max(1, -(-len(series) // max_labels))
    bars = []
    for i, p in enumerate(series):
        c = int(p["count"])
        h = plot_h * c / top
        x = width - margin - (i + 1) * slot  # right to left
        bars.append(
            Bar(
                x=round(x + gap / 2, 2),
                y=round(plot_h - h, 2),
                w=round(max(slot - gap, 1.0), 2),
                h=round(h, 2),
                label=str(p["period"]),
                count=c,
                show_label=i % every == 0 or i == len(series) - 1,
            )
        )
    return Chart(width=width, height=height, plot_height=plot_h, bars=bars, max_count=top)
