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
import heapq
import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from marsad.model import Article
from marsad.normalize.arabic import normalize_text
from marsad.normalize.tokens import ARABIC_STOPWORDS, light_stem

Vector = dict[str, float]

# ``iter_words`` on *normalized* text: normalize_text already removed the combining marks that iter_words'
# pattern bridges, so plain letter runs give the same words; findall without offsets is 2-4x faster.
NORMALIZED_WORD = re.compile(r"[^\W_]+")

_STEMS: dict[str, str] = {}
_STEMS_MAX = 500_000


def stem_terms(normalized: str) -> list[str]:
    """Content stems of an already normalized text: stopwords, digits and 1-letter words dropped."""
    words = NORMALIZED_WORD.findall(normalized)
    stems = _STEMS
    get = stems.get
    out = [get(w) for w in words]  # known words in one C-level loop; None marks a new word
    if None in out:
        if len(stems) >= _STEMS_MAX:
            stems.clear()
        for i, w in enumerate(words):
            if out[i] is None:
                st = "" if (w in ARABIC_STOPWORDS or len(w) < 2 or w.isdigit()) else light_stem(w)
                if st in ARABIC_STOPWORDS or len(st) < 2:
                    st = ""
                out[i] = stems[w] = st
    return [st for st in out if st]


def norm(v: Vector) -> float:
    return math.hypot(*v.values())


def dot(a: Vector, b: Vector) -> float:
    """Dot product of sparse vectors.

    The key intersection runs in C; ``fsum`` is exactly rounded, so the result does not depend on the
    (hash-seed dependent) iteration order of that intersection set.
    """
    return math.fsum([a[t] * b[t] for t in a.keys() & b.keys()])


def top_items(v: Vector, k: int) -> list[tuple[str, float]]:
    """The ``k`` largest weights, ties broken by term so the result never depends on dict order."""
    if len(v) <= k:
        return sorted(v.items(), key=_rank)
    # Cheap cut first: only weights >= the k-th largest can be in the answer (ties resolved by _rank).
    kth = heapq.nlargest(k, v.values())[-1]
    return sorted(((t, w) for t, w in v.items() if w >= kth), key=_rank)[:k]


def _rank(kv: tuple[str, float]) -> tuple[float, str]:
    return (-kv[1], kv[0])


def normalized(v: Vector) -> Vector:
    n = norm(v)
    return {t: w / n for t, w in v.items()} if n > 0 else {}


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

    def observe(self, keys: Iterable[str]) -> None:
        self.n_docs += 1
        df = self.df
        for k in keys:
            df[k] = df.get(k, 0) + 1
        if len(df) > self.max_terms:
            # Long streams meet endless typos and numbers; hapaxes carry no IDF information worth the RAM.
            self.df = {k: c for k, c in df.items() if c > 1}

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

    def features(self, article: Article, *, observe: bool = True) -> DocFeatures:
        text = article.search_text or normalize_text(f"{article.title or ''}\n{article.body}")
        tf = Counter(stem_terms(text))
        ent = Counter(entity_keys(article))
        stats = self.stats
        if observe:
            stats.observe(list(tf) + list(ent))
        # Inlined TermStats.idf: this comprehension runs for every distinct term of every article.
        log, df, n1 = math.log, stats.df, stats.n_docs + 1
        terms = {t: (1.0 + log(c)) * (log(n1 / (df.get(t, 0) + 1)) + 1.0) for t, c in tf.items()}
        if len(terms) > self.max_terms:
            terms = dict(top_items(terms, self.max_terms))
        terms = normalized(terms)
        title_tf = Counter(stem_terms(normalize_text(article.title))) if article.title else Counter()
        title = normalized({t: stats.idf(t) for t in title_tf})
        ents = normalized({e: (1.0 + log(c)) * stats.idf(e) for e, c in ent.items()})
        return DocFeatures(terms, title, ents)
