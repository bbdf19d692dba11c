"""Streaming story clustering: each article joins the best active story or opens a new one.

Per article (in publication order):

1. features (``features.py``): TF-IDF of light stems, title stems, entity keys;
2. candidates: stories sharing one of the article's top terms or entities in an inverted index that
   holds only the *active* stories (touched within ``window_days`` of the stream clock), ranked by the
   shared weight and capped at ``max_candidates``; so the cost depends on the window, not the archive;
3. score = weighted mean of cosine(article, story centroid), cosine(title, story titles) and
   cosine(entities), times a time decay outside the story's time span; join the best story when
   score >= ``threshold`` (``threshold_undated`` when either side has no date), else open a story.

Undated articles get an event time from ``event_time.py`` when the text or the batch gives one (a date
written in the lead, or the time of the most similar dated article): the story stage streams them at that
time, and they score like dated ones (time decay, windows) but at ``threshold_estimated`` against stories
with published articles, without entity features (the borrowed time already came from shared words), and
never move the stream clock. Only articles with no evidence at all keep the timeless rules: 0.35 to join
another undated story, 0.5 (near-copies only) to join a dated one, always against a story centroid (an
average, so they cannot chain two events).

A repair pass (every ``repair_every`` articles) merges active stories whose centroids converged.
Everything is deterministic for a given input order: ties are broken by ids, never by set or hash order,
and story ids derive from the first article's id. ``to_state``/``from_state`` round-trip through JSON.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from dataclasses import asdict, dataclass, field
from itertools import chain, repeat
from operator import add, itemgetter
from typing import Any

from marsad.clock import DAY, order_key, timestamp
from marsad.cluster.event_time import LEAD_CHARS, EventTime, explicit_years
from marsad.cluster.features import (
    DocFeatures,
    Featurizer,
    TermStats,
    Vector,
    dot,
    norm,
    ranked_ids,
    top_items,
)
from marsad.cluster.vetoes import later_year, merge_slots, slot_conflict, text_slots
from marsad.model import Article
from marsad.normalize.arabic import search_text


@dataclass(frozen=True, slots=True, kw_only=True)
class ClusterParams:
    """Thresholds and weights; defaults calibrated on ``bench/devsets/ant_stories.jsonl``.

    Calibration (``bench/bench_cluster.py --dev``): 403 hand-labelled ANT articles in 145 stories, scored
    while streaming all 31,525 ANT articles in date order (the realistic setting): B-cubed P 0.903,
    R 0.947, F1 0.925 (labelled articles alone: F1 0.956). F1 stays within 0.91-0.925 for thresholds
    0.27-0.31; a tight time decay matters most (grace 0.5 d / tau 3 d: F1 0.89). The undated thresholds
    come from the seeds (undated same-event pair 0.39; undated different-event pairs <= 0.31; undated part
    vs the dated story it was linked from up to 0.40).
    """

    threshold: float = 0.29  # dev-set plateau 0.27-0.31 (F1 0.92-0.925)
    threshold_undated: float = 0.35  # undated article, story of undated articles only
    threshold_undated_dated: float = 0.5  # one side dated, the other not: only near-copies join
    threshold_estimated: float = 0.4  # article timed by an estimate (event_time.py), story dated
    w_text: float = 0.6
    w_title: float = 0.25
    w_entities: float = 0.15
    time_grace_days: float = 0.0  # no decay this close to the story span
    time_tau_days: float = 1.5  # then exp(-gap / tau)
    window_days: float = 3.0  # a story leaves the active index after this long without articles
    max_terms: int = 80  # per-article TF-IDF vector cap
    centroid_terms: int = 200  # per-story centroid cap
    index_terms: int = 20  # centroid terms posted in the inverted index
    probe_terms: int = 15  # article terms used to look up candidates
    max_candidates: int = 40
    max_undated_stories: int = 1000  # stories without any dated article kept active (by count)
    repair_every: int = 200  # articles between repair passes (0: never)
    merge_threshold: float = 0.6  # centroid cosine for the repair pass
    merge_gap_days: float = 1.0  # spans must overlap or be this close


@dataclass(frozen=True, slots=True)
class StoryMerge:
    merged: str  # story id that disappeared
    into: str


@dataclass(frozen=True, slots=True)
class StoryAssignment:
    story_id: str
    is_new: bool
    score: float  # similarity to the joined story (0.0 for a new story)
    merges: tuple[StoryMerge, ...] = ()  # repair merges that ran during this call


@dataclass(slots=True)
class StorySnapshot:
    """What the clusterer knows about a story: enough to build a ``Story`` and link storylines."""

    id: str
    article_ids: list[str]
    centroid: Vector  # summed article vectors (not normalized)
    title: Vector
    entities: Vector
    first: float | None  # UTC seconds of the first/last dated article
    last: float | None
    active: float | None  # stream clock at the last addition (eviction)
    first_key: tuple[bool, float, str]
    indexed: list[str] = field(default_factory=list)
    norm: float = 0.0
    title_norm: float = 0.0
    entities_norm: float = 0.0
    published: int = 0  # members with a publication date (the others are timed by estimates or not)
    slots: dict[str, list[str]] = field(default_factory=dict)  # vetoes.py: values its articles gave
    text_years: list[int] = field(default_factory=list)  # latest year named by each unpublished member

    def to_json(self) -> dict[str, Any]:
        # By hand, not ``asdict``: its recursive deep copy was most of the cost of saving the state rows
        # (a few hundred centroid terms per story, every touched story on every chunk). Same keys, same
        # order, containers copied one level (their items are strings and numbers).
        return {
            "id": self.id,
            "article_ids": list(self.article_ids),
            "centroid": dict(self.centroid),
            "title": dict(self.title),
            "entities": dict(self.entities),
            "first": self.first,
            "last": self.last,
            "active": self.active,
            "first_key": list(self.first_key),
            "indexed": list(self.indexed),
            "norm": self.norm,
            "title_norm": self.title_norm,
            "entities_norm": self.entities_norm,
            "published": self.published,
            "slots": {k: list(v) for k, v in self.slots.items()},
            "text_years": list(self.text_years),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> StorySnapshot:
        k = d["first_key"]
        return cls(
            id=d["id"],
            article_ids=list(d["article_ids"]),
            centroid=dict(d["centroid"]),
            title=dict(d["title"]),
            entities=dict(d["entities"]),
            first=d["first"],
            last=d["last"],
            active=d["active"],
            first_key=(bool(k[0]), float(k[1]), str(k[2])),
            indexed=list(d["indexed"]),
            norm=float(d["norm"]),
            title_norm=float(d["title_norm"]),
            entities_norm=float(d["entities_norm"]),
            published=int(d.get("published", 1 if d["first"] is not None else 0)),
            slots={str(k): [str(x) for x in v] for k, v in d.get("slots", {}).items()},
            text_years=[int(y) for y in d.get("text_years", [])],
        )


# Relative margin of the early exits in ``_score``: cosines computed in floating point can exceed 1 by a
# few ulps; 1e-6 is far above that and far below any score difference that matters.
_SLACK = 1.0 + 1e-6
_FIRST, _SECOND = itemgetter(0), itemgetter(1)


def story_id_for(article_id: str) -> str:
    return "st-" + hashlib.blake2b(article_id.encode("utf-8"), digest_size=8).hexdigest()


def _add_into(acc: Vector, v: Vector) -> None:
    # acc[t] = acc.get(t, 0.0) + w for each (t, w) of v, in one C-level pass (v's keys are distinct).
    acc.update(zip(v, map(add, map(acc.get, v, repeat(0.0)), v.values()), strict=True))


def _cap(v: Vector, k: int) -> Vector:
    # Trim only at 2x the cap, so the sort runs once per k additions, not on every article.
    return dict(top_items(v, k)) if len(v) > 2 * k else v


class StoryClusterer:
    def __init__(self, params: ClusterParams | None = None, stats: TermStats | None = None) -> None:
        self.params = params or ClusterParams()
        self.stats = stats if stats is not None else TermStats.with_prior()
        self.featurizer = Featurizer(self.stats, self.params.max_terms)
        self._stories: dict[str, StorySnapshot] = {}
        self._postings: dict[str, dict[str, None]] = {}
        self._aliases: dict[str, str] = {}
        self._members: dict[str, str] = {}  # article id -> story id, active stories only
        self._closed: list[StorySnapshot] = []
        self._dirty: dict[str, None] = {}
        self._clock: float | None = None
        self._last_sweep: float | None = None
        self._n = 0
        self.candidates_scored = 0
        self.vetoed = 0  # candidates skipped by a veto (vetoes.py)

    # -- public API ------------------------------------------------------------------------------
    def add(
        self,
        article: Article,
        features: DocFeatures | None = None,
        event_time: EventTime | None = None,
        counts: dict[str, int] | None = None,
    ) -> StoryAssignment:
        """Assign ``article`` to a story. ``features`` lets a caller reuse features computed by this
        clusterer's featurizer in the same order (parameter sweeps); normally leave it None.
        ``event_time`` (``event_time.estimate_event_times``) places an undated article in time: it then
        scores like a dated one, but never moves the stream clock. ``counts``: the article's stem counts
        (``Featurizer.counts``) when the caller has them."""
        ts = timestamp(article.published)
        if ts is not None and (self._clock is None or ts > self._clock):
            self._clock = ts
            self._maybe_sweep()
        estimated = ts is None and event_time is not None and event_time.ts is not None
        if estimated:
            assert event_time is not None
            ts = event_time.ts
        home = self._members.get(article.duplicate_of) if article.duplicate_of else None
        if home is not None:
            # A copy (dedup stage) joins its original's story as is: it adds no evidence, so neither the
            # centroid nor the document frequencies count it twice.
            st = self._stories[home]
            self._extend(st, article.id, ts, not estimated)
            return self._finish(st, False, 1.0)
        feats = features if features is not None else self.featurizer.features(article, counts=counts)
        lead = (article.search_text or search_text(article.title, article.body))[:LEAD_CHARS]
        slots = text_slots(lead, normalized=True)
        text_year: int | None = None
        if article.published is None:  # a published article is placed by its date; the rest by the text
            years = explicit_years(lead, normalized=True)
            text_year = max(years) if years else None
        best_id, best = None, 0.0
        for sid in self._candidates(feats):
            self.candidates_scored += 1
            st = self._stories[sid]
            if slot_conflict(slots, st.slots) or later_year(text_year, st.last, st.text_years):
                self.vetoed += 1
                continue  # the text keeps them apart, however alike the words
            floor = self._threshold(ts, st, estimated)
            s = self._score(feats, ts, st, floor, entities=not estimated)
            if s < floor:
                continue  # thresholds differ for dated/undated stories: filter before taking the best
            if best_id is None or s > best or (s == best and sid < best_id):
                best_id, best = sid, s
        if best_id is None:
            st = self._open(article, ts)
            is_new, score = True, 0.0
        else:
            st = self._stories[best_id]
            is_new, score = False, best
        self._join(st, article, feats, ts, not estimated)
        merge_slots(st.slots, slots)
        if text_year is not None and len(st.text_years) < 20:
            st.text_years.append(text_year)
        return self._finish(st, is_new, score)

    def _finish(self, st: StorySnapshot, is_new: bool, score: float) -> StoryAssignment:
        self._n += 1
        merges: tuple[StoryMerge, ...] = ()
        if self.params.repair_every and self._n % self.params.repair_every == 0:
            merges = tuple(self.repair())
        return StoryAssignment(st.id, is_new, round(score, 6), merges)

    def resolve(self, story_id: str) -> str:
        """The current id of a story (stories merged by repair point to the survivor)."""
        while story_id in self._aliases:
            story_id = self._aliases[story_id]
        return story_id

    def active_stories(self) -> list[StorySnapshot]:
        return list(self._stories.values())

    def timed_centroids(self) -> list[tuple[str, Vector, float]]:
        """(id, unit centroid, last published time) of the active stories with a published article."""
        return [
            (st.id, {t: w / st.norm for t, w in st.centroid.items()}, st.last)
            for st in self._stories.values()
            if st.published and st.last is not None and st.norm
        ]

    def pop_closed(self) -> list[StorySnapshot]:
        """Stories that left the active window since the last call (final: they will not change)."""
        out, self._closed = self._closed, []
        return out

    def close_all(self) -> list[StorySnapshot]:
        """End of stream: run a last repair, close every active story, return all unpopped closed ones."""
        self.repair()
        for st in sorted(self._stories.values(), key=lambda s: s.first_key):
            self._close(st)
        return self.pop_closed()

    # -- scoring --------------------------------------------------------------------------------
    def _candidates(self, f: DocFeatures) -> list[str]:
        acc: dict[str, float] = {}
        probes = top_items(f.terms, self.params.probe_terms) + list(f.entities.items())
        for t, w in probes:
            post = self._postings.get(t)
            if post:  # acc[sid] += w for each story of the posting, in one C-level pass (same sums)
                acc.update(zip(post, map(add, map(acc.get, post, repeat(0.0)), repeat(w)), strict=True))
        return ranked_ids(acc, self.params.max_candidates)

    def _threshold(self, ts: float | None, st: StorySnapshot, estimated: bool = False) -> float:
        p = self.params
        if ts is not None and st.first is not None:
            if not estimated and st.published:
                return p.threshold
            if estimated and not st.published:  # both timed by estimates: as two undated articles
                return p.threshold_undated
            # A borrowed or written time places the article, but is no proof of the same happening.
            return max(p.threshold, p.threshold_estimated)
        if ts is None and st.first is None:
            return p.threshold_undated
        # Without a date an article cannot be placed in a dated story's span; "read also" parts are
        # by construction *other* articles on the same matter, the hardest negatives of that story.
        return p.threshold_undated_dated

    def _score(
        self,
        f: DocFeatures,
        ts: float | None,
        st: StorySnapshot,
        floor: float = 0.0,
        *,
        entities: bool = True,
    ) -> float:
        """Similarity of an article to a story; -1.0 as soon as it provably cannot reach ``floor``.

        The early exits only skip work: a score that can reach ``floor`` is computed exactly as without
        them (same operations in the same order)."""
        p = self.params
        decay = 1.0
        dated = ts is not None and st.first is not None and st.last is not None
        if dated:
            assert ts is not None and st.first is not None and st.last is not None
            gap = max(0.0, st.first - ts, ts - st.last) / DAY - p.time_grace_days
            if gap > 0:
                decay = math.exp(-gap / p.time_tau_days)
                if decay * _SLACK < floor:  # every cosine is <= 1, so is their weighted mean
                    return -1.0
        text = dot(f.terms, st.centroid) / st.norm if st.norm else 0.0
        total, wsum = p.w_text * text, p.w_text
        # Article vectors are unit length; story norms are kept up to date by _join/_merge.
        use_title = bool(f.title and st.title_norm)
        # Without dates, shared actors say little: an ongoing matter keeps the same people for months, so
        # for undated comparisons only the words decide which happening it is.
        # An estimated time is borrowed from the most similar dated article: the actors it shares with that
        # article's story are already counted in the words, so they do not count twice.
        use_entities = bool(
            entities and f.entities and st.entities_norm and ts is not None and st.first is not None
        )
        rest = (p.w_title if use_title else 0.0) + (p.w_entities if use_entities else 0.0)
        if rest and (total + rest) / (wsum + rest) * decay * _SLACK < floor:
            return -1.0  # even perfect title and entity cosines would not lift it to ``floor``
        if use_title:
            total += p.w_title * dot(f.title, st.title) / st.title_norm
            wsum += p.w_title
        if use_entities:
            total += p.w_entities * dot(f.entities, st.entities) / st.entities_norm
            wsum += p.w_entities
        score = total / wsum
        if dated and decay != 1.0:
            score *= decay
        return score

    # -- story bookkeeping ----------------------------------------------------------------------
    def _open(self, article: Article, ts: float | None) -> StorySnapshot:
        sid = story_id_for(article.id)
        while sid in self._stories or sid in self._aliases:  # same article id twice: keep ids unique
            sid = story_id_for(sid)
        st = StorySnapshot(
            id=sid,
            article_ids=[],
            centroid={},
            title={},
            entities={},
            first=None,
            last=None,
            active=None,
            first_key=order_key(article),
        )
        self._stories[sid] = st
        return st

    def _join(
        self, st: StorySnapshot, article: Article, f: DocFeatures, ts: float | None, published: bool = True
    ) -> None:
        p = self.params
        self._extend(st, article.id, ts, published)
        _add_into(st.centroid, f.terms)
        st.centroid = _cap(st.centroid, p.centroid_terms)
        _add_into(st.title, f.title)
        st.title = _cap(st.title, 60)
        _add_into(st.entities, f.entities)
        st.entities = _cap(st.entities, 60)
        st.norm, st.title_norm, st.entities_norm = norm(st.centroid), norm(st.title), norm(st.entities)
        self._reindex(st)
        self._dirty[st.id] = None

    def _extend(self, st: StorySnapshot, article_id: str, ts: float | None, published: bool = True) -> None:
        st.article_ids.append(article_id)
        self._members[article_id] = st.id
        if ts is not None:
            st.published += published
            st.first = ts if st.first is None else min(st.first, ts)
            st.last = ts if st.last is None else max(st.last, ts)
        now = ts if ts is not None else self._clock
        if now is not None:
            st.active = now if st.active is None else max(st.active, now)

    def _index_keys(self, st: StorySnapshot) -> list[str]:
        keys = [t for t, _ in top_items(st.centroid, self.params.index_terms)]
        return keys + [e for e, _ in top_items(st.entities, 10)]

    def _reindex(self, st: StorySnapshot) -> None:
        new = self._index_keys(st)
        new_set = set(new)
        for t in st.indexed:
            if t not in new_set:
                self._unpost(t, st.id)
        old = set(st.indexed)
        for t in new:
            if t not in old:
                self._postings.setdefault(t, {})[st.id] = None
        st.indexed = new

    def _unpost(self, t: str, sid: str) -> None:
        post = self._postings.get(t)
        if post is not None:
            post.pop(sid, None)
            if not post:
                del self._postings[t]

    def _close(self, st: StorySnapshot) -> None:
        for aid in st.article_ids:
            self._members.pop(aid, None)
        for t in st.indexed:
            self._unpost(t, st.id)
        del self._stories[st.id]
        self._dirty.pop(st.id, None)
        self._closed.append(st)

    def _maybe_sweep(self) -> None:
        clock = self._clock
        if clock is None or (self._last_sweep is not None and clock - self._last_sweep < 3600.0):
            return
        self._last_sweep = clock
        horizon = clock - self.params.window_days * DAY
        # Stories of undated articles have no time to expire by: they are capped by count instead, so
        # where undated articles sit in the input order (after their parent, at the end) does not matter.
        dated = [s for s in self._stories.values() if s.first is not None]
        for st in [s for s in dated if s.active is not None and s.active < horizon]:
            self._close(st)
        undated = [s for s in self._stories.values() if s.first is None]
        excess = len(undated) - self.params.max_undated_stories
        if excess > 0:
            for st in sorted(undated, key=lambda s: (s.active or 0.0, s.first_key))[:excess]:
                self._close(st)

    # -- repair ---------------------------------------------------------------------------------
    def repair(self) -> list[StoryMerge]:
        """Merge active stories whose centroids converged (cosine >= ``merge_threshold``, close spans).

        Only stories changed since the last pass are probed, so a pass costs O(changed x candidates).
        """
        p = self.params
        pairs: list[tuple[float, str, str]] = []
        for sid in sorted(self._dirty):
            st = self._stories.get(sid)
            if st is None:
                continue
            acc = Counter(chain.from_iterable(self._postings.get(t, ()) for t in st.indexed))
            acc.pop(sid, None)
            # Converged stories share most of their top terms: the 10 best-overlapping are enough.
            # Order (-overlap, id): by id, then stably by overlap, descending (no Python key function).
            ranked = sorted(acc.items(), key=_FIRST)
            ranked.sort(key=_SECOND, reverse=True)
            for other, _ in ranked[:10]:
                o = self._stories[other]
                if not self._spans_close(st, o) or slot_conflict(st.slots, o.slots):
                    continue
                sim = dot(st.centroid, o.centroid) / (st.norm * o.norm) if st.norm and o.norm else 0.0
                if sim >= p.merge_threshold:
                    a, b = sorted((sid, other))
                    pairs.append((sim, a, b))
        self._dirty = {}
        merges: list[StoryMerge] = []
        for _sim, a, b in sorted(set(pairs), key=lambda x: (-x[0], x[1], x[2])):
            a, b = self.resolve(a), self.resolve(b)
            if a == b or a not in self._stories or b not in self._stories:
                continue
            sa, sb = self._stories[a], self._stories[b]
            keep, gone = (sa, sb) if sa.first_key <= sb.first_key else (sb, sa)
            self._merge(keep, gone)
            merges.append(StoryMerge(gone.id, keep.id))
        return merges

    def _spans_close(self, a: StorySnapshot, b: StorySnapshot) -> bool:
        if a.first is None or b.first is None or a.last is None or b.last is None:
            return False  # undated stories are never merged on centroid alone
        gap = max(a.first - b.last, b.first - a.last, 0.0) / DAY
        return gap <= self.params.merge_gap_days

    def _merge(self, keep: StorySnapshot, gone: StorySnapshot) -> None:
        for t in gone.indexed:
            self._unpost(t, gone.id)
        del self._stories[gone.id]
        self._dirty.pop(gone.id, None)
        self._aliases[gone.id] = keep.id
        keep.article_ids.extend(gone.article_ids)
        keep.published += gone.published
        merge_slots(keep.slots, gone.slots)
        keep.text_years = (keep.text_years + gone.text_years)[:20]
        for aid in gone.article_ids:
            self._members[aid] = keep.id
        _add_into(keep.centroid, gone.centroid)
        keep.centroid = _cap(keep.centroid, self.params.centroid_terms)
        _add_into(keep.title, gone.title)
        _add_into(keep.entities, gone.entities)
        keep.title, keep.entities = _cap(keep.title, 60), _cap(keep.entities, 60)
        keep.norm, keep.title_norm, keep.entities_norm = (
            norm(keep.centroid),
            norm(keep.title),
            norm(keep.entities),
        )
        for attr, fn in (("first", min), ("last", max), ("active", max)):
            va, vb = getattr(keep, attr), getattr(gone, attr)
            setattr(keep, attr, vb if va is None else va if vb is None else fn(va, vb))
        self._reindex(keep)

    # -- state ----------------------------------------------------------------------------------
    def to_state(self) -> dict[str, Any]:
        """JSON-serialisable state; ``from_state`` continues the stream exactly as one long run."""
        return {
            "version": 1,
            "params": asdict(self.params),
            "stats": self.stats.to_state(),
            "stories": [s.to_json() for s in self._stories.values()],
            "aliases": self._aliases,
            "closed": [s.to_json() for s in self._closed],
            "dirty": list(self._dirty),
            "clock": self._clock,
            "last_sweep": self._last_sweep,
            "n": self._n,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> StoryClusterer:
        c = cls(ClusterParams(**state["params"]), TermStats.from_state(state["stats"]))
        for d in state["stories"]:
            st = StorySnapshot.from_json(d)
            c._stories[st.id] = st
            c._members.update(dict.fromkeys(st.article_ids, st.id))
            for t in st.indexed:
                c._postings.setdefault(t, {})[st.id] = None
        c._aliases = dict(state["aliases"])
        c._closed = [StorySnapshot.from_json(d) for d in state["closed"]]
        c._dirty = dict.fromkeys(state["dirty"])
        c._clock = state["clock"]
        c._last_sweep = state["last_sweep"]
        c._n = int(state["n"])
        return c
