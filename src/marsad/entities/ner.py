"""Statistical named-entity tagger (CRF) for names that are not in the knowledge base.

The model is a linear-chain CRF (python-crfsuite) trained on ANERcorp by ``scripts/train_ner.py``; see
``marsad/data/ner/README.md``. Features come from our own normalizer (``normalize_text``,
``strip_clitics``, ``light_stem``) so that training and inference see identical keys.

Speed: every feature depends on one word and its offset from the current token, so the features a word
contributes at each offset are computed once per word type and cached; tagging a sentence is then list
concatenation plus the CRFsuite Viterbi in C.

Thread safety: ``NerTagger.tag`` is thread-safe. A CRFsuite ``Tagger`` keeps per-call state, so each
thread opens its own (cheap: the model file is memory-mapped); the feature cache is a plain dict whose
entries are immutable and idempotent, so concurrent fills are harmless.
"""

from __future__ import annotations

import gzip
import re
import sys
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import pairwise
from pathlib import Path

import pycrfsuite

from marsad.data import resource_path
from marsad.entities.matcher import SpanIndex
from marsad.normalize.arabic import normalize_text
from marsad.normalize.tokens import ARABIC_STOPWORDS, light_stem_fast, strip_clitics

LABELS = ("PER", "LOC", "ORG", "MISC")
MODEL_NAME = "anercorp-crf.model"
NAMES_NAME = "given-family-names.txt"
CLUSTERS_NAME = "news-clusters.tsv.gz"
CLUSTER_SIZES = (64, 256, 1024)  # k-means granularities, coarse to fine
GAZETTEER_NAME = "place-org-words.tsv"
COMMON_NAME = "common-words.txt"
PROPAGATION_WINDOW = 10  # sentences before and after: about one ANERcorp article

# A word is letters/digits plus any harakat or tatweel inside it. The shared ``iter_words`` regex stops at
# combining marks (مُحَمَّد would become four words), which would shift offsets and break names.
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
_TOKEN = re.compile(rf"(?:[^\W_]|[{_MARKS}])+|[^\w\s]")
# the same tokens in a text without "_" (one character class per word: no alternation at every letter)
_TOKEN_NO_UNDERSCORE = re.compile(rf"[\w{_MARKS}]+|[^\w\s]")
SENTENCE_END = frozenset(".!?؟")

# Cue words, compared after normalize_text + strip_clitics so that والرئيس / للرئيس match الرئيس.
_TITLES = (
    "الرئيس الرئيسة رئيس رئيسة وزير وزيرة السيد السيدة الشيخ الشيخة الملك الملكة الأمير الأميرة الدكتور "
    "الدكتورة د المستشار المستشارة النائب العقيد اللواء العميد الجنرال الفريق المشير الزعيم القائد "
    "المتحدث الناطق الأمين المدير المديرة السفير السفيرة المبعوث السلطان الإمام البابا الكاردينال "
    "المطران الفنان الفنانة اللاعب اللاعبة المدرب الكاتب الكاتبة الشاعر الصحفي الصحفية المرشح الحاكم "
    "المحافظ القاضي المحامي الأستاذ البروفيسور النجم النجمة الممثل الممثلة المخرج المطرب المطربة الحاج "
    "المفتي الرئيس المستشار المندوب زعيم قائد نائب مستشار سفير مدير الجنرال الأدميرال"
)
_SPEECH = (
    "قال قالت يقول تقول أكد أكدت يؤكد أضاف أضافت صرح صرحت أعلن أعلنت أوضح أوضحت أشار أشارت ذكر ذكرت "
    "نفى نفت دعا دعت اعتبر اعتبرت رأى رأت كشف كشفت طالب طالبت حذر حذرت شدد شددت وصف وصفت أفاد أفادت "
    "قائلا مضيفا التقى استقبل بحث"
)
_PLACE_CUES = (
    "مدينة مدينه العاصمة عاصمة محافظة ولاية إقليم منطقة بلدة قرية جزيرة جمهورية مملكة شمال جنوب شرق غرب "
    "وسط مطار ميناء شارع حي"
)
_ORG_CUES = (
    "شركة مؤسسة منظمة جمعية حزب حركة جامعة وكالة مجلس هيئة اتحاد جبهة بنك مصرف صندوق لجنة نادي "
    "محكمة وزارة معهد مركز جماعة تنظيم"
)


