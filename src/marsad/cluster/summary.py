"""Story records: representative headline, sources, entities and an extractive summary.

The summary picks 2-4 sentences of the story's own articles (verbatim, never rewritten): sentence
centrality is the TF-IDF cosine to the story centroid, a small bonus favours lead sentences (news put
the essentials first), and MMR (maximal marginal relevance) keeps near-repeats out, which matters
because syndicated copies repeat whole sentences.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime

from marsad.clock import timestamp
from marsad.cluster.features import TermStats, Vector, dot, normalized, stem_terms
from marsad.cluster.stream import StorySnapshot
from marsad.dedup.syndication import first_report, source_groups
from marsad.model import Article, Story
from marsad.normalize.arabic import normalize_text
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
    out: list[str] = []
    for line in text.split("\n"):
        start = 0
        for m in _END.finditer(line):
            before = line[start : m.start()].rstrip()
            last = before.rsplit(None, 1)[-1] if before else ""
            last = last.rsplit(".", 1)[-1] if m.group().startswith(".") else last
            if m.group().startswith(".") and (len(last) <= 1 or last.lower() in _ABBREVIATIONS):
                continue
            out.append(line[start : m.end()].strip())
            start = m.end()
        out.append(line[start:].strip())
    return [s for s in out if s]


def _vector(text: str, stats: TermStats) -> Vector:
    return _key_vector(normalize_text(text), stats)


def _key_vector(key: str, stats: TermStats) -> Vector:
    """:func:`_vector` of a text already normalized."""
    tf = Counter(stem_terms(key))
    return normalized({t: (1.0 + math.log(c)) * stats.idf(t) for t, c in tf.items()})


def summarize(
    articles: Sequence[Article],
    centroid: Vector,
    stats: TermStats,
    *,
    max_sentences: int = 3,
    lam: float = 0.7,
    min_words: int = 6,
    max_words: int = 60,
) -> tuple[str, ...]:
    """MMR selection of up to ``max_sentences`` (2-4 sensible) sentences of ``articles``."""
    cen = normalized(centroid)
    seen: set[str] = set()
    cands: list[tuple[float, int, str, Vector]] = []
    for a in articles:
        sents = split_sentences(a.body)
        for i, s in enumerate(sents):
            key = normalize_text(s)
            n_words = len(NORMALIZED_WORD.findall(key))
            if key in seen or not min_words <= n_words <= max_words or not _PROSE.search(s):
                continue
            seen.add(key)
            v = _key_vector(key, stats)
            lead = 0.1 * (1.0 - i / len(sents))  # earlier sentences carry the news
            cands.append((dot(v, cen) + lead, len(cands), s, v))
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
        title = max(titled, key=lambda a: dot(_vector(f"{a.title}\n{a.body}", stats), cen)).title
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
