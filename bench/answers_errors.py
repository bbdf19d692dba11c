"""Dev denials and rejections whose ``answers`` link is wrong, with the text before them (a reading aid for
marsad/quotes/answers.py).

    .venv/bin/python bench/eval_quotes.py --only dev --keep /tmp/wq      # writes qdev/gold.json, dev.jsonl
    .venv/bin/python bench/answers_errors.py /tmp/wq [--all] [--before N]

For each matched required gold denial or rejection (the scorer's matching rule, as in
``eval_quotes.breakdown``) that names what it answers and whose prediction does not match it (``--all``:
also those naming nothing that got a link): the gold and predicted stance, speaker and answer, the quote,
and the text before it. Dev part only: the held-out part is never read for its errors.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_quotes import _ANSWERING, _answer, _score_module, _short, _speaker_str, dev_matches


def answers_errors(work: Path, everything: bool = False) -> list[dict[str, Any]]:
    sc = _score_module()
    out: list[dict[str, Any]] = []
    for key, _g, art, qq, p in dev_matches(work):
        if not qq.get("required", True) or qq.get("stance") not in _ANSWERING or "answers" not in qq:
            continue
        if qq["answers"]:
            surf = [qq["answers_surface"]] if qq.get("answers_surface") else [qq["answers"]]
            if sc.name_match(_answer(p.get("answers")), qq["answers"], surf):
                continue
        elif not everything or not p.get("answers"):
            continue
        start = p.get("start") if isinstance(p.get("start"), int) else 0
        body = str(art.get("text") or "")
        out.append({"file": key[0], "gold": qq, "pred": p, "before": body[: max(0, start)]})
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("work", type=Path, help="the --keep folder of eval_quotes.py --only dev")
    ap.add_argument("--all", action="store_true", help="also links predicted where the gold names nothing")
    ap.add_argument("--before", type=int, default=400, help="characters of text shown before the quote")
    args = ap.parse_args()
    errs = answers_errors(args.work, args.all)
    for n, e in enumerate(errs, 1):
        q, p = e["gold"], e["pred"]
        print(
            f"#{n} {e['file']}  cue {p.get('cue') or '-'}  stance gold {q.get('stance')} / pred {p.get('stance')}"
        )
        print(f"   speaker {_speaker_str(p.get('speaker'))}")
        print(
            f"   answers gold {q['answers'] or '∅'} ⟨{q.get('answers_surface', '')}⟩ / pred {p.get('answers') or '∅'}"
        )
        print(f"   quote   {_short(q['text'], 120)}")
        print(f"   before  …{' '.join(e['before'][-args.before :].split())}")
    print(f"{len(errs)} answers errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