def _cue_set(words: str) -> frozenset[str]:
    return frozenset(strip_clitics(normalize_text(w)) for w in words.split())


TITLES = _cue_set(_TITLES)
SPEECH = _cue_set(_SPEECH)
PLACE_CUES = _cue_set(_PLACE_CUES)
ORG_CUES = _cue_set(_ORG_CUES)

# Proclitics that may be cut off the first word of a span (conjunction, then preposition). The article
# ال stays: it belongs to names such as القاهرة.
_SPAN_PROCLITICS = ("وب", "ول", "وك", "فب", "فل", "فك", "و", "ف", "ب", "ل", "ك")

Token = tuple[str, int, int]  # (normalized form, start, end) with offsets into the original text
Span = tuple[int, int, str]


class ModelNotFoundError(FileNotFoundError):
    """The CRF model file is missing (rebuild it with ``scripts/train_ner.py``)."""


# ---------------------------------------------------------------------------------------------- tokens
_NORM_CACHE: dict[str, str] = {}  # raw token → normalized; news vocabularies repeat heavily


def ner_tokens(text: str) -> list[Token]:
    """Word and punctuation tokens, normalized, with offsets into ``text``.

    Punctuation is kept (ANERcorp has it as tokens: quotes and commas are strong boundary cues);
    tokens that normalize to nothing (bidi marks, zero-width spaces) are dropped.
    """
    cache = _NORM_CACHE
    get = cache.get
    rx = _TOKEN if "_" in text else _TOKEN_NO_UNDERSCORE
    out: list[Token] = []
    for s, e in [m.span() for m in rx.finditer(text)]:
        raw = text[s:e]
        norm = get(raw)
        if norm is None:
            if len(cache) > 200_000:
                cache.clear()
            norm = cache[raw] = normalize_text(raw)
        if norm:
            out.append((norm, s, e))
    return out


def split_sentences(tokens: Sequence[Token], text: str) -> list[list[Token]]:
    """Cut after . ! ? ؟ (not a decimal point) and at line breaks; ANERcorp sentences end the same way."""
    sents: list[list[Token]] = []
    cur: list[Token] = []
    for i, tok in enumerate(tokens):
        if cur and "\n" in text[cur[-1][2] : tok[1]]:
            sents.append(cur)
            cur = []
        cur.append(tok)
        if tok[0] in SENTENCE_END:
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            decimal = (
                tok[0] == "."
                and nxt is not None
                and nxt[1] == tok[2]
                and nxt[0][0].isdigit()
                and len(cur) > 1
                and cur[-2][2] == tok[1]
                and cur[-2][0][-1].isdigit()
            )
            if not decimal:
                sents.append(cur)
                cur = []
    if cur:
        sents.append(cur)
    return sents


# -------------------------------------------------------------------------------------------- features
def _shape(word: str) -> str:
    if word.isdigit():
        return "dig"
    if not word[0].isalnum():
        return "punct"
    if word.isascii():
        return "lat"
    if any(map(str.isdigit, word)):
        return "mix"
    return "ara"


_EDGE: tuple[tuple[str, ...], ...] = ((), (), (), (), (), ("",))
_BOS: tuple[tuple[str, ...], ...] = (("BOS",), ("BOS",), (), (), (), ("^",))
_EOS: tuple[tuple[str, ...], ...] = ((), (), (), ("EOS",), ("EOS",), ("$",))


