"""Build ``src/marsad/data/names/romanize.tsv.gz``: Arabic person-name tokens → Latin spellings.

    .venv/bin/python scripts/build_romanizer.py [--shared ../shared] [--eval]

Sources (both staged under ``../shared/data/gazetteers``; see ``src/marsad/data/names/README.md``):

* Wikidata person-name tokens (Merhav & Ash, COLING 2018; CC0): English token, Arabic letters, count;
* Google's Arabic–English transliteration pairs mined from Wikipedia (Apache-2.0): Arabic, Latin.

The output has two kinds of line, both keyed by ``normalize_text`` of the Arabic:

* ``T <arabic> <latin>``: the most frequent Latin spelling of a whole token (English folded to ASCII
  lower case; counts of both sources added; ties broken alphabetically so the build is reproducible);
* ``M <context> <chunk>``: the character model for tokens not in the table (see
  :mod:`marsad.entities.romanize`): each Arabic letter, in the context of its neighbours, aligned by EM to
  the Latin substring it is most often written as.

``--eval`` trains on ``wd_arabic_80`` + ``ar2en-train`` only and prints token accuracy on ``wd_arabic_20``
and ``ar2en-test`` (whole system, and the character model alone on tokens the table has not seen).
"""

from __future__ import annotations

import argparse
import gzip
import math
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from marsad.entities.romanize import (  # noqa: E402
    LM_END,
    LM_ORDER,
    LM_PAD,
    LM_WEIGHT,
    MAX_CHUNK,
    CharModel,
    Romanizer,
    contexts,
)
from marsad.normalize.arabic import normalize_text  # noqa: E402

OUT = REPO / "src" / "marsad" / "data" / "names" / "romanize.tsv.gz"
_LATIN = re.compile(r"[a-z]+(?:['-][a-z]+)*")
_ARABIC = re.compile(r"[\u0621-\u064a]+")
_ARTICLE = "ال"
SPELLING_FIT = 0.0  # alignment weight in choosing a table spelling (build_table); 0.3 measured, not adopted
_TOP_CHUNKS = 4  # chunks kept per context
_MIN_MODEL = 2  # a context seen fewer times is left to a shorter one
_OWN_NAME = 3  # times an ال… word must be seen spelled al…/el… to be a name of its own


def fold(en: str) -> str:
    """ASCII lower case (Arsène → arsene, ’ → '); how the export writes English names."""
    en = en.lower().replace("’", "'").replace("ʼ", "'")
    return "".join(c for c in unicodedata.normalize("NFKD", en) if not unicodedata.combining(c))


