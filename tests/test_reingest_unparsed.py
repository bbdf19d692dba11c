"""Re-ingesting unchanged input does not parse it (issue 13): a document whose raw bytes hash as when its
articles were stored, with every one of them still there, is counted unchanged before parsing; a changed,
partly read or interrupted document is read again, and no article of a multi-article source is lost."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from marsad import service
from marsad.ingest import documents, flow
from marsad.model import AnalysisState, Article, RawDocument, SourceRef
from marsad.parse import parse_document
from marsad.store import open_store
from marsad.store.base import DocumentMark
from marsad.store.sqlite import SQLiteStore

from .test_ingest_skip import _docs, _write

# a page with a "read also" block: three articles from one file
MULTI = """سوق الخضار يفتتح فرعا جديدا في الحي الشرقي
الأحد 8 مارس 2026
افتتح سوق الخضار فرعا جديدا في الحي الشرقي صباح اليوم بحضور السكان.
اقرأ أيضا:
حديقة الحي تستقبل الزوار بعد الترميم
أعادت البلدية فتح حديقة الحي أمام الزوار بعد أشهر من أعمال الترميم.
اقرأ أيضا: المكتبة العامة تمدد ساعات العمل
قررت المكتبة العامة تمديد ساعات العمل حتى العاشرة مساء طوال الصيف.
"""


class Done:
    """An analyzer that marks every article analysed and counts the calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, a: Article) -> Article:
        self.calls += 1
        return replace(a, analysis=AnalysisState.DONE)


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The places of the documents the ingest parses."""
    seen: list[str] = []

    def counting(raw: RawDocument) -> Any:
        seen.append(raw.source.label)
        return parse_document(raw)

    monkeypatch.setattr(flow, "parse_document", counting)
    yield seen


def _folder(root: Path) -> Path:
    _docs(root)
    (root / "multi.txt").write_text(MULTI, encoding="utf-8")
    return root


def _ingest(store: SQLiteStore, root: Path, analyzer: Any = None) -> service.IngestReport:
    return service.ingest([str(root)], store, analyzer=analyzer if analyzer is not None else Done())


def test_an_unchanged_folder_is_not_parsed_again(
    store: SQLiteStore, tmp_path: Path, parsed: list[str]
) -> None:
    root = _folder(tmp_path / "in")
    first = _ingest(store, root)
    assert first.counts["new"] == 5 and len(parsed) == 3  # multi.txt gave three articles
    before = sorted(a.id for a in store.iter_articles())
    parsed.clear()
    again = Done()
    r = _ingest(store, root, again)
    assert parsed == [] and again.calls == 0
    assert r.documents == 3 and r.counts["unchanged"] == 5 and r.counts["new"] == 0 and not r.failures
    assert r.as_dict()["unchanged"] == 5
    assert sorted(a.id for a in store.iter_articles()) == before


def test_a_touched_file_with_the_same_bytes_is_not_parsed(
    store: SQLiteStore, tmp_path: Path, parsed: list[str]
) -> None:
    root = _folder(tmp_path / "in")
    _ingest(store, root)
    later = os.stat(root / "a.txt").st_mtime + 3600
    os.utime(root / "a.txt", (later, later))
    parsed.clear()
    r = _ingest(store, root)
    assert parsed == [] and r.counts["unchanged"] == 5


def test_a_changed_file_is_read_again(store: SQLiteStore, tmp_path: Path, parsed: list[str]) -> None:
    root = _folder(tmp_path / "in")
    _ingest(store, root)
    _write(root, "a.txt", "افتتاح جسر جديد فوق النهر", "افتتحت البلدية جسرا جديدا مساء أمس.")
    parsed.clear()
    r = _ingest(store, root)
    assert parsed == [str(root / "a.txt")]
    assert r.counts["updated"] == 1 and r.counts["unchanged"] == 4
    # the new reading is recorded: a third run parses nothing
    parsed.clear()
    r = _ingest(store, root)
    assert parsed == [] and r.counts["unchanged"] == 5


def test_a_same_size_change_is_read_again(store: SQLiteStore, tmp_path: Path, parsed: list[str]) -> None:
    root = _folder(tmp_path / "in")
    _ingest(store, root)
    p = root / "b.txt"
    st = os.stat(p)
    data = p.read_bytes().replace("عامين".encode(), "ثلاثة".encode()[: len("عامين".encode())])
    assert len(data) == st.st_size
    p.write_bytes(data)
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size and time: only the bytes tell
    parsed.clear()
    r = _ingest(store, root)
    assert parsed == [str(p)] and r.counts["updated"] == 1


def test_an_interrupted_first_ingest_is_completed(tmp_path: Path, parsed: list[str]) -> None:
    root = _folder(tmp_path / "in")
    path = str(tmp_path / "s.db")

    class Dies(SQLiteStore):
        """Killed while writing its second batch: nothing of that batch is kept."""

        calls = 0

        def put_articles(self, articles: Any, documents: Any = ()) -> Any:
            Dies.calls += 1
            if Dies.calls == 2:
                raise KeyboardInterrupt
            return super().put_articles(articles, documents)

    dying = Dies(path)
    with pytest.raises(KeyboardInterrupt):
        service.ingest([str(root)], dying, analyzer=Done(), batch_size=1)
    dying.close()
    st = open_store(path)
    assert st.count_articles() == 1  # a.txt only
    parsed.clear()
    r = service.ingest([str(root)], st, analyzer=Done())
    assert parsed == [str(root / "b.txt"), str(root / "multi.txt")]
    assert r.counts["unchanged"] == 1 and r.counts["new"] == 4
    st.close()


def test_a_source_read_with_a_failure_is_read_every_time_and_keeps_its_articles(
    store: SQLiteStore, tmp_path: Path, parsed: list[str]
) -> None:
    root = tmp_path / "feed"
    root.mkdir()
    lines = [
        json.dumps({"title": "وصول قطار الشمال", "text": "وصل قطار الشمال الجديد إلى المحطة المركزية ظهر اليوم."}, ensure_ascii=False),
        "{not json",
        json.dumps({"title": "افتتاح متحف المدينة", "text": "افتتح متحف المدينة قاعة جديدة للخرائط القديمة هذا الأسبوع."}, ensure_ascii=False),
    ]  # fmt: skip
    (root / "items.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    first = _ingest(store, root)
    assert first.counts["new"] == 2 and first.failed == 1
    parsed.clear()
    r = _ingest(store, root)
    assert parsed == [str(root / "items.jsonl")]  # the failure is told again, so the file is read again
    assert r.counts["unchanged"] == 2 and r.failed == 1
    assert store.count_articles() == 2


def test_a_record_stream_keeps_every_article(store: SQLiteStore, tmp_path: Path, parsed: list[str]) -> None:
    root = tmp_path / "feed"
    root.mkdir()
    recs = [
        {"title": f"خبر رقم {i} عن الطقس", "text": f"توقعت الأرصاد طقسا معتدلا في اليوم {i} مع رياح خفيفة."}
        for i in range(1, 5)
    ]
    (root / "items.jsonl").write_text(
        "\n".join(json.dumps(x, ensure_ascii=False) for x in recs), encoding="utf-8"
    )
    _ingest(store, root)
    keys = {a.source.key for a in store.iter_articles()}
    assert len(keys) == 4
    parsed.clear()
    r = _ingest(store, root)
    assert parsed == [] and r.counts["unchanged"] == 4 and r.documents == 1
    assert {a.source.key for a in store.iter_articles()} == keys


def test_a_document_with_an_article_gone_is_read_again(
    store: SQLiteStore, tmp_path: Path, parsed: list[str]
) -> None:
    root = _folder(tmp_path / "in")
    _ingest(store, root)
    con = sqlite3.connect(tmp_path / "t.db")
    con.execute("DELETE FROM sources WHERE source_key LIKE '%multi.txt@1'")  # behind the store's back
    con.commit()
    con.close()
    parsed.clear()
    r = _ingest(store, root)
    assert parsed == [str(root / "multi.txt")]
    assert r.counts["unchanged"] == 4 and r.counts["duplicate"] == 1  # the source is linked again


def test_articles_stored_unanalysed_are_read_and_analysed(
    store: SQLiteStore, tmp_path: Path, parsed: list[str]
) -> None:
    root = _folder(tmp_path / "in")
    service.ingest([str(root)], store, analyzer=None)  # --no-analyze
    parsed.clear()
    assert service.ingest([str(root)], store, analyzer=None).counts["unchanged"] == 5 and parsed == []
    again = Done()
    r = _ingest(store, root, again)
    assert len(parsed) == 3 and again.calls == 5 and r.counts["unchanged"] == 5
    assert all(a.analysis is AnalysisState.DONE for a in store.iter_articles(with_analysis=False))
    parsed.clear()
    assert _ingest(store, root).counts["unchanged"] == 5 and parsed == []


def test_a_new_reader_reads_every_document_once_more(
    store: SQLiteStore, tmp_path: Path, parsed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _folder(tmp_path / "in")
    _ingest(store, root)
    monkeypatch.setattr(documents, "reader_fingerprint", lambda: b"another marsad")
    parsed.clear()
    r = _ingest(store, root)
    assert len(parsed) == 3 and r.counts["unchanged"] == 5


def test_the_hash_covers_what_the_container_said() -> None:
    src = SourceRef(origin="x.warc", member="https://example.org/a")
    a = RawDocument(source=src, data=b"<p>x</p>", meta={"url": "https://example.org/a"})
    assert documents.raw_hash(a) == documents.raw_hash(replace(a))
    assert documents.raw_hash(a) != documents.raw_hash(replace(a, data=b"<p>y</p>"))
    assert documents.raw_hash(a) != documents.raw_hash(replace(a, meta={"url": "https://example.org/b"}))
    assert documents.raw_hash(a) != documents.raw_hash(replace(a, source=replace(src, encoding="cp1256")))


def test_only_a_document_read_whole_is_recorded() -> None:
    src = SourceRef(origin="f.txt")
    arts = [Article(id=f"x{i}", source=replace(src, part=i), title=None, body="نص") for i in range(2)]
    assert documents.mark("f.txt", "h", arts, True) == DocumentMark("f.txt", "h", ("@0", "@1"))
    assert documents.mark("f.txt", "h", arts, False) == DocumentMark("f.txt", None)
    assert documents.mark("f.txt", "h", [], True) is None  # nothing written: what is recorded holds
    other = [Article(id="y", source=SourceRef(origin="f.txt.bak"), title=None, body="نص")]
    assert documents.mark("f.txt", "h", other, True) == DocumentMark("f.txt", None)


def test_a_version_13_store_is_migrated_and_read_once_more(tmp_path: Path, parsed: list[str]) -> None:
    root = _folder(tmp_path / "in")
    path = tmp_path / "old.db"
    st = open_store(str(path))
    _ingest(st, root)  # type: ignore[arg-type]
    st.close()
    con = sqlite3.connect(path)  # as version 13 left it: no documents table
    con.execute("DROP TABLE documents")
    con.execute("ALTER TABLE articles DROP COLUMN story_room")  # what version 15 added
    con.execute("CREATE TABLE quotes_t AS SELECT * FROM quotes")  # version 16: quotes a table again
    con.execute("DROP VIEW quotes")
    con.execute("DROP TABLE quote_rows")
    con.execute("ALTER TABLE quotes_t RENAME TO quotes")
    con.execute("DELETE FROM schema_version WHERE version >= 14")
    con.commit()
    con.close()
    st = open_store(str(path))
    assert st.schema_version() == st.latest_schema
    parsed.clear()
    r = _ingest(st, root)  # type: ignore[arg-type]
    assert len(parsed) == 3 and r.counts["unchanged"] == 5  # nothing recorded yet: read, and recorded
    parsed.clear()
    r = _ingest(st, root)  # type: ignore[arg-type]
    assert parsed == [] and r.counts["unchanged"] == 5
    st.close()


def test_two_places_with_one_document_id_are_never_taken_for_each_other(
    store: SQLiteStore, tmp_path: Path, parsed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from marsad.store import sql

    monkeypatch.setattr(sql, "document_id", lambda key: 7)  # every place hashes alike
    root = _folder(tmp_path / "in")
    _ingest(store, root)  # the last document read holds the one row
    parsed.clear()
    r = _ingest(store, root)
    assert r.counts["unchanged"] == 5 and len(parsed) == 2  # a.txt and b.txt are read again
    assert str(root / "multi.txt") not in parsed
