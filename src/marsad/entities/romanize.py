"""Latin spellings of Arabic person names, for people the knowledge base does not know.

``romanize_name("مبارك العصيمي")`` → ``"Mubarak al-Osaimi"``-style names, so that an unknown person is listed,
searched and exported under one English name (``Speaker.name_en``, the export's ``persons[].name_en``).
The spelling follows news English rather than a scholarly transliteration:

* a token the shipped table knows takes its most frequent spelling there (Wikidata person-name tokens and
  Google's Wikipedia transliteration pairs; ``data/names/romanize.tsv.gz``, built by
  ``scripts/build_romanizer.py``), after the hand-written overrides of ``data/names/given-names.tsv``
  (the common Arabic given names as news copy writes them: Mohammed, Abdullah);
* a token it does not know is spelled by a character model trained on those pairs (each letter, in the
  context of its neighbours, written as the Latin chunk it was most often aligned to);
* the particles of Arabic names follow the usual conventions: the article is ``al-`` glued to its word
  (``al-Zahar``; ``Al-`` when it opens the name), ``عبد`` + the next word is one word (``Abdulaziz``,
  ``Abdullah``), ``بن``/``ابن`` → ``bin``, ``بنت`` → ``bint``, ``آل`` → ``Al``, ``أبو`` → ``Abu``,
  ``أم`` → ``Umm``, ``X الله`` → ``Xallah``, ``X الدين`` → ``Xuddin``.

Everything works on ``normalize_text`` keys, so the same name spelled with or without hamza or diacritics
gets the same English name, and the result depends on the name alone (never on the article it was read in).
"""

from __future__ import annotations

import gzip
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache

from marsad.data import resource
from marsad.normalize.arabic import normalize_text

MAX_CHUNK = 4  # Latin characters one Arabic letter may write (training and decoding)
LM_ORDER = 4  # Latin character n-grams of the character model
LM_PAD, LM_END = "^^^", "$"
LM_WEIGHT = 0.5  # chosen on ar2en-eval (0.218 unseen-token accuracy; 0.199 at 1.0, 0.170 at 2.0)
_BACKOFF = math.log(0.4)
_UNSEEN = math.log(1e-6)
_BEAM = 8
_TABLE_FILE = ("names", "romanize.tsv.gz")
_OVERRIDES_FILE = ("names", "given-names.tsv")
_ARABIC_WORD = re.compile(r"[\u0621-\u064a]+")
_LATIN = re.compile(r"[A-Za-z]")
_BOUNDARY_L, _BOUNDARY_R = "^", "$"
_MAX_TOKENS = 8  # a longer "name" is a phrase, not a name

# Name particles: normalized Arabic → the Latin word it stands for.
_PARTICLES = {
    "بن": "bin",
    "ابن": "bin",
    "بنت": "bint",
    "ال": "Al",  # آل (the family of) after normalization
    "ابو": "Abu",
    "ابي": "Abi",
    "ام": "Umm",
    "ولد": "Ould",
}
# Honorifics written before a name ("اللواء موفق جمعة", "السير مارتن"): not spelled.
_HONORIFIC_WORDS = (
    "السيد السيدة الشيخ الشيخة الدكتور الدكتورة د المهندس المهندسة الأستاذ الأستاذة اللواء العميد "
    "العقيد الفريق المشير الرائد النقيب السير سمو سموه معالي فخامة سماحة فضيلة صاحب السمو الملكي الحاج"
)
HONORIFICS = frozenset(normalize_text(w) for w in _HONORIFIC_WORDS.split())
_LEADING = {"ابو": "Abu", "ابي": "Abi", "ام": "Umm", "ابن": "Ibn", "ولد": "Ould"}  # also opening a name
_ABD = "عبد"


def contexts(word: str, i: int) -> list[str]:
    """Context keys of letter ``i`` of ``word``, most specific first (the character model's features)."""
    c = word[i]
    l1 = word[i - 1] if i >= 1 else _BOUNDARY_L
    l2 = word[i - 2] if i >= 2 else _BOUNDARY_L
    r1 = word[i + 1] if i + 1 < len(word) else _BOUNDARY_R
    r2 = word[i + 2] if i + 2 < len(word) else _BOUNDARY_R
    return [
        f"{l2}{l1}|{c}|{r1}",
        f"{l1}|{c}|{r1}{r2}",
        f"{l1}|{c}|{r1}",
        f"{l1}|{c}|",
        f"|{c}|{r1}",
        c,
    ]


