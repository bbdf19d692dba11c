"""The story stage of an ingest: duplicates, streaming clusters, storylines and story records.

It runs after new articles are stored, over them in publication order, and continues from the state the
previous run saved in the store (clusterer and storyline linker), so the result does not depend on which
process or run ingested the articles, only on their order. The cost per article is bounded by the
clusterer's time window and candidate index, not by the size of the archive: the duplicate index is primed
only with the stored articles of the window around the new batch.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta

from marsad.cluster import StoryClusterer, StorylineLinker, StorySnapshot, order_key
from marsad.cluster.summary import build_story
from marsad.dedup import NearDuplicateIndex
from marsad.model import Article, Story
from marsad.store.base import ArticleFilter, Store

STATE_KEY = "stories:state:v1"
PRIME_DAYS = 3  # stored articles this close to the batch are re-read so copies of them are recognised


@dataclass
class StoryRun:
    articles: int = 0
    stories_touched: int = 0
    new_stories: int = 0
    duplicates: int = 0
    merges: int = 0
    changed_ids: list[str] = field(default_factory=list)  # articles whose story fields were written

    def summary(self) -> dict[str, int]:
        return {"stories": self.stories_touched, "new stories": self.new_stories, "copies": self.duplicates}


def _load(store: Store) -> tuple[StoryClusterer, StorylineLinker, dict[str, str]]:
    raw = store.get_state(STATE_KEY)
    if raw is None:
        return StoryClusterer(), StorylineLinker(), {}
    st = json.loads(raw)
    return (
        StoryClusterer.from_state(st["clusterer"]),
        StorylineLinker.from_state(st["linker"]),
        dict(st.get("closed_lines", {})),
    )


def _save(store: Store, clus: StoryClusterer, linker: StorylineLinker, closed_lines: dict[str, str]) -> None:
    state = {"clusterer": clus.to_state(), "linker": linker.to_state(), "closed_lines": closed_lines}
    store.set_state(STATE_KEY, json.dumps(state, ensure_ascii=False, separators=(",", ":")))


def _prime(store: Store, batch: Sequence[Article]) -> NearDuplicateIndex:
    index = NearDuplicateIndex()
    days = [a.published.date() for a in batch if a.published]
    if days:
        window = ArticleFilter(since=min(days) - timedelta(days=PRIME_DAYS), until=max(days))
        batch_ids = {a.id for a in batch}
        past = [a for a in store.iter_articles(window, with_analysis=False) if a.id not in batch_ids]
        for a in sorted(past, key=order_key):
            index.add(a)
    return index


def cluster_new(store: Store, article_ids: Iterable[str]) -> StoryRun:
    """Assign stories to the given stored articles (plus any stored article that has none yet)."""
    ids = dict.fromkeys([*article_ids, *store.ids_without_story()])
    batch = [a for i in ids if (a := store.get_article(i)) is not None]
    run = StoryRun(articles=len(batch))
    if not batch:
        return run
    batch.sort(key=order_key)
    clus, linker, closed_lines = _load(store)
    dedup = _prime(store, batch)
    dup_of: dict[str, str | None] = {}
    touched: dict[str, None] = {}
    closed: dict[str, StorySnapshot] = {}
    for a in batch:
        d = dedup.add(a)
        dup_of[a.id] = d.duplicate_of
        if d.supersedes:
            dup_of[d.supersedes] = a.id
        run.duplicates += d.duplicate_of is not None
        asg = clus.add(replace(a, duplicate_of=d.duplicate_of))
        run.new_stories += asg.is_new
        touched[asg.story_id] = None
        for m in asg.merges:
            run.merges += 1
            touched[m.into] = None
            touched[m.merged] = None
        for s in clus.pop_closed():
            closed[s.id] = s
            closed_lines[s.id] = linker.add(s)
    for m in clus.repair():
        run.merges += 1
        touched[m.into] = None
        touched[m.merged] = None
    # Active stories get a provisional storyline from a copy of the linker; the real one links them when
    # they close, so the saved linker never sees a story twice.
    preview = StorylineLinker.from_state(linker.to_state())
    active = {s.id: s for s in clus.active_stories()}
    snapshots = {**closed, **active}
    records: list[Story] = []
    assignments: list[tuple[str, str | None, str | None, str | None]] = []
    gone: list[str] = []
    for sid in touched:
        live = clus.resolve(sid)
        if live != sid and sid not in snapshots:
            gone.append(sid)  # merged away
        snap = snapshots.get(live)
        if snap is None:
            continue
        line = closed_lines.get(live) or preview.add(snap)
        arts = [a for i in snap.article_ids if (a := store.get_article(i)) is not None]
        records.append(build_story(snap, arts, stats=clus.stats, storyline_id=line))
        for a in arts:
            assignments.append((a.id, live, line, dup_of.get(a.id, a.duplicate_of)))
    for aid, original in dup_of.items():  # superseded originals outside the touched stories
        if aid not in {x[0] for x in assignments} and (a := store.get_article(aid)) is not None:
            assignments.append((aid, a.story_id, a.storyline_id, original))
    store.set_stories(assignments)
    store.put_stories(records)
    store.delete_stories([g for g in dict.fromkeys(gone) if g not in {r.id for r in records}])
    _save(store, clus, linker, closed_lines)
    run.stories_touched = len(records)
    run.changed_ids = [x[0] for x in assignments]
    return run
