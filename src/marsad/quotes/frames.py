"""Reporting frames around the cues (``data/frames.yaml``): subordinate clauses, attribution by a
preposition before or after the words, object nouns and openers of a denial, and the report words a
denial answers. Loaded and validated once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from marsad.data import load_yaml, resource_path
from marsad.errors import ConfigError
from marsad.normalize.arabic import normalize_text

DEFAULT_PATH = resource_path("frames.yaml")
REFERRING = ("media", "organization", "issuer")
_LISTS = (
    "subordinators",
    "fronting",
    "charge_cues",
    "predicate_cues",
    "human_plurals",
    "pronoun_contrasts",
    "before_triggers",
    "content_openers",
    "after_direct_triggers",
    "after_ma_triggers",
    "content_nouns",
    "object_openers",
    "truth_words",
    "report_words",
    "relay_verbs",
    "relay_after_relative",
    "anaphors",
    "pointing_reports",
    "denied_reports",
    "document_verbs",
    "document_nouns",
    "honorifics",
    "anonymity_words",
    "occasion_nouns",
    "occasion_words",
    "occasion_openers",
    "leading_adverbials",
    "resumptive_suffixes",
    "carriers",
    "background_openers",
    "link_words",
    "agent_words",
    "denial_breaks",
    "issued_documents",
    "headline_asides",
    "new_speaker_cues",
    "audience_preps",
    "time_phrases",
    "resuming_triggers",
    "blame_cues",
    "blame_words",
)


@dataclass(frozen=True, slots=True)
class Frames:
    subordinators: frozenset[tuple[str, ...]]  # word sequences, matched right before the verb
    # "نفت الوزارة في وقت سابق وجود …": a time phrase between a verb's subject and its object
    time_phrases: frozenset[tuple[str, ...]]
    fronting: frozenset[tuple[str, ...]]  # word sequences before a subject that a later verb takes
    human_plurals: frozenset[str]  # plurals of people ending in ة, which take masculine verbs (الطلبة)
    pronoun_contrasts: frozenset[tuple[str, ...]]  # "لكنه قال": the sentence's subject goes on speaking
    before_triggers: frozenset[str]
    content_openers: frozenset[str]
    before_max_speaker: int
    after_direct_triggers: frozenset[str]
    after_ma_triggers: frozenset[str]
    content_nouns: frozenset[str]
    object_openers: frozenset[str]
    truth_words: frozenset[str]
    blame_cues: frozenset[str]  # marked cue lemmas that take whom they blame: "حمّل X المسؤولية"
    blame_words: frozenset[str]
    resuming_triggers: frozenset[str]  # "…، وهو ما نفته الوزارة."
    audience_preps: frozenset[str]  # "نفى الوزير أمام البرلمان التهم": before whom, then what is denied
    report_words: frozenset[str]
    relay_verbs: frozenset[str]
    relay_after_relative: frozenset[str]
    anaphors: frozenset[str]
    pointing_reports: frozenset[str]
    denied_reports: frozenset[str]
    document_verbs: frozenset[str]
    document_nouns: frozenset[str]
    anonymity_words: frozenset[str]
    occasion_nouns: frozenset[str]
    occasion_words: frozenset[str]
    occasion_openers: frozenset[str]  # words before an occasion noun ("في", "عبر")
    resumptive_suffixes: frozenset[str]  # "قاله" after "حسب ما": the verb "قال" with its pronoun
    leading_adverbials: frozenset[str]  # "وفي محافظة مأرب أوضحت": a sentence's phrase before its verb
    adverbial_max: int
    occasion_reach: int  # tokens an occasion may run on past its noun to the words' link
    carriers: frozenset[str]  # before a relaying verb: it names the outlet carrying the denial itself
    background_openers: frozenset[str]  # a sentence after a denial opening so gives the report denied
    link_words: frozenset[str]  # before a report word: a page's link line, not a report answered
    agent_words: frozenset[str]  # after "من": the agent of a passive ("ملفقة من قبل الروس")
    denial_breaks: frozenset[str]  # after a comma: the end of what a denial denies
    issued_documents: frozenset[str]  # "أصدرت بيانا نفت فيه": the issuer of the document speaks
    headline_asides: frozenset[str]  # "القرضاوي ردا على سفير روسي: …": the speaker ends before them
    new_speaker_cues: frozenset[str]  # cue lemmas whose implied subject may be the sentence before's
    charge_cues: frozenset[str]  # cue lemmas whose lone noun phrase before "بـ" is the accused
    predicate_cues: frozenset[str]  # cue lemmas whose object is followed by its predicate ("اعتبر X خطوة")
    referring_heads: dict[str, str]  # normalized word -> media | organization | issuer
    honorifics: frozenset[tuple[str, ...]]  # word sequences before a title or a name

    honorific_words: frozenset[str]  # every word of an honorific

    def honorific_at(self, words: Callable[[int], str], k: int) -> int:
        """Tokens of the honorific that starts at token ``k`` (0 when none): longest entry first."""
        first = words(k)
        if first not in self.honorific_words:
            return 0
        best = 0
        for seq in self.honorifics:
            if seq[0] == first and len(seq) > best and all(words(k + n) == w for n, w in enumerate(seq)):
                best = len(seq)
        return best

    def time_phrase_at(self, words: Callable[[int], str], k: int) -> int:
        """Tokens of the time phrase that starts at token ``k`` (0 when none)."""
        return max(
            (len(p) for p in self.time_phrases if all(words(k + n) == w for n, w in enumerate(p))), default=0
        )

    @property
    def after_triggers(self) -> frozenset[str]:
        return self.after_direct_triggers | self.after_ma_triggers | self.resuming_triggers


def parse_frames(data: Any, where: str = "frames.yaml") -> Frames:
    if not isinstance(data, dict):
        raise ConfigError(where, "expected a mapping of word lists")
    unknown = (
        set(data) - set(_LISTS) - {"before_max_speaker", "occasion_reach", "adverbial_max", "referring_heads"}
    )
    if unknown:
        raise ConfigError(where, f"unknown keys {sorted(unknown)}")
    lists: dict[str, list[str]] = {}
    for key in _LISTS:
        value = data.get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise ConfigError(where, f"'{key}' must be a non-empty list of non-empty strings")
        lists[key] = [normalize_text(v) for v in value]
    size = data.get("before_max_speaker", 7)
    if not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= 20:
        raise ConfigError(where, "'before_max_speaker' must be a whole number from 1 to 20")
    reach = data.get("occasion_reach", 12)
    if not isinstance(reach, int) or isinstance(reach, bool) or not 0 <= reach <= 30:
        raise ConfigError(where, "'occasion_reach' must be a whole number from 0 to 30")
    adverbial = data.get("adverbial_max", 4)
    if not isinstance(adverbial, int) or isinstance(adverbial, bool) or not 0 <= adverbial <= 10:
        raise ConfigError(where, "'adverbial_max' must be a whole number from 0 to 10")
    words = {
        k: frozenset(v)
        for k, v in lists.items()
        if k not in ("subordinators", "honorifics", "fronting", "pronoun_contrasts", "time_phrases")
    }
    heads = data.get("referring_heads") or {}
    if not isinstance(heads, dict) or set(heads) - set(REFERRING):
        raise ConfigError(where, f"'referring_heads' must map {REFERRING} to word lists")
    referring: dict[str, str] = {}
    for cls, ws in heads.items():
        if not isinstance(ws, list) or not all(isinstance(w, str) and w.strip() for w in ws):
            raise ConfigError(where, f"referring_heads.{cls} must be a list of non-empty strings")
        referring.update((normalize_text(w), cls) for w in ws)
    return Frames(
        subordinators=frozenset(tuple(s.split()) for s in lists["subordinators"]),
        time_phrases=frozenset(tuple(s.split()) for s in lists["time_phrases"]),
        fronting=frozenset(tuple(s.split()) for s in lists["fronting"]),
        pronoun_contrasts=frozenset(tuple(s.split()) for s in lists["pronoun_contrasts"]),
        honorifics=frozenset(tuple(s.split()) for s in lists["honorifics"]),
        honorific_words=frozenset(w for s in lists["honorifics"] for w in s.split()),
        before_max_speaker=size,
        occasion_reach=reach,
        adverbial_max=adverbial,
        referring_heads=referring,
        **words,
    )


def load_frames(path: Path | None = None) -> Frames:
    path = path or DEFAULT_PATH
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(str(path), f"not valid YAML: {exc}") from None
    return parse_frames(data, str(path))


@cache
def default_frames() -> Frames:
    return load_frames()
