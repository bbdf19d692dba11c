"""The story stage of an ingest: duplicates, streaming clusters, storylines and story records.

It runs after new articles are stored, over them in publication order, and continues from the state the
previous run saved in the store (clusterer and storyline linker, as rows: :mod:`marsad.story_state`), so
the result does not depend on which process or run ingested the articles, only on their order.

The batch streams through in chunks of ``CHUNK`` articles: only the ids and publication times of the
whole batch are held, a chunk's articles are read when it comes up, and each chunk writes its
assignments, the records of the stories it touched (their members read in one query) and the state rows
it changed in one transaction. So memory is bounded by the chunk and the active stories, not by the
batch, and a run killed between chunks resumes where it stopped (the next run picks up every article
without a story). The cost per article is bounded by the clusterer's time window and candidate index,
not by the size of the archive: the duplicate index is primed only with the stored articles of the days
around each chunk's articles.

Stories still open at the end of the run get a provisional storyline (a trial addition to the linker,
undone afterwards; a chunk before the last writes them with none); when a story closes its storyline
becomes final and its record and articles are relabelled.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from marsad.clock import timestamp
from marsad.cluster import StorySnapshot, order_key
from marsad.cluster.event_time import EventTime, EventTimer, event_order_key
from marsad.cluster.summary import build_story
from marsad.dedup import NearDuplicateIndex
from marsad.errors import describe
from marsad.model import Article, Story, StoryAssignment
from marsad.progress import StageProgress, stage_counter
from marsad.store.base import ArticleFilter, Store, StoryWrite
from marsad.story_state import StageState

PRIME_DAYS = 3  # stored articles this close to the batch are re-read so copies of them are recognised
CHUNK = 1000  # articles per chunk: memory and transaction size
# Stem counts the event-time pass computed, kept for the clusterer (it weighs the same counts with its
# own document frequencies): for the first articles of a batch, about 3.5 KB each.
COUNTS_HELD = 10_000


@dataclass
class StoryRun:
    articles: int = 0
    stories_touched: int = 0
    new_stories: int = 0
    duplicates: int = 0
    merges: int = 0
    changed: int = 0  # article assignments written
    failures: list[tuple[str, str]] = field(default_factory=list)  # (article, "stories: Type: message")

    def summary(self) -> dict[str, int]:
        return {"stories": self.stories_touched, "new stories": self.new_stories, "copies": self.duplicates}


class _Primer:
    """Feeds the duplicate index the stored articles (outside the batch) of the ``PRIME_DAYS`` before
    each day of a chunk and of the day itself, each day once.

    By days, not by the chunk's span: a chunk whose articles are years apart (a gap in a backfilled
    archive, one page with a wrong year) reads the days around its articles, not every article stored in
    between (at 60,000 stored articles that span held a gigabyte)."""

    def __init__(self, store: Store, batch_ids: set[str]) -> None:
        self.store, self.batch_ids = store, batch_ids
        self.done: set[date] = set()  # days already in the index

    def prime(self, index: NearDuplicateIndex, chunk: Sequence[Article]) -> None:
        days = {a.published.date() for a in chunk if a.published}
        want = sorted({d - timedelta(days=k) for d in days for k in range(PRIME_DAYS + 1)} - self.done)
        if not want:
            return
        self.done.update(want)
        past: list[Article] = []
        for lo, hi in _spans(want):
            window = ArticleFilter(since=lo, until=hi)
            past += (
                a
                for a in self.store.iter_articles(window, with_analysis=False, with_search_text=False)
                if a.id not in self.batch_ids
            )
        for a in sorted(past, key=order_key):
            index.add(a)


def _spans(days: Sequence[date]) -> list[tuple[date, date]]:
    """Sorted days as runs of consecutive days: (first, last) of each."""
    out: list[tuple[date, date]] = []
    for d in days:
        if out and d - out[-1][1] == timedelta(days=1):
            out[-1] = (out[-1][0], d)
        else:
            out.append((d, d))
    return out


def cluster_new(
    store: Store, article_ids: Iterable[str], *, chunk: int = CHUNK, progress: StageProgress | None = None
) -> StoryRun:
    """Assign stories to the given stored articles (plus any stored article that has none yet).

    Each chunk's decisions (assignments, story records, deletions, the state rows it changed) are
    written in one transaction. An article the clusterer raises on is left without a story and
    reported; the others go on.
    """
    ids = dict.fromkeys([*article_ids, *store.ids_without_story()])
    order = sorted(
        event_order_key(ts, ts is not None, i) for i, p in store.published_of(ids) for ts in (timestamp(p),)
    )  # order_key without the articles
    run = StoryRun(articles=len(order))
    if not order:
        return run
    del ids
    stage = StageState.load(store)
    times: dict[str, EventTime] = {}
    counts: dict[str, dict[str, int]] = {}
    if order[-1][0] or order[-1][2]:  # undated articles: stream each where its event happened
        times = _event_times(store, order, stage, chunk, counts)
        order = sorted(
            event_order_key(times[i].ts, False, i) if undated else (u, ts, undated, i)
            for u, ts, undated, i in order
        )
    dedup = NearDuplicateIndex()
    primer = _Primer(store, {i for *_, i in order})
    run_touched: dict[str, None] = {}  # stories touched this run and maybe still open, first touch first
    written: dict[str, str | None] = {}  # storyline last written for a story of this run still open
    stories_seen: set[str] = set()
    advance = stage_counter(progress, "stories", len(order))
    for k in range(0, len(order), chunk):
        got = {a.id: a for a in store.get_articles((i for *_, i in order[k : k + chunk]), with_quotes=False)}
        batch = [got[i] for *_, i in order[k : k + chunk] if i in got]
        del got
        primer.prime(dedup, batch)
        _chunk(
            store,
            stage,
            dedup,
            batch,
            run,
            run_touched,
            written,
            stories_seen,
            times,
            counts,
            last=k + chunk >= len(order),
        )
        advance(len(order[k : k + chunk]))
    run.stories_touched = len(stories_seen)
    return run


def _event_times(
    store: Store,
    order: Sequence[tuple[bool, float, bool, str]],
    stage: StageState,
    chunk: int,
    held: dict[str, dict[str, int]],
) -> dict[str, EventTime]:
    """Event times of the undated articles (``event_time.EventTimer``): it holds their vectors and is fed
    the dated articles of the batch chunk by chunk, then the active stories of earlier runs. The stem
    counts of the first ``COUNTS_HELD`` articles go to ``held``, for the clusterer."""
    clus = stage.clus
    featurizer = clus.featurizer
    timer = EventTimer(featurizer)
    undated = [i for *_, pub_missing, i in order if pub_missing]
    dated = [i for *_, pub_missing, i in order if not pub_missing]
    for ids, feed in ((undated, timer.add_undated), (dated, timer.see_dated)):
        for k in range(0, len(ids), chunk):
            # the timer compares texts only: the mentions and quotes are not read
            for a in store.get_articles(ids[k : k + chunk], with_analysis=False):
                tf = featurizer.counts(a)
                if len(held) < COUNTS_HELD:
                    held[a.id] = tf
                feed(a, counts=tf)
    for _sid, centroid, ts in clus.timed_centroids():
        timer.see(centroid, ts)
    return timer.result()


def _chunk(
    store: Store,
    stage: StageState,
    dedup: NearDuplicateIndex,
    batch: list[Article],
    run: StoryRun,
    run_touched: dict[str, None],
    written: dict[str, str | None],
    stories_seen: set[str],
    times: dict[str, EventTime],
    counts: dict[str, dict[str, int]],
    *,
    last: bool,
) -> None:
    clus, linker = stage.clus, stage.linker
    dup_of: dict[str, str | None] = {}
    touched: dict[str, None] = {}
    closed: dict[str, StorySnapshot] = {}
    closed_lines: dict[str, str] = {}
    for a in batch:
        try:
            d = dedup.add(a)
            asg = clus.add(
                replace(a, duplicate_of=d.duplicate_of),
                event_time=times.get(a.id),
                counts=counts.pop(a.id, None),
            )
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
    if last:
        for m in clus.repair():
            run.merges += 1
            touched[m.into] = None
            touched[m.merged] = None
    run_touched.update(touched)
    active = {s.id: s for s in clus.active_stories()}
    # Open stories get a provisional storyline from a trial addition that is undone, so the linker sees
    # each story once, when it closes. The last chunk places every open story this run touched, in the
    # order they were first touched: what one pass over the whole batch would give. Earlier chunks write
    # open stories without one: the last chunk or the story's closing relabels them anyway, and a trial
    # per chunk scored most stories twice (half of a chunk's stories are still open at its end).
    provisional: dict[str, str] = {}
    if last:
        with linker.trial() as preview:
            for sid in run_touched:
                live = clus.resolve(sid)
                if live in active and live not in closed:
                    provisional[live] = preview.add(active[live])
    snapshots = {**closed, **active}
    lives: dict[str, StorySnapshot] = {}
    gone: list[str] = []
    for sid in touched:
        live = clus.resolve(sid)
        if live != sid and sid not in snapshots:
            gone.append(sid)  # merged away
        snap = snapshots.get(live)
        if snap is not None:
            lives[live] = snap
    have = {a.id: a for a in batch}
    members = [i for s in lives.values() for i in s.article_ids if i not in have]
    have.update((a.id, a) for a in store.get_articles(members, with_quotes=False, with_search_text=False))
    records: list[Story] = []
    assignments: dict[str, StoryAssignment] = {}
    for live, snap in lives.items():
        line = closed_lines.get(live) or provisional.get(live)
        arts = [x for i in snap.article_ids if (x := have.get(i)) is not None]
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
        if live in active:
            written[live] = line
    del have
    outside = [aid for aid in dup_of if aid not in assignments]  # superseded originals, other stories
    for a in store.get_articles(outside, with_analysis=False, with_search_text=False):
        assignments[a.id] = StoryAssignment(
            article_id=a.id, story_id=a.story_id, storyline_id=a.storyline_id, duplicate_of=dup_of[a.id]
        )
    # A story that closed now has its final storyline: relabel it where it was written with another.
    relabels = [(sid, closed_lines[sid]) for sid in closed if sid not in lives]
    if last:
        relabels += [
            (s, line) for s, line in provisional.items() if s not in lives and written.get(s) != line
        ]
    for sid in closed:
        written.pop(sid, None)
    for sid in [s for s in run_touched if clus.resolve(s) not in active]:
        del run_touched[sid]  # final now: nothing later in the run changes it
    kept = {r.id for r in records}
    rows, cleared, meta = stage.changes([*touched, *closed, *gone])
    store.write_stories(
        StoryWrite(
            assignments=list(assignments.values()),
            stories=records,
            deleted=[g for g in dict.fromkeys(gone) if g not in kept],
            state={"stories:meta:v2": meta},
            rows=rows,
            cleared=cleared,
            relabels=relabels,
        )
    )
    stage.saved()
    stories_seen.update(kept)
    run.changed += len(assignments)


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
