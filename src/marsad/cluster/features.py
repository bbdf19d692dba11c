"""Article features for story clustering: TF-IDF over light stems, title terms, entity keys.

IDF choice: *incremental* document frequencies over the articles seen so far (``TermStats``), part of the
clusterer's state, **started from a background prior**: ``df_prior.json.gz`` holds stem document
frequencies of SaudiNewsNet (31,030 Saudi newspaper articles of 2015, independent of the ANT dev set and
of the seeds), counted as ``PRIOR_DOCS`` pseudo-documents. A fixed table alone would freeze one period's
vocabulary (2015 names are not 2025 names); incremental counts alone know nothing on a cold start (with
8 articles every IDF is about equal and "قال"/"الرئيس" weigh as much as "ويتكوف"). The prior fixes the
cold start, and the stream's own counts take over as they pass ``PRIOR_DOCS``.
"""

from __future__ import annotations

import gzip
import json
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from itertools import repeat
from operator import itemgetter, mul
from typing import Any

from marsad.model import Article
from marsad.normalize.arabic import normalize_text, search_text
from marsad.normalize.tokens import ARABIC_STOPWORDS, light_stem_fast
from marsad.normalize.words import words

Vector = dict[str, float]

_STEMS: dict[str, str] = {}
_STEMS_MAX = 500_000


def stem_terms(normalized: str) -> list[str]:
    """Content stems of an already normalized text: stopwords, digits and 1-letter words dropped."""
    ws = words(normalized)
    out: list[str | None] = list(map(_STEMS.get, ws))  # known words in C; None marks a new word
    if None in out:
        _learn_stems(ws)
        out = list(map(_STEMS.get, ws))
    return list(filter(None, out))


def stem_counts(normalized: str) -> dict[str, int]:
    """``Counter(stem_terms(normalized))`` (same keys, same order), looking each distinct word up once:
    the stem table is large, so each lookup is a cache miss; an article repeats half of its words."""
    return word_stem_counts(words(normalized))


def word_stem_counts(ws: list[str]) -> dict[str, int]:
    """:func:`stem_counts` of a text's words (``words(normalized)``), for a caller that has them."""
    if len(ws) < 40:  # a sentence: repeats are few, so a lookup per word is cheaper than a Counter
        each: list[str | None] = list(map(_STEMS.get, ws))
        if None in each:
            _learn_stems(ws)
            each = list(map(_STEMS.get, ws))
        counts: dict[str, int] = {}
        get = counts.get
        for st in each:
            if st:
                counts[st] = get(st, 0) + 1
        return counts
    wc = Counter(ws)
    distinct = list(wc)
    out: list[str | None] = list(map(_STEMS.get, distinct))
    if None in out:
        _learn_stems(distinct)
        out = list(map(_STEMS.get, distinct))
    tf: dict[str, int] = {}
    get = tf.get
    for st, c in zip(out, wc.values(), strict=True):
        if st:
            tf[st] = get(st, 0) + c
    return tf


def _learn_stems(ws: Iterable[str]) -> None:
    stems = _STEMS
    if len(stems) >= _STEMS_MAX:
        stems.clear()
    for w in set(ws).difference(stems):
        st = "" if (w in ARABIC_STOPWORDS or len(w) < 2 or w.isdigit()) else light_stem_fast(w)
        if st in ARABIC_STOPWORDS or len(st) < 2:
            st = ""
        stems[w] = st


def norm(v: Vector) -> float:
    return math.hypot(*v.values())


def dot(a: Vector, b: Vector) -> float:
    """Dot product of sparse vectors.

    The key intersection runs in C; ``fsum`` is exactly rounded, so the result does not depend on the
    (hash-seed dependent) iteration order of that intersection set.
    """
    common = a.keys() & b.keys()
    return math.fsum(map(mul, map(a.__getitem__, common), map(b.__getitem__, common)))


def top_items(v: Vector, k: int) -> list[tuple[str, float]]:
    """The ``k`` largest weights, ties broken by term so the result never depends on dict order."""
    items: Iterable[tuple[str, float]] = v.items()
    if len(v) > k:
        # Cheap cut first: only weights >= the k-th largest can be in the answer (ties resolved below).
        kth = sorted(v.values(), reverse=True)[k - 1]  # C sort: faster than heapq.nlargest's Python loop
        items = [kv for kv in items if kv[1] >= kth]
    # Order (-weight, term) without a Python key function: by term, then stably by weight, descending.
    out = sorted(items, key=_TERM)
    out.sort(key=_WEIGHT, reverse=True)
    return out[:k]


_TERM = itemgetter(0)
_WEIGHT = itemgetter(1)


def ranked_ids(acc: dict[str, float], k: int) -> list[str]:
    """The ``k`` ids of the highest scores, ties by id: ``sorted(acc.items(), key=lambda kv: (-kv[1],
    kv[0]))[:k]``'s ids, sorted without a Python key function (by id, then stably by score)."""
    ranked = sorted(acc.items(), key=_TERM)
    ranked.sort(key=_WEIGHT, reverse=True)
    return [i for i, _ in ranked[:k]]


def normalized(v: Vector) -> Vector:
    n = norm(v)
    return {t: w / n for t, w in v.items()} if n > 0 else {}


_ONE = 1
PRIOR_FILE = "df_prior.json.gz"
PRIOR_DOCS = 5_000


