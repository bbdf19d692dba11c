"""Words of an already normalized text, with a one-entry memo shared by the pipeline stages.

Home of the word split that near-duplicate detection (:mod:`marsad.dedup.shingles`) and story clustering
(:mod:`marsad.cluster.features`) both use, so that neither package imports the other for it.
"""

from __future__ import annotations

import re

# ``iter_words`` on *normalized* text: normalize_text already removed the combining marks that iter_words'
# pattern bridges, so plain letter runs give the same words; findall without offsets is 2-4x faster.
NORMALIZED_WORD = re.compile(r"[^\W_]+")

_LAST_SPLIT: tuple[str, list[str]] = ("", [])


def words(normalized: str) -> list[str]:
    """``NORMALIZED_WORD.findall(normalized)``, reusing the previous call's result when ``normalized`` ends
    with the previously split text at a word boundary.

    The stages split an article's normalized body (dedup), then its normalized title + body (clustering,
    ``search_text``): the body's words, and their cached string hashes, are shared instead of scanning the
    body twice. Words never span a non-alphanumeric character, so the split is exact; callers must not
    mutate the returned list.
    """
    global _LAST_SPLIT
    prev, prev_words = _LAST_SPLIT
    n = len(prev)
    if n and normalized.endswith(prev):
        head = normalized[:-n]
        if not head:
            return prev_words
        if not (head[-1].isalnum() and prev[0].isalnum()):
            return NORMALIZED_WORD.findall(head) + prev_words
    out = NORMALIZED_WORD.findall(normalized)
    _LAST_SPLIT = (normalized, out)
    return out
