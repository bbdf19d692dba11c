"""Charts as server-rendered SVG (no JavaScript, nothing loaded from elsewhere): each function takes a read
view's JSON and returns a ``<figure>`` (the SVG, a legend, a caption) as markup, or None when there is
nothing to draw.

* Time runs right to left, the way the page reads: the earliest period is the rightmost bar, the count
  axis stands on the right; period labels are Arabic (``سبتمبر 2025``, ``5 سبتمبر``) and thinned so they
  never overlap.
* Every SVG is ``role="img"`` with a ``<title>`` and a ``<desc>`` that says in words what it shows (a
  screen reader hears the figures, not the shapes); every bar and node has a ``<title>`` tooltip.
* Layouts are deterministic: the same data draws the same picture (the network places the centre in the
  middle and the others round it by rank).

All text is escaped here (``markupsafe``): names and outlets come from the articles.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from marsad.web import arabic

W, H = 720, 220
TOP, BOTTOM = 14, 30  # room above the bars (markers) and below them (period labels)
RIGHT, LEFT = 44, 36  # the count axis stands on the right (time starts there)
MAX_LABELS = 8
MAX_SLOT = 48

PALETTE = ("#0b6e6e", "#d08c1f", "#5a6acf", "#b3261e", "#43a047", "#8e2470", "#6d4c41")
OTHER = "#a9b1ba"
STANCE_COLORS = {
    "statement": "#0b6e6e",
    "confirmation": "#1e6b2e",
    "denial": "#b3261e",
    "claim": "#5a6acf",
    "rejection": "#e07a5f",
    "warning": "#b86e00",
    "accusation": "#8e2470",
    "demand": "#6d4c41",
    "promise": "#43a047",
}


def _attrs(**kw: Any) -> str:
    return " ".join(
        f'{k.rstrip("_").replace("_", "-")}="{escape(v)}"' for k, v in kw.items() if v is not None
    )


def _svg(name: str, title: str, desc: str, body: list[str], *, height: int = H) -> str:
    return (
        f'<svg viewBox="0 0 {W} {height}" role="img" aria-labelledby="{name}-t {name}-d" '
        f'preserveAspectRatio="xMidYMid meet"><title id="{name}-t">{escape(title)}</title>'
        f'<desc id="{name}-d">{escape(desc)}</desc>{"".join(body)}</svg>'
    )


def _figure(name: str, svg: str, caption: str, legend: Sequence[tuple[str, str]] = ()) -> Markup:
    keys = ""
    if legend:
        items = "".join(
            f'<li><span class="swatch" style="background:{escape(color)}"></span>{escape(label)}</li>'
            for label, color in legend
        )
        keys = f'<ul class="chart-keys">{items}</ul>'
    return Markup(
        f'<figure class="chart" id="{name}">{svg}{keys}<figcaption>{escape(caption)}</figcaption></figure>'
    )


def period_start(key: str) -> date:
    """The first day of a chart period (``2025-09``, ``2025-W36``, ``2025-09-05``)."""
    if "-W" in key:
        return date.fromisocalendar(int(key[:4]), int(key[6:]), 1)
    if len(key) == 7:
        return date(int(key[:4]), int(key[5:]), 1)
    return date.fromisoformat(key)


def _period_end(key: str) -> date:
    """The day after a period's last."""
    start = period_start(key)
    if len(key) == 10:
        return start + timedelta(days=1)
    if "-W" in key:
        return start + timedelta(days=7)
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)


def _period_of(day: date, periods: Sequence[str]) -> int | None:
    """The index of the period ``day`` falls in (periods in time order), None outside them all."""
    for i, p in enumerate(periods):
        if period_start(p) <= day < _period_end(p):
            return i
    return None