class FeatureExtractor:
    """Turns a sentence of normalized tokens into CRFsuite attribute lists (shared by training and
    inference, so the two can never drift apart)."""

    OFFSETS = (-2, -1, 0, 1, 2)
    MAX_TYPES = 150_000
    MAX_SHARED = 500_000  # distinct attribute strings shared between the cached word types

    def __init__(
        self,
        names: frozenset[str] = frozenset(),
        known: frozenset[str] | None = None,
        clusters: Mapping[str, tuple[str, ...]] | None = None,
        gazetteer: Mapping[str, str] | None = None,
    ) -> None:
        self.names = names
        self.clusters: Mapping[str, tuple[str, ...]] = clusters or {}
        self.gazetteer: Mapping[str, str] = gazetteer or {}
        # At inference, attributes the model has no weight for are dropped once per word type: they cannot
        # change the result, and CRFsuite would look each of them up for every token.
        self.known = known
        # each attribute the model knows, mapped to one string object: filtering a word's attributes by it
        # also makes them shared strings (no second pass over them to share them)
        self._canon: dict[str, str] | None = None if known is None else {a: a for a in known}
        self._cache: dict[str, tuple[tuple[str, ...], ...]] = {}
        # The cached features are mostly the same few thousand attributes ("-1:sh=ara", "p1=ا" …) built
        # again for every word type: each is kept as one shared string (the cache is a third the size).
        self._shared: dict[str, str] = {}
        self._shared_views: dict[tuple[str, ...], tuple[str, ...]] = {}  # and so is a view many words have

    def _in_names(self, word: str, bare: str) -> bool:
        return word in self.names or bare in self.names

    def _word_features(self, word: str) -> tuple[tuple[str, ...], ...]:
        """Features of ``word`` as seen from the token at offset -2, -1, 0, +1, +2 (in OFFSETS order), then
        a 1-tuple with the word's cluster id for the cluster bigrams."""
        bare = strip_clitics(word)
        shape = _shape(word)
        core = ["w=" + word, "sh=" + shape]
        if bare != word:
            core.append("b=" + bare)
        cues = []
        if bare in TITLES:
            cues.append("title")
        if bare in SPEECH:
            cues.append("speech")
        if bare in PLACE_CUES:
            cues.append("place")
        if bare in ORG_CUES:
            cues.append("org")
        if word in ARABIC_STOPWORDS:
            cues.append("stop")
        if self.names and shape == "ara" and self._in_names(word, bare):
            cues.append("gz")
        if self.gazetteer:
            kinds = self.gazetteer.get(word) or self.gazetteer.get(bare)
            if kinds:
                cues += ["gz" + k for k in kinds]
        own = [*core, *cues]
        cl = self.clusters.get(word) or self.clusters.get(bare) if self.clusters else None
        cl_near: list[str] = []
        cl_far: list[str] = []
        if cl:
            own += [f"c{k}={c}" for k, c in zip(CLUSTER_SIZES, cl, strict=True)]
            cl_near = [f"c{k}={c}" for k, c in zip(CLUSTER_SIZES[1:], cl[1:], strict=True)]
            cl_far = [f"c{CLUSTER_SIZES[0]}={cl[0]}"]
        if shape == "ara":
            stem = light_stem_fast(word)
            own += ["st=" + stem, f"len={min(len(bare), 8)}"]
            own += ["p1=" + word[:1], "p2=" + word[:2], "p3=" + word[:3]]
            own += ["s1=" + bare[-1:], "s2=" + bare[-2:], "s3=" + bare[-3:]]
            if word.startswith(("ال", "وال", "بال", "لل", "فال", "كال")):
                own.append("art")
            near = [*core, *cues, "st=" + stem, "s2=" + bare[-2:], *cl_near]
        else:
            near = [*core, *cues, *cl_near]
        far = ["b=" + bare, "sh=" + shape, *cues, *cl_far]
        # last: the word's mid-size cluster for the cluster bigrams (punctuation stands for itself)
        cid = (cl[1] if cl else "_") if word[0].isalnum() else word
        canon = self._canon
        if canon is None:
            return (  # "-1:" = this word is the one before the current token, etc.
                tuple(["-2:" + f for f in far]),
                tuple(["-1:" + f for f in near]),
                tuple(own),
                tuple(["+1:" + f for f in near]),
                tuple(["+2:" + f for f in far]),
                (cid,),
            )
        get = canon.get
        return (
            tuple([k for f in far if (k := get("-2:" + f)) is not None]),
            tuple([k for f in near if (k := get("-1:" + f)) is not None]),
            tuple([k for f in own if (k := get(f)) is not None]),
            tuple([k for f in near if (k := get("+1:" + f)) is not None]),
            tuple([k for f in far if (k := get("+2:" + f)) is not None]),
            (cid,),
        )

    def _share(self, views: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
        shared, views_shared = self._shared, self._shared_views
        if len(shared) > self.MAX_SHARED or len(views_shared) > self.MAX_SHARED:
            shared.clear()
            views_shared.clear()
        if self._canon is not None:  # the attributes are the model's own strings already
            return tuple([views_shared.setdefault(v, v) for v in views])
        out = []
        for v in views:
            t = tuple([shared.setdefault(f, f) for f in v])
            out.append(views_shared.setdefault(t, t))
        return tuple(out)

    def clear(self) -> None:
        """Forget the cached word types (memory for the stages after the analysis; refilled on use)."""
        self._cache.clear()
        self._shared.clear()
        self._shared_views.clear()

    def features(self, words: Sequence[str]) -> list[list[str]]:
        cache = self._cache
        per_word = []
        for w in words:
            f = cache.get(w)
            if f is None:
                f = cache[w] = self._share(self._word_features(w))
            per_word.append(f)
        if len(cache) > self.MAX_TYPES:  # ~1.6 KB per type: bound memory on endless streams of rare words
            cache.clear()
        # two sentinels on each side stand for the sentence edges: BOS/EOS at offsets -1/-2 and +1/+2
        padded = [_EDGE, _BOS, *per_word, _EOS, _EDGE]
        rows = zip(padded[:-4], padded[1:-3], padded[2:-2], padded[3:-1], padded[4:], strict=True)
        if not self.clusters:
            return [["bias", *a[0], *prev[1], *cur[2], *nxt[3], *b[4]] for a, prev, cur, nxt, b in rows]
        # cluster bigrams (previous|this, this|next): "شركة X" and "X للسيارات" in general form. Pair k
        # joins padded words k+1 and k+2: token p's left pair is p-2, its right one p-1.
        cids = [v[5][0] for v in padded]
        joined = [x + "|" + y for x, y in pairwise(cids[1:-1])]
        out: list[list[str]] = []
        if self._canon is None:
            for (a, prev, cur, nxt, b), left, right in zip(rows, joined[:-1], joined[1:], strict=True):
                out.append(["bias", *a[0], *prev[1], *cur[2], *nxt[3], *b[4], "cb-=" + left, "cb+=" + right])
            return out
        get = self._canon.get
        for (a, prev, cur, nxt, b), left, right in zip(rows, joined[:-1], joined[1:], strict=True):
            feats = ["bias", *a[0], *prev[1], *cur[2], *nxt[3], *b[4]]
            if (pair := get("cb-=" + left)) is not None:
                feats.append(pair)
            if (pair := get("cb+=" + right)) is not None:
                feats.append(pair)
            out.append(feats)
        return out


def load_clusters(path: Path) -> dict[str, tuple[str, ...]]:
    """``word<TAB>cluster ids`` lines (gzip), one id per size of ``CLUSTER_SIZES``; #-comments ignored."""
    out: dict[str, tuple[str, ...]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for ln in fh:
            if ln.startswith("#"):
                continue
            word, *ids = ln.rstrip("\n").split("\t")
            if len(ids) == len(CLUSTER_SIZES):
                out[word] = tuple(sys.intern(i) for i in ids)
    return out


def load_gazetteer(path: Path) -> dict[str, str]:
    """``word<TAB>kinds`` lines: kinds are letters, ``L`` a word of a place name, ``O`` of an organisation
    name, ``1`` (with them) the whole of such a name; #-comments ignored."""
    out: dict[str, str] = {}
    with path.open(encoding="utf-8") as fh:
        for ln in fh:
            if ln.startswith("#") or "\t" not in ln:
                continue
            word, kinds = ln.rstrip("\n").split("\t", 1)
            out[word] = sys.intern(kinds)
    return out


def common_words(sents: Iterable[tuple[Sequence[str], Sequence[str]]], share: float = 0.5) -> frozenset[str]:
    """Words (without clitics) seen at least twice in the labelled sentences and outside any name more often
    than ``share`` of the time: a name made only of them is not copied to other sentences."""
    outside: dict[str, int] = {}
    total: dict[str, int] = {}
    for words, labels in sents:
        for w, lab in zip(words, labels, strict=True):
            if not w[0].isalpha():
                continue
            b = strip_clitics(w)
            total[b] = total.get(b, 0) + 1
            if lab == "O":
                outside[b] = outside.get(b, 0) + 1
    return frozenset(w for w, n in total.items() if n >= 2 and outside.get(w, 0) > share * n)


def propagate_labels(
    sents: Sequence[Sequence[str]],
    labels: Sequence[Sequence[str]],
    common: frozenset[str] = frozenset(),
    window: int = PROPAGATION_WINDOW,
) -> list[list[str]]:
    """Label consistency across nearby sentences of one text.

    A name the CRF tagged in one sentence is tagged where the same words recur untagged within ``window``
    sentences before or after (its first word compared without clitics: بوتين / وبوتين), with the type
    it was given most often. Not copied: one-word names that are a stopword or shorter than three
    letters, names made only of ``common`` words, names that start with an organisation or place head
    word (المحكمة العليا is a name only where the CRF says so). The CRF tags a name from the words around
    it; the second mention often lacks them (``شركة كيوتل`` ... ``وقالت كيوتل``)."""
    skip_first = ORG_CUES | PLACE_CUES
    found: list[list[tuple[tuple[str, ...], str]]] = []
    for words, labs in zip(sents, labels, strict=True):
        keys = []
        for i, j, typ in bio_spans(labs):
            key = (_bare(words[i]), *words[i + 1 : j])
            first = key[0]
            if not first or not first[0].isalnum() or first in skip_first:
                continue
            if len(key) == 1 and (first in ARABIC_STOPWORDS or len(first) < 3):
                continue
            if all(_bare(k) in common for k in key):
                continue
            keys.append((key, typ))
        found.append(keys)
    out = [list(labs) for labs in labels]
    if not any(found):
        return out
    for k, words in enumerate(sents):
        seen: dict[tuple[str, ...], dict[str, int]] = {}
        longest: dict[str, int] = {}  # first word → longest name starting with it
        for keys in found[max(0, k - window) : k + window + 1]:
            for key, typ in keys:
                votes = seen.setdefault(key, {})
                votes[typ] = votes.get(typ, 0) + 1
                if len(key) > longest.get(key[0], 0):
                    longest[key[0]] = len(key)
        if not seen:
            continue
        labs = out[k]
        i = 0
        while i < len(words):
            first = _bare(words[i])
            most = longest.get(first)
            step = 1
            if most is not None and labs[i] == "O":
                for n in range(min(most, len(words) - i), 0, -1):
                    hit = seen.get((first, *words[i + 1 : i + n]))
                    if hit is None or any(lab != "O" for lab in labs[i : i + n]):
                        continue
                    if i + n < len(words) and labs[i + n].startswith("I-"):
                        continue
                    typ = max(hit, key=hit.__getitem__)  # ties: the type met first
                    labs[i] = "B-" + typ
                    for q in range(i + 1, i + n):
                        labs[q] = "I-" + typ
                    step = n
                    break
            i += step
    return out


_BARE_CACHE: dict[str, str] = {}


def _bare(word: str) -> str:
    bare = _BARE_CACHE.get(word)
    if bare is None:
        if len(_BARE_CACHE) > 200_000:
            _BARE_CACHE.clear()
        bare = _BARE_CACHE[word] = strip_clitics(word)
    return bare


def person_cluster_words(
    names: frozenset[str], clusters: Mapping[str, tuple[str, ...]], share: float = 0.5, min_size: int = 5
) -> frozenset[str]:
    """Words of the finest clusters in which at least ``share`` of the members are in ``names``."""
    members: dict[str, list[str]] = {}
    for word, ids in clusters.items():
        members.setdefault(ids[-1], []).append(word)
    out: set[str] = set()
    for words in members.values():
        if len(words) >= min_size and sum(w in names for w in words) >= share * len(words):
            out.update(w for w in words if w not in ARABIC_STOPWORDS)
    return frozenset(out)


def load_names(path: Path) -> frozenset[str]:
    """One normalized name token per line (blank lines and #-comments ignored)."""
    with path.open(encoding="utf-8") as fh:
        return frozenset(ln.strip() for ln in fh if ln.strip() and not ln.startswith("#"))


# ------------------------------------------------------------------------------------------- BIO, spans
def bio_spans(labels: Sequence[str]) -> list[Span]:
    """Entity spans (start token, end token exclusive, type) from BIO labels, conlleval/seqeval style:
    an I-X that does not continue an X entity starts a new one."""
    spans: list[Span] = []
    start = -1
    cur = ""
    for i, lab in enumerate([*labels, "O"]):
        prefix, _, typ = lab.partition("-")
        if cur and (prefix != "I" or typ != cur):
            spans.append((start, i, cur))
            cur = ""
        if prefix == "B" or (prefix == "I" and not cur):
            start, cur = i, typ
    return spans


def span_scores(
    gold: Iterable[Sequence[str]], pred: Iterable[Sequence[str]]
) -> dict[str, tuple[float, float, float, int]]:
    """Entity-level precision, recall, F1 and gold support per type, plus ``ALL`` (micro average).

    A predicted entity counts only if its type and both boundaries match a gold entity exactly.
    """
    tp: dict[str, int] = {}
    n_gold: dict[str, int] = {}
    n_pred: dict[str, int] = {}
    for g_seq, p_seq in zip(gold, pred, strict=True):
        g = set(bio_spans(g_seq))
        p = set(bio_spans(p_seq))
        for s in g:
            n_gold[s[2]] = n_gold.get(s[2], 0) + 1
        for s in p:
            n_pred[s[2]] = n_pred.get(s[2], 0) + 1
        for s in g & p:
            tp[s[2]] = tp.get(s[2], 0) + 1

    def prf(t: int, np_: int, ng: int) -> tuple[float, float, float, int]:
        prec = t / np_ if np_ else 0.0
        rec = t / ng if ng else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        return prec, rec, f1, ng

    types = sorted(set(n_gold) | set(n_pred))
    out = {t: prf(tp.get(t, 0), n_pred.get(t, 0), n_gold.get(t, 0)) for t in types}
    out["ALL"] = prf(sum(tp.values()), sum(n_pred.values()), sum(n_gold.values()))
    return out


# ---------------------------------------------------------------------------------------------- tagger
def _package_file(name: str) -> Path:
    return resource_path("ner", name)


def default_model_path() -> Path:
    return _package_file(MODEL_NAME)


class NerTagger:
    """CRF tagger returning ``(start, end, label)`` spans over the original text.

    Labels are PER, LOC, ORG, MISC. Load once with :meth:`load` and share the instance across threads.
    """

    def __init__(
        self,
        model_path: Path,
        names: frozenset[str] = frozenset(),
        clusters: Mapping[str, tuple[str, ...]] | None = None,
        gazetteer: Mapping[str, str] | None = None,
        common: frozenset[str] = frozenset(),
    ) -> None:
        self.model_path = model_path
        self.names = names
        self.common = common
        self._local = threading.local()
        # open now so a corrupt file fails at load time, not on the first article
        info = self._tagger().info()
        # words that may be part of a person's name: the name list, plus the words of the clusters made
        # mostly of names (foreign and rare names missing from the list fall in them)
        self.name_like = names | person_cluster_words(names, clusters or {}) if names else names
        self._word_kinds: dict[str, int] = {}  # normalized word → 1 name-like | 2 title (sentence filter)
        self.extractor = FeatureExtractor(
            names, frozenset(a for a, _ in info.state_features), clusters, gazetteer
        )

    @classmethod
    def load(
        cls, path: Path | None = None, names_path: Path | None = None, clusters_path: Path | None = None
    ) -> NerTagger:
        """Load a model (default: the one shipped in ``marsad/data/ner``).

        The name list used for the gazetteer feature and the word clusters are looked up next to the model
        unless given; a missing file switches its features off (features the model has no weights for are
        dropped anyway, so a model trained without them is unaffected).
        """
        model = Path(path) if path is not None else default_model_path()
        if not model.is_file():
            raise ModelNotFoundError(
                f"NER model not found: {model}. Rebuild it with `python scripts/train_ner.py` "
                "(needs ../shared/data/ner/anercorp-train.txt)."
            )
        names_file = names_path if names_path is not None else model.parent / NAMES_NAME
        names = load_names(names_file) if names_file.is_file() else frozenset()
        clusters_file = clusters_path if clusters_path is not None else model.parent / CLUSTERS_NAME
        clusters = load_clusters(clusters_file) if clusters_file.is_file() else None
        gaz_file = model.parent / GAZETTEER_NAME
        gazetteer = load_gazetteer(gaz_file) if gaz_file.is_file() else None
        common_file = model.parent / COMMON_NAME
        common = load_names(common_file) if common_file.is_file() else frozenset()
        return cls(model, names, clusters, gazetteer, common)

    def _tagger(self) -> pycrfsuite.Tagger:
        tagger: pycrfsuite.Tagger | None = getattr(self._local, "tagger", None)
        if tagger is None:
            tagger = pycrfsuite.Tagger()
            try:
                tagger.open(str(self.model_path))
            except (OSError, ValueError) as exc:
                raise ModelNotFoundError(f"cannot open NER model {self.model_path}: {exc}") from exc
            self._local.tagger = tagger
        return tagger

    def tag_labels(self, words: Sequence[str]) -> list[str]:
        """BIO labels for one sentence of normalized tokens."""
        if not words:
            return []
        labels: list[str] = self._tagger().tag(self.extractor.features(words))
        return labels

    def tag_text_labels(self, sents: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO labels for the sentences of one text, made consistent across them (``propagate_labels``)."""
        return propagate_labels(sents, [self.tag_labels(words) for words in sents], self.common)

    def tag(self, text: str) -> list[Span]:
        """Entity spans of ``text``: ``text[start:end]`` is the name, leading و/ف/ب/ل/ك removed when the
        rest of the word is safely the name. A name tagged in one sentence is also tagged where it recurs
        nearby without the words that gave it away (``propagate_labels``)."""
        return self._tag(text, persons_only=False)

    def tag_persons(
        self, text: str, known: Sequence[tuple[int, int]] = (), *, check: Callable[[], None] | None = None
    ) -> list[Span]:
        """Like :meth:`tag`, but only for sentences where, outside the ``known`` spans (names the knowledge
        base already matched), two adjacent words may be parts of a name, or a title (الرئيس، السفير ...)
        is followed by one. A word may be part of a name when it is in the name list or in a word cluster
        made mostly of names (``person_cluster_words``: foreign and rare names the list lacks). Only
        full names of unknown people are used downstream, and they nearly always look like that; skipping
        the other sentences saves most of the CRF time, the slowest stage of the analysis. ``check`` (a time budget) is called
        once per sentence and may raise to stop the tagging. Labels are not propagated across sentences
        (only some are tagged)."""
        return [s for s in self._tag(text, persons_only=True, known=known, check=check) if s[2] == "PER"]

    def _tag(
        self,
        text: str,
        *,
        persons_only: bool,
        known: Sequence[tuple[int, int]] = (),
        check: Callable[[], None] | None = None,
    ) -> list[Span]:
        spans: list[Span] = []
        known_spans = SpanIndex(known)
        tagged: list[list[Token]] = []
        all_labels: list[list[str]] = []
        for sent in split_sentences(ner_tokens(text), text):
            if check is not None:
                check()
            if persons_only and not self._may_hold_unknown_name(sent, known_spans):
                continue
            tagged.append(sent)
            all_labels.append(self.tag_labels([t[0] for t in sent]))
        if not persons_only and len(tagged) > 1:
            all_labels = propagate_labels([[t[0] for t in s] for s in tagged], all_labels, self.common)
        for sent, labels in zip(tagged, all_labels, strict=True):
            for i, j, typ in bio_spans(labels):
                # trim stray punctuation the model may have pulled in at the edges
                while i < j and not sent[i][0][0].isalnum():
                    i += 1
                while j > i and not sent[j - 1][0][0].isalnum():
                    j -= 1
                if i == j:
                    continue
                first = sent[i]
                start = first[1] + self._clitic_shift(text, first)
                spans.append((start, sent[j - 1][2], typ))
        return spans

    def _may_hold_unknown_name(self, sent: Sequence[Token], known: SpanIndex) -> bool:
        names = self.name_like
        if not names:
            return True
        kinds = self._word_kinds
        prev = False  # the previous token is a name word outside the known spans
        title = False  # the previous token is a title (الرئيس، السفير ...) outside the known spans
        for norm, s, e in sent:
            kind = kinds.get(norm)
            if kind is None:
                if len(kinds) > 200_000:
                    kinds.clear()
                bare = strip_clitics(norm)
                kind = kinds[norm] = (norm[0].isalpha() and (norm in names or bare in names)) | (
                    2 * (bare in TITLES)
                )
            cur = bool(kind & 1) and not known.contains(s, e)
            if cur and (prev or title):
                return True
            prev = cur
            title = bool(kind & 2) and not known.contains(s, e)
        return False

    def _clitic_shift(self, text: str, tok: Token) -> int:
        """Characters to skip at the start of a span's first word (0 if no clitic can be cut safely).

        Cut when the rest starts with the article (والقاهرة → القاهرة) or is a known name (وبوتين → بوتين),
        but never when the whole word is itself a known name (وليد, واشنطن).
        """
        word = tok[0]
        if word in self.names:
            return 0
        for p in _SPAN_PROCLITICS:
            rest = word[len(p) :]
            if not word.startswith(p) or len(rest) < 3:
                continue
            if (rest.startswith("ال") and len(rest) >= 4) or rest in self.names:
                return _original_prefix_len(text, tok, len(p))
        return 0


def _original_prefix_len(text: str, tok: Token, n_norm: int) -> int:
    """Length in the original text of the first ``n_norm`` normalized characters of ``tok`` (harakat and
    tatweel are skipped); 0 if the two cannot be aligned exactly."""
    seen = 0
    for k in range(tok[1], tok[2]):
        seen += len(normalize_text(text[k]))
        if seen == n_norm:
            # include marks that sit on the last clitic letter (وَبوتين → بوتين, not َبوتين)
            k += 1
            while k < tok[2] and not normalize_text(text[k]):
                k += 1
            return k - tok[1] if k < tok[2] else 0
        if seen > n_norm:
            return 0
    return 0
