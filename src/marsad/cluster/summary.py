"""Story records: representative headline, sources, entities and an extractive summary.

The summary picks 2-4 sentences of the story's own articles (verbatim, never rewritten): sentence
centrality is the TF-IDF cosine to the story centroid, a small bonus favours lead sentences (news put
the essentials first), and MMR (maximal marginal relevance) keeps near-repeats out, which matters
because syndicated copies repeat whole sentences.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from marsad.clock import timestamp
from marsad.cluster.features import TermStats, Vector, dot, normalized, stem_counts, word_stem_counts
from marsad.cluster.stream import StorySnapshot
from marsad.dedup.syndication import first_report, source_groups
from marsad.model import Article, Story
from marsad.normalize.arabic import normalize_each, normalize_text
from marsad.normalize.words import NORMALIZED_WORD

# A sentence ends at . ! ? ؟ … (plus closing quotes/brackets) followed by white space; newlines always end
# one. Decimals (3.5) and dates (1.2.2018) never match because the mark must precede white space.
_END = re.compile(r"[.!?؟…]+[\"'”’»)\]]*(?=\s)")
# A period after these is an abbreviation, not a sentence end: single letters (د. م. أ. U.S.) are
# caught by length; longer ones are listed (normalized forms).
# Prose has punctuation; tag lists and keyword lines ("كلمات دلالية: ...") have none beyond a colon.
_PROSE = re.compile(r"[.!?؟…،,\"»”]")
_ABBREVIATIONS = frozenset({"mr", "mrs", "dr", "prof", "st", "no", "vs", "etc", "inc", "ltd", "jr", "co"})


def split_sentences(text: str) -> list[str]:
    """Arabic-aware sentence split of ``text``; each sentence is a verbatim substring of ``text``."""
    return [text[a:b] for a, b in sentence_spans(text)]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of :func:`split_sentences` in ``text``."""
    out: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        start = 0
        for m in _END.finditer(line):
            before = line[start : m.start()].rstrip()
            last = before.rsplit(None, 1)[-1] if before else ""
            last = last.rsplit(".", 1)[-1] if m.group().startswith(".") else last
            if m.group().startswith(".") and (len(last) <= 1 or last.lower() in _ABBREVIATIONS):
                continue
            _stripped(out, line, offset, start, m.end())
            start = m.end()
        _stripped(out, line, offset, start, len(line))
        offset += len(line) + 1
    return out


def _stripped(out: list[tuple[int, int]], line: str, offset: int, start: int, end: int) -> None:
    """Append the span of ``line[start:end].strip()`` (offset by the line's start) unless it is empty."""
    piece = line[start:end]
    right = len(piece.rstrip())
    if right:
        left = len(piece) - len(piece.lstrip())
        out.append((offset + start + left, offset + start + right))


@dataclass(frozen=True, slots=True)
class _Sentence:
    """A summary candidate of an article: a sentence of the right length that reads as prose."""

    start: int  # span in the body
    end: int
    lead: float  # bonus for sentences early in the article
    key: bytes  # digest of the normalized sentence: a sentence repeated by another member is skipped
    stems: tuple[str, ...]  # its content stems and their counts, in first-occurrence order
    counts: tuple[int, ...]


@dataclass(slots=True)
class _Text:
    check: int  # hash of the body and title the entry was made from
    sentences: tuple[_Sentence, ...]
    headline: tuple[tuple[str, ...], tuple[int, ...]] | None = None  # stems of title and body


# Per-article sentence stems kept across calls (and across the runs of one process). A story's record is
# rebuilt whenever an article joins it, once a chunk and on every run that touches it: re-splitting,
# re-normalising and re-stemming the sentences of every member each time made the cost of a touch grow
# with the story. Only the IDF weighting (document frequencies move on) and the selection run again, so
# the record is the one a build from scratch gives. Bounded: the most recently used articles are kept.
TEXTS_HELD = 3000
_TEXTS: dict[tuple[str, int, int], _Text] = {}
_MIN_WORDS, _MAX_WORDS = 6, 60


def _text(a: Article, min_words: int = _MIN_WORDS, max_words: int = _MAX_WORDS) -> _Text:
    key, check = (a.id, min_words, max_words), hash((a.body, a.title))
    t = _TEXTS.pop(key, None)
    if t is None or t.check != check:
        t = _Text(check, tuple(_candidates(a.body, min_words, max_words)))
        if len(_TEXTS) >= TEXTS_HELD:
            del _TEXTS[next(iter(_TEXTS))]
    _TEXTS[key] = t  # most recently used last
    return t


def _candidates(body: str, min_words: int, max_words: int) -> Iterator[_Sentence]:
    spans = sentence_spans(body)
    sents = [body[a:b] for a, b in spans]
    for i, ((start, end), s, key) in enumerate(zip(spans, sents, normalize_each(sents), strict=True)):
        ws = NORMALIZED_WORD.findall(key)
        if not min_words <= len(ws) <= max_words or not _PROSE.search(s):
            continue
        tf = word_stem_counts(ws)
        lead = 0.1 * (1.0 - i / len(spans))  # earlier sentences carry the news
        digest = hashlib.blake2b(key.encode("utf-8"), digest_size=16).digest()
        yield _Sentence(start, end, lead, digest, tuple(tf), tuple(tf.values()))