class _Frame:
    """The plot area: slot ``i`` (0 = earliest) from the right, counts up to ``top``."""

    def __init__(self, n: int, top: int, height: int = H) -> None:
        self.n, self.top, self.height = n, max(top, 1), height
        self.base = height - BOTTOM
        self.slot = min((W - RIGHT - LEFT) / max(n, 1), MAX_SLOT)  # few bars stay bars, from the right
        self.gap = min(2.0, self.slot * 0.2)

    def x(self, i: int) -> float:
        return round(W - RIGHT - (i + 1) * self.slot + self.gap / 2, 2)

    @property
    def w(self) -> float:
        return round(max(self.slot - self.gap, 1.0), 2)

    def h(self, count: float) -> float:
        return round((self.base - TOP) * count / self.top, 2)

    def axes(self, periods: Sequence[str]) -> list[str]:
        left = round(W - RIGHT - self.n * self.slot, 2)
        out = [f'<line class="axis" x1="{left}" y1="{self.base}" x2="{W - RIGHT}" y2="{self.base}"/>']
        for value in sorted({self.top, round(self.top / 2)} - {0}):
            y = self.base - self.h(value)
            out.append(
                f'<line class="grid" x1="{left}" y1="{y}" x2="{W - RIGHT}" y2="{y}"/>'
                f'<text class="tick" x="{W - RIGHT + 6}" y="{y + 4}" text-anchor="start">{value}</text>'
            )
        labels = [arabic.period(p) for p in periods]
        widest = max(len(x) for x in labels) * 7 + 12  # ~7 px a character at the labels' 12 px
        every = max(1, -(-len(periods) // MAX_LABELS), math.ceil(widest / self.slot))
        for i in range(len(periods)):
            if i % every == 0 or (i == len(periods) - 1 and (i % every) * self.slot >= widest):
                cx = round(self.x(i) + self.w / 2, 2)
                out.append(
                    f'<text class="label" x="{cx}" y="{self.height - 10}" text-anchor="middle">'
                    f"{escape(labels[i])}</text>"
                )
        return out


def _span_words(periods: Sequence[str]) -> str:
    return f"من {arabic.period(periods[0])} إلى {arabic.period(periods[-1])}" if len(periods) > 1 else ""


BUCKET_AR = {"day": "يومياً", "week": "أسبوعياً", "month": "شهرياً"}


def bar_chart(
    series: Sequence[Mapping[str, Any]],
    *,
    name: str,
    title: str,
    noun: str = "article",
    bucket: str | None = None,
    markers: Sequence[Mapping[str, Any]] = (),
) -> Markup | None:
    """Bars for ``[{"period", "count"}, …]`` in time order; ``markers`` (``{"day", "label", "title"}``)
    put a numbered circle over the period a day falls in (the top stories on the home page)."""
    if not series or not any(int(p["count"]) for p in series):
        return None
    periods = [str(p["period"]) for p in series]
    counts = [int(p["count"]) for p in series]
    f = _Frame(len(series), max(counts))
    body = f.axes(periods)
    for i, (p, c) in enumerate(zip(periods, counts, strict=True)):
        if c:
            h = f.h(c)
            body.append(
                f'<rect class="bar" x="{f.x(i)}" y="{f.base - h}" width="{f.w}" height="{h}">'
                f"<title>{escape(arabic.period(p))}: {escape(arabic.count(c, noun))}</title></rect>"
            )
    for m in markers:
        day = arabic.as_date(m.get("day"))
        at = _period_of(day, periods) if day else None
        if at is None:
            continue
        cx, cy = round(f.x(at) + f.w / 2, 2), max(f.base - f.h(counts[at]) - 9, 9)
        body.append(
            f'<g class="marker"><circle cx="{cx}" cy="{cy}" r="8"/>'
            f'<text x="{cx}" y="{cy + 4}" text-anchor="middle">{escape(m["label"])}</text>'
            f"<title>{escape(m.get('title', ''))}</title></g>"
        )
    busiest = max(range(len(counts)), key=lambda i: (counts[i], -i))
    desc = (
        f"{title} {BUCKET_AR.get(bucket or '', '')}، {_span_words(periods)}؛ المجموع "
        f"{arabic.count(sum(counts), noun)}، والذروة {arabic.count(counts[busiest], noun)} في "
        f"{arabic.period(periods[busiest])}."
    )
    caption = f"{title} {BUCKET_AR.get(bucket or '', '')} · الزمن من اليمين إلى اليسار"
    return _figure(name, _svg(name, title, desc, body), caption)


def stacked_chart(
    totals: Sequence[Mapping[str, Any]],
    stacks: Sequence[Mapping[str, Any]],
    *,
    name: str,
    title: str,
    labels: Mapping[str, str] | None = None,
    colors: Mapping[str, str] | None = None,
    noun: str = "article",
    bucket: str | None = None,
) -> Markup | None:
    """Stacked bars: ``totals`` per period (time order), ``stacks`` (``{"period", "key", "count"}``) its
    parts; keys are drawn largest first from the axis up, ``other`` last and grey."""
    if not totals or not stacks:
        return None
    labels = labels or {}
    periods = [str(p["period"]) for p in totals]
    index = {p: i for i, p in enumerate(periods)}
    size: dict[str, int] = {}
    for s in stacks:
        size[s["key"]] = size.get(s["key"], 0) + int(s["count"])
    keys = sorted(size, key=lambda k: (k == "other", -size[k], k))
    color = {
        k: OTHER if k == "other" else (colors or {}).get(k) or PALETTE[i % len(PALETTE)]
        for i, k in enumerate(keys)
    }
    f = _Frame(len(periods), max(int(p["count"]) for p in totals))
    body = f.axes(periods)
    heights = [0.0] * len(periods)
    order = {k: i for i, k in enumerate(keys)}
    for s in sorted(stacks, key=lambda s: (index.get(s["period"], 0), order[s["key"]])):
        i = index.get(s["period"])
        if i is None or not s["count"]:
            continue
        h = f.h(int(s["count"]))
        heights[i] += h
        label = labels.get(s["key"], s["key"])
        body.append(
            f'<rect x="{f.x(i)}" y="{round(f.base - heights[i], 2)}" width="{f.w}" height="{h}" '
            f'fill="{escape(color[s["key"]])}"><title>{escape(arabic.period(s["period"]))} · '
            f"{escape(label)}: {escape(arabic.count(int(s['count']), noun))}</title></rect>"
        )
    parts = "، ".join(f"{labels.get(k, k)} {size[k]}" for k in keys)
    desc = f"{title} {BUCKET_AR.get(bucket or '', '')}، {_span_words(periods)}: {parts}."
    caption = f"{title} {BUCKET_AR.get(bucket or '', '')} · الزمن من اليمين إلى اليسار"
    legend = [(labels.get(k, k), color[k]) for k in keys]
    return _figure(name, _svg(name, title, desc, body), caption, legend)


def share_chart(items: Sequence[Mapping[str, Any]], *, name: str, title: str, top: int = 10) -> Markup | None:
    """Horizontal bars of ``{"outlet", "articles", "share"}`` (most first), growing from the right; the
    rest of the share beyond the ``top`` as one grey bar."""
    rows = [(str(i["outlet"]), int(i["articles"]), float(i["share"])) for i in items[:top]]
    if not rows:
        return None
    rest = round(1 - sum(r[2] for r in rows), 4)
    if len(items) > top and rest > 0:
        rows.append(("غيرها", sum(int(i["articles"]) for i in items[top:]), rest))
    row_h, label_w = 26, 200
    height = TOP + row_h * len(rows) + 6
    widest = max(r[2] for r in rows) or 1
    span = W - label_w - 70
    body = []
    for n, (outlet, articles, share) in enumerate(rows):
        y = TOP + n * row_h
        w = round(span * share / widest, 2)
        x0 = W - label_w
        fill = OTHER if outlet == "غيرها" and n == len(rows) - 1 and len(items) > top else PALETTE[0]
        body.append(
            f'<text class="name" x="{W - 6}" y="{y + 16}" direction="rtl" text-anchor="start">'
            f"{escape(outlet[:34])}</text>"
            f'<rect x="{x0 - w}" y="{y + 3}" width="{max(w, 1)}" height="{row_h - 8}" fill="{fill}">'
            f"<title>{escape(outlet)}: {escape(arabic.count(articles, 'article'))}</title></rect>"
            f'<text class="tick" x="{x0 - w - 6}" y="{y + 16}" text-anchor="end">{share * 100:.1f}%</text>'
        )
    desc = "، ".join(f"{o} {s * 100:.1f}٪ ({a})" for o, a, s in rows)
    return _figure(name, _svg(name, title, desc + ".", body, height=height), title)


def network_chart(network: Mapping[str, Any], *, name: str, title: str) -> Markup | None:
    """Who is mentioned with whom: the centre (``network["center"]``, or the most mentioned) in the
    middle, the others round it by rank from the top, counter-clockwise; edge width by shared
    articles; every node links to its entity page."""
    nodes = list(network.get("nodes") or [])
    if len(nodes) < 2:
        return None
    center_id = network.get("center") or nodes[0]["id"]
    center = next((n for n in nodes if n["id"] == center_id), nodes[0])
    others = [n for n in nodes if n is not center]
    height = 340
    cx, cy, rx, ry = W / 2, height / 2, W * 0.36, height * 0.36
    pos = {center["id"]: (cx, cy)}
    for k, n in enumerate(others):  # from the top, counter-clockwise: the next reads to the left
        angle = -math.pi / 2 - 2 * math.pi * k / len(others)
        pos[n["id"]] = (round(cx + rx * math.cos(angle), 1), round(cy + ry * math.sin(angle), 1))
    edges = [e for e in network.get("edges") or [] if e["source"] in pos and e["target"] in pos]
    # every edge of the centre, and only the strongest among the others: a dense web reads as nothing
    hub_edges = [e for e in edges if center["id"] in (e["source"], e["target"])]
    rest = sorted(
        (e for e in edges if e not in hub_edges),
        key=lambda e: (-int(e["articles"]), e["source"], e["target"]),
    )
    edges = hub_edges + rest[: len(others) + 2]
    most = max((int(e["articles"]) for e in edges), default=1)
    biggest = max(int(n["articles"]) for n in nodes) or 1
    body = []
    for e in sorted(edges, key=lambda e: int(e["articles"])):
        (x1, y1), (x2, y2) = pos[e["source"]], pos[e["target"]]
        width = round(1 + 5 * int(e["articles"]) / most, 2)
        hub = center["id"] in (e["source"], e["target"])
        body.append(
            f'<line class="edge{" hub" if hub else ""}" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" '
            f'stroke-width="{width}"><title>{int(e["articles"])}</title></line>'
        )
    for n in [center, *others]:
        x, y = pos[n["id"]]
        r = round(6 + 14 * math.sqrt(int(n["articles"]) / biggest), 1)
        cls = "node center" if n is center else "node"
        label = escape(n.get("name") or n["id"])
        body.append(
            f'<a href="/entities/{escape(quote(n["id"], safe=":"))}"><g class="{cls}"><circle cx="{x}" cy="{y}" r="{r}"/>'
            f'<text x="{x}" y="{round(y + r + 14, 1)}" text-anchor="middle">{label}</text>'
            f"<title>{label}: {escape(arabic.count(int(n['articles']), 'article'))}</title></g></a>"
        )
    names = "، ".join(f"{n.get('name') or n['id']}" for n in others)
    desc = f"{title}: {center.get('name') or center['id']} في الوسط، ومعه {names}."
    caption = f"{title} · سُمك الخط بعدد المقالات المشتركة"
    return _figure(name, _svg(name, title, desc, body, height=height), caption)
