""" "Did you mean": a better-attested spelling for the words of a query that found little.

Candidates for a query word come from two places: the index's own vocabulary (every word one edit away
from its exact key — a letter dropped, added, changed or two swapped — that the index holds, ranked by how
many documents hold it) and the KB's names (spellings within two edits, so ``بيسكوب`` suggests
``بيسكوف``). A candidate must be found in more documents than the word itself. The suggestion is the whole
query with that word replaced, ready to be a link.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from marsad.normalize.arabic import normalize_text
from marsad.search.query import Node, Not, Term

ARABIC_LETTERS = "".join(sorted(set(normalize_text("ءابتثجحخدذرزسشصضطظعغفقكلمنهويئؤ"))))
LATIN_LETTERS = "abcdefghijklmnopqrstuvwxyz"
MAX_SUGGESTIONS = 3
FEW_HITS = 3  # fewer results than this: look for a better spelling


def edits1(word: str) -> set[str]:
    letters = LATIN_LETTERS if word.isascii() else ARABIC_LETTERS
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in letters}
    out |= {a + c + b for a, b in splits for c in letters}
    out.discard(word)
    return {w for w in out if len(w) > 1}


def distance(a: str, b: str) -> int:
    """Levenshtein distance (with adjacent swaps counted once)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            d = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                d = min(d, prev2[j - 2] + 1)
            cur.append(d)
        prev2, prev = prev, cur
    return prev[-1]


def positive_terms(node: Node | None) -> Iterator[str]:
    """The plain words of a query outside any ``NOT`` (the ones worth correcting)."""
    if node is None or isinstance(node, Not):
        return
    if isinstance(node, Term):
        yield node.text
        return
    if hasattr(node, "nodes"):
        for n in node.nodes:
            yield from positive_terms(n)


def suggest(
    query: str,
    node: Node | None,
    *,
    key: Callable[[str], str | None],
    doc_freq: Callable[[str], int],
    names: Callable[[str], list[str]],
    skip: Iterable[str] = (),
) -> list[str]:
    """Up to :data:`MAX_SUGGESTIONS` rewritten queries. ``key`` gives a word's exact index key (None: not a
    word to correct), ``doc_freq`` how many documents hold a key, ``names`` KB spellings near a key.

    Only the closest candidates are offered (one edit before two), KB names before other words, then the
    most frequent; the typed word keeps its clitics (``الرياص`` → ``الرياض``). A word the index holds in
    :data:`FEW_HITS` documents or more is not a misspelling (the query found little for another reason),
    nor is a word in ``skip`` (a name already widened to its spellings)."""
    out: list[str] = []
    skipped = set(skip)
    for word in dict.fromkeys(positive_terms(node)):
        k = key(word)
        if k is None or len(k) < 3 or word in skipped:
            continue
        own = doc_freq(k)
        if own >= FEW_HITS:
            continue
        scored: dict[str, tuple[int, int, int]] = {}  # candidate key -> (edits, not a name, -documents)
        for cand in edits1(k):
            n = doc_freq(cand)
            if n > own:
                scored[cand] = (1, 1, -n)
        for near in names(k):
            if near != k and (n := doc_freq(near)) > own:
                scored[near] = (distance(near, k), 0, -n)
        if not scored:
            continue
        best = min(v[0] for v in scored.values())
        norm = normalize_text(word)
        prefix = norm[: len(norm) - len(k)] if norm.endswith(k) else ""  # the clitics the user typed
        for cand, _ in sorted((x for x in scored.items() if x[1][0] == best), key=lambda kv: (kv[1], kv[0])):
            s = query.replace(word, prefix + cand, 1)
            if s != query and s not in out:
                out.append(s)
            if len(out) >= MAX_SUGGESTIONS:
                break
        if len(out) >= MAX_SUGGESTIONS:
            break
    return out[:MAX_SUGGESTIONS]
