"""When did the reported event happen: a time for every article, with where it came from (issue 12).

Scraped pages mostly carry no machine-readable date (34 of 185 on one real crawl), and an undated article
used to be clustered in a timeless pool: no time decay, no entity features, only near-copies joining a
dated story. Yet the text and the batch say a lot about the time of the event:

1. ``published``: the page's own date, when the parser found one (confidence 1);
2. ``neighbour``: the time of the most similar *dated* article of the batch, when the cosine of their term
   vectors reaches ``borrow_min`` (confidence = the cosine): a copy or a report of the same happening by
   another outlet was published within hours of it; a neighbour whose year the text contradicts is skipped;
3. ``text``: the latest full (day-precision) date written in the lead, never one after the time of ingest
   (confidence 0.5): background dates are older than the event, so the latest is the best guess;
4. ``none``: no evidence. Such an article is clustered by its words alone against story centroids (the
   undated thresholds of the clusterer: an average over the story, so it cannot chain two events), and,
   having no publication date, stays out of timelines and "who reported first" (story records read
   ``published`` only).

A strong neighbour (cosine >= ``neighbour_over_text``) beats a written date; otherwise a written date
beats a weak neighbour. Years mentioned in the text (``explicit_years``) feed the merge vetoes
(``vetoes.py``). Patterns live in ``data/story_rules.yaml``.

The estimate orders the batch (an undated article enters the stream where its event happened, while the
stories of that time are still active) and gives the clusterer a time for decay and windows; it never
becomes the article's publication date.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from marsad.clock import timestamp
from marsad.cluster.features import Featurizer, Vector, dot, top_items
from marsad.data import load_yaml, resource
from marsad.model import Article
from marsad.normalize.arabic import normalize_text
from marsad.parse.dates import scan_dates

LEAD_CHARS = 1500  # where event dates and years are read: the lead, not the background further down


@dataclass(frozen=True, slots=True)
class EventTime:
    ts: float | None  # UTC seconds of the (estimated) event; None: no evidence
    source: str  # published | neighbour | text | none
    confidence: float
    years: frozenset[int] = frozenset()  # event-relevant years written in the lead

    @property
    def year(self) -> int | None:
        """The event's year when the time is known, else the latest year the lead writes."""
        if self.ts is not None:
            return datetime.fromtimestamp(self.ts, UTC).year
        return max(self.years) if self.years else None


NO_EVIDENCE = EventTime(None, "none", 0.0)


@dataclass(frozen=True, slots=True)
class EventTimeParams:
    borrow_min: float = 0.35  # term cosine to borrow a dated article's time
    neighbour_over_text: float = 0.5  # a neighbour this similar beats a date written in the text
    probe_terms: int = 15
    index_terms: int = 20
    max_candidates: int = 30
    max_posting: int = 1000  # undated articles under one term beyond which it is not probed
    text_confidence: float = 0.5


@dataclass(frozen=True, slots=True)
class StoryRules:
    year: re.Pattern[str]
    not_event_year: re.Pattern[str]  # a year named as a target or a horizon ("حتى 2030")


@cache
def rules() -> StoryRules:
    d: dict[str, Any] = load_yaml(resource("story_rules.yaml").read_text(encoding="utf-8"))
    before = "|".join(normalize_text(w) for w in d["not_event_year_before"])
    return StoryRules(
        year=re.compile(d["year"]),
        not_event_year=re.compile(rf"(?:{before})\s+(?:عام\s+|سنه\s+|العام\s+)?$"),
    )


def explicit_years(text: str, *, normalized: bool = False) -> set[int]:
    """Years (1950-2099) the text names as times of happenings: Western or Eastern digits; a year after a
    horizon word (``حتى``, ``بحلول``, ``رؤية``) is a target, not a time, and is left out."""
    r = rules()
    t = text if normalized else normalize_text(text)
    return {int(m.group(1)) for m in r.year.finditer(t) if not r.not_event_year.search(t, 0, m.start())}


def lead(article: Article) -> str:
    return f"{article.title or ''}\n{article.body[:LEAD_CHARS]}"


_FOUR_DIGITS = re.compile(r"(?<![0-9\u0660-\u0669])[0-9\u0660-\u0669]{4}(?![0-9\u0660-\u0669])")


def text_date(text: str, now: datetime | None = None) -> float | None:
    """The latest full date written in ``text`` that is not after ``now``, in UTC seconds.

    A full date without a reference time names its year, so only the few words around each 4-digit
    number are scanned (scanning a whole lead costs ~1.5 ms; the windows, a tenth of that)."""
    days = []
    for m in _FOUR_DIGITS.finditer(text):
        window = text[max(0, m.start() - 40) : m.end() + 12]
        days += [f.value for f in scan_dates(window, now=now) if f.precision == "day" and not f.future]
    return timestamp(max(days)) if days else None


def _doc(a: Article) -> tuple[str, str | None, str | None]:
    return (a.source.origin, a.source.member, a.source.record)


