"""Streaming story clustering: grouping, undated handling, repair, determinism, state, storylines."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from marsad.cluster import (
    ClusterParams,
    StoryClusterer,
    StorylineLinker,
    StorylineParams,
    StorySnapshot,
    order_key,
)
from marsad.cluster.stream import story_id_for
from marsad.model import Article, SourceRef
from marsad.normalize.arabic import normalize_text

LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
T0 = datetime(2018, 3, 1, 6, tzinfo=UTC)
COMMON = ["".join(random.Random(i).choice(LETTERS) for _ in range(5)) for i in range(60)]


def vocab(seed: int, n: int = 40) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(LETTERS) for _ in range(rng.randint(4, 7))) for _ in range(n)]


def article(aid: str, topic: int, hours: float | None, seed: int, share: float = 0.6) -> Article:
    """An article about ``topic``: ``share`` of the topic's words, the rest shared filler words."""
    rng = random.Random(seed)
    topic_words = vocab(topic)
    body = " ".join(
        rng.choice(topic_words) if rng.random() < share else rng.choice(COMMON) for _ in range(150)
    )
    title = " ".join(rng.sample(topic_words, 6))
    return Article(
        id=aid,
        source=SourceRef(origin=aid),
        title=title,
        body=body,
        published=None if hours is None else T0 + timedelta(hours=hours),
        outlet=f"o{seed % 3}",
        search_text=normalize_text(f"{title}\n{body}"),
    )


def stream(n_topics: int = 6, per_topic: int = 5, days: int = 1) -> list[Article]:
    arts = [
        article(f"t{t}-{k}", t, hours=(t * 7 + k * 3) % (24 * days), seed=100 * t + k)
        for t in range(n_topics)
        for k in range(per_topic)
    ]
    return sorted(arts, key=order_key)


def run(arts: list[Article], params: ClusterParams | None = None) -> dict[str, str]:
    c = StoryClusterer(params)
    raw = {a.id: c.add(a).story_id for a in arts}
    c.close_all()
    return {k: c.resolve(v) for k, v in raw.items()}


def partition(labels: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for k, v in labels.items():
        groups[v].add(k)
    return {frozenset(g) for g in groups.values()}


def gold(arts: list[Article]) -> set[frozenset[str]]:
    return partition({a.id: a.id.split("-")[0] for a in arts})


def test_topics_become_stories() -> None:
    arts = stream()
    assert partition(run(arts)) == gold(arts)


def test_deterministic_ids_and_assignments() -> None:
    arts = stream()
    a, b = run(arts), run(arts)
    assert a == b
    first: dict[str, str] = {}
    for art in arts:
        first.setdefault(art.id.split("-")[0], art.id)
    # A story is named after its first article, whatever else happened in the stream.
    assert set(a.values()) == {story_id_for(aid) for aid in first.values()}


def test_same_result_under_another_hash_seed() -> None:
    """No set/hash-order dependence: another process with another PYTHONHASHSEED agrees exactly."""
    code = (
        "import json, sys; sys.path.insert(0, '.');"
        "from tests.test_cluster import run, stream;"
        "print(json.dumps(run(stream(n_topics=8, per_topic=6, days=3)), sort_keys=True))"
    )
    repo = Path(__file__).resolve().parents[1]
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=repo,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outs) == 1
    assert json.loads(outs.pop()) == run(stream(n_topics=8, per_topic=6, days=3))


def test_order_within_a_day_does_not_change_the_stories() -> None:
    arts = stream()
    rng = random.Random(5)
    for _ in range(3):
        shuffled = arts[:]
        rng.shuffle(shuffled)
        assert partition(run(shuffled)) == gold(arts)


def test_time_separates_the_same_topic_weeks_apart() -> None:
    early = [article(f"e-{k}", 1, k, seed=k) for k in range(3)]
    late = [article(f"l-{k}", 1, 24 * 20 + k, seed=50 + k) for k in range(3)]
    labels = run(early + late)
    assert len({labels[a.id] for a in early + late}) == 2


def test_undated_articles_do_not_pile_up() -> None:
    undated = [article(f"u{t}-0", t, None, seed=t) for t in range(5)]
    dated = [article("d-0", 10, 1, seed=77)]
    labels = run(dated + undated)
    assert len(set(labels.values())) == 6  # one story per topic, not one bin of undated articles
    twins = [article("v-0", 9, None, seed=1), article("v-1", 9, None, seed=2)]
    labels = run(twins)
    assert labels["v-0"] == labels["v-1"]  # undated articles on one topic still group


