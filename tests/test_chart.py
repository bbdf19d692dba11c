"""The SVG charts (marsad/web/chart.py) on data made here: time right to left, Arabic labels, accessible
title and description, escaped text, deterministic layouts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import pairwise

from marsad.web import chart

SVG = "{http://www.w3.org/2000/svg}"


def _svg(markup: object) -> ET.Element:
    """The figure's <svg> parsed (it must be well-formed XML to be drawn inline)."""
    text = str(markup)
    svg = text[text.index("<svg") : text.index("</svg>") + 6].replace(
        "<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1
    )
    return ET.fromstring(svg)


def _rects(svg: ET.Element) -> list[ET.Element]:
    return list(svg.iter(f"{SVG}rect"))


def test_bars_run_right_to_left_with_arabic_labels() -> None:
    series = [{"period": f"2025-09-{d:02d}", "count": d} for d in range(1, 11)]
    fig = chart.bar_chart(series, name="v", title="حجم التغطية", bucket="day")
    assert fig is not None
    svg = _svg(fig)
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "v-t v-d"
    assert svg.find(f"{SVG}title").text == "حجم التغطية"  # type: ignore[union-attr]
    desc = svg.find(f"{SVG}desc").text or ""  # type: ignore[union-attr]
    assert "الذروة" in desc and "10 سبتمبر" in desc and "55 مقالاً" in desc
    bars = _rects(svg)
    xs = [float(r.get("x", 0)) for r in bars]
    assert xs == sorted(xs, reverse=True), "the first day is the rightmost bar"
    heights = [float(r.get("height", 0)) for r in bars]
    assert heights == sorted(heights), "bars grow with the count"
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "label"]
    assert labels and all(re.fullmatch(r"\d+ سبتمبر", x or "") for x in labels)
    assert "من اليمين إلى اليسار" in str(fig)


def test_nothing_to_draw_is_none() -> None:
    assert chart.bar_chart([], name="x", title="t") is None
    assert chart.bar_chart([{"period": "2025-09", "count": 0}], name="x", title="t") is None
    assert chart.stacked_chart([], [], name="x", title="t") is None
    assert chart.share_chart([], name="x", title="t") is None
    assert (
        chart.network_chart({"nodes": [{"id": "a", "name": "أ", "articles": 1}]}, name="x", title="t") is None
    )


def test_markers_sit_on_the_period_of_their_day() -> None:
    series = [{"period": p, "count": 2} for p in ("2025-W35", "2025-W36", "2025-W37")]
    fig = chart.bar_chart(
        series, name="v", title="t", markers=[{"day": "2025-09-03T10:00:00", "label": "1", "title": "قصة"}]
    )
    svg = _svg(fig)
    marker = next(g for g in svg.iter(f"{SVG}g") if g.get("class") == "marker")
    cx = float(marker.find(f"{SVG}circle").get("cx", 0))  # type: ignore[union-attr]
    middle = _rects(svg)[1]  # 3 September 2025 is in ISO week 36, the second bar
    assert float(middle.get("x", 0)) <= cx <= float(middle.get("x", 0)) + float(middle.get("width", 0))
    assert chart.period_start("2025-W36").isoformat() == "2025-09-01"


def test_stacks_add_up_and_other_comes_last_in_grey() -> None:
    totals = [{"period": "2025-09", "count": 6}, {"period": "2025-10", "count": 3}]
    stacks = [
        {"period": "2025-09", "key": "other", "count": 1},
        {"period": "2025-09", "key": "قناة أ", "count": 4},
        {"period": "2025-09", "key": "قناة ب", "count": 1},
        {"period": "2025-10", "key": "قناة ب", "count": 3},
    ]
    fig = chart.stacked_chart(totals, stacks, name="s", title="t", labels={"other": "مصادر أخرى"})
    svg = _svg(fig)
    rects = _rects(svg)
    by_x: dict[str, float] = {}
    for r in rects:
        by_x[r.get("x", "")] = by_x.get(r.get("x", ""), 0) + float(r.get("height", 0))
    first, second = sorted(by_x.items(), key=lambda kv: -float(kv[0]))  # right (earliest) first
    assert abs(first[1] / second[1] - 2) < 0.01, "each bar is its period's total"
    keys = re.findall(r'<span class="swatch" style="background:([^"]+)"></span>([^<]+)</li>', str(fig))
    assert [k for _, k in keys] == ["قناة أ", "قناة ب", "مصادر أخرى"]
    assert keys[-1][0] == chart.OTHER


