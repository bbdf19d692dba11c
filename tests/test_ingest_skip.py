"""Ingest does not analyse what the store already holds: an unchanged re-ingest or an exact copy under
another path costs the parse only; a changed text or a stored analysis that failed is analysed again."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from marsad import service
from marsad.model import AnalysisState, Article
from marsad.store.sqlite import SQLiteStore

TEXT = "{title}\n\nالخميس 12 مارس 2026\n\n{body}\n"


class Counting:
    """An analyzer that records which texts it saw (and can be told to fail)."""

    def __init__(self, fail: bool = False) -> None:
        self.seen: list[str] = []
        self.fail = fail

    def __call__(self, a: Article) -> Article:
        self.seen.append(a.title or "")
        if self.fail:
            return replace(a, analysis=AnalysisState.FAILED, analysis_error="quotes: RuntimeError: boom")
        return replace(a, analysis=AnalysisState.DONE)


def _write(folder: Path, name: str, title: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_text(TEXT.format(title=title, body=body), encoding="utf-8")
    return p


def _docs(folder: Path) -> None:
    _write(
        folder, "a.txt", "افتتاح جسر جديد فوق النهر", "افتتحت البلدية جسرا جديدا يربط ضفتي النهر صباح اليوم."
    )
    _write(
        folder, "b.txt", "مهرجان الكتاب يعود", "يعود مهرجان الكتاب إلى المدينة بعد غياب عامين بمشاركة واسعة."
    )


def test_unchanged_inputs_are_not_analysed_again(store: SQLiteStore, tmp_path: Path) -> None:
    _docs(tmp_path / "in")
    first = Counting()
    r1 = service.ingest([str(tmp_path / "in")], store, analyzer=first)
    assert r1.counts["new"] == 2 and len(first.seen) == 2
    again = Counting()
    r2 = service.ingest([str(tmp_path / "in")], store, analyzer=again)
    assert r2.counts["unchanged"] == 2 and again.seen == []
    assert all(a.analysis is AnalysisState.DONE for a in store.iter_articles(with_analysis=False))


def test_copies_are_not_analysed_but_a_changed_text_is(store: SQLiteStore, tmp_path: Path) -> None:
    _docs(tmp_path / "in")
    service.ingest([str(tmp_path / "in")], store, analyzer=Counting())
    _docs(tmp_path / "mirror")  # the same texts under other paths: duplicates
    _write(tmp_path / "in", "a.txt", "افتتاح جسر جديد فوق النهر", "افتتحت البلدية جسرا جديدا مساء أمس.")
    c = Counting()
    r = service.ingest([str(tmp_path / "mirror"), str(tmp_path / "in")], store, analyzer=c)
    assert r.counts["duplicate"] == 2 and r.counts["updated"] == 1 and r.counts["unchanged"] == 1
    assert c.seen == ["افتتاح جسر جديد فوق النهر"]  # only the changed text
    assert all(a.analysis is AnalysisState.DONE for a in store.iter_articles(with_analysis=False))


def test_a_copy_inside_one_batch_is_analysed_once(store: SQLiteStore, tmp_path: Path) -> None:
    _docs(tmp_path / "one")
    _docs(tmp_path / "two")
    c = Counting()
    r = service.ingest([str(tmp_path / "one"), str(tmp_path / "two")], store, analyzer=c)
    assert r.counts["new"] == 2 and r.counts["duplicate"] == 2 and len(c.seen) == 2


def test_a_failed_analysis_is_tried_again_on_reingest(store: SQLiteStore, tmp_path: Path) -> None:
    _docs(tmp_path / "in")
    service.ingest([str(tmp_path / "in")], store, analyzer=Counting(fail=True))
    c = Counting()
    service.ingest([str(tmp_path / "in")], store, analyzer=c)
    assert len(c.seen) == 2
    assert all(a.analysis is AnalysisState.DONE for a in store.iter_articles(with_analysis=False))
