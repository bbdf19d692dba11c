"""Which reporting verbs does the cue lexicon miss? (a check of ``data/cues.yaml``, not a test)

    .venv/bin/python bench/cue_coverage.py [--limit N] [--top K] [--min C]

Counts, over the news sets in ``../shared/data/news``, the word that stands right before a
complementizer (أن/إن/بأن…) or a colon at the start of a clause, strips و/ف, and prints the most
frequent ones that are not cue forms, participles or known non-cues (function words, nouns). What it
prints is a to-do list for a person: many hits are nouns ("الخارجية: …") or verbs of thought
("يبدو أن"), which are not speech.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

from marsad.normalize.arabic import normalize_text
from marsad.quotes.cues import default_lexicon

NEWS = Path(__file__).resolve().parents[2] / "shared" / "data" / "news"
_W = r"[\u0621-\u064a\u0640\u064b-\u0652]+"
_COMP = r"(?:ب?[أإا]ن(?:ه|ها|هم)?)"
# the word right before a complementizer or colon ("أكد أن"), and the first word of a clause whose
# complementizer comes a few words on, after the subject ("، وأكد الوزير أمس أن")
_BEFORE = re.compile(rf"({_W})\s*(?::|\s+{_COMP}\s)")
_OPENING = re.compile(rf"(?:^|[.،,\n]\s*)({_W})\s+(?:{_W}\s+){{1,5}}?{_COMP}\s")
# Words often before أن that are not reporting verbs (a short stop list for readability).
_NOT_VERBS = frozenset(
    normalize_text(w)
    for w in [
        "على",
        "إلى",
        "من",
        "في",
        "بعد",
        "قبل",
        "رغم",
        "حيث",
        "إلا",
        "غير",
        "منذ",
        "بما",
        "مع",
        "كما",
        "يجب",
        "يمكن",
        "سوى",
        "يبدو",
        "بيد",
        "ذلك",
        "هو",
        "هي",
        "الى",
        "لو",
        "لولا",
        "بل",
        "حتى",
        "دون",
        "عن",
        "أي",
        "ويجب",
        "ويمكن",
        "والذي",
        "الذي",
        "التي",
        "مجرد",
        "وخاصة",
        "خاصة",
    ]
)


def _texts(limit: int):
    n = 0
    for path in sorted(NEWS.rglob("*")):
        if n >= limit:
            return
        if path.suffix == ".txt":
            n += 1
            yield path.read_text(encoding="utf-8", errors="replace")
        elif path.suffix == ".json":
            try:
                data = json.loads(path.read_text(encoding="utf-8", errors="replace"))
            except ValueError:
                continue
            for rec in data if isinstance(data, list) else [data]:
                if isinstance(rec, dict) and isinstance(rec.get("content"), str):
                    n += 1
                    yield rec["content"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=20000, help="articles read")
    ap.add_argument("--top", type=int, default=80, help="missing words printed")
    ap.add_argument("--min", type=int, default=5, help="least count printed")
    args = ap.parse_args()
    lex = default_lexicon()
    counts: Counter[str] = Counter()
    for text in _texts(args.limit):
        for m in (*_BEFORE.finditer(text), *_OPENING.finditer(text)):
            w = normalize_text(m.group(1))
            if w[:1] in "وف" and len(w) > 3:
                w = w[1:]
            if w and w not in _NOT_VERBS and not w.startswith("ال"):
                counts[w] += 1
    missing = [(w, c) for w, c in counts.most_common() if lex.cue(w) is None and lex.head(w) is None]
    known = sum(c for w, c in counts.items() if lex.cue(w) is not None)
    print(f"words before a complementizer or colon: {sum(counts.values())}, cue forms among them: {known}")
    for w, c in missing[: args.top]:
        if c >= args.min:
            print(f"{c:6d}  {w}")


if __name__ == "__main__":
    main()
