"""Date lines on pages: the accuracy set (bench/devsets/date_lines.jsonl) and the page-level rules it
checks (a date in the lead, at the end of a headline, a Hijri twin with a typo, a reference time)."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import pytest

from marsad.parse.scraped_text import split_parts

BENCH = Path(__file__).resolve().parents[1] / "bench"
BODY = "وقال المتحدث إن الاجتماع المقبل سيعقد قريبا في العاصمة.\nوأضاف أن الوفود وصلت.\n"


def _eval():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(BENCH))
    try:
        import eval_dates
    finally:
        sys.path.remove(str(BENCH))
    return eval_dates


def test_date_line_set_is_read_exactly_and_never_in_the_future() -> None:
    ev = _eval()
    rows = ev.load()
    assert len(rows) >= 150
    outs = ev.run(rows)
    for split in ("dev", "held_out"):
        f = ev.figures([o for o in outs if o.row["split"] == split])
        assert f["exact"] >= 0.95, (split, f)
        assert f["future"] == 0 and f["precision_kept"] == 1.0, (split, f)


def test_a_date_in_the_lead_is_the_publication_date() -> None:
    (p,) = split_parts(
        "الوزير يفتتح المعرض\nطرابلس - افتتح الوزير يوم الأحد 9 فبراير 2020 المعرض الدولي للكتاب.\n" + BODY
    )
    assert p.published is not None and p.published.date().isoformat() == "2020-02-09"
    assert (p.date_precision, p.date_source) == ("day", "body")


def test_background_months_in_the_lead_are_not_a_date() -> None:
    (p,) = split_parts(
        "الوزير يفتتح المعرض\nومنذ فبراير 2020 تستعد المدينة لاستقبال الزوار في المعرض.\n" + BODY
    )
    assert p.published is None


def test_a_headline_ending_with_its_date() -> None:
    (p,) = split_parts("وفد رسمي يزور المدينة القديمة - 14 نوفمبر 2019\n" + BODY)
    assert p.title == "وفد رسمي يزور المدينة القديمة"
    assert p.published is not None and p.published.date().isoformat() == "2019-11-14"


def test_a_gregorian_twin_is_kept_when_the_hijri_part_is_garbled() -> None:
    (p,) = split_parts("عنوان الخبر عن الاجتماع\n41 شعبان 1440هـ الموافق 8 أبريل 2019م\n" + BODY)
    assert p.published is not None and p.published.date().isoformat() == "2019-04-08"


@pytest.mark.parametrize(
    ("line", "ref", "expected"),
    [
        ("الخميس 3 أبريل", datetime(2025, 4, 5, 9), "2025-04-03"),
        ("الخميس 3 أبريل", None, None),  # no reference time: the year is unknown
        ("بيروت - اليوم الأربعاء", datetime(2024, 1, 12, 8), "2024-01-10"),
    ],
)
def test_year_less_and_relative_lines_need_a_reference(
    line: str, ref: datetime | None, expected: str | None
) -> None:
    (p,) = split_parts(f"عنوان الخبر عن الاجتماع\n{line}\n{BODY}", ref=ref)
    got = p.published.date().isoformat() if p.published is not None else None
    assert got == expected


def test_a_site_header_date_above_the_headline_yields_to_the_articles_own() -> None:
    doc = "الأربعاء 3 ديسمبر 2025\nمجلس المدينة يقر الموازنة الجديدة\nتاريخ النشر: 14 مايو 2024\n" + BODY
    (p,) = split_parts(doc)
    assert p.title == "مجلس المدينة يقر الموازنة الجديدة"
    assert p.published is not None and p.published.date().isoformat() == "2024-05-14"


def test_a_byline_with_its_date() -> None:
    (p,) = split_parts("مجلس المدينة يقر الموازنة الجديدة\nكتب: سامي علي - 14 مايو 2024\n" + BODY)
    assert p.title == "مجلس المدينة يقر الموازنة الجديدة" and p.body.startswith("وقال المتحدث")
    assert p.published is not None and p.published.date().isoformat() == "2024-05-14"
    assert p.date_source == "byline"


def test_a_background_day_in_the_lead_is_not_the_date() -> None:
    lead = "قضت محكمة بالسجن على ثلاثة متهمين بالمشاركة في أحداث العنف التي وقعت في 12 أغسطس 2013 بالعاصمة."
    (p,) = split_parts("حكم قضائي جديد\n" + lead + "\n" + BODY)
    assert p.published is None
