"""The quotes dev set's own tooling (bench/devsets/label.py, materialize.py) and its pages of our own text
(bench/devsets/quote_pages): these need no shared data."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

DEVSETS = Path(__file__).resolve().parents[1] / "bench" / "devsets"
FILES = (DEVSETS / "quotes_dev.jsonl", DEVSETS / "quotes_heldout.jsonl")


def _modules() -> tuple[ModuleType, ModuleType]:
    sys.path.insert(0, str(DEVSETS))
    try:
        import label
        import materialize
    finally:
        sys.path.remove(str(DEVSETS))
    return label, materialize


def _page_records() -> list[dict[str, Any]]:
    return [
        json.loads(line)
        for path in FILES
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and "page" in json.loads(line)
    ]


def test_every_page_is_labelled_once_and_its_spans_check(tmp_path: Path) -> None:
    _label, materialize = _modules()
    records = _page_records()
    pages = sorted(r["page"] for r in records)
    on_disk = sorted(f"quote_pages/{p.name}" for p in (DEVSETS / "quote_pages").glob("*.txt"))
    assert pages == on_disk, "each page in quote_pages/ is labelled exactly once"
    devset = tmp_path / "pages.jsonl"
    devset.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    gold, problems = materialize.build(devset, materialize.DataReader(tmp_path), tmp_path)
    assert problems == []
    # one gold article per part: the page with a second article after its "read also" marker gives two
    assert len(gold["articles"]) == sum(int(r.get("parts", 1)) for r in records)
    assert all((tmp_path / a["file"]).is_file() for a in gold["articles"])
    assert sum(len(a["quotes"]) for a in gold["articles"]) == sum(len(r["quotes"]) for r in records)


def test_a_changed_page_is_caught(tmp_path: Path) -> None:
    _label, materialize = _modules()
    record = next(r for r in _page_records() if r["quotes"])
    record["quotes"][0]["start"] += 3  # as if the page text had moved under the label
    devset = tmp_path / "one.jsonl"
    devset.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    _, problems = materialize.build(devset, materialize.DataReader(tmp_path), None)
    assert problems and "check mismatch" in problems[0]


def test_convert_finds_a_span_in_a_page(tmp_path: Path) -> None:
    label, materialize = _modules()
    draft = tmp_path / "draft.txt"
    draft.write_text(
        "@ page:quote_pages/q01-water-denial.txt\n"
        "P: Khalid Al-Dosari\n"
        "Q: فرق الهيئة أنهت … قبل منتصف الليل | Khalid Al-Dosari |  | person | مضيفا | indirect | statement\n",
        encoding="utf-8",
    )
    records, problems = label.convert(draft, materialize.DataReader(tmp_path), "tune")
    assert problems == []
    (q,) = records[0]["quotes"]
    text = (DEVSETS / "quote_pages" / "q01-water-denial.txt").read_bytes().decode("utf-8")
    assert text[q["start"] : q["end"]] == "فرق الهيئة أنهت الأعمال قبل منتصف الليل"
    assert q["check"] == "فرق الهيئة أنهت" and q["speaker_surface"] == "" and q["required"] is True


def test_the_held_out_rule_takes_every_nth_article_of_each_outlet() -> None:
    label, materialize = _modules()
    reader = materialize.DataReader(DEVSETS)
    records = [{"page": f"p{i:02d}.txt", "outlet": "A" if i < 9 else "B"} for i in range(12)]
    label.assign_splits(records, reader, 3)
    by_outlet = {o: [r["split"] for r in records if r["outlet"] == o] for o in ("A", "B")}
    assert by_outlet["A"].count("heldout") == 3 and by_outlet["B"].count("heldout") == 1
    again = [dict(r) for r in records]
    label.assign_splits(again, reader, 3)
    assert [r["split"] for r in again] == [r["split"] for r in records], "the rule is deterministic"
    label.assign_splits(records, reader)  # the first round's rule: every other article
    assert [r["split"] for r in records].count("heldout") == 6
