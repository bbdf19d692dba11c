#!/usr/bin/env python3
"""Degraded copies of a quotes dev set, shaped like real scraped pages (issue 11, "noise").

The clean dev set feeds Marsad TREC files and SaudiNewsNet records: a machine-readable date, an outlet,
whole paragraphs, tidy quote marks. Pages scraped off the web are not like that. With a fixed seed (one
random stream per article, so a page does not change when the set grows) this writes one plain-text page
per labelled article, with:

- date and outlet lines removed from half the pages (the other half keep a date line in one of the
  forms scrapers save, and an ``المصدر:`` credit; the date-line forms are degrade.py's);
- furniture: section names, share buttons, bylines, footers, and a ``إقرأ أيضاً:`` block holding the
  headline and lead of another article of the set, after the paragraph of the last gold span;
- a byline and dateline glued to the first sentence (``فلان الفلاني - الرياض في الخميس 3 أبريل 2025
  10:15 صباحاً - قال…``, ``الرياض - قال…``);
- hard line wraps, inside gold spans too (score.py compares tokens, so the gold is rewritten with the
  break and still matches the same way);
- quote marks swapped for another style (" “” «»), an opening mark glued to the word before it
  (``قائلا" نحن…"``) or followed by a dash (``"- إن…"``); the gold is rewritten to match;
- a cut-off variant: the text ends mid-word at a point outside every gold span, and the quotes after the
  cut leave the gold.

Pages written for the dev set (``quote_pages/``) are scraped-style already: they only get the changes
inside lines (marks, wraps), so their parts and furniture stay as labelled.

Gold spans are tracked through every change by invisible markers (private-use characters) put around
each span before degrading and taken out after, so every gold text occurs in its page as written.

usage: degrade_quotes.py DEVSET.jsonl --out DIR [--data NEWS_DIR] [--seed N]
writes DIR/docs/dg-*.txt and DIR/gold.json (score.py's hidden format)
"""

from __future__ import annotations

import argparse
import email.utils
import json
import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from degrade import BYLINES, FOOTER, MONTHS, OUTLET_AR, SECTIONS, SHARE, WEEKDAYS, date_line  # noqa: E402
from materialize import (  # noqa: E402
    DEFAULT_DATA,
    GOLD_QUOTE_FIELDS,
    DataReader,
    DevsetError,
    Source,
    slice_quote,
)

SEED = 11
# start and end markers of gold span k: invisible, never in news text, kept through every change
_START, _END, _MAX = 0xE000, 0xE800, 0x800
_MARKER = re.compile("[\ue000-\uefff]")
_TAG = re.compile(r"<(TITLE|TEXT|TIME|SRC)>(.*?)</\1>", re.S)
SNN_OUTLET = {"sabq": "سبق", "aleqtisadiya": "الاقتصادية", "alriyadh": "الرياض", "okaz": "عكاظ"}
SNN_OUTLET |= {"alwatan": "الوطن", "aljazirah": "الجزيرة", "almadina": "المدينة", "alyaum": "اليوم"}
SNN_OUTLET |= {"albilad": "البلاد", "ajel": "عاجل", "almarsd": "المرصد", "alweeam": "الوئام"}
# bylines and datelines of our own (made-up names)
WRITERS = ["سامر الحلبي", "منى الشريف", "عادل بن ناصر", "ريم القاسمي", "طارق عبد الحميد", "هند الزعبي"]
CITIES = ["الرياض", "القاهرة", "بيروت", "عمّان", "دبي", "الرباط", "تونس", "بغداد", "جدة", "الدوحة"]
MARKS = [('"', '"'), ("“", "”"), ("«", "»")]
_PAIR = re.compile(r'( ?)(["“«])([^"“”«»\n]{1,600}?)(["”»])')


def _open(k: int) -> str:
    return chr(_START + k)


def _close(k: int) -> str:
    return chr(_END + k)


