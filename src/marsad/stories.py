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
from marsad.errors import describe
from marsad.model import Article, Story, StoryAssignment
from marsad.store.base import ArticleFilter, Store, StoryWrite

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
    failures: list[tuple[str, str]] = field(default_factory=list)  # (article, "stories: Type: message")

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


def _state(clus: StoryClusterer, linker: StorylineLinker, closed_lines: dict[str, str]) -> str:
    state = {"clusterer": clus.to_state(), "linker": linker.to_state(), "closed_lines": closed_lines}
    return json.dumps(state, ensure_ascii=False, separators=(",", ":"))


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
    """Assign stories to the given stored articles (plus any stored article that has none yet).

    Everything the run decides (assignments, story records, deletions, the clusterer's state) is written
    in one transaction, so a run killed before it leaves the store as it was and the next run (which
    picks up every article without a story) does it again. An article the clusterer raises on is left
    without a story and reported; the others go on.
    """
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
        try:
            d = dedup.add(a)
            asg = clus.add(replace(a, duplicate_of=d.duplicate_of))
        except Exception as e:
            run.failures.append((a.source.label, describe("stories", e)))
            continue
        dup_of[a.id] = d.duplicate_of
        if d.supersedes:
            dup_of[d.supersedes] = a.id
        run.duplicates += d.duplicate_of is not None
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
    assignments: dict[str, StoryAssignment] = {}
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
        try:
            records.append(build_story(snap, arts, stats=clus.stats, storyline_id=line))
        except Exception as e:  # the summary failed: keep the story with its first title, say so
            first = arts[0] if arts else None
            run.failures.append((first.source.label if first else live, describe("stories", e)))
            records.append(_bare_story(snap, arts, line))
        for a in arts:
            assignments[a.id] = StoryAssignment(
                article_id=a.id,
                story_id=live,
                storyline_id=line,
                duplicate_of=dup_of.get(a.id, a.duplicate_of),
            )
    for aid, original in dup_of.items():  # superseded originals outside the touched stories
        if aid not in assignments and (a := store.get_article(aid)) is not None:
            assignments[aid] = StoryAssignment(
                article_id=aid, story_id=a.story_id, storyline_id=a.storyline_id, duplicate_of=original
            )
    kept = {r.id for r in records}
    store.write_stories(
        StoryWrite(
            assignments=list(assignments.values()),
            stories=records,
            deleted=[g for g in dict.fromkeys(gone) if g not in kept],
            state={STATE_KEY: _state(clus, linker, closed_lines)},
        )
    )
    run.stories_touched = len(records)
    run.changed_ids = list(assignments)
    return run


def _bare_story(snap: StorySnapshot, arts: Sequence[Article], storyline_id: str | None) -> Story:
    dated = [a.published for a in arts if a.published]
    return Story(
        id=snap.id,
        title=next((a.title for a in arts if a.title), None) or (arts[0].body[:80] if arts else ""),
        article_ids=tuple(a.id for a in arts),
        first_seen=min(dated) if dated else None,
        last_seen=max(dated) if dated else None,
        outlets=tuple(dict.fromkeys(a.outlet for a in arts if a.outlet)),
        storyline_id=storyline_id,
    )