def wikidata(path: Path) -> Iterator[tuple[str, str, int]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3:
                yield parts[1].replace(" ", ""), parts[0], int(parts[2])


def google(path: Path) -> Iterator[tuple[str, str, int]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 2:
                yield parts[0], parts[1], 1


def clean_pairs(rows: Iterable[tuple[str, str, int]]) -> Iterator[tuple[str, str, int]]:
    """(normalized Arabic, ASCII Latin, count), without misaligned or non-name pairs; an Arabic token with
    the article whose English dropped it gives its stem too (البغدادي → baghdadi: بغدادي → baghdadi)."""
    for ar, en, n in rows:
        key, lat = normalize_text(ar), fold(en)
        if not _ARABIC.fullmatch(key) or not _LATIN.fullmatch(lat):
            continue
        if not (0.6 * len(key) <= len(lat) <= 2.5 * len(key) + 2):
            continue  # "yasmina" for محمد, "2nd" for السير: the aligner's misses
        if key.startswith(_ARTICLE) and len(key) > 4 and not re.match(r"(?:al|el)", lat):
            yield key[2:], lat, n  # the English dropped the article; with al…/el… it may be Alves
        yield key, lat, n


# Arabic letters English-language news writes with one Latin form whatever the outlet's French or
# Turkish habits (قطان Qattan not Kattan, شرقي Sharqi not Charki): the tie-break between equally
# frequent spellings
_ENGLISH_CONSONANTS = {"ق": "q", "ش": "sh", "ث": "th", "ذ": "dh", "غ": "gh", "خ": "kh", "ج": "j"}


def english_consonants(key: str, lat: str) -> int:
    """How many of ``key``'s letters of ``_ENGLISH_CONSONANTS`` ``lat`` writes the English way (counted
    letter by letter up to the spelling's own count of that Latin form)."""
    return sum(min(key.count(ar), lat.count(en)) for ar, en in _ENGLISH_CONSONANTS.items())


def build_table(
    pairs: list[tuple[str, str, int]], prob: dict[tuple[str, str], float] | None = None, mu: float = 0.0
) -> dict[str, str]:
    """Arabic key → its spelling: the most frequent one, or with ``prob`` (the character alignment) the
    one of best log(count) + ``mu`` × log P(spelling | Arabic), which prefers the spelling that writes the
    letters the usual way when counts are close (قطان: qattan 1 over kattan 2). Equally frequent spellings
    go to the one writing more letters the English way (:func:`english_consonants`), then alphabetically."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for key, lat, n in pairs:
        counts[key][lat] += n

    def score(k: str, s: str, c: Counter[str]) -> tuple[float, int, str]:
        fit = mu * _log_forward(k, s, prob) if prob is not None and mu and len(c) > 1 else 0.0
        return (-(math.log(c[s]) + fit), -english_consonants(k, s), s)

    table = {k: min(c, key=lambda s: score(k, s, c)) for k, c in counts.items()}
    for k in sorted(table):
        # ال… spelled al…/el…: a name of its own when often seen so (الفيس Alves, الكسندر Alexander),
        # else the article and a stem (الشمري alshammari → شمري shammari; the romanizer adds al-)
        lat = table[k]
        if (
            k.startswith(_ARTICLE)
            and len(k) > 4
            and re.match(r"(?:al|el)", lat)
            and counts[k][lat] < _OWN_NAME
        ):
            del table[k]
            if len(lat) > 4:
                table.setdefault(k[2:], lat[2:].lstrip("-"))
    return table


# ---- character model: EM alignment of Arabic letters to Latin chunks ----------------------------------


def _align_em(pairs: list[tuple[str, str, int]], rounds: int = 5) -> dict[tuple[str, str], float]:
    """P(chunk | letter) by EM over monotone alignments where each letter writes 0..MAX_CHUNK Latin
    characters (forward–backward, counts weighted by the pair's count, capped)."""
    prob: dict[tuple[str, str], float] = defaultdict(lambda: 1.0)
    for _ in range(rounds):
        exp: dict[tuple[str, str], float] = defaultdict(float)
        for ar, en, n in pairs:
            w = min(n, 5)
            a, m = len(ar), len(en)
            fwd = [[0.0] * (m + 1) for _ in range(a + 1)]
            fwd[0][0] = 1.0
            for i in range(a):
                row, nxt = fwd[i], fwd[i + 1]
                for j in range(m + 1):
                    if row[j] == 0.0:
                        continue
                    for k in range(0, min(MAX_CHUNK, m - j) + 1):
                        nxt[j + k] += row[j] * prob[(ar[i], en[j : j + k])]
            total = fwd[a][m]
            if total <= 0.0 or not math.isfinite(total):
                continue
            bwd = [[0.0] * (m + 1) for _ in range(a + 1)]
            bwd[a][m] = 1.0
            for i in range(a - 1, -1, -1):
                for j in range(m + 1):
                    s = 0.0
                    for k in range(0, min(MAX_CHUNK, m - j) + 1):
                        s += prob[(ar[i], en[j : j + k])] * bwd[i + 1][j + k]
                    bwd[i][j] = s
            for i in range(a):
                for j in range(m + 1):
                    if fwd[i][j] == 0.0:
                        continue
                    for k in range(0, min(MAX_CHUNK, m - j) + 1):
                        key = (ar[i], en[j : j + k])
                        p = fwd[i][j] * prob[key] * bwd[i + 1][j + k] / total
                        if p > 1e-6:
                            exp[key] += w * p
        by_letter: dict[str, float] = defaultdict(float)
        for (c, _), v in exp.items():
            by_letter[c] += v
        prob = defaultdict(float, {k: v / by_letter[k[0]] for k, v in exp.items()})
    return prob


def _log_forward(ar: str, en: str, prob: dict[tuple[str, str], float]) -> float:
    """log P(en | ar) under the alignment (all segmentations); a floor when none is possible."""
    m = len(en)
    fwd = [1.0] + [0.0] * m
    for c in ar:
        nxt = [0.0] * (m + 1)
        for j in range(m + 1):
            if fwd[j]:
                for k in range(0, min(MAX_CHUNK, m - j) + 1):
                    p = prob.get((c, en[j : j + k]), 0.0)
                    if p:
                        nxt[j + k] += fwd[j] * p
        fwd = nxt
    return math.log(fwd[m]) if fwd[m] > 0 else -50.0


def _viterbi(ar: str, en: str, prob: dict[tuple[str, str], float]) -> list[str] | None:
    a, m = len(ar), len(en)
    best = [[-math.inf] * (m + 1) for _ in range(a + 1)]
    back = [[0] * (m + 1) for _ in range(a + 1)]
    best[0][0] = 0.0
    for i in range(a):
        for j in range(m + 1):
            if best[i][j] == -math.inf:
                continue
            for k in range(0, min(MAX_CHUNK, m - j) + 1):
                p = prob.get((ar[i], en[j : j + k]), 0.0)
                if p <= 0.0:
                    continue
                s = best[i][j] + math.log(p)
                if s > best[i + 1][j + k]:
                    best[i + 1][j + k], back[i + 1][j + k] = s, k
    if best[a][m] == -math.inf:
        return None
    chunks: list[str] = []
    j = m
    for i in range(a, 0, -1):
        k = back[i][j]
        chunks.append(en[j - k : j])
        j -= k
    return chunks[::-1]


def train_model(
    pairs: list[tuple[str, str, int]],
) -> tuple[dict[str, str], dict[str, int], dict[tuple[str, str], float]]:
    """(context key → its chunks with counts, ``chunk=n,chunk=n``, most frequent first; Latin character
    n-gram → count) — the character model's two parts (contexts from :func:`contexts`) — and the letter
    alignment P(chunk | letter)."""
    table = build_table(pairs)
    uniq = [(k, v, 1) for k, v in sorted(table.items())]  # one spelling per token: the table's
    prob = _align_em(uniq)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for ar, en, _ in uniq:
        chunks = _viterbi(ar, en, prob)
        if chunks is None:
            continue
        for i, chunk in enumerate(chunks):
            for ctx in contexts(ar, i):
                counts[ctx][chunk] += 1
    out: dict[str, str] = {}
    for ctx, c in counts.items():
        top = sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:_TOP_CHUNKS]
        if sum(n for _, n in top) >= _MIN_MODEL or "|" not in ctx:
            out[ctx] = ",".join(f"{chunk}={n}" for chunk, n in top)
    lm: Counter[str] = Counter()
    for _, en, _ in uniq:
        padded = LM_PAD + en + LM_END
        for n in range(1, LM_ORDER + 1):
            for i in range(len(padded) - n + 1):
                lm[padded[i : i + n]] += 1
    return out, {g: n for g, n in lm.items() if n >= _MIN_MODEL}, dict(prob)


def write(path: Path, table: dict[str, str], model: tuple[dict[str, str], dict[str, int]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"T\t{k}\t{v}" for k, v in sorted(table.items())]
    lines += [f"M\t{k}\t{v}" for k, v in sorted(model[0].items())]
    lines += [f"L\t{k}\t{v}" for k, v in sorted(model[1].items())]
    with gzip.GzipFile(path, "wb", mtime=0) as fh:  # mtime 0: the same bytes on every build
        fh.write(("\n".join(lines) + "\n").encode("utf-8"))


def _evaluate(wd_dir: Path, g_dir: Path, weights: list[float], mus: list[float]) -> None:
    train = list(clean_pairs(wikidata(wd_dir / "wd_arabic_80")))
    train += list(clean_pairs(google(g_dir / "ar2en-train.txt")))
    chunks, lm, prob = train_model(train)
    for mu in mus:
        table = build_table(train, prob, mu)
        for weight in weights:
            print(f"LM weight {weight}, spelling fit {mu}")
            _score(table, CharModel.parse(chunks, lm, weight=weight), wd_dir, g_dir)


def _score(table: dict[str, str], model: CharModel, wd_dir: Path, g_dir: Path) -> None:
    rom = Romanizer(table, model, overrides={})
    for name, rows in (
        ("ar2en-eval (for choosing the LM weight)", google(g_dir / "ar2en-eval.txt")),
        ("wd_arabic_20", wikidata(wd_dir / "wd_arabic_20")),
        ("ar2en-test", google(g_dir / "ar2en-test.txt")),
    ):
        gold: dict[str, set[str]] = defaultdict(set)
        for key, lat, _ in clean_pairs(rows):
            if not key.startswith(_ARTICLE):
                gold[key].add(lat)
        ok = ok_unseen = unseen = 0
        for key, spellings in gold.items():
            ok += rom.token(key).lower() in spellings
            if key not in table:
                unseen += 1
                ok_unseen += model.spell(key) in spellings
        print(
            f"{name}: {len(gold)} Arabic tokens, whole system {ok / len(gold):.3f} "
            f"(a right spelling among the test's); unseen by the table {unseen}, "
            f"character model {ok_unseen / max(unseen, 1):.3f}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--eval", action="store_true", help="held-out token accuracy instead of building")
    ap.add_argument("--fit", type=float, nargs="*", default=[SPELLING_FIT], help="with --eval")
    ap.add_argument("--lm-weight", type=float, nargs="*", default=[LM_WEIGHT], help="with --eval")
    args = ap.parse_args()
    wd_dir = args.shared / "data" / "gazetteers" / "wikidata-names-arabic" / "data"
    g_dir = args.shared / "data" / "gazetteers" / "google-ar2en-names"
    if args.eval:
        _evaluate(wd_dir, g_dir, args.lm_weight, args.fit)
        return
    pairs = list(clean_pairs(wikidata(wd_dir / "wd_arabic.normalized.aligned.tokens")))
    pairs += list(clean_pairs(google(g_dir / "ar2en.txt")))
    chunks, lm, prob = train_model(pairs)
    table = build_table(pairs, prob, SPELLING_FIT)
    write(OUT, table, (chunks, lm))
    print(f"wrote {OUT.relative_to(REPO)}: {len(table)} tokens, {len(chunks)} contexts, {len(lm)} n-grams")


if __name__ == "__main__":
    main()