def _weighted(stems: Sequence[str], counts: Sequence[int], stats: TermStats) -> Vector:
    """Unit TF-IDF vector of stem counts (``TermStats.idf`` inlined: this runs for every stem of every
    sentence of a story)."""
    log, df, n1 = math.log, stats.df, stats.n_docs + 1
    return normalized(
        {t: (1.0 + log(c)) * (log(n1 / (df.get(t, 0) + 1)) + 1.0) for t, c in zip(stems, counts, strict=True)}
    )


def _headline_vector(a: Article, stats: TermStats) -> Vector:
    """TF-IDF vector of an article's title and body, to choose a story's headline."""
    t = _text(a)
    if t.headline is None:
        tf = stem_counts(normalize_text(f"{a.title}\n{a.body}"))
        t.headline = (tuple(tf), tuple(tf.values()))
    return _weighted(*t.headline, stats)


def summarize(
    articles: Sequence[Article],
    centroid: Vector,
    stats: TermStats,
    *,
    max_sentences: int = 3,
    lam: float = 0.7,
    min_words: int = _MIN_WORDS,
    max_words: int = _MAX_WORDS,
) -> tuple[str, ...]:
    """MMR selection of up to ``max_sentences`` (2-4 sensible) sentences of ``articles``."""
    cen = normalized(centroid)
    seen: set[bytes] = set()
    cands: list[tuple[float, int, str, Vector]] = []
    for a in articles:
        for c in _text(a, min_words, max_words).sentences:
            if c.key in seen:
                continue
            seen.add(c.key)
            v = _weighted(c.stems, c.counts, stats)
            cands.append((dot(v, cen) + c.lead, len(cands), a.body[c.start : c.end], v))
    chosen: list[tuple[float, int, str, Vector]] = []
    while cands and len(chosen) < max_sentences:

        def mmr(c: tuple[float, int, str, Vector]) -> tuple[float, int]:
            red = max((dot(c[3], o[3]) for o in chosen), default=0.0)
            return (-(lam * c[0] - (1.0 - lam) * red), c[1])

        best = min(cands, key=mmr)
        if chosen and max(dot(best[3], o[3]) for o in chosen) > 0.8:
            cands.remove(best)  # a reworded repeat (syndicated copies): never worth a slot
            continue
        chosen.append(best)
        cands.remove(best)
    return tuple(c[2] for c in chosen)


_TITLE_WORDS = 14


def sentence_title(summary: Sequence[str], articles: Iterable[Article] = ()) -> str:
    """A title for a story none of whose articles has a headline: its first summary sentence, else the
    first sentence of a lead, without a dateline credit (``القاهرة – (أ ش أ):``), cut at a word."""
    from marsad.parse.credits import read_credit

    candidates = [*summary, *(s for a in articles for s in split_sentences(a.body)[:1])]
    for sentence in candidates:
        credit = read_credit(sentence)
        text = sentence[credit.end :] if credit is not None else sentence
        words = text.strip(" :：-–—").split()
        if len(words) < 3:
            continue
        cut = " ".join(words[:_TITLE_WORDS])
        return cut.rstrip(".،,:؛") + ("…" if len(words) > _TITLE_WORDS else "")
    return ""


def _top_entities(articles: Iterable[Article], k: int = 10) -> tuple[str, ...]:
    df: Counter[str] = Counter()
    for a in articles:
        df.update({m.entity_id for m in a.mentions if m.entity_id})
    return tuple(e for e, _ in sorted(df.items(), key=lambda kv: (-kv[1], kv[0]))[:k])


def _when(articles: Iterable[Article]) -> list[datetime]:
    # pages mix zoned ("GMT") and unzoned dates; compare them on the stream clock (naive = UTC)
    dated = [a.published for a in articles if a.published is not None]
    return sorted(dated, key=lambda d: timestamp(d) or 0.0)


def build_story(
    snapshot: StorySnapshot,
    articles: Iterable[Article],
    *,
    stats: TermStats | None = None,
    storyline_id: str | None = None,
    max_sentences: int = 3,
) -> Story:
    """``Story`` record of a clustered story. ``articles`` may hold more than the story: only ids of
    ``snapshot.article_ids`` are used, in that order."""
    by_id = {a.id: a for a in articles}
    arts = [by_id[i] for i in snapshot.article_ids if i in by_id]
    stats = stats if stats is not None else TermStats.with_prior()
    cen = normalized(snapshot.centroid)
    titled = [a for a in arts if a.title]
    # Most central headline; ties keep the earlier article (the list is in arrival order). Most stories
    # have one headline: no vector to compare then.
    if len(titled) > 1:
        title = max(titled, key=lambda a: dot(_headline_vector(a, stats), cen)).title
    else:
        title = titled[0].title if titled else ""
    dates = _when(arts)
    summary = summarize(arts, snapshot.centroid, stats, max_sentences=max_sentences)
    groups = source_groups(arts)
    return Story(
        id=snapshot.id,
        title=title or sentence_title(summary, arts),
        article_ids=tuple(a.id for a in arts),
        first_seen=dates[0] if dates else None,
        last_seen=dates[-1] if dates else None,
        outlets=tuple(sorted({a.outlet for a in arts if a.outlet})),
        independent_sources=sum(g.source is not None for g in groups),
        top_entities=_top_entities(arts),
        summary=summary,
        storyline_id=storyline_id,
        unknown_sources=sum(g.source is None for g in groups),
        sources=groups,
        first_reported=first_report(arts),
    )
