"""Build ``date_lines.jsonl``: date lines in every form issue 12 lists, from dates, cities and outlets of
the news sets in ``../shared/data`` (ANT ``<TIME>``/``<AUTHOR>``, SaudiNewsNet ``date_extracted`` and the
Hijri/Gregorian datelines its texts carry).

Each line is written the way a page writes that form, with the date it stands for (``expected``: ISO day,
``YYYY-MM`` for a month, null for a line that must yield no date: render/update stamps, future dates, a
year-less day without a reference time), the ``precision`` to keep, where it stands on the page (``place``:
a header line under a headline, the headline itself, the first sentence of the lead) and, for year-less and
relative forms, the reference (crawl) time ``ref``. Every fifth line is ``held_out`` (never tuned on).

    python bench/devsets/build_date_lines.py [DATA_DIR]   # rewrites bench/devsets/date_lines.jsonl
"""

from __future__ import annotations

import json
import random
import re
import sys
import zipfile
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "date_lines.jsonl"

MONTHS = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
]
LEVANT = [
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
]
MAGHREB = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "ماي",
    "يونيو",
    "يوليوز",
    "غشت",
    "شتنبر",
    "أكتوبر",
    "نونبر",
    "دجنبر",
]
ALGERIA = [
    "جانفي",
    "فيفري",
    "مارس",
    "أفريل",
    "ماي",
    "جوان",
    "جويلية",
    "أوت",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
]
WEEKDAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
EASTERN = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
HEADLINE = "اجتماع وزاري لبحث ملف المياه في المنطقة"
AUTHORS = ["أحمد السيد", "منى عبد الله", "خالد محمود", "سارة علي"]
CITIES = [
    "الدار البيضاء",
    "الرباط",
    "القاهرة",
    "الرياض",
    "جدة",
    "بيروت",
    "دمشق",
    "عمان",
    "تونس",
    "الجزائر",
    "دبي",
    "بغداد",
]


def _ant(data: Path, n: int, rng: random.Random) -> list[tuple[datetime, str]]:
    """(publication time, AUTHOR dateline) of ``n`` ANT articles."""
    files = sorted((data / "news/ant-multisource").rglob("*"))
    files = [f for f in files if f.is_file() and not f.name.endswith(".md")]
    out: list[tuple[datetime, str]] = []
    for f in rng.sample(files, min(len(files), n * 3)):
        text = f.read_text(encoding="utf-8", errors="replace")
        t = re.search(r"<TIME>([^<]+)</TIME>", text)
        a = re.search(r"<AUTHOR>([^<]*)</AUTHOR>", text)
        if t:
            try:
                out.append((parsedate_to_datetime(t.group(1).strip()), (a.group(1).strip() if a else "")))
            except (TypeError, ValueError):
                continue
        if len(out) >= n:
            break
    return out


_TWIN = re.compile(
    r"(\d{1,2}\s+(?:محرم|صفر|ربيع الأول|ربيع الآخر|ربيع الثاني|جمادى الأولى|جمادى الآخرة|رجب|شعبان|رمضان|شوال|ذو القعدة|ذي القعدة|ذو الحجة|ذي الحجة)\s+14\d\d\s*هـ?)"
    r"\s+(?:الموافق|الموافق ل|الموافق لـ)\s+(\d{1,2})\s+(" + "|".join(MONTHS) + r")\s+(20\d\d)\s*م?"
)


def _saudi(data: Path, n: int) -> tuple[list[datetime], list[tuple[str, str]]]:
    """Crawl times of SaudiNewsNet articles, and Hijri datelines with their written Gregorian twin."""
    crawls: list[datetime] = []
    twins: list[tuple[str, str]] = []
    for z in sorted((data / "news/saudinewsnet/dataset").glob("*.zip")):
        with zipfile.ZipFile(z) as zf:
            for name in zf.namelist():
                for i, rec in enumerate(json.loads(zf.read(name))):
                    if len(crawls) < n and rec.get("date_extracted") and i == 0:  # one crawl time a day
                        crawls.append(datetime.fromisoformat(rec["date_extracted"]))
                    for m in _TWIN.finditer(rec.get("content") or ""):
                        if len(twins) < n:
                            d = date(int(m.group(4)), MONTHS.index(m.group(3)) + 1, int(m.group(2)))
                            twins.append((m.group(0), d.isoformat()))
        if len(crawls) >= n and len(twins) >= n:
            break
    crawls.sort()
    return crawls, twins


def _hijri(d: date) -> tuple[int, int, int]:
    from hijridate import Gregorian

    h = Gregorian(d.year, d.month, d.day).to_hijri()
    return h.year, h.month, h.day


HIJRI = [
    "محرم",
    "صفر",
    "ربيع الأول",
    "ربيع الآخر",
    "جمادى الأولى",
    "جمادى الآخرة",
    "رجب",
    "شعبان",
    "رمضان",
    "شوال",
    "ذو القعدة",
    "ذو الحجة",
]


