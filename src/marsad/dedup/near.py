"""Exact and near-duplicate detection over a stream of articles.

* exact: BLAKE2 of the normalized body, kept for every article ever seen (16 bytes of key per text);
* near: MinHash (126 permutations, see ``_Signer``) over word 3-shingles of the normalized body, banded
  LSH with bands x rows chosen here (datasketch's automatic parameters for threshold 0.8 recall only 40%
  of pairs at Jaccard 0.8; its LSH is replaced by ``_BandLSH``, same candidates, a fraction of the cost). Every LSH candidate is verified by the exact Jaccard of the stored shingle
  sets, so the LSH only has to be generous, never precise.

Why 3-shingles and threshold 0.5 (``bench/bench_cluster.py --dedup``): changing 10% of the words of a
copy leaves a 3-shingle Jaccard around 0.55-0.6 (5%: ~0.75) while distinct articles on the same event
from different outlets stay below 0.2; 5-shingles drop a 10%-edited copy to ~0.4. With 42 bands x 3 rows
(126 hashes) P(candidate | J=0.5) = 0.996 and P(J=0.2) = 0.29 (extra candidates cost one exact Jaccard
each); 32 x 4 gave only P(J=0.5) = 0.87 and missed 10%-edited copies in the tests.

Leads must match too (Jaccard >= 0.3 over the first 60 words): an outlet's follow-up that reuses the
background paragraphs of yesterday's piece under a new lead reaches a body Jaccard of 0.5-0.56 on ANT
(false positives), while a copy with 5-10% edits keeps its lead.

The near-duplicate index only holds a time window (``window_days``) so that memory and probe cost do
not grow with the archive; syndicated copies appear within hours or days of each other.
"""

from __future__ import annotations

import hashlib
from collections import deque
from dataclasses import dataclass
from typing import Literal

import numpy as np

from marsad.clock import DAY, order_key, timestamp
from marsad.dedup.shingles import U32, jaccard, shingle_sequence, unique_sorted
from marsad.model import Article
from marsad.normalize.arabic import normalize_text

DupKind = Literal["exact", "near"]


@dataclass(frozen=True, slots=True)
class DedupDecision:
    duplicate_of: str | None  # the original (earliest by publication, then id) of the group
    kind: DupKind | None
    similarity: float  # Jaccard of 3-shingles with the closest indexed copy (1.0 for exact)
    # Set when the new article is earlier than the group's former original: that one now points here.
    supersedes: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DedupParams:
    threshold: float = 0.5
    shingle: int = 3
    bands: int = 42
    rows: int = 3
    window_days: float = 30.0
    min_shingles: int = 8  # shorter bodies (captions, one-liners) are only checked for exact copies
    lead_words: int = 60
    lead_threshold: float = 0.3  # Jaccard of the leads' shingles, see the module docstring


@dataclass(slots=True)
class _Entry:
    key: tuple[bool, float, str]  # order_key of the group's original
    original: str
    shingles: U32
    lead: U32
    t: float


def body_hash(article: Article) -> str:
    """Exact-duplicate key: the normalized body (title and metadata excluded: outlets retitle copies)."""
    return _hash_normalized(normalize_text(article.body))


def _hash_normalized(norm: str) -> str:
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=16).hexdigest()


class _Signer:
    """MinHash signatures: ``min((a * h + b) mod 2**32)`` over the shingle hashes, one numpy expression.

    datasketch's ``update_batch`` calls a Python hash function per shingle (about 4x slower). With odd
    ``a`` each map is a permutation of the 32-bit space; the inputs are already well mixed (CRC32 words,
    multiplied per shingle), and every candidate is verified by its exact Jaccard anyway. uint32
    arithmetic halves the memory traffic of the uint64 multiply-shift variant (measured 46 vs 102
    us/article). Fixed seed: signatures are stable across runs and processes.
    """

    def __init__(self, num_perm: int, seed: int = 1) -> None:
        rng = np.random.RandomState(seed)
        self.a = (rng.randint(0, 2**31, size=num_perm, dtype=np.int64) * 2 + 1).astype(np.uint32)
        self.b = rng.randint(0, 2**32, size=num_perm, dtype=np.int64).astype(np.uint32)

    def __call__(self, sh: U32) -> U32:
        sig: U32 = (sh[:, None] * self.a + self.b).min(axis=0)
        return sig


class _BandLSH:
    """Banded LSH over MinHash signatures: an id is a candidate when all ``rows`` values of one band match.

    The same candidate sets as datasketch's ``MinHashLSH(params=(bands, rows))`` (one table per band,
    keyed by the band's values), without its per-band byteswap and storage layers: a band key is a slice
    of the signature's bytes, computed once per article for both the query and the insert.
    """

    def __init__(self, bands: int, rows: int) -> None:
        self._width = 4 * rows  # bytes per band (uint32 values)
        self._bands = bands
        # A bucket is one id (nearly all of them) or a set of ids: no set allocated per band and article.
        self._tables: list[dict[bytes, str | set[str]]] = [{} for _ in range(bands)]
        self._keys: dict[str, list[bytes]] = {}

    def band_keys(self, sig: U32) -> list[bytes]:
        raw, w = sig.tobytes(), self._width
        return [raw[i * w : (i + 1) * w] for i in range(self._bands)]

    def query(self, keys: list[bytes]) -> set[str]:
        out: set[str] = set()
        for hit in map(dict.get, self._tables, keys):
            if hit is None:
                continue
            if isinstance(hit, str):
                out.add(hit)
            else:
                out |= hit
        return out

    def insert(self, key: str, keys: list[bytes]) -> None:
        self._keys[key] = keys
        for table, k in zip(self._tables, keys, strict=True):
            bucket = table.setdefault(k, key)
            if bucket is key:
                continue
            if isinstance(bucket, str):
                table[k] = {bucket, key}
            else:
                bucket.add(key)

    def remove(self, key: str) -> None:
        for table, k in zip(self._tables, self._keys.pop(key), strict=True):
            bucket = table[k]
            if isinstance(bucket, str):
                del table[k]
            else:
                bucket.discard(key)
                if len(bucket) <= 1:
                    if bucket:
                        table[k] = next(iter(bucket))
                    else:
                        del table[k]


