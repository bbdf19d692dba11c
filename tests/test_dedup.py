"""Exact and near-duplicate detection, earliest-original rule, syndication and independent sources."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from marsad.dedup import DedupParams, NearDuplicateIndex, independent_sources, syndication_groups
from marsad.model import Article, SourceRef
from marsad.normalize.arabic import normalize_text

LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
T0 = datetime(2018, 3, 1, 8, tzinfo=UTC)


def words(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(LETTERS) for _ in range(rng.randint(3, 7))) for _ in range(n)]


def art(aid: str, body: str, hours: float = 0.0, outlet: str = "a", **kw: object) -> Article:
    return Article(
        id=aid,
        source=SourceRef(origin=aid),
        title=None,
        body=body,
        published=T0 + timedelta(hours=hours),
        outlet=outlet,
        search_text=normalize_text(body),
        **kw,  # type: ignore[arg-type]
    )


def edit(text: str, frac: float, seed: int) -> str:
    """Replace ``frac`` of the words with fresh ones."""
    ws = text.split()
    rng = random.Random(seed)
    fresh = words(seed + 1000, len(ws))
    for i in rng.sample(range(len(ws)), int(len(ws) * frac)):
        ws[i] = fresh[i]
    return " ".join(ws)


BODY = " ".join(words(1, 300))


def test_exact_copy_points_to_the_original() -> None:
    idx = NearDuplicateIndex()
    assert idx.add(art("x1", BODY)).duplicate_of is None
    d = idx.add(art("x2", BODY.replace(" ", "  "), hours=2, outlet="b"))  # same normalized body
    assert (d.duplicate_of, d.kind, d.similarity) == ("x1", "exact", 1.0)


def test_near_duplicates_found_and_distinct_texts_not() -> None:
    idx = NearDuplicateIndex()
    idx.add(art("o", BODY))
    for k, frac in enumerate((0.05, 0.08, 0.10)):
        d = idx.add(art(f"c{k}", edit(BODY, frac, k), hours=k + 1))
        assert d.kind == "near" and d.duplicate_of == "o", (frac, d)
    other = " ".join(words(99, 300))
    assert idx.add(art("z", other, hours=5)).duplicate_of is None
    # Half the words changed is a rewrite, not a copy.
    assert idx.add(art("h", edit(BODY, 0.5, 7), hours=6)).duplicate_of is None


def test_earliest_article_is_the_original_even_when_it_arrives_late() -> None:
    idx = NearDuplicateIndex()
    idx.add(art("late", edit(BODY, 0.05, 3), hours=10))
    d = idx.add(art("early", BODY, hours=1))
    assert d.duplicate_of is None and d.kind == "near" and d.supersedes == "late"
    assert idx.original_of("late") == "early"
    assert idx.add(art("third", edit(BODY, 0.05, 4), hours=20)).duplicate_of == "early"


def test_window_eviction_bounds_the_index() -> None:
    idx = NearDuplicateIndex(DedupParams(window_days=2))
    idx.add(art("old", BODY))
    for i in range(5):
        idx.add(art(f"n{i}", " ".join(words(200 + i, 100)), hours=24 * (i + 1)))
    assert len(idx) <= 3
    assert idx.add(art("copy", edit(BODY, 0.05, 1), hours=200)).kind is None
    # Exact copies are remembered beyond the window.
    assert idx.add(art("exact", BODY, hours=300)).kind == "exact"


def test_syndication_and_independent_sources() -> None:
    wire = [
        art("w1", BODY, outlet="bbc", wire="رويترز"),
        replace(art("w2", BODY, 1, outlet="cnn"), duplicate_of="w1"),
        replace(art("w3", BODY, 2, outlet="sky"), duplicate_of="w1"),
    ]
    own = [art("o1", "x", outlet="france24"), art("o2", "y", outlet="france24")]
    credited = art("r9", "z", outlet="alarabia", wire="رويترز")  # another Reuters text
    groups = syndication_groups(wire + own)
    assert groups == {"w1": "w1", "w2": "w1", "w3": "w1"}
    assert independent_sources(wire) == 1
    assert independent_sources(wire + own) == 2  # one outlet is one source
    assert independent_sources([*wire, *own, credited]) == 2  # Reuters credited again
    assert independent_sources([art("a", "x", outlet="a"), art("b", "y", outlet="b")]) == 2


def test_same_outlet_reposts_are_not_syndication() -> None:
    a = art("p1", BODY, outlet="sky")
    b = replace(art("p2", BODY, 3, outlet="sky"), duplicate_of="p1")
    assert syndication_groups([a, b]) == {}


def test_band_lsh_gives_datasketch_candidates() -> None:
    """``_BandLSH`` returns the candidate sets of datasketch's MinHashLSH with the same bands x rows."""
    import numpy as np
    from datasketch import MinHash, MinHashLSH

    from marsad.dedup.near import _BandLSH

    rng = np.random.default_rng(3)
    ours, ref = _BandLSH(6, 2), MinHashLSH(num_perm=12, params=(6, 2))
    sigs = {f"d{i}": rng.integers(0, 4, size=12).astype(np.uint32) for i in range(60)}  # many collisions
    for i, (key, sig) in enumerate(sigs.items()):
        m = MinHash(num_perm=12)
        m.hashvalues = sig
        assert ours.query(ours.band_keys(sig)) == set(ref.query(m))
        ours.insert(key, ours.band_keys(sig))
        ref.insert(key, m, check_duplication=False)
        if i % 3 == 2:  # removals, as the window eviction does
            gone = f"d{i - 2}"
            ours.remove(gone)
            ref.remove(gone)
    for sig in sigs.values():
        m = MinHash(num_perm=12)
        m.hashvalues = sig
        assert ours.query(ours.band_keys(sig)) == set(ref.query(m))
