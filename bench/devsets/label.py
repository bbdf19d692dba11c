"""Labelling helper: turn a draft written against the text into offset records for a dev set.

A labeller reads an article (``show``) and writes a draft; ``convert`` finds every span in the text and
writes the JSON Lines records that ``materialize.py`` reads (offsets + ``check``, never the text), so
drafts that quote article text stay outside the repository.

    python bench/devsets/label.py show ant:CNN/middleEast/CN-middleEast-203-20180306.txt
    python bench/devsets/label.py show snn:2015-07-24#1909
    python bench/devsets/label.py show page:pages/p01.txt
    python bench/devsets/label.py convert DRAFT.txt          # records on stdout, nothing written
    python bench/devsets/label.py add DRAFT.txt --heldout-every 3   # split, append to the two dev set files

Draft format (UTF-8; blank lines and lines starting with ``#`` are ignored)::

    @ snn:2015-07-24#1909                 one block per article (ant:, snn: or page:)
    P: Name One; Name Two                 persons named in the article (English canonical names)
    Q: start words … end words | speaker | surface | type | cue | kind | stance [| key=value ...]

The span is the text from the first occurrence of ``start words`` (searched from the previous span's start,
then from the beginning) to the end of the first occurrence of ``end words`` after it; without ``…`` the
whole anchor is the span. Optional ``key=value`` fields: ``answers=English name``,
``answers_surface=Arabic surface``, ``field=title`` (SaudiNewsNet headline), ``title`` (ANT headline flag
``in_title``), ``opt`` (``required: false``), ``part=N`` (a page article after a "read also" marker),
``occ=N`` (use the N-th occurrence of the start words, 1-based, counted from the beginning). In ANT files
spans are searched from ``<TEXT>`` on (``<TITLE>`` for ``title``), since the abstract repeats the lead.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from materialize import DEFAULT_DATA, DEVSETS_DIR, DataReader, first_words

ELLIPSIS = "…"


def parse_ref(ref: str) -> dict[str, Any]:
    kind, _, rest = ref.partition(":")
    if kind == "ant":
        return {"file": f"ant-multisource/{rest}"}
    if kind == "snn":
        day, _, index = rest.partition("#")
        return {"file": f"saudinewsnet/dataset/{day}.zip", "index": int(index)}
    if kind == "page":
        return {"page": rest}
    raise SystemExit(f"unknown reference {ref!r} (ant:, snn: or page:)")


def texts(reader: DataReader, record: dict[str, Any]) -> dict[str, str]:
    return reader.source(record).fields


def _pattern(words: str) -> re.Pattern[str]:
    # any run of whitespace in an anchor matches any run in the text (pages use no-break spaces)
    return re.compile(r"\s+".join(re.escape(w) for w in words.split()))


def find_span(text: str, anchor: str, cursor: int, occ: int | None, base: int = 0) -> tuple[int, int]:
    start_words, sep, end_words = anchor.partition(ELLIPSIS)
    start_pat = _pattern(start_words)
    if occ is not None:
        hits = list(start_pat.finditer(text, base))
        m = hits[occ - 1] if len(hits) >= occ else None
    else:
        m = start_pat.search(text, max(cursor, base)) or start_pat.search(text, base)
    if m is None:
        raise ValueError(f"start not found: {start_words.strip()!r}")
    if not sep:
        return m.start(), m.end()
    e = _pattern(end_words).search(text, m.end())
    if e is None:
        raise ValueError(f"end not found after start: {end_words.strip()!r}")
    return m.start(), e.end()


def convert(draft: Path, reader: DataReader, split: str | None) -> tuple[list[dict[str, Any]], list[str]]:
    records: list[dict[str, Any]] = []
    problems: list[str] = []
    cur: dict[str, Any] | None = None
    fields: dict[str, str] = {}
    cursor = 0
    for lineno, raw in enumerate(draft.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{draft.name}:{lineno}"
        if line.startswith("@"):
            cur = parse_ref(line[1:].strip())
            if split:
                cur["split"] = split
            cur["quotes"], cur["persons"] = [], []
            records.append(cur)
            fields, cursor = texts(reader, cur), 0
            continue
        if cur is None:
            problems.append(f"{where}: line before the first @ block")
            continue
        if line.startswith("P:"):
            cur["persons"] = [p.strip() for p in line[2:].split(";") if p.strip()]
            continue
        if not line.startswith("Q:"):
            problems.append(f"{where}: expected @, P: or Q:")
            continue
        parts = [p.strip() for p in line[2:].split("|")]
        if len(parts) < 7:
            problems.append(f"{where}: a Q: line needs 7 fields, found {len(parts)}")
            continue
        anchor, speaker, surface, stype, cue, kind, stance, *extra = parts
        opts: dict[str, str] = {}
        for e in extra:
            k, _, v = e.partition("=")
            opts[k.strip()] = v.strip()
        field = opts.get("field") or ("file" if "file" in fields else "content")
        text = fields.get(field, "")
        # ANT: search the body (the abstract repeats its first sentence), or the headline when flagged
        base = max(0, text.find("<TITLE>" if "title" in opts else "<TEXT>"))
        try:
            occ = int(opts["occ"]) if "occ" in opts else None
            start, end = find_span(text, anchor, 0 if "title" in opts else cursor, occ, base)
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
            continue
        if "title" not in opts:
            cursor = start
        span = text[start:end]
        lead = len(span) - len(span.lstrip())
        start, end = start + lead, start + len(span.rstrip())
        q: dict[str, Any] = {"start": start, "end": end, "check": first_words(text[start:end])}
        if "field" in opts:
            q["field"] = opts["field"]
        if "title" in opts:
            q["in_title"] = True
        q.update(
            speaker=speaker,
            speaker_surface=surface,
            speaker_type=stype,
            cue=cue,
            kind=kind,
            stance=stance,
            required="opt" not in opts,
        )
        if "answers" in opts:
            q["answers"] = opts["answers"]
            q["answers_surface"] = opts.get("answers_surface", "")
        if "part" in opts:
            q["part"] = int(opts["part"])
        cur["quotes"].append(q)
    return records, problems


def outlet(record: dict[str, Any], reader: DataReader) -> str:
    """The outlet a record is stratified by: ANT folder, SaudiNewsNet ``source``, a page's ``outlet``."""
    if "page" in record:
        return str(record.get("outlet") or "page")
    if "index" in record:
        source = reader.source(record)
        return str((source.article or {}).get("source") or "saudinewsnet")
    return str(record["file"]).split("/")[1]