@dataclass(frozen=True)
class CharModel:
    """Spells a token letter by letter: each letter's chunks (counts per context, the most specific context
    known), chosen together with a Latin character n-gram model (stupid backoff) by a small beam search, so
    that the vowels Arabic does not write come out where Latin spellings have them."""

    chunks: Mapping[str, tuple[tuple[str, float], ...]]  # context → (chunk, log P(chunk | context))
    lm: Mapping[str, int]  # Latin n-gram (with LM_PAD/LM_END) → count
    weight: float = LM_WEIGHT

    @classmethod
    def parse(cls, chunks: Mapping[str, str], lm: Mapping[str, int], weight: float = LM_WEIGHT) -> CharModel:
        """From the file's form: ``chunk=n,chunk=n`` per context."""
        table: dict[str, tuple[tuple[str, float], ...]] = {}
        for ctx, spec in chunks.items():
            pairs = [p.rpartition("=") for p in spec.split(",") if "=" in p]
            counts = [(c, int(n)) for c, _, n in pairs if n.isdigit()]
            total = sum(n for _, n in counts)
            if total:
                table[ctx] = tuple((c, math.log(n / total)) for c, n in counts)
        counted = dict(lm)
        counted[""] = sum(v for k, v in lm.items() if len(k) == 1)
        return cls(table, counted, weight)

    def _lm(self, history: str, ch: str) -> float:
        """log P(ch | history) by stupid backoff over the n-gram counts."""
        penalty = 0.0
        for k in range(min(len(history), LM_ORDER - 1), -1, -1):
            h = history[len(history) - k :]
            full = self.lm.get(h + ch)
            if full:
                base = self.lm.get(h)  # "" holds the number of characters counted
                if base:
                    return math.log(full / base) + penalty
            penalty += _BACKOFF
        return _UNSEEN + penalty

    def spell(self, word: str) -> str:
        """Lower-case Latin for a normalized Arabic word ("" when nothing can be spelled)."""
        beam: list[tuple[float, str]] = [(0.0, "")]
        for i in range(len(word)):
            options = next((self.chunks[c] for c in contexts(word, i) if c in self.chunks), None)
            if options is None:
                continue
            grown: dict[str, float] = {}
            for score, s in beam:
                for chunk, lp in options:
                    t, sc = s, score + lp
                    for ch in chunk:
                        sc += self.weight * self._lm(LM_PAD + t, ch)
                        t += ch
                    if sc > grown.get(t, -math.inf):
                        grown[t] = sc
            beam = sorted(((sc, t) for t, sc in grown.items()), key=lambda x: (-x[0], x[1]))[:_BEAM]
        done = sorted(
            ((sc + self.weight * self._lm(LM_PAD + t, LM_END), t) for sc, t in beam),
            key=lambda x: (-x[0], x[1]),
        )
        s = re.sub(r"(.)\1\1+", r"\1\1", done[0][1]) if done else ""  # no letter three times in a row
        return s if re.search("[a-z]", s) else ""


def _cap(s: str) -> str:
    """Capitalise each part of a Latin token (jean-yves → Jean-Yves; d'estaing → D'Estaing)."""
    return re.sub(r"(^|[-'])([a-z])", lambda m: m.group(1) + m.group(2).upper(), s)