def test_repair_merges_converged_stories() -> None:
    c = StoryClusterer(ClusterParams(threshold=1.1, merge_threshold=0.3, repair_every=0))
    a, b = article("m-0", 3, 1, seed=1), article("m-1", 3, 2, seed=2)
    sa, sb = c.add(a).story_id, c.add(b).story_id
    assert sa != sb
    merges = c.repair()
    assert [(m.merged, m.into) for m in merges] == [(sb, sa)]  # the older story survives
    assert c.resolve(sb) == sa
    (story,) = c.close_all()
    assert story.article_ids == ["m-0", "m-1"]


def test_repair_keeps_distinct_stories() -> None:
    c = StoryClusterer(ClusterParams(repair_every=0))
    for a in stream(n_topics=3, per_topic=2):
        c.add(a)
    assert c.repair() == []


def test_state_round_trip_continues_like_one_run() -> None:
    arts = stream(n_topics=8, per_topic=6, days=6)
    # A high join threshold leaves the merging to the repair pass, so its state matters too.
    params = ClusterParams(threshold=0.9, merge_threshold=0.3, repair_every=7, window_days=1.0)
    one = StoryClusterer(params)
    ref = [one.add(a) for a in arts]
    half = len(arts) // 2
    c = StoryClusterer(params)
    got = [c.add(a) for a in arts[:half]]
    c = StoryClusterer.from_state(json.loads(json.dumps(c.to_state())))
    got += [c.add(a) for a in arts[half:]]
    assert got == ref
    assert json.dumps(c.to_state()) == json.dumps(one.to_state())


def test_old_stories_leave_the_active_index() -> None:
    c = StoryClusterer(ClusterParams(window_days=2))
    for day in range(20):
        for t in range(3):
            c.add(article(f"t{day * 3 + t}-0", day * 3 + t, 24 * day, seed=day * 3 + t))
    assert len(c.active_stories()) <= 9  # about window x arrival rate, not the 60 stories seen
    assert len(c.pop_closed()) >= 50


def test_storylines_link_stories_of_one_matter() -> None:
    c = StoryClusterer()
    arts = [article(f"s{k}-0", 4, 24 * 10 * k, seed=k, share=0.9) for k in range(4)]
    arts.append(article("x-0", 8, 24 * 45, seed=9, share=0.9))
    for a in arts:
        c.add(a)
    lk = StorylineLinker()
    lines = [lk.add(s) for s in c.close_all()]
    assert len(lines) == 5 and len(set(lines[:4])) == 1 and lines[4] != lines[0]
    restored = StorylineLinker.from_state(json.loads(json.dumps(lk.to_state())))
    assert restored.to_state() == lk.to_state()


# -- seeds (shared data) ----------------------------------------------------------------------------
BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.mark.data
def test_seeds_cluster_like_gold(seeds: Path) -> None:
    sys.path.insert(0, str(BENCH))
    from bench_cluster import bcubed, load_seeds

    doc = json.loads((seeds / "gold.json").read_text(encoding="utf-8"))
    gold_ev = {
        f"{Path(d['file']).stem}#{k}": a["event"]
        for d in doc["documents"]
        for k, a in enumerate(d["articles"])
    }
    arts = sorted((a for a, _ in load_seeds(seeds)), key=order_key)
    assert bcubed(run(arts), gold_ev) == (1.0, 1.0, 1.0)
    c = StoryClusterer()
    for a in arts:
        c.add(a)
    lk = StorylineLinker()
    assert len({lk.add(s) for s in c.close_all()}) == 1  # the seeds are one storyline


def test_copies_join_their_original_story_without_counting_twice() -> None:
    c = StoryClusterer()
    a = article("c-0", 2, 1, seed=1)
    sid = c.add(a).story_id
    (before,) = c.active_stories()
    centroid, n_docs = dict(before.centroid), c.stats.n_docs
    copy = replace(article("c-1", 7, 30, seed=2), duplicate_of="c-0")  # text irrelevant: dedup decided
    got = c.add(copy)
    assert (got.story_id, got.is_new, got.score) == (sid, False, 1.0)
    (after,) = c.active_stories()
    assert after.centroid == centroid and c.stats.n_docs == n_docs
    assert after.article_ids == ["c-0", "c-1"] and after.last == copy.published.timestamp()  # type: ignore[union-attr]


