"""Dev quotes found with the wrong speaker, with their sentence (a reading aid for speaker resolution).

    .venv/bin/python bench/eval_quotes.py --only dev --keep /tmp/wq      # writes qdev/gold.json, dev.jsonl
    .venv/bin/python bench/speaker_errors.py /tmp/wq [--limit N] [--json OUT]

For each matched required gold quote (the scorer's rule, as in ``eval_quotes.breakdown``) whose speaker does
not match: the gold speaker, its surface and type, the predicted speaker (name, English name, surface), the
cue, and the text from the previous sentence to the quote's start. Dev part only: the held-out part is never
read for its errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_quotes import _score_module, _short, _speaker_str, dev_matches


def _context(body: str, pred: dict[str, Any], quote_text: str, before: int = 260) -> str:
    """The text before the quote (from the predicted quote's offsets when they fit, else by search)."""
    start = pred.get("start")
    if not (isinstance(start, int) and 0 <= start <= len(body)) or pred.get("in_headline"):
        start = body.find(quote_text[:30])
        if start < 0:
            return ""
    return " ".join(body[max(0, start - before) : start].split())


def wrong_speakers(work: Path) -> list[dict[str, Any]]:
    sc = _score_module()
    out: list[dict[str, Any]] = []
    for key, g, art, qq, p in dev_matches(work):
        if not qq.get("required", True):
            continue
        surf = [qq["speaker_surface"]] if qq.get("speaker_surface") else []
        if sc.name_match(p.get("speaker"), qq["speaker"], surf):
            continue
        out.append(
            {
                "file": key[0],
                "gold": qq["speaker"],
                "gold_surface": qq.get("speaker_surface", ""),
                "gold_type": qq.get("speaker_type", "?"),
                "gold_cue": qq.get("cue", ""),
                "pred": _speaker_str(p.get("speaker")),
                "pred_speaker": p.get("speaker"),
                "same_speaker_surfaces": sorted(
                    {
                        q["speaker_surface"]
                        for q in g["quotes"]
                        if q["speaker"] == qq["speaker"] and q.get("speaker_surface")
                    }
                ),
                "pred_cue": p.get("cue") or "",
                "text": qq["text"],
                "context": _context(str(art.get("text") or ""), p, qq["text"]),
            }
        )
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("work", type=Path, help="the --keep folder of eval_quotes.py (dev part run)")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--json", type=Path, default=None, help="also write the cases as JSON")
    args = ap.parse_args()
    cases = wrong_speakers(args.work)
    for n, c in enumerate(cases[: args.limit or None], 1):
        print(f"#{n} {c['file']}  [{c['gold_type']}] cue {c['gold_cue']} / {c['pred_cue']}")
        print(f"   gold {c['gold']} ⟨{c['gold_surface']}⟩  ←  pred {c['pred']}")
        print(f"   … {c['context']} ⟦{_short(c['text'], 60)}⟧")
    print(f"{len(cases)} wrong-speaker quotes")
    if args.json:
        args.json.write_text(json.dumps(cases, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
