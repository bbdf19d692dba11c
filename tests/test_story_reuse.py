"""What the story stage computes once and reuses (issue 13): each member's summary sentences, the stem
counts of the event-time pass, the saved form of a story. Every reuse must give what a computation from
scratch gives."""

from __future__ import annotations

import shutil
from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as hs

from marsad.cluster import ClusterParams, StoryClusterer, StorySnapshot
from marsad.cluster import summary as summary_mod
from marsad.cluster.event_time import EventTimer, estimate_event_times
from marsad.cluster.features import Featurizer, TermStats, ranked_ids
from marsad.cluster.summary import build_story, sentence_spans, split_sentences
from marsad.model import Article, SourceRef
from marsad.normalize.arabic import normalize_each, normalize_text, search_text

T0 = datetime(2021, 3, 2, 8, tzinfo=UTC)
BODIES = [
    "افتتحت البلدية جسرا جديدا فوق النهر صباح الثلاثاء بحضور المحافظ وعدد من السكان. "
    "وقال المحافظ إن الجسر سيخفف الزحام عن وسط المدينة ويختصر الطريق إلى المستشفى.\n"
    "وبلغت كلفة المشروع نحو عشرين مليون دينار، بحسب بيان البلدية.",
    "  فتحت البلدية الجسر الجديد أمام السيارات صباح الثلاثاء بعد عامين من العمل المتواصل.   \n\n"
    "وقال المحافظ إن الجسر سيخفف الزحام عن وسط المدينة ويختصر الطريق إلى المستشفى.\n"
    "وأضاف أن جسرا ثانيا سيبنى قرب الميناء في العام المقبل إذا توفر التمويل اللازم له.",
    "اشتكى سكان الحي القديم من ضجيج الشاحنات بعد افتتاح الجسر الجديد فوق النهر هذا الأسبوع. "
    "وطالبوا البلدية بمنع مرور الشاحنات ليلا وبناء جدار يحجب الصوت عن البيوت القريبة من الطريق.",
]


def _art(i: int, body: str, *, title: str | None = None, hours: float | None = None) -> Article:
    t = title if title is not None else f"الجسر الجديد رقم {i}"
    return Article(
        id=f"a{i}",
        source=SourceRef(origin=f"/in/a{i}.txt"),
        title=t,
        body=body,
        published=None if hours is None else T0 + timedelta(hours=hours),
        outlet=f"o{i}",
        search_text=search_text(t, body),
    )


def test_sentence_spans_are_the_split_sentences() -> None:
    text = "  أولى جملة هنا.   ثانية؟\n\n  ثالثة بلا نقطة  \nد. أحمد قال شيئا. "
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == split_sentences(text)
    assert split_sentences(text) == ["أولى جملة هنا.", "ثانية؟", "ثالثة بلا نقطة", "د. أحمد قال شيئا."]


def test_a_snapshot_saves_every_field_and_reads_back_equal() -> None:
    snap = StorySnapshot(
        id="st-1",
        article_ids=["a1", "a2"],
        centroid={"جسر": 1.5},
        title={"جسر": 0.5},
        entities={"@Q1": 1.0},
        first=1.0,
        last=2.0,
        active=2.0,
        first_key=(False, 1.0, "a1"),
        indexed=["جسر"],
        norm=1.5,
        published=2,
        slots={"round": ["2"]},
        text_years=[2020],
    )
    d = snap.to_json()
    assert list(d) == [f.name for f in fields(StorySnapshot)]
    assert StorySnapshot.from_json(d) == snap
    d["centroid"]["x"] = 9.0  # a copy: saving never shares the live story's containers
    assert "x" not in snap.centroid


def _clusterer() -> StoryClusterer:
    return StoryClusterer(ClusterParams(threshold=0.0))  # one story whatever the scores


def test_a_touched_story_gets_the_record_a_build_from_scratch_gives() -> None:
    c = _clusterer()
    arts = [_art(i, b, hours=i) for i, b in enumerate(BODIES)]
    for a in arts[:2]:
        c.add(a)
    (snap,) = c.active_stories()
    build_story(snap, arts[:2], stats=c.stats)  # the members' sentences are now held
    c.add(arts[2])  # the story is touched: one more member, document frequencies moved
    (snap,) = c.active_stories()
    again = build_story(snap, arts, stats=c.stats)
    summary_mod._TEXTS.clear()
    assert build_story(snap, arts, stats=c.stats) == again
    # the same id with another text (a corrected page) is not served the old sentences
    changed = replace(arts[0], body=BODIES[2], search_text=search_text(arts[0].title, BODIES[2]))
    fresh = build_story(snap, [changed, *arts[1:]], stats=c.stats)
    summary_mod._TEXTS.clear()
    assert build_story(snap, [changed, *arts[1:]], stats=c.stats) == fresh


