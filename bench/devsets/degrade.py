#!/usr/bin/env python3
"""Degraded copies of the labelled ANT story set, shaped like real scraped pages (issue 12).

Clean TREC files carry a machine-readable date, an outlet tag and a whole text; scraped pages mostly do
not. This script writes, with a fixed seed, one plain-text page per labelled article:

- dates and outlets are removed from half of the pages (the other half keep a date line in one of the
  forms scrapers save, and an ``المصدر:`` credit);
- scraper furniture is added: section names, share buttons, bylines, "اقرأ أيضا" lines naming another
  article of the set;
- the text is cut to its first 1,500 characters;
- a few non-Arabic pages (``story_pages/foreign-*.txt``, our own words) are mixed in, each its own story.

It also copies the hand-written seed-style pages (``story_pages/*.txt``, gold in
``story_pages/gold.json``) into a third set. Each set gets a folder of inputs and a ``gold.json`` in
score.py's hidden format; ``split.json`` says which story ids are held out (a fixed hash of the id, so
the split never changes as the set grows). Never tune on the held-out stories.

usage: degrade.py --out DIR [--data NEWS_DIR] [--seed N]
writes DIR/{clean,degraded,pages}/docs/ and DIR/{clean,degraded,pages}/gold.json, DIR/split.json
"""

from __future__ import annotations

import argparse
import email.utils
import hashlib
import json
import random
import re
import shutil
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEVSET = HERE / "ant_stories.jsonl"
PAGES = HERE / "story_pages"
DEFAULT_DATA = HERE.parents[2] / "shared" / "data" / "news"
CUT = 1500
SEED = 12
HELD_OUT_SHARE = 3  # of 10 hash buckets

_TAG = {t: re.compile(rf"<{t}>(.*?)</{t}>", re.S) for t in ("SRC", "TITLE", "TIME", "TEXT")}
OUTLET_AR = {
    "BBC": "بي بي سي عربي",
    "SkyNews": "سكاي نيوز عربية",
    "CNN": "سي إن إن بالعربية",
    "France24": "فرانس 24",
    "Alarabia": "العربية نت",
}
MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر"]
MONTHS += ["نوفمبر", "ديسمبر"]
WEEKDAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
SECTIONS = ["أخبار عربية", "عالم", "اقتصاد", "رياضة", "محليات", "سياسة", "منوعات", "تكنولوجيا"]
SHARE = ["شارك", "شارك عبر: فيسبوك تويتر واتساب", "مشاركة", "فيسبوك\nتويتر\nواتساب", "طباعة"]
BYLINES = ["كتب: محمد سعيد", "متابعات", "كتبت: سارة عبد الله", "القسم السياسي", "بقلم: فريق التحرير"]
FOOTER = ["تابعونا على تيليجرام", "جميع الحقوق محفوظة", "الأكثر قراءة", "اشترك في النشرة البريدية"]


def held_out(story: str) -> bool:
    """Fixed split: about 30% of the stories, chosen by a hash of the story id."""
    return hashlib.blake2b(story.encode("utf-8"), digest_size=2).digest()[0] % 10 < HELD_OUT_SHARE


@dataclass
class Item:
    file: Path
    story: str
    title: str
    body: str
    outlet: str
    published: datetime | None


def _tag(raw: str, t: str) -> str:
    m = _TAG[t].search(raw)
    return m.group(1).strip() if m else ""


