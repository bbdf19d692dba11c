"""One poisonous article never stops an ingest: whatever stage raises on it (entities, quotes, the story
stage, the index), every other article is stored and complete, the poisonous one is stored with what could
be computed and named on one ``failed`` line, the run exits 1, and ``marsad reanalyze --failed`` completes
it once the cause is gone. Runs the real CLI in a subprocess with the failing stage patched to raise on
one marked article (the way a real bug would)."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from .conftest import SEEDS, need

POISON = "كلمة_مسمومة"

_DRIVER = r"""
import sys
stage = sys.argv[1]
POISON = "كلمة_مسمومة"

def boom(*a, **k):
    raise IndexError("list index out of range")

if stage == "quotes":
    import marsad.pipeline as p
    real = p.extract_quotes
    p.extract_quotes = lambda body, *a, **k: boom() if POISON in body else real(body, *a, **k)
elif stage == "entities":
    from marsad.entities import MentionFinder
    real_find = MentionFinder.find
    MentionFinder.find = lambda self, text, **k: boom() if POISON in text else real_find(self, text, **k)
elif stage == "stories":
    from marsad.cluster import StoryClusterer
    real_add = StoryClusterer.add
    StoryClusterer.add = lambda self, a, **k: boom() if POISON in a.body else real_add(self, a, **k)
elif stage == "index":
    from marsad.search.engine import SearchIndex
    real_docs = SearchIndex.documents
    SearchIndex.documents = lambda self, a: boom() if POISON in a.body else real_docs(self, a)
from marsad.cli import main
sys.exit(main(sys.argv[2:]))
"""


def _cli(stage: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _DRIVER, stage, *args], capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "pages"
    d.mkdir()
    for p in sorted(need(SEEDS).glob("*.txt")):
        (d / p.name).write_bytes(p.read_bytes())
    (d / "poison.txt").write_text(
        "خبر عادي عن الاقتصاد\n"
        "قال الرئيس الروسي فلاديمير بوتين إن النمو سيتحسن هذا العام، مضيفا أن الأسعار ستستقر. "
        + POISON
        + " وتابع الوزير قائلا\n",
        encoding="utf-8",
    )
    return d


def _articles(db: Path) -> dict[str, dict[str, object]]:
    from marsad.store import open_store

    st = open_store(str(db), readonly=True)
    try:
        return {
            a.source.key: {
                "analysis": a.analysis.value,
                "error": a.analysis_error,
                "mentions": len(a.mentions),
                "quotes": len(a.quotes),
                "story": a.story_id,
            }
            for a in st.iter_articles()
        }
    finally:
        st.close()


@pytest.mark.e2e
@pytest.mark.parametrize("stage", ["entities", "quotes", "stories", "index"])
def test_a_poisonous_article_is_named_and_everything_else_is_stored(
    stage: str, folder: Path, tmp_path: Path
) -> None:
    db = tmp_path / "m.db"
    run = _cli(stage, "ingest", str(folder), "--db", str(db))
    assert run.returncode == 1, run.stderr
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr
    failed = [line for line in run.stderr.splitlines() if line.startswith("failed")]
    assert len(failed) == 1, run.stderr
    assert "poison.txt" in failed[0] and f"{stage}: IndexError: list index out of range" in failed[0]
    arts = _articles(db)
    poison = next(v for k, v in arts.items() if "poison.txt@" in k)
    others = [v for k, v in arts.items() if "poison.txt@" not in k]
    assert len(others) == 8  # every seed article
    assert all(v["analysis"] == "done" and v["story"] for v in others)
    if stage in ("entities", "quotes"):
        assert poison["analysis"] == "failed" and str(poison["error"]).startswith(stage)
        assert poison["story"]  # still clustered and indexed
        if stage == "quotes":
            assert poison["mentions"]  # what the entity stage found is kept
    elif stage == "stories":
        assert poison["analysis"] == "done" and poison["story"] is None
    # the cause gone (a fixed release): the next run completes what is missing, and reports no failure
    if stage in ("entities", "quotes"):
        fix = _cli("none", "reanalyze", "--failed", "--db", str(db), "--json")
        assert fix.returncode == 0, fix.stderr
        assert json.loads(fix.stdout.splitlines()[-1])["analysed"] == 1
    again = _cli("none", "ingest", str(folder), "--db", str(db))
    assert again.returncode == 0, again.stderr
    poison = next(v for k, v in _articles(db).items() if "poison.txt@" in k)
    assert poison["analysis"] == "done" and poison["story"] and poison["quotes"]
    if stage == "index":
        hits = _cli("none", "search", POISON, "--db", str(db), "--json")
        assert hits.returncode == 0 and "مسمومة" in hits.stdout, (hits.stdout, hits.stderr)


def test_an_unreadable_folder_or_a_path_inside_one_is_a_failed_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a user without the permission meets it (simulated, so it also holds when tests run as root)."""
    import os

    from marsad import service
    from marsad.store import open_store

    d = tmp_path / "in"
    (d / "locked").mkdir(parents=True)
    (d / "ok.txt").write_text("عنوان\nقال المتحدث إن الاجتماع انتهى بنجاح كبير اليوم.\n", encoding="utf-8")
    (d / "locked" / "x.txt").write_text("نص", encoding="utf-8")
    locked = str(d / "locked")
    real_scandir, real_stat = os.scandir, os.stat

    def scandir(path: object = ".") -> object:
        if str(path).startswith(locked):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    def stat(path: object, *a: object, **k: object) -> object:
        if str(path).startswith(locked + os.sep):
            raise PermissionError(13, "Permission denied", str(path))
        return real_stat(path, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "stat", stat)
    st = open_store(str(tmp_path / "m.db"))
    try:
        r = service.ingest([str(d)], st)
        assert r.counts["new"] == 1 and r.failures == [(locked, "cannot read folder: Permission denied")]
        r = service.ingest([str(d / "locked" / "x.txt")], st)
        assert r.failures == [(str(d / "locked" / "x.txt"), "cannot read: Permission denied")]
        r = service.ingest([locked], st)
        assert r.failures == [(locked, "cannot read folder: Permission denied")] and r.documents == 0
    finally:
        st.close()