class NearDuplicateIndex:
    """Streaming duplicate detector. ``add`` articles (ideally in publication order)."""

    def __init__(self, params: DedupParams | None = None) -> None:
        self.params = p = params or DedupParams()
        self._num_perm = p.bands * p.rows
        self._minhash = _Signer(self._num_perm)
        self._lsh = _BandLSH(p.bands, p.rows)
        self._exact: dict[str, tuple[tuple[bool, float, str], str]] = {}  # body hash -> (key, original)
        self._entries: dict[str, _Entry] = {}
        self._fifo: deque[str] = deque()
        self._clock = float("-inf")
        self.candidates_checked = 0

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, article: Article) -> DedupDecision:
        key = order_key(article)
        ts = timestamp(article.published)
        if ts is not None and ts > self._clock:
            self._clock = ts
            self._evict()
        t = ts if ts is not None else self._clock
        norm = normalize_text(article.body)
        seq = shingle_sequence(norm, self.params.shingle)
        sh, lead = unique_sorted(seq), unique_sorted(seq[: self.params.lead_words])
        h = _hash_normalized(norm)
        found = self._exact.get(h)
        decision = self._exact_decision(article, key, h, *found) if found is not None else None
        # Exact copies add nothing to the LSH: their original is already indexed.
        bands = None
        if len(sh) >= self.params.min_shingles and found is None:
            bands = self._lsh.band_keys(self._minhash(sh))
        if decision is None and bands is not None:
            decision = self._check_near(sh, lead, bands, key, article.id)
        decision = decision or DedupDecision(None, None, 0.0)
        original = decision.duplicate_of or article.id
        okey = key if original == article.id else self._key_of(original, key)
        if found is None:
            self._exact[h] = (okey, original)
        if bands is not None and article.id not in self._entries:
            self._entries[article.id] = _Entry(okey, original, sh, lead, t)
            self._fifo.append(article.id)
            self._lsh.insert(article.id, bands)
        return decision

    def original_of(self, article_id: str) -> str | None:
        """Current original of an article still in the window (None when evicted or never indexed)."""
        e = self._entries.get(article_id)
        return e.original if e is not None else None

    def _key_of(self, original: str, default: tuple[bool, float, str]) -> tuple[bool, float, str]:
        e = self._entries.get(original)
        return e.key if e is not None else default

    def _exact_decision(
        self, article: Article, key: tuple[bool, float, str], h: str, okey: tuple[bool, float, str], orig: str
    ) -> DedupDecision:
        if orig == article.id:  # the same article added twice
            return DedupDecision(None, None, 0.0)
        e = self._entries.get(orig)
        if e is not None and e.original != orig:  # the group got an earlier original since
            orig, okey = e.original, e.key
        if key < okey:
            self._exact[h] = (key, article.id)
            self._repoint(orig, article.id, key)
            return DedupDecision(None, "exact", 1.0, supersedes=orig)
        return DedupDecision(orig, "exact", 1.0)

    def _check_near(
        self, sh: U32, lead: U32, bands: list[bytes], key: tuple[bool, float, str], aid: str
    ) -> DedupDecision | None:
        best: tuple[float, str] | None = None
        for cand in sorted(self._lsh.query(bands)):  # sorted: ties resolve the same way
            entry = self._entries.get(cand)
            if entry is None:
                continue
            self.candidates_checked += 1
            sim = jaccard(sh, entry.shingles)
            if sim < self.params.threshold or jaccard(lead, entry.lead) < self.params.lead_threshold:
                continue
            if best is None or sim > best[0]:
                best = (sim, cand)
        if best is None:
            return None
        sim, cand = best
        entry = self._entries[cand]
        if key < entry.key:
            old = entry.original
            self._repoint(old, aid, key)
            return DedupDecision(None, "near", sim, supersedes=old)
        return DedupDecision(entry.original, "near", sim)

    def _repoint(self, old: str, new: str, key: tuple[bool, float, str]) -> None:
        """An earlier article joined a group late: the group's members now name it as their original.

        Linear in the window, but only runs for out-of-order arrivals."""
        for e in self._entries.values():
            if e.original == old:
                e.original, e.key = new, key

    def _evict(self) -> None:
        horizon = self._clock - self.params.window_days * DAY
        while self._fifo:
            aid = self._fifo[0]
            entry = self._entries.get(aid)
            if entry is not None and entry.t >= horizon:
                break
            self._fifo.popleft()
            if entry is not None:
                del self._entries[aid]
                self._lsh.remove(aid)