def reference(record: dict[str, Any]) -> str:
    ref = str(record.get("file") or record.get("page"))
    return ref + (f"#{record['index']}" if "index" in record else "")


def assign_splits(records: list[dict[str, Any]], reader: DataReader, every: int = 2) -> None:
    """The held-out rule, applied once when a batch is added and then frozen in each record.

    The batch is ordered by outlet, then by the SHA-1 of each reference, and every ``every``-th article
    from the first on goes to ``heldout`` (the rest to ``tune``): a systematic sample stratified by outlet,
    chosen by nothing a labeller picks. The first batch (issue 11) used ``every=2`` (half of each outlet's
    articles, ±1); the later batches use ``--heldout-every 3`` (a third).
    """
    ordered = sorted(
        records, key=lambda r: (outlet(r, reader), hashlib.sha1(reference(r).encode("utf-8")).hexdigest())
    )
    for k, r in enumerate(ordered):
        r["split"] = "heldout" if k % every == 0 else "tune"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("show", help="print an article's text fields")
    s.add_argument("ref")
    c = sub.add_parser("convert", help="draft → JSON Lines records on stdout")
    c.add_argument("draft", type=Path)
    c.add_argument("--split", choices=("tune", "heldout"))
    a = sub.add_parser("add", help="draft → split by the held-out rule → appended to the dev set files")
    a.add_argument("draft", type=Path)
    a.add_argument("--heldout-every", type=int, default=2, help="every N-th article goes to heldout")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args(argv)
    reader = DataReader(args.data)
    if args.cmd == "show":
        for name, text in texts(reader, parse_ref(args.ref)).items():
            print(f"== {name}\n{text}")
        return 0
    records, problems = convert(args.draft, reader, getattr(args, "split", None))
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    if args.cmd == "add":
        targets = {"tune": DEVSETS_DIR / "quotes_dev.jsonl", "heldout": DEVSETS_DIR / "quotes_heldout.jsonl"}
        known = {
            reference(json.loads(line))
            for path in targets.values()
            if path.exists()
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()
        }
        dupes = [reference(r) for r in records if reference(r) in known]
        if dupes:
            print("already labelled: " + ", ".join(dupes), file=sys.stderr)
            return 1
        assign_splits(records, reader, args.heldout_every)
        for split, path in targets.items():
            lines = [json.dumps(r, ensure_ascii=False) for r in records if r["split"] == split]
            with path.open("a", encoding="utf-8") as fh:
                fh.writelines(line + "\n" for line in lines)
            print(f"{path.name}: +{len(lines)} articles")
        return 0
    for r in records:
        print(json.dumps(r, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
