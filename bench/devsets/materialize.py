"""Turn a hand-labelled dev set (offsets into the shared data) into a gold file and an input folder.

A dev set is a JSON Lines file; each line labels one article by reference, never by copying its text:

    {"file": "ant-multisource/BBC/middleEast/BB-middleEast-303-20180407.txt",
     "quotes": [{"start": 812, "end": 899, "check": "هجمات إلكترونية على", "speaker": ..., ...}],
     "persons": ["Mohammad-Javad Azari Jahromi"]}

    {"file": "saudinewsnet/dataset/2015-07-24.zip", "index": 1909, "quotes": [...], "persons": [...]}

Offsets are character offsets into the decoded file text (ANT: the whole ``.txt`` file read as UTF-8) or, for
SaudiNewsNet, into the article's ``content`` string (``title`` when the quote has ``"field": "title"``).
``check`` holds the first three whitespace-separated words of the span so that a changed data file is caught.

Usage (from the repository root):

    python bench/devsets/materialize.py bench/devsets/quotes_dev.jsonl --out /tmp/qdev

writes ``/tmp/qdev/gold.json`` in the hidden format of ``score.py`` and copies the articles to
``/tmp/qdev/docs/`` (ANT: the ``.txt`` file; SaudiNewsNet: a one-element JSON array named
``<zipstem>-<index>.json``). The gold ``file`` of each article is the basename of its file in ``docs/``.
The script exits with status 1, listing every problem, when a span does not match its ``check``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data" / "news"
# pages written for the dev set (seed-style scraped text, our own words) live beside this script
DEVSETS_DIR = Path(__file__).resolve().parent
GOLD_QUOTE_FIELDS = (
    "speaker",
    "speaker_surface",
    "speaker_type",
    "cue",
    "kind",
    "stance",
    "required",
    "answers",
    "answers_surface",
)


class DevsetError(Exception):
    """A label does not fit the data it points to."""


@dataclass
class Source:
    """One referenced article: the texts offsets point into, and how to write it out for ingestion."""

    doc_name: str
    fields: dict[str, str]
    ant_path: Path | None = None
    article: dict[str, Any] | None = None

    def write_doc(self, docs_dir: Path) -> None:
        target = docs_dir / self.doc_name
        if self.ant_path is not None:
            shutil.copyfile(self.ant_path, target)
        else:
            payload = json.dumps([self.article], ensure_ascii=False, indent=1)
            target.write_text(payload + "\n", encoding="utf-8")


class DataReader:
    """Reads ANT files and SaudiNewsNet zips below the data folder, caching each opened zip."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._zips: dict[str, list[dict[str, Any]]] = {}

    def _zip_articles(self, rel: str) -> list[dict[str, Any]]:
        if rel not in self._zips:
            with zipfile.ZipFile(self.data_dir / rel) as zf:
                member = next(n for n in zf.namelist() if n.endswith(".json"))
                self._zips[rel] = json.loads(zf.read(member).decode("utf-8"))
        return self._zips[rel]

    def source(self, record: dict[str, Any]) -> Source:
        if "page" in record:
            page = DEVSETS_DIR / record["page"]
            if not page.is_file():
                raise DevsetError(f"{record['page']}: no such page below {DEVSETS_DIR}")
            return Source(page.name, {"file": page.read_bytes().decode("utf-8")}, ant_path=page)
        rel = record["file"]
        path = self.data_dir / rel
        if not path.is_file():
            raise DevsetError(f"{rel}: no such file below {self.data_dir}")
        if rel.endswith(".zip"):
            index = int(record["index"])
            articles = self._zip_articles(rel)
            if not 0 <= index < len(articles):
                raise DevsetError(f"{rel}: index {index} out of range ({len(articles)} articles)")
            article = articles[index]
            fields = {"content": article.get("content") or "", "title": article.get("title") or ""}
            return Source(f"{Path(rel).stem}-{index}.json", fields, article=article)
        # decode the bytes ourselves: read_text() would translate newlines and shift offsets
        text = path.read_bytes().decode("utf-8")
        return Source(path.name, {"file": text}, ant_path=path)


def first_words(text: str, n: int = 3) -> str:
    return " ".join(text.split()[:n])


def slice_quote(source: Source, quote: dict[str, Any], where: str) -> str:
    """Return the labelled span, verifying offsets and the ``check`` words."""
    field = quote.get("field") or ("file" if "file" in source.fields else "content")
    if field not in source.fields:
        raise DevsetError(f"{where}: unknown field {field!r}")
    text = source.fields[field]
    start, end = int(quote["start"]), int(quote["end"])
    if not 0 <= start < end <= len(text):
        raise DevsetError(f"{where}: offsets {start}:{end} outside {field} (length {len(text)})")
    span = text[start:end]
    found = first_words(span)
    if found != quote["check"]:
        raise DevsetError(f"{where}: check mismatch, expected {quote['check']!r}, found {found!r}")
    if span != span.strip():
        raise DevsetError(f"{where}: span has leading or trailing whitespace")
    return span


