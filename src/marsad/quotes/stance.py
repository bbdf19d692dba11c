"""Stance from the reported words (``data/stance.yaml``): a verb whose stance the words may change
(قال, ذكر, أكد …) with words that deny, reject, accuse, warn, demand or promise takes their stance
("قال: "هذا عار عن الصحة"" is a denial). One reader for the whole phrase table, used for body and
headline quotes alike."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

from marsad.data import load_yaml, resource_path
from marsad.errors import ConfigError
from marsad.model import Stance
from marsad.normalize.arabic import QUOTE_MARKS, normalize_text

DEFAULT_PATH = resource_path("stance.yaml")
_COMPLEMENTIZERS = frozenset({"ان"})  # normalized "أن"
_OBLIGATION_REACH = 6  # "على" + at most four words of who is obliged + "أن"
_EMPHATIC_REACH = 4  # words from the negation to "أبدا" ("لم تكن تريد مطلقا")
_INSIST_REACH = 5  # "أصر على أن الجيش الأوكراني في المدينة ليس محاصرا": a subject of up to four words
_CLITICS = "وف"
_IMPERFECT = "يتنأ"  # prefixes of a verb after "لا" ("لا نريد", "لا أعرف"), as written
_FIRST_PERSON = "نأ"  # "لم نفاوض", "لم أتناول"
_KEYS = frozenset(
    {
        "override",
        "phrases",
        "fillers",
        "obligation",
        "emphatic",
        "emphatic_negations",
        "claim_sources",
        "headline_no",
        "headline_not_nouns",
        "headline_did_not",
        "insisting",
        "insisted_negations",
        "stated_reports",
        "answered_reports",
        "alleging",
        "confirming",
    }
)  # "وكاذبة", "فهذا غير صحيح": a conjunction glued to the first word of a phrase


@dataclass(frozen=True, slots=True)
class StanceWords:
    override: frozenset[Stance]
    phrases: tuple[tuple[Stance, tuple[str, ...]], ...]  # in priority order; each phrase " w1 w2 "
    first_words: frozenset[str]  # first word of any phrase: most quotes are rejected on this probe
    fillers: frozenset[str] = frozenset()  # intensifiers dropped before matching ("عار تماما عن الصحة")
    # first word -> (priority, stance, phrase) of the phrases it opens, so a quote is matched only
    # against the phrases whose first word it holds
    by_first: dict[str, tuple[tuple[int, Stance, str], ...]] = field(default_factory=dict)
    obligation: frozenset[str] = frozenset()  # "على X أن …" opens a demand
    # "لم تستخدم مطلقا", "لم تناقشا أبدا": a negated past or "ليس" with "never" denies
    emphatic: frozenset[str] = frozenset()
    emphatic_negations: frozenset[str] = frozenset()
    # first words of a speaker phrase whose words are reported, not vouched for ("مصادر مطلعة", "تقارير")
    claim_sources: frozenset[str] = frozenset()
    # a headline's "لا" + a noun ("لا زيادة في الرسوم") or "لم" + a first-person verb ("لم نفاوض أحدا")
    headline_no: frozenset[str] = frozenset()
    headline_not_nouns: frozenset[str] = frozenset()  # "لا بد", "لا شك": no denial
    headline_did_not: frozenset[str] = frozenset()
    # "أصر على أن قواتها ليست محاطة": insisting that something is not so denies what others say
    insisting: frozenset[str] = frozenset()  # cue lemmas
    insisted_negations: frozenset[str] = frozenset()
    # report verbs a person or body states with ("وذكر المتحدث أن …"); only outlets and sources claim
    stated_reports: frozenset[str] = frozenset()
    # "قال إن الاتهامات البريطانية بأن موسكو مسؤولة … ترقى إلى أساليب قطاع الطرق": words that open with
    # someone else's accusation answer it; the blame inside is theirs, not the speaker's
    answered_reports: frozenset[str] = frozenset()
    # claim verbs by which the writer keeps a distance whoever speaks ("زعمت الجماعة أنها …", "ادعى
    # الجيش أنه …"): a body alleging claims, where a body reporting ("ذكرت الوزارة أن") states
    alleging: frozenset[str] = frozenset()  # cue lemmas
    # "أكدت الشرطة صحة الأنباء": a verb of affirming whose object is the truth of a report confirms it
    confirming: frozenset[str] = frozenset()  # cue lemmas

    def stance(self, cue_stance: Stance, words: Sequence[str]) -> Stance:
        """The stance of a quote with cue stance ``cue_stance`` and normalized ``words``."""
        if cue_stance not in self.override:
            return cue_stance
        found = self.of_words(words)
        if found == Stance.ACCUSATION and words and words[0] in self.answered_reports:
            return Stance.REJECTION
        return cue_stance if found is None else found

    def of_words(self, words: Sequence[str]) -> Stance | None:
        """The stance the normalized ``words`` take by themselves, if any phrase of the table is in them."""
        index = self.by_first
        cands: set[tuple[int, Stance, str]] = set()
        for w in words:
            hit = index.get(w)
            if hit is None and len(w) > 2 and w[0] in _CLITICS:
                hit = index.get(w[1:])
            if hit is not None:
                cands.update(hit)
        if not cands:
            return self._obligation(words) or self._emphatic(words)
        fill = self.fillers
        kept = [w for w in words if w not in fill]
        bare = [w[1:] if len(w) > 2 and w[0] in _CLITICS else w for w in kept]
        texts = (" " + " ".join(kept) + " ", " " + " ".join(bare) + " ")
        for _, stance, phrase in sorted(cands, key=lambda c: c[0]):
            if phrase in texts[0] or phrase in texts[1]:
                return stance
        return self._obligation(words) or self._emphatic(words)

    def insisted(self, lemma: str | None, stance: Stance, words: Sequence[str]) -> Stance:
        """ "الجيش أصر على أن قواتها ليست محاطة": an insisting verb (``lemma``) whose words negate within
        the first few (the subject, then the negation) denies what the other side says."""
        if stance != Stance.STATEMENT or lemma is None or lemma not in self.insisting:
            return stance
        neg = self.insisted_negations
        hit = any(w in neg or (w[:1] in _CLITICS and w[1:] in neg) for w in words[:_INSIST_REACH])
        return Stance.DENIAL if hit else stance

    def _emphatic(self, words: Sequence[str]) -> Stance | None:
        """ "أنقرة لم تستخدم مطلقا أسلحة كيميائية": "never" within a few words after a negation."""
        neg = self.emphatic_negations
        for k, w in enumerate(words):
            if w in self.emphatic and any(v in neg for v in words[max(0, k - _EMPHATIC_REACH) : k]):
                return Stance.DENIAL
        return None

    def headline_denies(self, raw: Sequence[str]) -> bool:
        """Do a colon headline's words (as written: the hamza tells "لا أعرف" from "لا اتفاق") deny,
        "الوزارة: لا زيادة في الرسوم هذا العام", "رئيس النادي: لم نفاوض أي مدرب"?"""
        for w, nxt in pairwise(raw):
            n, m = normalize_text(w), normalize_text(nxt)
            if n in self.headline_no and nxt[0] not in _IMPERFECT and m not in self.headline_not_nouns:
                return True
            if n in self.headline_did_not and nxt[0] in _FIRST_PERSON:
                return True
        return False

    def of_source(self, cue_stance: Stance, stance: Stance, speaker_text: str) -> Stance:
        """A statement reported from sources, reports or a newspaper ("وقالت مصادر مطلعة إن …") is a
        claim: the outlet passes it on without vouching for it (not when the words took a stance)."""
        if stance != Stance.STATEMENT or cue_stance != Stance.STATEMENT:
            return stance
        first = speaker_text.split()[:1]
        if first and normalize_text(first[0].strip(QUOTE_MARKS + "()")) in self.claim_sources:
            return Stance.CLAIM
        return stance

    def _obligation(self, words: Sequence[str]) -> Stance | None:
        """ "على أنقرة أن تراعي السيادة": an obligation put on someone, a demand."""
        if not words or words[0] not in self.obligation:
            return None
        return Stance.DEMAND if any(w in _COMPLEMENTIZERS for w in words[2:_OBLIGATION_REACH]) else None


def _stance(where: str, value: Any) -> Stance:
    try:
        return Stance(str(value))
    except ValueError:
        raise ConfigError(where, f"bad stance {value!r}") from None


def _words(where: str, value: Any, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(p, str) and p.strip() for p in value):
        raise ConfigError(where, f"{key} must be a list of non-empty strings")
    return [normalize_text(p) for p in value]


def parse_stance_words(data: Any, where: str = "stance.yaml") -> StanceWords:
    if not isinstance(data, dict) or not isinstance(data.get("phrases"), dict):
        raise ConfigError(where, "expected a mapping with a 'phrases' mapping")
    unknown = set(data) - _KEYS
    if unknown:
        raise ConfigError(where, f"unknown keys {sorted(unknown)}")
    override = data.get("override") or []
    if not isinstance(override, list):
        raise ConfigError(where, "'override' must be a list of stances")
    fillers = frozenset(w for p in _words(where, data.get("fillers") or [], "fillers") for w in p.split())
    table = []
    firsts: set[str] = set()
    for name, phrases in data["phrases"].items():
        stance = _stance(f"{where}: phrases", name)
        norm: list[str] = []
        for p in _words(where, phrases, f"phrases.{name}"):
            ws = [w for w in p.split() if w not in fillers]
            if ws:
                norm.append(" ".join(ws))
        firsts.update(p.split()[0] for p in norm)
        table.append((stance, tuple(f" {p} " for p in dict.fromkeys(norm))))
    index: dict[str, list[tuple[int, Stance, str]]] = {}
    for rank, (stance, padded) in enumerate(table):
        for p in padded:
            index.setdefault(p.split()[0], []).append((rank, stance, p))
    return StanceWords(
        override=frozenset(_stance(f"{where}: override", s) for s in override),
        phrases=tuple(table),
        first_words=frozenset(firsts),
        fillers=fillers,
        obligation=frozenset(
            w for p in _words(where, data.get("obligation") or [], "obligation") for w in p.split()
        ),
        by_first={w: tuple(v) for w, v in index.items()},
        emphatic=_word_set(where, data, "emphatic"),
        emphatic_negations=_word_set(where, data, "emphatic_negations"),
        claim_sources=_word_set(where, data, "claim_sources"),
        headline_no=_word_set(where, data, "headline_no"),
        headline_not_nouns=_word_set(where, data, "headline_not_nouns"),
        headline_did_not=_word_set(where, data, "headline_did_not"),
        insisting=_word_set(where, data, "insisting"),
        insisted_negations=_word_set(where, data, "insisted_negations"),
        stated_reports=_word_set(where, data, "stated_reports"),
        answered_reports=_word_set(where, data, "answered_reports"),
        alleging=_word_set(where, data, "alleging"),
        confirming=_word_set(where, data, "confirming"),
    )


def _word_set(where: str, data: dict[str, Any], key: str) -> frozenset[str]:
    return frozenset(w for p in _words(where, data.get(key) or [], key) for w in p.split())


def load_stance_words(path: Path | None = None) -> StanceWords:
    path = path or DEFAULT_PATH
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(str(path), f"not valid YAML: {exc}") from None
    return parse_stance_words(data, str(path))


@cache
def default_stance_words() -> StanceWords:
    return load_stance_words()
