"""Storylines: stories about one ongoing matter, linked over weeks or months.

A closed story (``StorySnapshot``) is compared with existing storylines through an inverted index over
their salient terms and entities. Unlike stories there is no tight time window, only a long idle limit
(``max_idle_days``), and the candidate count is bounded twice: each posting keeps only the
``max_posting`` most recently active storylines, and at most ``max_candidates`` are scored; at most
``max_lines`` storylines are kept. Similarity
is looser than for stories: cosine of normalized centroids (each story counts once, whatever its size)
plus entity overlap.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

from marsad.clock import DAY
from marsad.cluster.features import Vector, dot, norm, normalized, top_items
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
    def __init__(self, params: StorylineParams | None = None) -> None:
        self.params = params or StorylineParams()
        self._lines: dict[str, _Line] = {}
        self._postings: dict[str, dict[str, None]] = {}
        self._clock: float | None = None

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
        for lid in self._candidates(terms, ents):
            s = self._score(terms, ents, self._lines[lid])
            if s > best or (s == best and best_id is not None and lid < best_id):
                best_id, best = lid, s
        if best_id is None or best < p.threshold:
            line = _Line(storyline_id_for(story.id), {}, {}, t)
            self._lines[line.id] = line
        else:
            line = self._lines[best_id]
        line.stories.append(story.id)
        for src, dst in ((terms, line.centroid), (ents, line.entities)):
            for k, w in src.items():
                dst[k] = dst.get(k, 0.0) + w
        line.centroid = dict(top_items(line.centroid, p.centroid_terms))
        if t is not None:
            line.last = t if line.last is None else max(line.last, t)
        self._reindex(line)
        return line.id

    def _candidates(self, terms: Vector, ents: Vector) -> list[str]:
        acc: dict[str, float] = {}
        for k, w in top_items(terms, self.params.probe_terms) + top_items(ents, 10):
            for lid in self._postings.get(k, ()):
                acc[lid] = acc.get(lid, 0.0) + w
        ranked = sorted(acc.items(), key=lambda kv: (-kv[1], kv[0]))
        return [lid for lid, _ in ranked[: self.params.max_candidates]]

    def _score(self, terms: Vector, ents: Vector, line: _Line) -> float:
        p = self.params
        n = norm(line.centroid)
        s, w = p.w_text * (dot(terms, line.centroid) / n if n else 0.0), p.w_text
        if ents and line.entities:
            ne = norm(line.entities)
            s += p.w_entities * (dot(ents, line.entities) / ne if ne else 0.0)
            w += p.w_entities
        return s / w

    def _reindex(self, line: _Line) -> None:
        p = self.params
        for k in line.indexed:
            self._unpost(k, line.id)
        line.indexed = [k for k, _ in top_items(line.centroid, p.index_terms)]
        line.indexed += [k for k, _ in top_items(line.entities, 10)]
        for k in line.indexed:
            post = self._postings.setdefault(k, {})
            post.pop(line.id, None)
            post[line.id] = None  # most recent last
            while len(post) > p.max_posting:
                del post[next(iter(post))]  # the least recently touched storyline drops out of this key

    def _unpost(self, k: str, lid: str) -> None:
        post = self._postings.get(k)
        if post is not None:
            post.pop(lid, None)
            if not post:
                del self._postings[k]

    def _evict(self) -> None:
        if self._clock is None:
            return
        horizon = self._clock - self.params.max_idle_days * DAY
        stale = [ln for ln in self._lines.values() if ln.last is not None and ln.last < horizon]
        excess = len(self._lines) - len(stale) - self.params.max_lines
        if excess > 0:
            live = [ln for ln in self._lines.values() if not (ln.last is not None and ln.last < horizon)]
            stale += sorted(live, key=lambda ln: (ln.last or 0.0, ln.id))[:excess]
        for line in stale:
            for k in line.indexed:
                self._unpost(k, line.id)
            del self._lines[line.id]

    def to_state(self) -> dict[str, Any]:
        return {
            "params": asdict(self.params),
            "lines": [asdict(ln) for ln in self._lines.values()],
            "postings": {k: list(v) for k, v in self._postings.items()},
            "clock": self._clock,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> StorylineLinker:
        lk = cls(StorylineParams(**state["params"]))
        for d in state["lines"]:
            ln = _Line(**d)
            lk._lines[ln.id] = ln
        lk._postings = {k: dict.fromkeys(v) for k, v in state["postings"].items()}
        lk._clock = state["clock"]
        return lk
