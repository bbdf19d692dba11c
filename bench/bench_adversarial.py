"""Hostile and extreme input through parse + analysis: is the cost per MB flat? (a benchmark, not a test)

    .venv/bin/python bench/bench_adversarial.py [--sizes 10k,100k,1m,10m] [--kinds unclosed,cues]
                                                [--budget-only] [--no-ner]

Each kind of text is built to the given size (in UTF-8 bytes), wrapped in a ``RawDocument``, parsed with
:func:`marsad.parse.parse_document` and analysed with :func:`marsad.pipeline.build_analyzer` twice: with
no budget (the raw cost of the stages over the whole text) and with the default per-article budget.
Printed per kind and size, in CPU seconds: parse, analysis without the budget and its seconds per MB of
input, analysis with the budget, and what the budget did (the article's ``analysis_error``). The goal is
a flat s/MB column (within 2x from the smallest size to the largest: every stage linear) and a budgeted
column that never exceeds the budget. Small texts are analysed repeatedly until 0.3 s have accumulated.
The full run (10 MB without a budget) takes several minutes; ``--budget-only`` skips the unbudgeted runs.
Never fails on timing.

Kinds:

* ``unclosed``: one paragraph of cue + opening mark + words, every quote mark, never closed;
* ``paragraph``: ordinary reporting prose (names, cues, closed and open quotes) with no line break;
* ``quoted``: one paragraph of ``وقال بوتين: "…." وأضاف: "…."``: the full stops are inside the marks, so
  the paragraph is one sentence (what made quote extraction quadratic);
* ``parens``: reporting verbs each followed by a parenthesis that never closes;
* ``cues``: thousands of reporting verbs and complementizers in a row ("قال أكد إن أضاف أن …");
* ``html``: a page of deeply nested ``<div>`` elements around the text;
* ``nospace``: long runs of letters, marks and punctuation without a space;
* ``names``: the same known and unknown names repeated (KB matches, surnames, NER candidates).
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from collections.abc import Callable

from marsad.errors import InputError
from marsad.model import Article, RawDocument, SourceRef
from marsad.normalize.arabic import QUOTE_MARKS
from marsad.parse import parse_document
from marsad.pipeline import ArticleAnalyzer, build_analyzer

_HEAD = "عنوان الخبر: تصريحات جديدة\nتاريخ النشر: 5th, September 2025 GMT\n"
_CUES = ["قال", "وقال", "أكد", "وأضاف", "مشيرا", "نفى", "أعلن", "وتابع", "مضيفا", "قالت", "صرح"]
_NAMES = ["بوتين", "دونالد ترامب", "بيسكوف", "مبارك العصيمي", "سايمون ويزمان", "الرئيس الأمريكي"]


def _repeat(size: int, pieces: Callable[[int], str]) -> str:
    """Concatenate ``pieces(0), pieces(1), …`` until ``size`` UTF-8 bytes (Arabic letters are 2 bytes)."""
    out: list[str] = []
    n = 0
    for i in itertools.count():
        p = pieces(i)
        out.append(p)
        n += len(p.encode("utf-8"))
        if n >= size:
            return "".join(out)
    raise AssertionError("unreachable")


def unclosed(size: int) -> str:
    marks = QUOTE_MARKS + "'"
    return _repeat(
        size, lambda i: f"{_CUES[i % len(_CUES)]} بوتين {marks[i % len(marks)]}كلام لا ينتهي أبدا "
    )


def paragraph(size: int) -> str:
    sentences = [
        'قال الرئيس الروسي فلاديمير بوتين إن "المحادثات مستمرة"، مشيرا إلى أن الاتصالات لم تنقطع. ',
        "وأضاف المتحدث باسم الكرملين دميتري بيسكوف: «لا توجد خطط حتى الآن». ",
        "ونقلت وكالة رويترز عن مسؤول في البيت الأبيض قوله إن القرار نهائي، حسبما أعلن المكتب الصحفي. ",
        "وأكد ترامب يوم الخميس أن “الاتفاق قريب ",
    ]
    return _repeat(size, lambda i: sentences[i % len(sentences)])


def quoted(size: int) -> str:
    # every full stop sits inside the quote marks, so the whole paragraph is one sentence
    return _repeat(size, lambda i: f'{_CUES[i % 4]} بوتين: "الأمر جيد جدا." وأضاف: "نحن مستعدون." ')


def parens(size: int) -> str:
    return _repeat(size, lambda i: f"{_CUES[i % len(_CUES)]} بوتين ( إن الكلام ")


def cues(size: int) -> str:
    words = [*_CUES, "إن", "أن", "بأن", ":", "،"]
    return _repeat(size, lambda i: words[i % len(words)] + " ")


def html(size: int) -> str:
    # lxml stops at 255 levels (deeper pages are refused by the parser, quickly, with a message)
    depth = 120  # × 2 elements
    body = paragraph(max(size - depth * 11, 1000)).replace(". ", ".</p><p>")
    return (
        "<html><head><title>تصريحات جديدة</title></head><body>"
        + "<div><span>" * depth
        + "<p>"
        + body
        + "</p>"
        + "</span></div>" * depth
        + "</body></html>"
    )


def nospace(size: int) -> str:
    runs = ["بوتين" * 2000, "«" * 500 + "كلام" * 500, "،.؛" * 700, "ترامبقالإن" * 1000]
    return _repeat(size, lambda i: runs[i % len(runs)] + " ")


def names(size: int) -> str:
    return _repeat(size, lambda i: f"{_NAMES[i % len(_NAMES)]} و{_NAMES[(i + 1) % len(_NAMES)]} ")


KINDS: dict[str, Callable[[int], str]] = {
    "unclosed": unclosed,
    "paragraph": paragraph,
    "quoted": quoted,
    "parens": parens,
    "cues": cues,
    "html": html,
    "nospace": nospace,
    "names": names,
}


def document(kind: str, size: int) -> RawDocument:
    text = KINDS[kind](size)
    if kind != "html":
        text = _HEAD + text
    data = text.encode("utf-8")
    media = "text/html" if kind == "html" else "text/plain"
    return RawDocument(source=SourceRef(origin=f"adversarial-{kind}-{size}", media_type=media), data=data)


def _size(s: str) -> int:
    s = s.strip().lower()
    mult = {"k": 1_000, "m": 1_000_000}.get(s[-1:], 1)
    return int(float(s.rstrip("km")) * mult)


def _analyse(analyzer: ArticleAnalyzer, arts: list[Article]) -> tuple[float, str]:
    """CPU seconds to analyse ``arts`` (repeated until 0.3 s have accumulated, for small texts), and the
    ``analysis_error`` notes of the last run."""
    runs = 0
    spent = 0.0
    while True:
        t = time.process_time()
        notes = [e for e in (analyzer(a).analysis_error for a in arts) if e]
        spent += time.process_time() - t
        runs += 1
        if spent >= 0.3:
            return spent / runs, "; ".join(notes) or "-"


def run_one(
    raw_analyzer: ArticleAnalyzer, budgeted: ArticleAnalyzer, kind: str, size: int
) -> tuple[int, float, float, float, str]:
    """(input bytes, parse s, analysis s with no budget, analysis s with the budget, budget note)."""
    raw = document(kind, size)
    t0 = time.process_time()
    try:
        arts = list(parse_document(raw).articles)
    except InputError as e:
        return len(raw.data), time.process_time() - t0, 0.0, 0.0, f"refused by the parser: {e}"
    parse_s = time.process_time() - t0
    free_s = _analyse(raw_analyzer, arts)[0] if raw_analyzer is not budgeted else float("nan")
    budget_s, note = _analyse(budgeted, arts)
    return len(raw.data), parse_s, free_s, budget_s, note


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10k,100k,1m,10m")
    ap.add_argument("--kinds", default=",".join(KINDS))
    ap.add_argument("--budget-only", action="store_true", help="skip the runs without a budget (fast)")
    ap.add_argument("--no-ner", action="store_true")
    args = ap.parse_args()
    budgeted = build_analyzer()
    free = budgeted if args.budget_only else build_analyzer()
    free.budget = None
    for an in {id(budgeted): budgeted, id(free): free}.values():
        an.use_ner = not args.no_ner
        an(parse_document(document("paragraph", 2_000)).articles[0])  # load the KB, lexicon and NER now
    sizes = [_size(s) for s in args.sizes.split(",")]
    print(f"budget: {budgeted.budget}; CPU seconds; s/MB = analysis without the budget per MB of input")
    print(f"{'kind':<10} {'bytes':>11} {'parse':>7} {'analysis':>9} {'s/MB':>7} {'budgeted':>9}  budget note")
    for kind in args.kinds.split(","):
        per_mb = []
        for size in sizes:
            n, parse_s, free_s, budget_s, note = run_one(free, budgeted, kind, size)
            if free_s == free_s and free_s > 0:  # not NaN (--budget-only) and not refused
                per_mb.append(free_s / (n / 1e6))
            mb = f"{per_mb[-1]:7.2f}" if per_mb and free_s == free_s and free_s > 0 else f"{'-':>7}"
            print(f"{kind:<10} {n:>11,} {parse_s:>7.2f} {free_s:>9.2f} {mb} {budget_s:>9.2f}  {note[:80]}")
            sys.stdout.flush()
        if len(per_mb) > 1:
            flat = max(per_mb) / min(per_mb)
            print(f"{kind:<10} s/MB max/min {flat:.1f}x {'(flat: within 2x)' if flat <= 2 else '(NOT flat)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