class EventTimer:
    """Estimates for the undated articles of a batch, fed the dated ones afterwards in any chunks.

    It holds the term vectors of the *undated* articles only (posted under their top terms), so a batch
    of mostly dated articles streams through it in bounded memory: each dated article (or active story)
    probes the undated postings and improves the best neighbour of the undated articles it resembles.
    """

    def __init__(self, featurizer: Featurizer, params: EventTimeParams | None = None) -> None:
        self.featurizer = featurizer
        self.params = params or EventTimeParams()
        self._ids: list[str] = []
        self._vectors: list[Vector] = []
        self._docs: list[tuple[str, str | None, str | None]] = []
        self._latest: list[int | None] = []  # latest year the text names
        self._written: list[float | None] = []
        self._years: list[frozenset[int]] = []
        self._best: list[tuple[float, float] | None] = []  # (cosine, time) of the best dated neighbour
        self._postings: dict[str, list[int]] = {}

    def __bool__(self) -> bool:
        return bool(self._ids)

    def add_undated(
        self, a: Article, now: datetime | None = None, counts: dict[str, int] | None = None
    ) -> None:
        """``counts``: ``featurizer.counts(a)``, when the caller has them."""
        text = lead(a)
        years = frozenset(explicit_years(text))
        v = self.featurizer.terms(counts if counts is not None else self.featurizer.counts(a))
        i = len(self._ids)
        self._ids.append(a.id)
        self._vectors.append(v)
        self._docs.append(_doc(a))
        self._years.append(years)
        self._latest.append(max(years) if years else None)
        self._written.append(text_date(text, now))
        self._best.append(None)
        for t, _ in top_items(v, self.params.probe_terms):
            self._postings.setdefault(t, []).append(i)

    def see_dated(self, a: Article, counts: dict[str, int] | None = None) -> None:
        """``counts``: ``featurizer.counts(a)``, when the caller has them."""
        ts = timestamp(a.published)
        if ts is not None and self._ids:
            tf = counts if counts is not None else self.featurizer.counts(a)
            if not self._postings.keys().isdisjoint(tf):  # else no term of it can find an undated one
                self.see(self.featurizer.terms(tf), ts, _doc(a))

    def see(self, v: Vector, ts: float, doc: tuple[str, str | None, str | None] = ("", None, None)) -> None:
        """A dated neighbour (unit vector ``v``, time ``ts``) for the undated articles it resembles."""
        p = self.params
        acc: dict[int, float] = {}
        for t, w in top_items(v, p.index_terms):
            post = self._postings.get(t, ())
            if len(post) > p.max_posting:
                continue  # a term of thousands of articles says nothing about which one this is
            for i in post:
                acc[i] = acc.get(i, 0.0) + w
        year = datetime.fromtimestamp(ts, UTC).year
        for i, _ in heapq.nsmallest(p.max_candidates, acc.items(), key=lambda kv: (-kv[1], kv[0])):
            if self._docs[i] == doc:
                continue  # a "read also" part and its page: other articles on the matter by construction
            latest = self._latest[i]
            if latest is not None and latest > year:
                continue  # the text names a later year than this neighbour's: another happening
            sim = dot(v, self._vectors[i])
            best = self._best[i]
            if best is None or sim > best[0] or (sim == best[0] and ts < best[1]):
                self._best[i] = (sim, ts)

    def result(self) -> dict[str, EventTime]:
        p = self.params
        out: dict[str, EventTime] = {}
        for i, aid in enumerate(self._ids):
            near, written, years = self._best[i], self._written[i], self._years[i]
            if (
                near is not None
                and near[0] >= p.borrow_min
                and (written is None or near[0] >= p.neighbour_over_text)
            ):
                out[aid] = EventTime(near[1], "neighbour", round(near[0], 6), years)
            elif written is not None:
                out[aid] = EventTime(written, "text", p.text_confidence, years)
            else:
                out[aid] = EventTime(None, "none", 0.0, years)
        return out


def estimate_event_times(
    articles: Sequence[Article],
    featurizer: Featurizer,
    params: EventTimeParams | None = None,
    now: datetime | None = None,
    stories: Iterable[tuple[str, Vector, float]] = (),
) -> dict[str, EventTime]:
    """An :class:`EventTime` for every undated article of ``articles`` (by id), from the dated ones and
    ``stories`` (id, unit centroid, time: ``StoryClusterer.timed_centroids``, the active stories of
    earlier runs, so a batch split in two runs finds the twins the other run stored)."""
    timer = EventTimer(featurizer, params)
    for a in articles:
        if a.published is None:
            timer.add_undated(a, now)
    if timer:
        for a in articles:
            timer.see_dated(a)
        for _sid, centroid, ts in stories:
            timer.see(centroid, ts)
    return timer.result()


def event_order_key(ts: float | None, published: bool, article_id: str) -> tuple[bool, float, bool, str]:
    """Stream order by event time: like ``clock.order_key``, with estimates for undated articles, each
    after the published articles of its time (a borrowed time equals its neighbour's: the neighbour's
    story is there first)."""
    return (ts is None, ts or 0.0, not published, article_id)