def test_text_from_articles_is_escaped() -> None:
    evil = '<script>alert(1)</script>"'
    fig = chart.share_chart(
        [{"outlet": evil, "articles": 3, "share": 0.75}, {"outlet": "ب", "articles": 1, "share": 0.25}],
        name="o",
        title="t",
    )
    assert "<script>" not in str(fig) and "&lt;script&gt;" in str(fig)
    _svg(fig)  # still well-formed
    net = chart.network_chart(
        {
            "center": "a",
            "nodes": [{"id": "a", "name": evil, "articles": 3}, {"id": "b", "name": "ب", "articles": 1}],
            "edges": [{"source": "a", "target": "b", "articles": 1}],
        },
        name="n",
        title="t",
    )
    assert "<script>" not in str(net)


def test_share_folds_the_rest_into_one_bar() -> None:
    items = [{"outlet": f"مصدر {i}", "articles": 10 - i, "share": (10 - i) / 55} for i in range(10)]
    fig = chart.share_chart(items, name="o", title="t", top=4)
    assert len(_rects(_svg(fig))) == 5 and "غيرها" in str(fig)


def test_network_is_deterministic_with_the_centre_in_the_middle() -> None:
    nodes = [{"id": f"person:{i}", "name": f"شخص {i}", "articles": 10 - i} for i in range(8)]
    edges = [
        {"source": f"person:{i}", "target": f"person:{j}", "articles": 1 + (i + j) % 3}
        for i in range(8)
        for j in range(i + 1, 8)
    ]
    net = {"center": "person:0", "nodes": nodes, "edges": edges}
    a = chart.network_chart(net, name="n", title="من يُذكر مع")
    assert str(a) == str(chart.network_chart(net, name="n", title="من يُذكر مع"))
    svg = _svg(a)
    centre = next(g for g in svg.iter(f"{SVG}g") if g.get("class") == "node center")
    circle = centre.find(f"{SVG}circle")
    assert circle is not None and float(circle.get("cx", 0)) == chart.W / 2
    links = [x.get("href") for x in svg.iter(f"{SVG}a")]
    assert links[0] == "/entities/person:0" and len(links) == 8
    lines = list(svg.iter(f"{SVG}line"))
    hub = [ln for ln in lines if "hub" in (ln.get("class") or "")]
    assert len(hub) == 7 and len(lines) < len(edges), "every edge of the centre, the strongest others"


def test_period_labels_never_overlap() -> None:
    for n, bucket in ((7, "month"), (12, "month"), (40, "week"), (90, "day")):
        if bucket == "month":
            periods = [f"{2017 + m // 12}-{m % 12 + 1:02d}" for m in range(n)]
        elif bucket == "week":
            periods = [f"2018-W{w + 1:02d}" for w in range(n)]
        else:
            periods = [f"2018-{1 + d // 28:02d}-{1 + d % 28:02d}" for d in range(n)]
        svg = _svg(chart.bar_chart([{"period": p, "count": 1} for p in periods], name="x", title="t"))
        labels = [t for t in svg.iter(f"{SVG}text") if t.get("class") == "label"]
        assert labels
        centres = sorted(float(t.get("x", 0)) for t in labels)
        widest = max(len(t.text or "") for t in labels) * 6.5
        assert all(b - a >= widest for a, b in pairwise(centres)), (n, bucket)