def test_an_article_the_store_cannot_take_fails_alone(tmp_path: Path) -> None:
    from dataclasses import replace

    from marsad.ingest.flow import IngestReport, store_articles
    from marsad.model import Article, SourceRef
    from marsad.store import open_store

    def art(n: int, **kw: object) -> Article:
        a = Article(
            id=f"id{n}",
            source=SourceRef(origin=f"/in/{n}.txt"),
            title="t",
            body=f"نص {n}",
            content_hash=f"h{n}",
        )
        return replace(a, **kw)  # type: ignore[arg-type]

    bad = art(2, source=SourceRef(origin="/in/bad.txt", part=2**70))  # no backend holds a 71-bit int
    st = open_store(str(tmp_path / "m.db"))
    try:
        report = IngestReport()
        store_articles(st, [art(1), bad, art(3)], report)
        assert report.counts["new"] == 2 and st.count_articles() == 2
        assert len(report.failures) == 1 and report.failures[0][1].startswith("store: OverflowError")
    finally:
        st.close()


def test_headline_quotes_are_checked_against_the_title() -> None:
    from marsad.ingest.flow import analyse
    from marsad.model import AnalysisState, Article, Quote, QuoteKind, SourceRef, Stance

    title = "بيسكوف: لا أساس لهذه التقارير من الصحة على الإطلاق"
    hq = Quote(
        start=8,
        end=len(title),
        text=title[8:],
        kind=QuoteKind.DIRECT,
        cue=None,
        stance=Stance.STATEMENT,
        in_headline=True,
    )
    a = Article(id="x", source=SourceRef(origin="/x"), title=title, body="نص قصير", content_hash="h")
    out = analyse(a, lambda art: replace(art, quotes=(hq,)))
    assert out.analysis is AnalysisState.DONE and out.quotes == (hq,)  # longer than the body, still kept
    body_q = replace(hq, in_headline=False)
    out = analyse(a, lambda art: replace(art, quotes=(body_q,)))
    assert (
        out.analysis is AnalysisState.FAILED
        and out.quotes == ()
        and "offsets outside" in str(out.analysis_error)
    )
