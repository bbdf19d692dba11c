"""The story stage inside ingest: seeds cluster into the six gold events, state carries across runs,
articles left without a story by an interrupted run are clustered by the next one, CLI listings."""

from __future__ import annotations

import json
import random
import shutil
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from marsad import service
from marsad.model import Article, SourceRef
from marsad.normalize.arabic import normalize_text
from marsad.store.base import ArticleFilter
from marsad.store.sqlite import SQLiteStore

from .conftest import SEEDS, need


def _partition(store: SQLiteStore) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for a in store.iter_articles(with_analysis=False):
        assert a.story_id is not None, a.id
        groups[a.story_id].add(f"{a.source.file_name}#{a.part}")
    return {frozenset(g) for g in groups.values()}


def _gold() -> set[frozenset[str]]:
    gold = json.loads((need(SEEDS) / "gold.json").read_text(encoding="utf-8"))
    groups: dict[str, set[str]] = defaultdict(set)
    for d in gold["documents"]:
        for k, a in enumerate(d["articles"]):
            groups[a["event"]].add(f"{d['file']}#{k}")
    return {frozenset(g) for g in groups.values()}


def _ingest(store: SQLiteStore, *paths: Path) -> service.IngestReport:
    from marsad.pipeline import build_analyzer

    r = service.ingest([str(p) for p in paths], store, analyzer=build_analyzer())
    service.after_ingest(store, r, index=False)
    return r


def test_seeds_form_the_gold_stories_and_one_storyline(store: SQLiteStore) -> None:
    _ingest(store, need(SEEDS))
    assert _partition(store) == _gold()
    stories = store.iter_stories()
    assert len(stories) == 6 and store.count_stories() == 6
    assert len({s.storyline_id for s in stories}) == 1
    for s in stories:
        texts = " ".join(a.body for i in s.article_ids if (a := store.get_article(i)) is not None)
        assert 1 <= len(s.summary) <= 4 and all(sentence in texts for sentence in s.summary)


def test_two_runs_give_the_one_run_result(store: SQLiteStore, tmp_path: Path) -> None:
    files = sorted(need(SEEDS).glob("*.txt"))
    first, second = tmp_path / "a", tmp_path / "b"
    for i, f in enumerate(files):
        (first if i % 2 == 0 else second).mkdir(exist_ok=True)
        shutil.copy(f, (first if i % 2 == 0 else second) / f.name)
    _ingest(store, first)
    _ingest(store, second)
    assert _partition(store) == _gold()


def test_unclustered_articles_are_picked_up(store: SQLiteStore) -> None:
    from marsad.pipeline import build_analyzer

    service.ingest([str(need(SEEDS))], store, analyzer=build_analyzer())  # "killed" before the story stage
    assert len(store.ids_without_story()) == 8
    run = service.after_ingest(store, service.IngestReport(), index=False)
    assert run and store.ids_without_story() == [] and _partition(store) == _gold()


def _assignments(store: SQLiteStore) -> dict[str, tuple[str | None, str | None, str | None]]:
    return {
        a.id: (a.story_id, a.storyline_id, a.duplicate_of) for a in store.iter_articles(with_analysis=False)
    }


def test_small_chunks_decide_what_one_chunk_decides(tmp_path: Path) -> None:
    from marsad.pipeline import build_analyzer
    from marsad.store import open_store
    from marsad.stories import cluster_new

    results = []
    for chunk in (1000, 3):
        st = open_store(str(tmp_path / f"c{chunk}.db"))
        try:
            service.ingest([str(need(SEEDS))], st, analyzer=build_analyzer())
            run = cluster_new(st, [], chunk=chunk)
            assert run.articles == 8 and not run.failures
            results.append((_assignments(st), {s.id: s.storyline_id for s in st.iter_stories()}))
            assert st.get_state("stories:state:v1") is None
            assert [i for i, _ in st.iter_state_rows("story")]  # open stories saved as rows
        finally:
            st.close()
    assert results[0] == results[1]


_TEXT = (
    "أعلنت بلدية المدينة افتتاح حديقة عامة جديدة قرب السوق القديم وقالت إن أعمال التشجير ستستمر حتى نهاية "
    "الشهر بمشاركة متطوعين من الأحياء المجاورة بينما طالب السكان بمواقف للسيارات وإنارة أفضل للطرق ومكتبة "
    "صغيرة للأطفال ونافورة في الساحة الكبرى وممرات للدراجات ومقاعد تحت الأشجار وسياج حول الملعب"
)
_WORDS = _TEXT.split()


def _dated(n: int, day: datetime, body: str | None = None) -> Article:
    body = body or " ".join(random.Random(n).sample(_WORDS, 40))  # shuffled: no two are near-copies
    return Article(
        id=f"p{n}",
        content_hash=f"h{n}",
        source=SourceRef(origin=f"/in/p{n}.txt"),
        title=f"حديقة رقم {n}",
        body=body,
        published=day,
        outlet="o1",
        search_text=normalize_text(body),
    )


def test_a_chunk_spanning_years_primes_the_days_around_its_articles_only(tmp_path: Path) -> None:
    from marsad.store import open_store
    from marsad.stories import PRIME_DAYS, cluster_new

    t0 = datetime(2019, 3, 1, 9, 0, tzinfo=UTC)
    st = open_store(str(tmp_path / "gap.db"))
    try:
        stored = [_dated(k, t0 + timedelta(days=k)) for k in range(30)]  # an article a day for 30 days
        st.put_articles(stored)
        cluster_new(st, [a.id for a in stored])
        old, late = t0 + timedelta(days=2, hours=3), t0 + timedelta(days=29, hours=3)
        copy = replace(_dated(100, late, body=stored[28].body), id="copy", content_hash="hcopy")
        batch = [_dated(101, old), copy]  # one chunk, 27 days apart
        st.put_articles(batch)
        read: list[str] = []
        iter_articles = st.iter_articles

        def spy(
            flt: ArticleFilter | None = None, *, with_analysis: bool = True, with_search_text: bool = True
        ) -> Iterator[Article]:
            for a in iter_articles(flt, with_analysis=with_analysis, with_search_text=with_search_text):
                read.append(a.id)
                yield a

        st.iter_articles = spy  # type: ignore[method-assign]
        run = cluster_new(st, [a.id for a in batch])
        assert run.articles == 2 and not run.failures
        primed = {
            a.id for a in stored if a.published and (a.published - t0).days in {*range(0, 3), *range(26, 30)}
        }
        past = [i for i in read if i not in {"p101", "copy"}]
        assert set(past) == primed and len(past) == 2 * (PRIME_DAYS + 1) - 1  # days 0-2 and 26-29
        got = st.get_article("copy")
        assert got is not None and got.duplicate_of == stored[28].id  # still found: primed from its day
    finally:
        st.close()