def test_the_held_sentences_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(summary_mod, "TEXTS_HELD", 2)
    summary_mod._TEXTS.clear()
    c = _clusterer()
    arts = [_art(i, b, hours=i) for i, b in enumerate(BODIES)]
    for a in arts:
        c.add(a)
    (snap,) = c.active_stories()
    build_story(snap, arts, stats=c.stats)
    assert [k[0] for k in summary_mod._TEXTS] == ["a1", "a2"]  # the most recently used


def test_features_from_counts_equal_features_from_the_text() -> None:
    a = _art(0, BODIES[0], hours=0)
    one, two = Featurizer(TermStats.with_prior()), Featurizer(TermStats.with_prior())
    assert one.features(a, counts=two.counts(a)) == two.features(a)
    assert one.stats.df == two.stats.df and one.stats.n_docs == two.stats.n_docs
    assert one.terms(one.counts(a)) == one.features(a, observe=False).terms


def test_event_times_skip_nothing_a_full_comparison_finds() -> None:
    """A dated article that shares no stem with any undated one is not weighed: the estimates are those
    of a timer that weighs every dated article."""
    undated = _art(9, BODIES[1])
    others = [
        _art(i, b, hours=i) for i, b in enumerate([BODIES[0], BODIES[2], "مباراة كرة قدم انتهت بالتعادل."])
    ]
    fast = estimate_event_times([undated, *others], Featurizer(TermStats.with_prior()))
    slow = EventTimer(Featurizer(TermStats.with_prior()))
    slow.add_undated(undated)
    for a in others:
        slow.see(slow.featurizer.terms(slow.featurizer.counts(a)), a.published.timestamp(), ("", None, None))  # type: ignore[union-attr]
    assert fast == slow.result() and fast["a9"].source == "neighbour"


def _stage_result(db: Path) -> tuple[object, ...]:
    from marsad.store import open_store

    st = open_store(str(db))
    try:
        arts = sorted(
            (a.id, a.story_id, a.storyline_id, a.duplicate_of) for a in st.iter_articles(with_analysis=False)
        )
        stories = sorted(st.iter_stories(), key=lambda s: s.id)
        return arts, stories, sorted(st.iter_state_rows("story"))
    finally:
        st.close()


@pytest.mark.slow
def test_the_stage_decides_the_same_with_or_without_the_held_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from marsad import service, stories
    from marsad.pipeline import build_analyzer
    from marsad.store import open_store

    from .conftest import SEEDS, need

    base = tmp_path / "base.db"
    st = open_store(str(base))
    try:
        service.ingest([str(need(SEEDS))], st, analyzer=build_analyzer())
        assert any(p is None for _, p in st.published_of(st.ids_without_story()))  # the timer runs
    finally:
        st.close()
    results = []
    for held in (stories.COUNTS_HELD, 0):
        monkeypatch.setattr(stories, "COUNTS_HELD", held)
        summary_mod._TEXTS.clear()
        db = tmp_path / f"h{held}.db"
        shutil.copyfile(base, db)
        st = open_store(str(db))
        try:
            run = stories.cluster_new(st, [], chunk=3)
            assert run.articles == 8 and not run.failures
        finally:
            st.close()
        results.append(_stage_result(db))
    assert results[0] == results[1]


_PIECES = hs.sampled_from(
    [
        "قال",
        "الرئيس",
        "أنَّ",
        "ـ",
        "ﻻ",
        "ة",
        "٣",
        " ",
        "  ",
        "\t",
        "\u00a0",
        "\u2009",
        "\u2028",
        "\u200f",
        "\r",
        "\n",
        ".",
        "Σ",
        "İ",
        "ok",
    ]
)


@given(hs.lists(hs.lists(_PIECES, max_size=12).map("".join), max_size=6))
def test_normalizing_sentences_together_is_normalizing_each(texts: list[str]) -> None:
    assert normalize_each(texts) == [normalize_text(t) for t in texts]


@given(
    hs.dictionaries(hs.sampled_from("abcdefghij"), hs.sampled_from([0.5, 1.0, 0.25, 2.0])), hs.integers(0, 12)
)
def test_ranked_ids_order_by_score_then_id(acc: dict[str, float], k: int) -> None:
    assert ranked_ids(acc, k) == [i for i, _ in sorted(acc.items(), key=lambda kv: (-kv[1], kv[0]))[:k]]