def build(
    devset: Path | list[Path], reader: DataReader, docs_dir: Path | None
) -> tuple[dict[str, Any], list[str]]:
    """Build the gold document from one or more dev set files.

    Returns it with the list of problems found (empty when all is well). Each gold article carries the
    ``split`` of its record (``tune`` when the record names none) and ``ref``, its reference in the data.
    """
    articles: list[dict[str, Any]] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    devsets = devset if isinstance(devset, list) else [devset]
    numbered = [
        (path, lineno, line)
        for path in devsets
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
    ]
    for devset, lineno, line in numbered:
        if not line.strip():
            continue
        record = json.loads(line)
        ref = str(record.get("file") or record.get("page")) + (
            f"#{record['index']}" if "index" in record else ""
        )
        label = f"{devset.name}:{lineno} ({ref})"
        try:
            source = reader.source(record)
        except DevsetError as exc:
            problems.append(str(exc))
            continue
        if source.doc_name in seen:
            problems.append(f"{label}: {source.doc_name} already used by {seen[source.doc_name]}")
            continue
        seen[source.doc_name] = label
        # a page holds several articles after "read also" markers: one gold article per part
        by_part: dict[int, list[dict[str, Any]]] = {k: [] for k in range(int(record.get("parts", 1)))}
        for k, quote in enumerate(record.get("quotes", [])):
            try:
                text = slice_quote(source, quote, f"{label} quote {k}")
            except DevsetError as exc:
                problems.append(str(exc))
                continue
            gold_quote = {key: quote[key] for key in GOLD_QUOTE_FIELDS if key in quote}
            gold_quote["text"] = text
            by_part.setdefault(int(quote.get("part", 0)), []).append(gold_quote)
        for part, quotes in sorted(by_part.items()):
            article: dict[str, Any] = {
                "file": source.doc_name,
                "part": part,
                "split": record.get("split", "tune"),
                "ref": ref,
                "quotes": quotes,
            }
            if part == 0:
                article["persons"] = list(record.get("persons", []))
            elif str(part) in record.get("persons_parts", {}):
                article["persons"] = list(record["persons_parts"][str(part)])
            articles.append(article)
        if docs_dir is not None:
            source.write_doc(docs_dir)
    names = ", ".join(p.name for p in devsets)
    gold = {"about": f"Materialized from {names} by bench/devsets/materialize.py", "articles": articles}
    return gold, problems


def summary(gold: dict[str, Any]) -> str:
    quotes = [q for a in gold["articles"] for q in a["quotes"]]
    lines = [
        f"articles: {len(gold['articles'])} "
        f"(without quotes: {sum(1 for a in gold['articles'] if not a['quotes'])})",
        f"quotes: {len(quotes)} (required: {sum(1 for q in quotes if q.get('required', True))})",
    ]
    for key in ("kind", "stance", "speaker_type"):
        counts = Counter(str(q.get(key)) for q in quotes)
        lines.append(f"by {key}: " + ", ".join(f"{k} {v}" for k, v in counts.most_common()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("devset", type=Path, nargs="+", help="dev set JSON Lines file(s)")
    parser.add_argument("--out", type=Path, required=True, help="output folder (gold.json and docs/)")
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help="shared news data folder (default: ../shared/data/news from the repo root)",
    )
    parser.add_argument("--no-docs", action="store_true", help="only write gold.json, do not copy articles")
    args = parser.parse_args(argv)

    docs_dir = None if args.no_docs else args.out / "docs"
    if docs_dir is not None:
        docs_dir.mkdir(parents=True, exist_ok=True)
    else:
        args.out.mkdir(parents=True, exist_ok=True)
    gold, problems = build(args.devset, DataReader(args.data), docs_dir)
    if problems:
        names = " ".join(str(p) for p in args.devset)
        print(f"{len(problems)} problem(s) in {names}:", file=sys.stderr)
        for problem in problems:
            print("  " + problem, file=sys.stderr)
        return 1
    gold_path = args.out / "gold.json"
    gold_path.write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    copied = "" if docs_dir is None else f" and {len(gold['articles'])} files to {docs_dir}"
    print(f"wrote {gold_path}{copied}")
    print(summary(gold))
    return 0


if __name__ == "__main__":
    sys.exit(main())