def build(data: Path) -> list[dict[str, object]]:
    rng = random.Random(12)
    ant = _ant(data, 90, rng)
    crawls, twins = _saudi(data, 15)
    rows: list[dict[str, object]] = []

    def add(
        form: str, line: str, expected: str | None, precision: str | None, place: str = "header", **kw: object
    ) -> None:
        rows.append(
            {"form": form, "line": line, "expected": expected, "precision": precision, "place": place, **kw}
        )

    for i, (t, author) in enumerate(ant):
        d = t.date()
        city = author.split(" - ")[0].strip() if " - " in author else rng.choice(CITIES)
        m, wd = MONTHS[d.month - 1], WEEKDAYS[d.weekday()]
        k = i % 15
        if k == 0:
            add("month-only", f" date {d:%Y-%m}", f"{d:%Y-%m}", "month")
        elif k == 1:
            add("city-dashed", f"{city} {d.day}-{d.month}-{d.year}", d.isoformat(), "day")
        elif k == 2:
            add("dashed", f"{d:%d-%m-%Y}", d.isoformat(), "day")
        elif k == 3:
            add("muwafiq", f"{wd} الموافق {d.day} من {m} عام {d.year}", d.isoformat(), "day")
        elif k == 4:
            add("eastern-slash-month", f"{d.day}/{m}/{d.year}".translate(EASTERN), d.isoformat(), "day")
        elif k == 5:
            add("maghrebi", f"{city} في {d.day} {MAGHREB[d.month - 1]} {d.year}", d.isoformat(), "day")
        elif k == 6:
            add("levantine", f"{wd} {d.day} {LEVANT[d.month - 1]} {d.year}", d.isoformat(), "day")
        elif k == 7:
            add("dotted-time", f"{d:%d.%m.%Y} {t:%H:%M}", d.isoformat(), "day")
        elif k == 8:
            add(
                "headline-end",
                f"مسؤولون يناقشون ملف الأزمة في {city} - {d.day} {m} {d.year}",
                d.isoformat(),
                "day",
                place="headline",
            )
        elif k == 9:
            h = t.hour % 12 or 12
            ampm = "صباحاً" if t.hour < 12 else "مساءً"
            add("byline", f"في {wd} {d.day} {m} {d.year} {h}:{t:%M} {ampm}", d.isoformat(), "day")
        elif k == 10:
            add("byline", f"نشر في: {wd} {d.day} {m} {d.year} - {t:%H:%M}", d.isoformat(), "day")
        elif k == 11:
            ref = datetime(d.year, d.month, d.day, 18) + timedelta(days=rng.randint(0, 5))
            add("day-month", f"{wd} {d.day} {m}", d.isoformat(), "day", ref=ref.isoformat())
        elif k == 12:
            add("day-month-no-ref", f"{wd} {d.day} {m}", None, None)
        elif k == 13:
            hy, hm, hd = _hijri(d)
            add("hijri", f"{hd} {HIJRI[hm - 1]} {hy}هـ", d.isoformat(), "day")
        else:
            add("rfc", t.strftime("%a, %d %b %Y %H:%M:%S GMT"), d.isoformat(), "day")
        # the same date with a render stamp above it: the stamp is not the date
        if i % 4 == 0:
            later = t + timedelta(days=rng.randint(1, 400))
            add(
                "render-stamp-then-date",
                f"آخر تحديث: {later.day} {MONTHS[later.month - 1]} {later.year} {later:%H:%M}\nتاريخ النشر: {d.day} {m} {d.year}",
                d.isoformat(),
                "day",
            )
        if i % 6 == 0:  # a site header with the day the page was fetched, then the article's own date
            c = t + timedelta(days=rng.randint(30, 900))
            head = f"{WEEKDAYS[c.weekday()]} {c.day} {MONTHS[c.month - 1]} {c.year}"
            own = rng.choice(
                [
                    f"تاريخ النشر: {d.day} {m} {d.year}",
                    f"{d:%d/%m/%Y} {t:%H:%M}",
                    f"{wd} {d.day} {m} {d.year}",
                ]
            )
            add("site-header-today", f"{head}\n{HEADLINE}\n{own}", d.isoformat(), "day", place="page")
            add(
                "byline-date",
                f"{HEADLINE}\nكتب: {rng.choice(AUTHORS)} - {d.day} {m} {d.year}",
                d.isoformat(),
                "day",
                place="page",
            )
        if i % 5 == 0:
            add("eastern-digits", f"{wd} {d.day} {m} {d.year}".translate(EASTERN), d.isoformat(), "day")
            add("algerian", f"{d.day} {ALGERIA[d.month - 1]} {d.year}", d.isoformat(), "day")
            add(
                "lead",
                f"{city} - أعلنت الوزارة يوم {wd} {d.day} {m} {d.year} عن خطة جديدة للتعاون.",
                d.isoformat(),
                "day",
                place="lead",
            )
            add("month-year", f"{m} {d.year}", f"{d:%Y-%m}", "month")
    for text, iso in twins:
        add("hijri-twin", text, iso, "day")
    for c in crawls[:12]:
        stamp = rng.choice(["آخر تحديث", "تاريخ الطباعة", "تم التحديث"])
        add("render-stamp", f"{stamp}: {c.day} {MONTHS[c.month - 1]} {c.year} {c:%H:%M}", None, None)
        wd = WEEKDAYS[c.weekday()]
        add("relative", f"الرياض - اليوم {wd}", c.date().isoformat(), "day", ref=c.isoformat())
        lead = f"أعلن المجلس اليوم ({wd}) عن برنامج جديد للتدريب."
        add("relative-lead", lead, c.date().isoformat(), "day", place="lead", ref=c.isoformat())
    for y in (2031, 2040):  # a date after the time of ingest is never a publication date
        add("future", f"تاريخ النشر: 12 مارس {y}", None, None)
        add("future", f"{y}-01-05", None, None)
    for i, r in enumerate(rows):
        r["id"] = f"dl-{i:03d}"
        r["split"] = "held_out" if i % 5 == 4 else "dev"
    return rows


def main(argv: list[str]) -> int:
    data = Path(argv[1]) if len(argv) > 1 else HERE.parents[2] / "shared" / "data"
    if not (data / "news").is_dir():
        print(f"no news sets under {data}", file=sys.stderr)
        return 2
    rows = build(data)
    with OUT.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} date lines to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