def load_items(devset: Path, data: Path) -> list[Item]:
    items: list[Item] = []
    for n, line in enumerate(devset.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        path = data / row["file"]
        if not path.is_file():
            raise SystemExit(f"error: {devset}:{n}: {path} not found (give --data)")
        raw = path.read_text(encoding="utf-8", errors="replace")
        try:
            published: datetime | None = email.utils.parsedate_to_datetime(_tag(raw, "TIME"))
        except (TypeError, ValueError):
            published = None
        items.append(
            Item(path, row["story"], _tag(raw, "TITLE"), _tag(raw, "TEXT"), _tag(raw, "SRC"), published)
        )
    return items


def date_line(rng: random.Random, d: datetime) -> str:
    day, mon, year = d.day, MONTHS[d.month - 1], d.year
    forms = [
        f"تاريخ النشر: {day} {mon} {year}",
        f"{WEEKDAYS[d.weekday()]} {day} {mon} {year} - {d:%H:%M}",
        f"نشر في: {d:%d/%m/%Y}",
        f" date {d:%Y-%m-%d}",
        f"{d:%Y-%m-%d %H:%M}",
    ]
    return rng.choice(forms)


def cut(text: str, n: int = CUT) -> str:
    return text[:n]


def degrade(item: Item, rng: random.Random, others: list[Item]) -> str:
    strip = rng.random() < 0.5  # half the pages lose date and outlet
    lines: list[str] = []
    if rng.random() < 0.4:
        lines.append(rng.choice(SECTIONS))
    lines.append(item.title)
    if not strip and item.published is not None:
        lines.append(date_line(rng, item.published))
    if rng.random() < 0.3:
        lines.append(rng.choice(BYLINES))
    if rng.random() < 0.3:
        lines.append(rng.choice(SHARE))
    lines.append(cut(item.body))
    if rng.random() < 0.5:
        lines.append(rng.choice(SHARE))
    if not strip:
        lines.append(f"المصدر: {OUTLET_AR.get(item.outlet, item.outlet)}")
    if rng.random() < 0.35:
        other = rng.choice(others)
        lines.append(f"اقرأ أيضا: {other.title}")
    if rng.random() < 0.3:
        lines.append(rng.choice(FOOTER))
    return "\n".join(lines) + "\n"


def write_set(out: Path, docs: dict[str, str | Path], gold: dict[str, str]) -> None:
    d = out / "docs"
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    for name, content in docs.items():
        if isinstance(content, Path):
            shutil.copyfile(content, d / name)
        else:
            (d / name).write_text(content, encoding="utf-8")
    articles = [{"file": name, "part": 0, "event": ev} for name, ev in sorted(gold.items())]
    (out / "gold.json").write_text(
        json.dumps({"articles": articles}, ensure_ascii=False, indent=1) + "\n", "utf-8"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared news folder")
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args(argv)

    items = load_items(DEVSET, args.data)
    rng = random.Random(args.seed)
    clean_docs: dict[str, str | Path] = {it.file.name: it.file for it in items}
    clean_gold = {it.file.name: it.story for it in items}
    deg_docs: dict[str, str | Path] = {}
    deg_gold: dict[str, str] = {}
    for it in items:
        name = f"dg-{it.file.stem}.txt"
        deg_docs[name] = degrade(it, rng, [o for o in items if o.story != it.story])
        deg_gold[name] = it.story
    page_gold = json.loads((PAGES / "gold.json").read_text(encoding="utf-8"))
    pages_docs: dict[str, str | Path] = {}
    pages_gold: dict[str, str] = {}
    for name, story in page_gold.items():
        path = PAGES / name
        if not path.is_file():
            print(f"error: {PAGES / 'gold.json'} names {name}, which is missing", file=sys.stderr)
            return 1
        if name.startswith("foreign-"):  # non-Arabic pages go into the degraded set
            deg_docs[name] = path
            deg_gold[name] = story
        else:
            pages_docs[name] = path
            pages_gold[name] = story
    for label, docs, gold in (
        ("clean", clean_docs, clean_gold),
        ("degraded", deg_docs, deg_gold),
        ("pages", pages_docs, pages_gold),
    ):
        write_set(args.out / label, docs, gold)
        n_held = sum(held_out(s) for s in gold.values())
        print(f"{label}: {len(docs)} pages, {len(set(gold.values()))} stories, {n_held} articles held out")
    stories = sorted({*clean_gold.values(), *deg_gold.values(), *pages_gold.values()})
    split = {
        "held_out": [s for s in stories if held_out(s)],
        "tuning": [s for s in stories if not held_out(s)],
    }
    (args.out / "split.json").write_text(json.dumps(split, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