class TermStats:
    """Incremental document frequencies (terms and ``@entity`` keys)."""

    @classmethod
    def with_prior(cls, weight_docs: int = PRIOR_DOCS) -> TermStats:
        """Counts that start from the packaged background table, scaled to ``weight_docs`` documents."""
        with resources.files("marsad.cluster").joinpath(PRIOR_FILE).open("rb") as fh:
            prior = json.loads(gzip.decompress(fh.read()))
        scale = weight_docs / int(prior["n_docs"])
        ts = cls()
        ts.n_docs = weight_docs
        ts.df = {str(t): max(1, round(c * scale)) for t, c in prior["df"].items()}
        return ts

    def __init__(self, max_terms: int = 600_000) -> None:
        self.n_docs = 0
        self.df: dict[str, int] = {}
        self.max_terms = max_terms
        self._changed: set[str] = set()  # keys counted since take_changes (a saved copy needs only them)
        self._pruned = False

    def take_changes(self) -> tuple[bool, set[str]]:
        """(whether the table was pruned, the keys counted) since the last call."""
        out = (self._pruned, self._changed)
        self._pruned, self._changed = False, set()
        return out

    def observe(self, keys: Iterable[str]) -> None:
        self.n_docs += 1
        df = self.df
        ks = list(keys)
        self._changed.update(ks)
        for k in ks:
            df[k] = df.get(k, 0) + 1
        if len(df) > self.max_terms:
            # Long streams meet endless typos and numbers; hapaxes carry no IDF information worth the RAM.
            self.df = {k: c for k, c in df.items() if c > 1}
            self._pruned = True

    def observe_distinct(self, keys: list[str]) -> list[int] | None:
        """``observe`` for keys known to be distinct, in one C-level pass over the counts. Returns the
        keys' new document frequencies, or None when the table was just pruned (look them up then)."""
        self.n_docs += 1
        df = self.df
        counts = list(map(_ONE.__add__, map(df.get, keys, repeat(0))))
        df.update(zip(keys, counts, strict=True))
        self._changed.update(keys)
        if len(df) > self.max_terms:
            self.df = {k: c for k, c in df.items() if c > 1}
            self._pruned = True
            return None
        return counts

    def idf(self, key: str) -> float:
        return math.log((self.n_docs + 1) / (self.df.get(key, 0) + 1)) + 1.0

    def to_state(self) -> dict[str, Any]:
        return {"n_docs": self.n_docs, "df": self.df, "max_terms": self.max_terms}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> TermStats:
        ts = cls(int(state["max_terms"]))
        ts.n_docs = int(state["n_docs"])
        ts.df = {str(k): int(v) for k, v in state["df"].items()}
        return ts


@dataclass(frozen=True, slots=True)
class DocFeatures:
    terms: Vector  # L2-normalized TF-IDF of title+body stems, top ``max_terms``
    title: Vector  # L2-normalized TF-IDF of title stems
    entities: Vector  # L2-normalized IDF-weighted entity keys ("@id")


def entity_keys(article: Article) -> list[str]:
    """Entity keys of the mentions: the KB id, or the normalized surface of an unlinked NER name."""
    keys = []
    for m in article.mentions:
        if m.entity_id:
            keys.append("@" + m.entity_id)
        elif m.text:
            keys.append("@~" + normalize_text(m.text))
    return keys


class Featurizer:
    def __init__(self, stats: TermStats, max_terms: int = 80) -> None:
        self.stats = stats
        self.max_terms = max_terms

    def counts(self, article: Article) -> dict[str, int]:
        """Stem counts of the article's title and body: what :meth:`features` weighs (a caller that
        needs the features of one article twice computes these once)."""
        return stem_counts(article.search_text or search_text(article.title, article.body))

    def features(
        self, article: Article, *, observe: bool = True, counts: dict[str, int] | None = None
    ) -> DocFeatures:
        """``counts``: :meth:`counts` of the article, when the caller has them."""
        tf = counts if counts is not None else self.counts(article)
        ent = Counter(entity_keys(article))
        stats = self.stats
        keys = list(tf)
        dfs = None
        if observe:
            # Stems never start with "@": the two key lists cannot overlap.
            dfs = stats.observe_distinct(keys + list(ent))
        terms = self._terms(tf, keys, dfs)
        log, df, n1 = math.log, stats.df, stats.n_docs + 1
        title_tf = dict.fromkeys(stem_terms(normalize_text(article.title))) if article.title else {}
        title = normalized({t: log(n1 / (df.get(t, 0) + 1)) + 1.0 for t in title_tf})
        ents = normalized({e: (1.0 + log(c)) * (log(n1 / (df.get(e, 0) + 1)) + 1.0) for e, c in ent.items()})
        return DocFeatures(terms, title, ents)

    def terms(self, counts: dict[str, int]) -> Vector:
        """``features(article, observe=False, counts=counts).terms`` without the title and entities."""
        return self._terms(counts, list(counts), None)

    def _terms(self, tf: dict[str, int], keys: list[str], counts: list[int] | None) -> Vector:
        # Inlined TermStats.idf: these comprehensions run for every distinct key of every article.
        stats = self.stats
        log, df, n1 = math.log, stats.df, stats.n_docs + 1
        dfs = counts if counts is not None else list(map(df.get, keys, repeat(0)))  # the first len(tf)
        terms = {
            t: (1.0 + log(c)) * (log(n1 / (d + 1)) + 1.0) for (t, c), d in zip(tf.items(), dfs, strict=False)
        }
        if len(terms) > self.max_terms:
            terms = dict(top_items(terms, self.max_terms))
        return normalized(terms)
