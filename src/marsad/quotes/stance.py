"""Stance from the reported words (``data/stance.yaml``): a neutral verb with words that deny, reject,
accuse or warn takes their stance ("قال: "هذا عار عن الصحة"" is a denial)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from marsad.data import resource_path
from marsad.errors import ConfigError
from marsad.model import Stance
from marsad.normalize.arabic import normalize_text

DEFAULT_PATH = resource_path("stance.yaml")


@dataclass(frozen=True, slots=True)
class StanceWords:
    override: frozenset[Stance]
    phrases: tuple[tuple[Stance, tuple[str, ...]], ...]  # in priority order; each phrase " w1 w2 "
    first_words: frozenset[str]  # first word of any phrase: most quotes are rejected on this probe

    def stance(self, cue_stance: Stance, words: Sequence[str]) -> Stance:
        """The stance of a quote with cue stance ``cue_stance`` and normalized ``words``."""
        if cue_stance not in self.override or not self.first_words.intersection(words):
            return cue_stance
        padded = " " + " ".join(words) + " "
        for stance, phrases in self.phrases:
            if any(p in padded for p in phrases):
                return stance
        return cue_stance


def _stance(where: str, value: Any) -> Stance:
    try:
        return Stance(str(value))
    except ValueError:
        raise ConfigError(where, f"bad stance {value!r}") from None


def parse_stance_words(data: Any, where: str = "stance.yaml") -> StanceWords:
    if not isinstance(data, dict) or not isinstance(data.get("phrases"), dict):
        raise ConfigError(where, "expected a mapping with a 'phrases' mapping")
    override = data.get("override") or []
    if not isinstance(override, list):
        raise ConfigError(where, "'override' must be a list of stances")
    table = []
    firsts: set[str] = set()
    for name, phrases in data["phrases"].items():
        if not isinstance(phrases, list) or not all(isinstance(p, str) and p.strip() for p in phrases):
            raise ConfigError(where, f"phrases.{name} must be a list of non-empty strings")
        norm = tuple(dict.fromkeys(normalize_text(p) for p in phrases))
        firsts.update(p.split()[0] for p in norm)
        table.append((_stance(f"{where}: phrases", name), tuple(f" {p} " for p in norm)))
    return StanceWords(
        override=frozenset(_stance(f"{where}: override", s) for s in override),
        phrases=tuple(table),
        first_words=frozenset(firsts),
    )


def load_stance_words(path: Path | None = None) -> StanceWords:
    path = path or DEFAULT_PATH
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(str(path), f"not valid YAML: {exc}") from None
    return parse_stance_words(data, str(path))


@cache
def default_stance_words() -> StanceWords:
    return load_stance_words()
