"""Storylines: stories about one ongoing matter, linked over weeks or months.

A closed story (``StorySnapshot``) is compared with existing storylines through an inverted index over
their salient terms and entities. Unlike stories there is no tight time window, only a long idle limit
(``max_idle_days``), and the candidate count is bounded twice: each posting keeps only the
``max_posting`` most recently active storylines, and at most ``max_candidates`` are scored; at most
``max_lines`` storylines are kept. Similarity
is looser than for stories: cosine of normalized centroids (each story counts once, whatever its size)
plus entity overlap.

Eviction follows last activity: a heap of (last, id) gives the stale and the least recently active
storylines without scanning every line on each clock advance. The linker records which lines and posting
keys changed (:meth:`StorylineLinker.take_changes`) so a caller can save only those, and
:meth:`StorylineLinker.trial` runs additions that are undone afterwards (provisional storylines of
stories still open) without copying the linker.
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from itertools import repeat
from operator import add
from typing import Any, Protocol

from marsad.clock import DAY
from marsad.cluster.features import Vector, dot, norm, normalized, ranked_ids, top_items
from marsad.cluster.stream import StorySnapshot


@dataclass(frozen=True, slots=True, kw_only=True)
class StorylineParams:
    threshold: float = 0.25
    w_text: float = 0.7
    w_entities: float = 0.3
    centroid_terms: int = 300
    index_terms: int = 25
    probe_terms: int = 25
    max_candidates: int = 50
    max_posting: int = 64
    max_idle_days: float = 400.0  # matters (a war, a trial) resurface after months
    max_lines: int = 100_000  # memory cap: the least recently active storylines go first


@dataclass(slots=True)
class _Line:
    id: str
    centroid: Vector
    entities: Vector
    last: float | None
    stories: list[str] = field(default_factory=list)
    indexed: list[str] = field(default_factory=list)


def storyline_id_for(story_id: str) -> str:
    return "sl-" + hashlib.blake2b(story_id.encode("utf-8"), digest_size=8).hexdigest()


class StorylineLinker:
    def __init__(self, params: StorylineParams | None = None, *, source: LineSource | None = None) -> None:
        self.params = params or StorylineParams()
        self._lines: dict[str, _Line] = {}
        self._postings: dict[str, dict[str, None]] = {}
        self._clock: float | None = None
        self._heap: list[tuple[float, str]] = []  # (last, id) of dated lines; stale entries skipped
        self._undated: dict[str, None] = {}  # lines without a time (evicted as if last were 0.0)
        self._changed_lines: dict[str, None] = {}
        self._changed_keys: dict[str, None] = {}
        self._journal: _Journal | None = None
        # Loaded on demand from saved rows (see ``lazy``): every line's last activity is known, its
        # centroid and each posting key only once a story needs them.
        self._last: dict[str, float | None] = {}
        self._source = source  # saved rows (lines created here are saved there too: ``release``)
        self._posts_known: set[str] = set()
        self._norms: dict[str, tuple[float, float]] = {}  # (centroid, entities) norms of unchanged lines

    def add(self, story: StorySnapshot) -> str:
        """Storyline id for a (closed) story; opens a new storyline when nothing is similar enough."""
        p = self.params
        terms = normalized(dict(top_items(story.centroid, p.centroid_terms)))
        ents = normalized(story.entities)
        t = story.last if story.last is not None else self._clock
        if t is not None and (self._clock is None or t > self._clock):
            self._clock = t
            self._evict()
        best_id, best = None, 0.0
        cands = self._candidates(terms, ents)
        self._want_lines(cands)
        for lid in cands:
            s = self._score(terms, ents, self._lines[lid])
            if s > best or (s == best and best_id is not None and lid < best_id):
                best_id, best = lid, s
        if best_id is None or best < p.threshold:
            line = _Line(storyline_id_for(story.id), {}, {}, t)
            self._want_lines([line.id])  # loaded first if the id exists (a story id seen twice)
            self._touch(line.id)
            self._lines[line.id] = line
            before_new = self._last.get(line.id)
            self._last[line.id] = t
            self._track(line, before_new)
        else:
            line = self._lines[best_id]
            self._touch(line.id)
        before = line.last
        line.stories.append(story.id)
        for src, dst in ((terms, line.centroid), (ents, line.entities)):
            for k, w in src.items():
                dst[k] = dst.get(k, 0.0) + w
        line.centroid = dict(top_items(line.centroid, p.centroid_terms))
        if t is not None:
            line.last = t if line.last is None else max(line.last, t)
        if line.last != before:
            self._last[line.id] = line.last
            self._track(line, before)
        self._reindex(line)
        return line.id

    def _candidates(self, terms: Vector, ents: Vector) -> list[str]:
        acc: dict[str, float] = {}
        probes = top_items(terms, self.params.probe_terms) + top_items(ents, 10)
        self._want_posts([k for k, _ in probes])
        for k, w in probes:
            post = self._postings.get(k)
            if post:  # acc[lid] += w for each line of the posting, in one C-level pass (same sums)
                acc.update(zip(post, map(add, map(acc.get, post, repeat(0.0)), repeat(w)), strict=True))
        return ranked_ids(acc, self.params.max_candidates)

    def _score(self, terms: Vector, ents: Vector, line: _Line) -> float:
        p = self.params
        norms = self._norms.get(line.id)
        if norms is None:  # a line's norms change only when it does (``_touch`` forgets them)
            norms = self._norms[line.id] = (norm(line.centroid), norm(line.entities))
        n, ne = norms
        s, w = p.w_text * (dot(terms, line.centroid) / n if n else 0.0), p.w_text
        if ents and line.entities:
            s += p.w_entities * (dot(ents, line.entities) / ne if ne else 0.0)
            w += p.w_entities
        return s / w

    def _reindex(self, line: _Line) -> None:
        p = self.params
        old = line.indexed
        line.indexed = [k for k, _ in top_items(line.centroid, p.index_terms)]
        line.indexed += [k for k, _ in top_items(line.entities, 10)]
        self._want_posts([*old, *line.indexed])
        for k in old:
            self._unpost(k, line.id)
        for k in line.indexed:
            self._touch_key(k)
            post = self._postings.setdefault(k, {})
            post.pop(line.id, None)
            post[line.id] = None  # most recent last
            while len(post) > p.max_posting:
                del post[next(iter(post))]  # the least recently touched storyline drops out of this key

    def _unpost(self, k: str, lid: str) -> None:
        post = self._postings.get(k)
        if post is not None:
            self._touch_key(k)
            post.pop(lid, None)
            if not post:
                del self._postings[k]

    # -- eviction by last activity --------------------------------------------------------------
    def _track(self, line: _Line, before: float | None) -> None:
        """Keep the eviction order current after ``line.last`` changed from ``before``."""
        if line.last is None:
            self._undated[line.id] = None
            return
        if before is None:
            self._undated.pop(line.id, None)
        heapq.heappush(self._heap, (line.last, line.id))
        if len(self._heap) > 2 * len(self._last) + 1024:  # drop superseded entries now and then
            self._heap = [(last, lid) for lid, last in self._last.items() if last is not None]
            heapq.heapify(self._heap)

    def _oldest_dated(self) -> tuple[float, str] | None:
        heap = self._heap
        while heap:
            last, lid = heap[0]
            if self._last.get(lid) == last:
                return heap[0]
            heapq.heappop(heap)  # superseded: the line moved on or is gone
        return None

    def _oldest(self) -> tuple[float, str] | None:
        """The least recently active line as (last or 0.0, id)."""
        dated = self._oldest_dated()
        undated = (0.0, min(self._undated)) if self._undated else None
        if dated is None or (undated is not None and undated < dated):
            return undated
        return dated

    def _evict(self) -> None:
        """Drop the lines idle past ``max_idle_days``, then the least recently active ones above
        ``max_lines``: the lines a sort of every line by (last, id) would pick, without the sort."""
        if self._clock is None:
            return
        horizon = self._clock - self.params.max_idle_days * DAY
        while (o := self._oldest_dated()) is not None and o[0] < horizon:
            self._drop(o[1])
        while len(self._last) > self.params.max_lines and (o := self._oldest()) is not None:
            self._drop(o[1])

    def _drop(self, lid: str) -> None:
        self._want_lines([lid])
        line = self._lines[lid]
        self._touch(lid)
        self._want_posts(line.indexed)
        for k in line.indexed:
            self._unpost(k, lid)
        del self._lines[lid]
        del self._last[lid]
        self._undated.pop(lid, None)
        if self._heap and self._heap[0][1] == lid:
            heapq.heappop(self._heap)

    # -- changes and trials ---------------------------------------------------------------------
    def _touch(self, lid: str) -> None:
        self._norms.pop(lid, None)
        j = self._journal
        if j is None:
            self._changed_lines[lid] = None
        elif lid not in j.lines:
            ln = self._lines.get(lid)
            j.lines[lid] = None if ln is None else _copy(ln)

    def _touch_key(self, k: str) -> None:
        j = self._journal
        if j is None:
            self._changed_keys[k] = None
        elif k not in j.posts:
            post = self._postings.get(k)
            j.posts[k] = None if post is None else dict(post)

    def take_changes(self) -> tuple[list[str], list[str]]:
        """Ids of the lines and posting keys changed (or removed) since the last call."""
        lines, keys = list(self._changed_lines), list(self._changed_keys)
        self._changed_lines, self._changed_keys = {}, {}
        return lines, keys

    @contextmanager
    def trial(self) -> Iterator[StorylineLinker]:
        """Additions inside the block are undone when it ends (and not reported as changes)."""
        if self._journal is not None:
            raise RuntimeError("trials do not nest")
        j = self._journal = _Journal(self._clock, list(self._heap), dict(self._undated), dict(self._last))
        try:
            yield self
        finally:
            self._journal = None
            for lid, ln in j.lines.items():
                self._norms.pop(lid, None)
                if ln is None:
                    self._lines.pop(lid, None)
                else:
                    self._lines[lid] = ln
            for k, post in j.posts.items():
                if post is None:
                    self._postings.pop(k, None)
                else:
                    self._postings[k] = post
            self._clock, self._heap, self._undated, self._last = j.clock, j.heap, j.undated, j.last

    # -- state ----------------------------------------------------------------------------------
    def to_state(self) -> dict[str, Any]:
        self._load_all()
        return {
            "params": asdict(self.params),
            "lines": [asdict(ln) for ln in self._lines.values()],
            "postings": {k: list(v) for k, v in self._postings.items()},
            "clock": self._clock,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> StorylineLinker:
        return cls.from_rows(
            {"params": state["params"], "clock": state["clock"]},
            (_Line(**d) for d in state["lines"]),
            ((k, list(v)) for k, v in state["postings"].items()),
        )

    # rows: what a store keeps of the linker, a row per line and per posting key
    def meta(self) -> dict[str, Any]:
        return {"params": asdict(self.params), "clock": self._clock}

    def line_row(self, lid: str) -> tuple[str | None, float | None]:
        """(JSON of the line or None when it is gone, its last activity)."""
        ln = self._lines.get(lid)
        if ln is None:
            return None, None
        d = {
            "id": ln.id,
            "centroid": ln.centroid,
            "entities": ln.entities,
            "last": ln.last,
            "stories": ln.stories,
            "indexed": ln.indexed,
        }
        return json.dumps(d, ensure_ascii=False, separators=(",", ":")), ln.last

    def posting_row(self, key: str) -> str | None:
        post = self._postings.get(key)
        return None if post is None else json.dumps(list(post), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_rows(
        cls,
        meta: dict[str, Any],
        lines: Iterable[_Line | str],
        postings: Iterable[tuple[str, list[str] | str]],
    ) -> StorylineLinker:
        lk = cls(StorylineParams(**meta["params"]))
        for ln in lines:
            line = _Line(**json.loads(ln)) if isinstance(ln, str) else ln
            lk._lines[line.id] = line
            lk._last[line.id] = line.last
            if line.last is None:
                lk._undated[line.id] = None
            else:
                lk._heap.append((line.last, line.id))
        heapq.heapify(lk._heap)
        for k, v in postings:
            lk._postings[k] = dict.fromkeys(json.loads(v) if isinstance(v, str) else v)
        lk._clock = meta["clock"]
        return lk

    @classmethod
    def lazy(
        cls, meta: dict[str, Any], lasts: Iterable[tuple[str, float | None]], source: LineSource
    ) -> StorylineLinker:
        """A linker over saved rows: only ids and last activities now, the rest when a story needs it."""
        lk = cls(StorylineParams(**meta["params"]))
        for lid, last in lasts:
            lk._last[lid] = last
            if last is None:
                lk._undated[lid] = None
            else:
                lk._heap.append((last, lid))
        heapq.heapify(lk._heap)
        lk._clock = meta["clock"]
        lk._source = source
        return lk

    def _want_lines(self, ids: Iterable[str]) -> None:
        if self._source is None:
            return
        lines, missing = self._lines, []
        for i in ids:
            ln = lines.pop(i, None)
            if ln is not None:
                lines[i] = ln  # most recently used last: ``release`` forgets from the front
            elif i in self._last:
                missing.append(i)
        if missing:
            for value in self._source.lines(missing):
                line = _Line(**json.loads(value))
                self._lines[line.id] = line

    def _want_posts(self, keys: Iterable[str]) -> None:
        if self._source is None:
            return
        posts, missing = self._postings, []
        for k in dict.fromkeys(keys):
            post = posts.pop(k, None)
            if post is not None:
                posts[k] = post
            elif k not in self._posts_known:
                missing.append(k)
        if missing:
            self._posts_known.update(missing)
            for k, value in self._source.posts(missing):
                self._postings[k] = dict.fromkeys(json.loads(value))

    def release(self, lines: int, keys: int) -> None:
        """Forget all but the ``lines`` most recently used storylines and the ``keys`` most recently used
        posting keys, when everything held is saved (no change since ``take_changes``, no trial): they
        are read again from the rows when a story needs them, so decisions do not change, and memory is
        bounded by what a chunk uses, not by the storylines kept."""
        if self._source is None or self._journal is not None or self._changed_lines or self._changed_keys:
            return
        for lid in list(itertools.islice(self._lines, max(0, len(self._lines) - lines))):
            del self._lines[lid]
            self._norms.pop(lid, None)
        for k in list(itertools.islice(self._postings, max(0, len(self._postings) - keys))):
            del self._postings[k]
        # Known: what is held (a held key emptied later must not be read back from its old row); keys
        # read and found absent, or forgotten here, are asked again if needed.
        self._posts_known = set(self._postings)

    def _load_all(self) -> None:
        if self._source is not None:
            self._want_lines(list(self._last))
            for k, value in self._source.all_posts():
                if k not in self._posts_known and k not in self._postings:
                    self._postings[k] = dict.fromkeys(json.loads(value))
            self._source = None


class LineSource(Protocol):
    """Where a lazy linker reads saved lines and posting keys (JSON text, as ``line_row`` and
    ``posting_row`` wrote them)."""

    def lines(self, ids: list[str]) -> Iterable[str]: ...

    def posts(self, keys: list[str]) -> Iterable[tuple[str, str]]: ...

    def all_posts(self) -> Iterable[tuple[str, str]]: ...


@dataclass(slots=True)
class _Journal:
    clock: float | None
    heap: list[tuple[float, str]]
    undated: dict[str, None]
    last: dict[str, float | None]
    lines: dict[str, _Line | None] = field(default_factory=dict)  # before the trial (None: new)
    posts: dict[str, dict[str, None] | None] = field(default_factory=dict)


def _copy(ln: _Line) -> _Line:
    return _Line(ln.id, dict(ln.centroid), dict(ln.entities), ln.last, list(ln.stories), list(ln.indexed))