def test_undated_stories_survive_the_clock() -> None:
    """Undated articles group the same whether they come first or months of dated news apart."""
    twins = [article("v-0", 9, None, seed=1), article("v-1", 9, None, seed=2)]
    dated = [article(f"d{k}-0", 20 + k, 24 * 30 * k, seed=k) for k in range(6)]
    labels = run([dated[0], twins[0], *dated[1:], twins[1]])
    assert labels["v-0"] == labels["v-1"]
    c = StoryClusterer(ClusterParams(max_undated_stories=2))
    for k in range(5):
        c.add(article(f"u{k}-0", 30 + k, None, seed=k))
    c.add(article("d-0", 40, 1, seed=1))  # a clock tick runs the sweep
    assert sum(s.first is None for s in c.active_stories()) == 2


def test_fast_paths_equal_their_reference() -> None:
    """The hot-loop helpers give exactly what the plain versions give."""
    import heapq

    from marsad.cluster.features import stem_counts, stem_terms, top_items
    from marsad.normalize.tokens import light_stem, light_stem_fast
    from marsad.normalize.words import NORMALIZED_WORD, words

    rng = random.Random(5)
    pieces = [*vocab(11, 30), "والرئيس", "بأن", "مسؤول", "ﻻ", "ABC", "x_y", "٣٤", "،", "-", " ", "\n", "_"]
    for _ in range(300):
        body = normalize_text(
            "".join(rng.choice(pieces) + rng.choice(["", " ", ".", "_"]) for _ in range(30))
        )
        title = normalize_text("".join(rng.choice(pieces) for _ in range(5)))
        assert words(body) == NORMALIZED_WORD.findall(body)
        assert list(stem_counts(body).items()) == list(Counter(stem_terms(body)).items())
        for text in (f"{title} {body}", f"{title}{body}", f"{title}_{body}", body):
            assert words(text) == NORMALIZED_WORD.findall(text), text
    stemmed = {w for p in pieces for w in NORMALIZED_WORD.findall(normalize_text(p + "ات"))}
    for w in stemmed | {"مسؤولون", "أسئلة"}:
        assert light_stem_fast(normalize_text(w)) == light_stem(normalize_text(w))
    for _ in range(200):
        v = {f"t{i}": float(rng.randint(0, 5)) for i in rng.sample(range(50), rng.randint(1, 40))}
        k = rng.randint(1, 30)
        ref = sorted(v.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        assert top_items(v, k) == ref
        assert [w for _, w in ref] == heapq.nlargest(k, v.values())


def _closed_stories(n: int, gap_hours: float) -> list[StorySnapshot]:
    c = StoryClusterer(ClusterParams(window_days=0.5))
    for k in range(n):
        c.add(article(f"l{k}-0", k, gap_hours * k, seed=k, share=0.9))
    return c.close_all()


def test_storylines_beyond_the_cap_go_least_recently_active_first() -> None:
    stories = _closed_stories(12, 24 * 3)
    lk = StorylineLinker(StorylineParams(max_lines=4, max_idle_days=20))
    for s in stories:
        lk.add(s)
    kept = [d["last"] for d in lk.to_state()["lines"]]
    lasts = sorted(s.last for s in stories if s.last is not None)
    assert sorted(kept) == lasts[-len(kept) :] and len(kept) <= 5  # the cap holds after each advance
    idle = StorylineLinker(StorylineParams(max_idle_days=7))
    for s in stories:
        idle.add(s)
    horizon = max(lasts) - 7 * 86400
    assert all(d["last"] >= horizon for d in idle.to_state()["lines"])  # idle ones are gone


def test_a_trial_leaves_the_linker_as_it_was() -> None:
    stories = _closed_stories(8, 24 * 40)
    lk = StorylineLinker(StorylineParams(max_lines=3, max_idle_days=60))
    for s in stories[:5]:
        lk.add(s)
    lk.take_changes()
    before = json.dumps(lk.to_state())
    with lk.trial() as t:
        lines = [t.add(s) for s in stories[5:]]
    assert json.dumps(lk.to_state()) == before and lk.take_changes() == ([], [])
    assert [lk.add(s) for s in stories[5:]] == lines  # the trial gave what the real additions give
    changed, keys = lk.take_changes()
    assert set(lines) <= set(changed) and keys


def test_linker_rows_restore_the_linker() -> None:
    lk = StorylineLinker()
    for s in _closed_stories(6, 24 * 5):
        lk.add(s)
    lines, keys = lk.take_changes()
    rows = [lk.line_row(i)[0] for i in lines]
    again = StorylineLinker.from_rows(
        lk.meta(), [r for r in rows if r is not None], [(k, p) for k in keys if (p := lk.posting_row(k))]
    )
    assert again.to_state() == lk.to_state()


class _Rows:
    """The reads a lazy linker makes of its rows, counted."""

    lines_: dict[str, str]
    posts_: dict[str, str]
    reads: int

    def lines(self, ids: list[str]) -> list[str]:
        self.reads += len(ids)
        return [self.lines_[i] for i in ids if i in self.lines_]

    def posts(self, keys: list[str]) -> list[tuple[str, str]]:
        return [(k, self.posts_[k]) for k in keys if k in self.posts_]

    def all_posts(self) -> list[tuple[str, str]]:
        return sorted(self.posts_.items())


class _MemRows(_Rows):
    def __init__(self, lk: StorylineLinker) -> None:
        lines, keys = lk.take_changes()
        self.lines_ = {i: v for i in lines if (v := lk.line_row(i)[0]) is not None}
        self.lasts = [(i, lk.line_row(i)[1]) for i in self.lines_]
        self.posts_ = {k: v for k in keys if (v := lk.posting_row(k)) is not None}
        self.reads = 0


def test_a_lazy_linker_reads_only_what_it_needs_and_decides_the_same() -> None:
    stories = _closed_stories(14, 24 * 9)
    eager = StorylineLinker(StorylineParams(max_lines=6))
    for s in stories[:10]:
        eager.add(s)
    rows = _MemRows(eager)
    lazy = StorylineLinker.lazy(eager.meta(), rows.lasts, rows)
    assert rows.reads == 0
    assert [lazy.add(s) for s in stories[10:]] == [eager.add(s) for s in stories[10:]]
    assert rows.reads < len(rows.lines_) + 4
    got, want = lazy.to_state(), eager.to_state()
    assert sorted(got.pop("lines"), key=str) == sorted(want.pop("lines"), key=str)
    assert got == want  # postings (each in its recency order), clock, parameters


class _SavedRows(_Rows):
    """Rows as a store keeps them: what the linker changed, written after each addition."""

    def __init__(self) -> None:
        self.lines_: dict[str, str] = {}
        self.posts_: dict[str, str] = {}
        self.reads = 0

    def save(self, lk: StorylineLinker) -> None:
        lines, keys = lk.take_changes()
        for i in lines:
            value = lk.line_row(i)[0]
            if value is None:
                self.lines_.pop(i, None)
            else:
                self.lines_[i] = value
        for k in keys:
            post = lk.posting_row(k)
            if post is None:
                self.posts_.pop(k, None)
            else:
                self.posts_[k] = post


@pytest.mark.parametrize("held", [(0, 0), (2, 3), (4, 40), (50, 500)])
def test_a_linker_that_forgets_saved_lines_reads_them_back_and_decides_the_same(
    held: tuple[int, int],
) -> None:
    stories = _closed_stories(16, 24 * 5) + _closed_stories(6, 24 * 5)  # the second run joins the first
    params = StorylineParams(max_lines=10, max_idle_days=30)  # lines evicted by count and by idleness
    eager, rows = StorylineLinker(params), _SavedRows()
    forgetful = StorylineLinker(params, source=rows)
    got, want = [], []
    for k, s in enumerate(stories):
        got.append(forgetful.add(s))
        want.append(eager.add(s))
        forgetful.release(*held)  # changes not saved yet: nothing is forgotten
        rows.save(forgetful)
        forgetful.release(*held)
        assert len(forgetful._lines) <= held[0] and len(forgetful._postings) <= held[1]
        if k % 5 == 4:
            with forgetful.trial() as t, eager.trial() as e:
                assert [t.add(x) for x in stories[-3:]] == [e.add(x) for x in stories[-3:]]
    assert got == want and len(set(got)) < len(got)  # some stories joined a storyline
    assert rows.reads > 0 or held[0] >= params.max_lines  # forgotten lines were read back
    g, w = forgetful.to_state(), eager.to_state()
    assert sorted(g.pop("lines"), key=str) == sorted(w.pop("lines"), key=str)
    assert g == w


def test_a_posting_emptied_after_a_release_is_not_read_back_from_its_old_row() -> None:
    c = StoryClusterer(ClusterParams(window_days=0.5))
    for k, hours in enumerate((0, 24 * 40, 24 * 80)):  # one matter, each time after the idle limit
        c.add(article(f"m{k}", 1, hours, seed=k, share=0.9))
    stories = c.close_all()
    params = StorylineParams(max_idle_days=30)
    eager, rows = StorylineLinker(params), _SavedRows()
    forgetful = StorylineLinker(params, source=rows)
    got = []
    for s in stories:  # the old line is dropped, its keys emptied, then probed by the new story
        got.append(forgetful.add(s))
        assert got[-1] == eager.add(s)
        rows.save(forgetful)
        forgetful.release(0, 10_000)  # lines forgotten, posting keys held
    assert len(stories) == len(set(got)) == 3  # each a new storyline: the one before went idle