def mark(text: str, spans: list[tuple[int, int, int]]) -> str:
    """``text`` with the markers of each (gold index, start, end) span put in; at one position the ends
    come before the starts, so touching spans do not nest."""
    events = [(s, 1, _open(k)) for k, s, _ in spans] + [(e, 0, _close(k)) for k, _, e in spans]
    out, at = [], 0
    for pos, _, ch in sorted(events):
        out.append(text[at:pos])
        out.append(ch)
        at = pos
    out.append(text[at:])
    return "".join(out)


def unmark(marked: str) -> tuple[str, dict[int, str]]:
    """The page without markers, and the text of each gold span found whole in it (stripped)."""
    spans: dict[int, str] = {}
    for m in re.finditer("[\ue000-\ue7ff]", marked):
        k = ord(m.group()) - _START
        end = marked.find(_close(k), m.end())
        if end >= 0:
            spans[k] = _MARKER.sub("", marked[m.end() : end]).strip()
    return _MARKER.sub("", marked), spans


@dataclass
class Parts:
    """An article as title and body (gold spans marked in both), and what the page may say about it."""

    doc_name: str
    title: str
    body: str
    published: datetime | None = None
    outlet: str = ""
    page: bool = False  # a scraped-style page of our own: kept as laid out
    record: dict[str, Any] = field(default_factory=dict)  # its dev set line


def _ant_parts(source: Source, record: dict[str, Any], label: str) -> Parts:
    text = source.fields["file"]
    tags = {m.group(1): (m.start(2), m.end(2)) for m in _TAG.finditer(text)}
    pieces: dict[str, list[tuple[int, int, int]]] = {"TITLE": [], "TEXT": []}
    for k, q in enumerate(record.get("quotes", [])):
        where = next((t for t in pieces if tags[t][0] <= int(q["start"]) < tags[t][1]), None)
        if where is None:
            raise DevsetError(f"{label} quote {k}: outside <TITLE> and <TEXT>")
        base = tags[where][0]
        pieces[where].append((k, int(q["start"]) - base, int(q["end"]) - base))
    title = mark(text[slice(*tags["TITLE"])], pieces["TITLE"])
    body = mark(text[slice(*tags["TEXT"])], pieces["TEXT"])
    try:
        published: datetime | None = email.utils.parsedate_to_datetime(text[slice(*tags["TIME"])].strip())
    except (KeyError, TypeError, ValueError):
        published = None
    src = text[slice(*tags["SRC"])].strip() if "SRC" in tags else ""
    return Parts(source.doc_name, title.strip(), body.strip(), published, OUTLET_AR.get(src, src))


def _snn_parts(source: Source, record: dict[str, Any]) -> Parts:
    by_field: dict[str, list[tuple[int, int, int]]] = {"title": [], "content": []}
    for k, q in enumerate(record.get("quotes", [])):
        by_field[q.get("field") or "content"].append((k, int(q["start"]), int(q["end"])))
    art = source.article or {}
    try:
        published: datetime | None = datetime.fromisoformat(str(art.get("date_extracted")))
    except ValueError:
        published = None
    src = str(art.get("source") or "")
    return Parts(
        source.doc_name,
        mark(source.fields["title"], by_field["title"]).strip(),
        mark(source.fields["content"], by_field["content"]).strip(),
        published,
        SNN_OUTLET.get(src, src),
    )