@dataclass
class Romanizer:
    """Token table + overrides + character model; ``name(text)`` spells a whole name."""

    table: Mapping[str, str]
    model: CharModel
    overrides: Mapping[str, str]
    _cache: dict[str, str] = field(default_factory=dict, repr=False)

    def token(self, key: str) -> str:
        """A normalized Arabic token without particles → capitalised Latin (``""`` if nothing to spell)."""
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        lat = self.overrides.get(key) or self.table.get(key) or self.model.spell(key)
        out = _cap(lat.lower()) if lat else ""
        if len(self._cache) < 1 << 16:
            self._cache[key] = out
        return out

    def _word(self, key: str, first: bool) -> str:
        """A token that may carry the article (الزهار → al-Zahar)."""
        if self._article(key):
            stem = self.token(key[2:])
            return f"{'Al' if first else 'al'}-{stem}" if stem else ""
        return self.token(key)

    def _article(self, key: str) -> bool:
        """Does ``key`` start with the article? Normalization drops the hamza that tells ألفيس (Alves) from
        the article; the table keeps such names whole, spelled al…/el… (rarer al-names of its sources
        were split into article and stem when it was built), and any other ال… word has the article."""
        if not key.startswith("ال") or len(key) <= 3 or key in self.overrides:
            return False
        lat = self.table.get(key)
        return lat is None or not re.match(r"(?:al|el)[^-]", lat)

    def name(self, text: str) -> str | None:
        """The Latin form of an Arabic person name, or None when it has nothing to spell."""
        key = normalize_text(text)
        words = [w for w in re.split(r"[^\u0621-\u064aA-Za-z'\-]+", key) if w]
        while words and words[0] in HONORIFICS:
            words = words[1:]
        if not words or len(words) > _MAX_TOKENS:
            return None
        if not any(_ARABIC_WORD.fullmatch(w) for w in words):
            return None  # already Latin (or no letters): nothing to romanize
        out: list[str] = []
        i = 0
        while i < len(words):
            w = words[i]
            first = not out
            nxt = words[i + 1] if i + 1 < len(words) else None
            if _LATIN.search(w):
                out.append(w)
            elif w == _ABD and nxt is not None:
                out.append(self._abd(nxt))
                i += 1
            elif w.startswith(_ABD + "ال") and len(w) > 5:
                out.append(self._abd(w[3:]))
            elif w in _PARTICLES and nxt is not None and (not first or w in _LEADING):
                out.append(_cap(_LEADING.get(w, _PARTICLES[w])) if first else _PARTICLES[w])
            elif nxt in ("الله", "الدين") and w not in _PARTICLES:
                base = self.token(w)
                out.append(base + ("allah" if nxt == "الله" else "uddin") if base else "")
                i += 1
            else:
                out.append(self._word(w, first))
            i += 1
        words_en = [w for w in out if w]
        return " ".join(words_en) if words_en else None

    def _abd(self, rest: str) -> str:
        """عبد + العزيز → Abdulaziz; عبد الله → Abdullah; عبد ربه → Abd Rabbuh-style Abd + word."""
        key = _ABD + " " + rest
        if key in self.overrides:
            return self.overrides[key]
        if rest.startswith("ال"):
            stem = self.token(rest[2:])
            return "Abdul" + stem.lower() if stem else "Abdul"
        stem = self.token(rest)
        return f"Abd {stem}" if stem else "Abd"


@cache
def default_romanizer() -> Romanizer:
    """The shipped table and model (loaded once)."""
    table: dict[str, str] = {}
    chunks: dict[str, str] = {}
    lm: dict[str, int] = {}
    try:
        with resource(*_TABLE_FILE).open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
            for line in fh:
                parts = line.rstrip("\n").split("\t")
                if len(parts) != 3:
                    continue
                kind, key, value = parts
                if kind == "T":
                    table[key] = value
                elif kind == "M":
                    chunks[key] = value
                elif kind == "L" and value.isdigit():
                    lm[key] = int(value)
    except OSError:
        pass  # no table: the overrides and particles still work; other tokens stay unspelled
    overrides: dict[str, str] = {}
    try:
        for line in resource(*_OVERRIDES_FILE).read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            ar, _, en = line.partition("\t")
            if ar.strip() and en.strip():
                overrides[normalize_text(ar)] = en.strip()
    except OSError:
        pass
    return Romanizer(table, CharModel.parse(chunks, lm), overrides)


@lru_cache(maxsize=1 << 14)
def romanize_name(text: str) -> str | None:
    """``text`` (an Arabic person name) in Latin letters, or None when there is nothing to spell."""
    try:
        return default_romanizer().name(text)
    except Exception:  # a name we cannot spell is no reason to fail an analysis
        return None
