"""The reporting-cue lexicon (``data/cues.yaml``): which words introduce speech, and with what stance.

Loaded and validated once; every lookup is one dict probe on a normalized word, then on the word with
a conjunction/preposition prefix (و ف ل) removed, so clitic-glued forms need no entries of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from marsad.data import load_yaml, resource_path
from marsad.errors import ConfigError
from marsad.model import Stance
from marsad.normalize.arabic import normalize_text

_PREFIXES = ("و", "ف", "ل", "وف")
HEAD_CLASSES = ("title", "unnamed", "organization", "media")
_CUE_KEYS = frozenset(
    {"lemma", "stance", "forms", "feminine", "participles", "preps", "links", "object", "marked"}
)
DEFAULT_PATH = resource_path("cues.yaml")


@dataclass(frozen=True, slots=True)
class Cue:
    """One surface form of a reporting verb."""

    lemma: str
    stance: Stance
    participle: bool  # "مشيرا": continues the sentence's speaker, never has its own subject
    feminine: bool
    preps: frozenset[str]  # normalized prepositions that introduce the content (noun or clause)
    links: frozenset[str]  # prepositions allowed only before a complementizer
    takes_object: bool
    marked: bool  # content only after a colon or quote marks


@dataclass(frozen=True, slots=True)
class Lexicon:
    cues: dict[str, Cue]
    report_nouns: frozenset[str]
    heads: dict[str, str]  # clitic-free normalized head word -> one of HEAD_CLASSES
    # word -> its cue or None: the reader asks for every token of every body, and news words repeat
    _cue_of: dict[str, Cue | None] = field(default_factory=dict, init=False, compare=False, repr=False)

    def cue(self, word: str) -> Cue | None:
        """The cue for a *normalized* word, allowing a leading و/ف/ل."""
        memo = self._cue_of
        if word in memo:
            return memo[word]
        if len(memo) > 200_000:
            memo.clear()
        hit = memo[word] = self._find_cue(word)
        return hit

    def _find_cue(self, word: str) -> Cue | None:
        hit = self.cues.get(word)
        if hit is not None or word[:1] not in "وفل":
            return hit
        for p in _PREFIXES:
            if word.startswith(p) and len(word) - len(p) >= 2:
                hit = self.cues.get(word[len(p) :])
                if hit is not None:
                    return hit
        return None

    def head(self, word: str) -> str | None:
        """Speaker-head class of a normalized word (tries it with و/ف/ب/ل removed)."""
        hit = self.heads.get(word)
        if hit is None and len(word) > 3 and word[0] in "وفبل":
            hit = self.heads.get(word[1:])
        return hit


def word_list(where: str, value: Any, field: str) -> list[str]:
    """A data file's word list (absent: empty), validated and normalized."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(where, f"'{field}' must be a list of non-empty strings")
    return [normalize_text(v) for v in value]


def parse_lexicon(data: Any, where: str = "cues.yaml") -> Lexicon:
    """Validate the parsed YAML document and build the lookup tables."""
    if not isinstance(data, dict) or not isinstance(data.get("cues"), list):
        raise ConfigError(where, "expected a mapping with a 'cues' list")
    cues: dict[str, Cue] = {}
    for i, entry in enumerate(data["cues"]):
        at = f"{where}: cues[{i}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("lemma"), str):
            raise ConfigError(at, "each cue needs a 'lemma' string")
        unknown = set(entry) - _CUE_KEYS
        if unknown:
            raise ConfigError(at, f"unknown keys {sorted(unknown)}")
        try:
            stance = Stance(str(entry.get("stance")))
        except ValueError:
            raise ConfigError(at, f"bad stance {entry.get('stance')!r}") from None
        forms = word_list(at, entry.get("forms"), "forms")
        participles = word_list(at, entry.get("participles"), "participles")
        feminine = set(word_list(at, entry.get("feminine"), "feminine"))
        if not forms and not participles:
            raise ConfigError(at, "a cue needs 'forms' or 'participles'")
        for flag in ("object", "marked"):
            if not isinstance(entry.get(flag, False), bool):
                raise ConfigError(at, f"'{flag}' must be true or false")
        preps = frozenset(word_list(at, entry.get("preps"), "preps"))
        links = frozenset(word_list(at, entry.get("links"), "links"))
        for form, is_part in [(f, False) for f in forms] + [(p, True) for p in participles]:
            cues[form] = Cue(
                lemma=normalize_text(entry["lemma"]),
                stance=stance,
                participle=is_part,
                feminine=form in feminine,
                preps=preps,
                links=links,
                takes_object=bool(entry.get("object", False)),
                marked=bool(entry.get("marked", False)),
            )
    heads: dict[str, str] = {}
    raw_heads = data.get("speaker_heads") or {}
    if not isinstance(raw_heads, dict) or set(raw_heads) - set(HEAD_CLASSES):
        raise ConfigError(where, f"'speaker_heads' must map {HEAD_CLASSES} to word lists")
    for cls in HEAD_CLASSES:
        for w in word_list(where, raw_heads.get(cls), f"speaker_heads.{cls}"):
            heads.setdefault(w, cls)
    nouns = frozenset(word_list(where, data.get("report_nouns"), "report_nouns"))
    return Lexicon(cues=cues, report_nouns=nouns, heads=heads)


def load_lexicon(path: Path | None = None) -> Lexicon:
    """Read and validate a cue file (the packaged one by default)."""
    if path is None:
        path = DEFAULT_PATH
    text, where = path.read_text(encoding="utf-8"), str(path)
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        raise ConfigError(where, f"not valid YAML: {exc}") from None
    return parse_lexicon(data, where)


@cache
def default_lexicon() -> Lexicon:
    return load_lexicon()