def load(devset: Path, reader: DataReader) -> list[Parts]:
    """Every article of the dev set, its gold spans checked (as materialize.py does) and marked."""
    out: list[Parts] = []
    problems: list[str] = []
    for lineno, line in enumerate(devset.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        record = json.loads(line)
        label = f"{devset.name}:{lineno}"
        try:
            source = reader.source(record)
            for k, q in enumerate(record.get("quotes", [])):
                slice_quote(source, q, f"{label} quote {k}")
            if len(record.get("quotes", [])) >= _MAX:
                raise DevsetError(f"{label}: more than {_MAX} quotes")
            if "page" in record:
                spans = [(k, int(q["start"]), int(q["end"])) for k, q in enumerate(record["quotes"])]
                parts = Parts(source.doc_name, "", mark(source.fields["file"], spans), page=True)
            elif source.article is not None:
                parts = _snn_parts(source, record)
            else:
                parts = _ant_parts(source, record, label)
        except DevsetError as exc:
            problems.append(str(exc))
            continue
        parts.record = record
        out.append(parts)
    if problems:
        raise DevsetError("; ".join(problems))
    return out


# ---- the changes; each takes and returns marked text ------------------------------------------------


def swap_marks(text: str, rng: random.Random, style: tuple[str, str], glue: float, dash: float) -> str:
    """Quote marks in ``style``; some opening marks glued to the word before (the space moves inside),
    some followed by a dash."""

    def one(m: re.Match[str]) -> str:
        space, inner = m.group(1), m.group(3)
        head = style[0]
        if space and rng.random() < glue:
            return f"{head} {inner.lstrip()}{style[1]}"
        if rng.random() < dash:
            head += "- "
        return f"{space}{head}{inner}{style[1]}"

    return _PAIR.sub(one, text)


def wrap(text: str, width: int, blank: bool) -> str:
    """Hard line breaks at ``width`` characters (markers not counted), a blank line between paragraphs
    when ``blank``."""
    paras = []
    for para in text.split("\n"):
        lines, cur, n = [], [], 0
        for word in para.split(" "):
            w = len(_MARKER.sub("", word))
            if cur and n + 1 + w > width:
                lines.append(" ".join(cur))
                cur, n = [], 0
            cur.append(word)
            n += w + (1 if n else 0)
        lines.append(" ".join(cur))
        paras.append("\n".join(lines))
    return ("\n\n" if blank else "\n").join(paras)


def _inside(text: str, pos: int) -> bool:
    """Whether ``pos`` falls inside a marked span."""
    opened: set[str] = set()
    for ch in _MARKER.findall(text[:pos]):
        k = ord(ch)
        if k < _END:
            opened.add(chr(k))
        else:
            opened.discard(chr(k - _END + _START))
    return bool(opened)


def cut_off(text: str, rng: random.Random) -> str:
    """The text cut at a random point between 40 % and 95 % of it (mid-word, as truncated pages are),
    moved forward out of any gold span."""
    pos = int(len(text) * rng.uniform(0.4, 0.95))
    while pos < len(text) and _inside(text, pos):
        pos += 1
    return text[:pos]


def byline(rng: random.Random, published: datetime | None, dated: bool) -> str:
    city = rng.choice(CITIES)
    if not dated or published is None or rng.random() < 0.4:
        return rng.choice([f"{city} - ", f"{city} – ", f"{rng.choice(WRITERS)} - {city}: "])
    d = published
    hour = d.hour % 12 or 12
    half = "صباحاً" if d.hour < 12 else "مساءً"
    when = f"{WEEKDAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]} {d.year} {hour}:{d.minute:02d} {half}"
    return f"{rng.choice(WRITERS)} - {city} في {when} - "


def _last_span_para(paras: list[str]) -> int:
    last = -1
    for i, p in enumerate(paras):
        if _MARKER.search(p):
            last = i
    return last


def _lead(other: Parts) -> str:
    """The headline and first paragraph of another article, markers out (its quotes are not gold here)."""
    first = next((p for p in other.body.split("\n") if p.strip()), "")
    return _MARKER.sub("", f"{other.title}\n{first}")


def degrade(parts: Parts, rng: random.Random, others: list[Parts]) -> str:
    """The degraded page (marked)."""
    style = rng.choice(MARKS)
    glue, dash = rng.choice([(0.0, 0.0), (0.5, 0.0), (0.0, 0.3), (0.3, 0.2)])
    width = rng.choice([0, 0, 60, 75, 90])
    blank = rng.random() < 0.5
    if parts.page:
        body = swap_marks(parts.body, rng, style, glue, dash)
        lines = [wrap(ln, width, False) if width and len(ln) > width else ln for ln in body.split("\n")]
        return "\n".join(lines)
    dated = rng.random() < 0.5
    body = swap_marks(parts.body, rng, style, glue, dash)
    title = swap_marks(parts.title, rng, style, 0.0, 0.0)
    if rng.random() < 0.6:
        body = byline(rng, parts.published, dated) + body.lstrip()
    paras = [p.strip() for p in body.split("\n") if p.strip()]
    tail: list[str] = []
    if rng.random() < 0.25:  # cut off: the rest is gone, quotes after the cut too
        paras = [cut_off("\n".join(paras), rng)]
    elif rng.random() < 0.5 and others:
        at = _last_span_para(paras) + 1
        other = rng.choice(others)
        paras, tail = paras[:at], ["إقرأ أيضاً:", _lead(other), *paras[at:]]
    text = "\n".join(paras)
    if width:
        text = wrap(text, width, blank)
    lines: list[str] = []
    if rng.random() < 0.3:
        lines.append(rng.choice(SECTIONS))
    lines.append(title)
    if dated and parts.published is not None:
        lines.append(date_line(rng, parts.published))
    if rng.random() < 0.3:
        lines.append(rng.choice(BYLINES))
    if rng.random() < 0.3:
        lines.append(rng.choice(SHARE))
    lines.append(text)
    lines.extend(tail)
    if rng.random() < 0.5:
        lines.append(rng.choice(SHARE))
    if dated and parts.outlet:
        lines.append(f"المصدر: {parts.outlet}")
    if rng.random() < 0.3:
        lines.append(rng.choice(FOOTER))
    return "\n".join(lines) + "\n"


def build(devset: Path, reader: DataReader, seed: int = SEED) -> tuple[dict[str, str], dict[str, Any]]:
    """(page name → page text, gold in score.py's hidden format) for the degraded copy of ``devset``."""
    items = load(devset, reader)
    pages: dict[str, str] = {}
    articles: list[dict[str, Any]] = []
    for parts in items:
        rng = random.Random(f"{seed}:{parts.doc_name}")
        others = [o for o in items if o is not parts and not o.page]
        marked = degrade(parts, rng, others)
        text, spans = unmark(marked)
        name = f"dg-{Path(parts.doc_name).stem}.txt"
        pages[name] = text
        record = parts.record
        by_part: dict[int, list[dict[str, Any]]] = {k: [] for k in range(int(record.get("parts", 1)))}
        for k, q in enumerate(record.get("quotes", [])):
            if k not in spans:  # after the cut
                continue
            gq = {key: q[key] for key in GOLD_QUOTE_FIELDS if key in q}
            gq["text"] = spans[k]
            by_part.setdefault(int(q.get("part", 0)), []).append(gq)
        for part, quotes in sorted(by_part.items()):
            art: dict[str, Any] = {"file": name, "part": part, "quotes": quotes}
            if part == 0:
                art["persons"] = list(record.get("persons", []))
            elif str(part) in record.get("persons_parts", {}):
                art["persons"] = list(record["persons_parts"][str(part)])
            articles.append(art)
    gold = {"about": f"Degraded from {devset.name} by bench/devsets/degrade_quotes.py", "articles": articles}
    return pages, gold


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("devset", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared news folder")
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args(argv)
    try:
        pages, gold = build(args.devset, DataReader(args.data), args.seed)
    except DevsetError as exc:
        print(f"error: {args.devset}: {exc}", file=sys.stderr)
        return 1
    docs = args.out / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    docs.mkdir(parents=True)
    for name, text in pages.items():
        (docs / name).write_text(text, encoding="utf-8")
    (args.out / "gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", "utf-8")
    n = sum(len(a["quotes"]) for a in gold["articles"])
    print(f"wrote {len(pages)} pages and {n} gold quotes to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
