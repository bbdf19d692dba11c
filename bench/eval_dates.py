"""Date-line accuracy: every line of ``bench/devsets/date_lines.jsonl`` put on a page where such lines stand
(a header line under a headline, the headline itself, the lead's first sentence, or a whole page head) and read by the page
parser. Prints exact accuracy (the expected day or month, or no date where none must be taken), dates in
the future (after the time of ingest), precision kept, and the misses; per split and per form.

    python bench/eval_dates.py [--misses]
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from marsad.parse.dates import label
from marsad.parse.scraped_text import split_parts

SET = Path(__file__).resolve().parent / "devsets" / "date_lines.jsonl"
HEADLINE = "الحكومة تعلن خطة جديدة للإسكان في المدن الكبرى"
BODY = "وقال الوزير في مؤتمر صحفي إن العمل يبدأ قريبا في المرحلة الأولى.\nوأضاف أن التمويل متاح."


@dataclass
class Outcome:
    row: dict[str, object]
    got: str | None
    precision: str | None
    future: bool

    @property
    def exact(self) -> bool:
        return self.got == self.row["expected"] and (
            self.got is None or self.precision == self.row["precision"]
        )


def page(row: dict[str, object]) -> str:
    line = str(row["line"])
    if row["place"] in ("headline", "page"):  # the line is the headline, or the whole head of the page
        return f"{line}\n{BODY}\n"
    if row["place"] == "lead":
        return f"{HEADLINE}\n{line}\n{BODY}\n"
    return f"{HEADLINE}\n{line}\n{BODY}\n"


def run(rows: list[dict[str, object]], now: datetime | None = None) -> list[Outcome]:
    now = now or datetime.now(UTC)
    out = []
    for r in rows:
        ref = datetime.fromisoformat(str(r["ref"])) if r.get("ref") else None
        parts = split_parts(page(r), ref=ref)
        p = parts[0] if parts else None
        dt = p.published if p is not None and isinstance(p.published, datetime) else None
        got = label(dt, p.date_precision if p else None)
        aware = dt if dt is None or dt.tzinfo else dt.replace(tzinfo=UTC)
        out.append(Outcome(r, got, p.date_precision if dt and p else None, bool(aware and aware > now)))
    return out


def load(path: Path = SET) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def figures(outs: list[Outcome]) -> dict[str, float | int]:
    dated = [o for o in outs if o.got is not None and o.row["expected"] is not None]
    return {
        "lines": len(outs),
        "exact": round(sum(o.exact for o in outs) / len(outs), 3) if outs else 0.0,
        "future": sum(o.future for o in outs),
        "precision_kept": round(sum(o.precision == o.row["precision"] for o in dated) / len(dated), 3)
        if dated
        else 1.0,
    }


def main(argv: list[str]) -> int:
    outs = run(load())
    for split in ("dev", "held_out", None):
        part = [o for o in outs if split is None or o.row["split"] == split]
        f = figures(part)
        print(
            f"{split or 'all':9} lines {f['lines']:3}  exact {f['exact']:.3f}  future {f['future']}  "
            f"precision kept {f['precision_kept']:.3f}"
        )
    by_form: Counter[str] = Counter()
    ok_form: Counter[str] = Counter()
    for o in outs:
        by_form[str(o.row["form"])] += 1
        ok_form[str(o.row["form"])] += o.exact
    print("by form: " + ", ".join(f"{k} {ok_form[k]}/{n}" for k, n in sorted(by_form.items())))
    if "--misses" in argv:
        for o in outs:
            if not o.exact:
                print(
                    f"  miss {o.row['id']} {o.row['form']}: {o.row['line']!r} expected {o.row['expected']} "
                    f"({o.row['precision']}) got {o.got} ({o.precision})"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
