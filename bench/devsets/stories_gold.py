#!/usr/bin/env python3
"""Turn a labelled story dev set (JSON Lines) into a score.py gold file and an ingest list.

Each input line: {"file": "<path relative to --data>", "story": "<story id>",
                  "check": "<first words of TITLE>"}.

usage: stories_gold.py DEVSET.jsonl --data DATA_DIR --out OUT_DIR

Writes OUT_DIR/gold.json ({"articles": [{"file": basename, "part": 0, "event": story}]}, the hidden
format read by score.py) and OUT_DIR/files.txt (one absolute article path per line). Every file must exist
and its <TITLE> must start with `check`; otherwise the script reports all problems and exits with status 1
without writing anything.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path

TITLE_RE = re.compile(r"<TITLE>(.*?)</TITLE>", re.S)


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def read_title(path: Path) -> str | None:
    match = TITLE_RE.search(path.read_text(encoding="utf-8", errors="replace"))
    return _norm(match.group(1)) if match else None


def load_rows(devset: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for n, line in enumerate(devset.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        missing = [k for k in ("file", "story", "check") if not isinstance(row.get(k), str) or not row[k]]
        if missing:
            raise ValueError(f"line {n}: missing or empty field(s) {missing}")
        rows.append({"file": row["file"], "story": row["story"], "check": row["check"]})
    return rows


def validate(rows: list[dict[str, str]], data: Path) -> list[str]:
    problems: list[str] = []
    seen: dict[str, str] = {}
    for row in rows:
        path = data / row["file"]
        base = path.name
        if base in seen:
            problems.append(f"{row['file']}: basename already used by {seen[base]}")
        seen[base] = row["file"]
        if not path.is_file():
            problems.append(f"{row['file']}: file not found under {data}")
            continue
        title = read_title(path)
        if title is None:
            problems.append(f"{row['file']}: no <TITLE>")
        elif not title.startswith(_norm(row["check"])):
            problems.append(f"{row['file']}: title {title[:60]!r} does not start with {row['check']!r}")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("devset", type=Path, help="labelled JSON Lines file")
    ap.add_argument("--data", type=Path, required=True, help="directory the 'file' paths are relative to")
    ap.add_argument("--out", type=Path, required=True, help="output directory for gold.json and files.txt")
    args = ap.parse_args(argv)

    rows = load_rows(args.devset)
    problems = validate(rows, args.data)
    if problems:
        for p in problems:
            print(f"error: {p}", file=sys.stderr)
        print(f"{len(problems)} problem(s); nothing written", file=sys.stderr)
        return 1

    args.out.mkdir(parents=True, exist_ok=True)
    gold = {"articles": [{"file": Path(r["file"]).name, "part": 0, "event": r["story"]} for r in rows]}
    gold_text = json.dumps(gold, ensure_ascii=False, indent=1) + "\n"
    (args.out / "gold.json").write_text(gold_text, encoding="utf-8")
    paths = [str((args.data / r["file"]).resolve()) for r in rows]
    (args.out / "files.txt").write_text("\n".join(paths) + "\n", encoding="utf-8")
    stories = {r["story"] for r in rows}
    print(f"{len(rows)} articles, {len(stories)} stories -> {args.out}/gold.json, {args.out}/files.txt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
