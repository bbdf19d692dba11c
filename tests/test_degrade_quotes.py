"""The degrader of the quotes dev sets (bench/devsets/degrade_quotes.py): every gold span still occurs in
its degraded page, and the same seed writes the same pages."""

from __future__ import annotations

import random
import sys
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import DATA, need

DEVSETS = Path(__file__).resolve().parents[1] / "bench" / "devsets"


def _module() -> ModuleType:
    sys.path.insert(0, str(DEVSETS))
    try:
        import degrade_quotes
    finally:
        sys.path.remove(str(DEVSETS))
    return degrade_quotes


# our own article: a direct quote, an indirect one, and a partial quote inside an indirect span
TITLE = 'وزير النقل: "الطريق الجديد يفتح الشهر المقبل"'
BODY = (
    'قال وزير النقل إن "الطريق الجديد يفتح الشهر المقبل بعد انتهاء أعمال الإنارة والتشجير".\n'
    "وأضاف أن كلفة المشروع بلغت أربعين مليون دينار، مؤكدا أن الشركة المنفذة التزمت بالمواعيد.\n"
    'ونفت البلدية في بيان ما تداوله سكان عن إغلاق الجسر القديم، وقالت إن الجسر "باق في الخدمة" حتى إشعار آخر.\n'
    "ويتوقع خبراء أن يخفف الطريق الازدحام في وسط المدينة."
)
SPANS = [
    "الطريق الجديد يفتح الشهر المقبل بعد انتهاء أعمال الإنارة والتشجير",
    "كلفة المشروع بلغت أربعين مليون دينار",
    "الشركة المنفذة التزمت بالمواعيد",
    'الجسر "باق في الخدمة" حتى إشعار آخر',
]


def _parts(dq: ModuleType, name: str = "own.txt") -> object:
    spans = [(k, BODY.index(s), BODY.index(s) + len(s)) for k, s in enumerate(SPANS)]
    title_span = "الطريق الجديد يفتح الشهر المقبل"
    t0 = TITLE.index(title_span)
    title = dq.mark(TITLE, [(len(SPANS), t0, t0 + len(title_span))])
    from datetime import datetime

    return dq.Parts(name, title, dq.mark(BODY, spans), datetime(2024, 5, 2, 9, 30), "صحيفة المثال")


def _norm(s: str) -> str:
    return " ".join(s.split())


def test_gold_spans_survive_and_keep_their_words() -> None:
    dq = _module()
    other = _parts(dq, "other.txt")
    cut = kept = 0
    for seed in range(200):
        page, spans = dq.unmark(dq.degrade(_parts(dq), random.Random(seed), [other]))
        assert not dq._MARKER.search(page)
        for k, text in spans.items():
            assert text and text in page, (seed, k, text)
            want = [*SPANS, "الطريق الجديد يفتح الشهر المقبل"][k]
            # only breaks, spaces, dashes and quote marks change inside a span
            strip = str.maketrans("", "", '"“”«»-')
            assert _norm(text.translate(strip)) == _norm(want.translate(strip)), (seed, text)
        kept += len(spans)
        cut += len(spans) < len(SPANS) + 1
    assert 0 < cut < 200, "some pages are cut off, most are not"
    assert kept > 150 * len(SPANS)


def test_some_pages_lose_date_and_outlet() -> None:
    dq = _module()
    pages = [dq.unmark(dq.degrade(_parts(dq), random.Random(s), []))[0] for s in range(60)]
    credited = sum("المصدر: صحيفة المثال" in p for p in pages)
    assert 10 < credited < 50


def test_a_span_is_never_cut() -> None:
    dq = _module()
    marked = dq.mark("أ ب ت ث ج ح خ د ذ ر ز س ش ص ض", [(0, 2, 20)])
    for seed in range(50):
        out = dq.cut_off(marked, random.Random(seed))
        _, spans = dq.unmark(out)
        assert not spans or spans[0] == "ب ت ث ج ح خ د ذ ر"
        assert dq._open(0) not in out or dq._close(0) in out


@pytest.mark.data
@pytest.mark.slow
def test_degraded_dev_sets_hold_their_gold_and_are_deterministic() -> None:
    need(DATA)
    dq = _module()
    reader = dq.DataReader(DATA / "news")
    built = {}
    for devset in (DEVSETS / "quotes_dev.jsonl", DEVSETS / "quotes_heldout.jsonl"):
        pages, gold = dq.build(devset, reader)
        again, gold_again = dq.build(devset, reader)
        assert pages == again and gold == gold_again
        built[devset.name] = pages
        assert len(pages) == sum(1 for line in devset.read_text(encoding="utf-8").splitlines() if line)
        for art in gold["articles"]:
            page = pages[art["file"]]
            for q in art["quotes"]:
                assert q["text"] and q["text"] in page, (art["file"], q["text"][:40])
    # another seed gives other pages
    other, _ = dq.build(DEVSETS / "quotes_dev.jsonl", reader, seed=dq.SEED + 1)
    assert other != built["quotes_dev.jsonl"]
