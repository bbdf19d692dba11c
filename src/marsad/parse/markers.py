"""The compiled form of ``data/markers.yaml``: every marker and boilerplate pattern in one place."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from marsad.data import load_yaml, resource
from marsad.errors import ConfigError
from marsad.normalize.arabic import normalize_text


@dataclass(frozen=True)
class Markers:
    date_lines: tuple[re.Pattern[str], ...]
    read_also: tuple[re.Pattern[str], ...]
    footer: re.Pattern[str]  # credit or tags marker anywhere in a line
    footer_start: re.Pattern[str]  # a line that begins with a credit or tags marker
    boilerplate: tuple[re.Pattern[str], ...]
    header: tuple[re.Pattern[str], ...]  # bylines, credits, empty date markers: never a title
    section_line: re.Pattern[str]  # a line of section names or a breadcrumb ("الرئيسية » أخبار عربية")
    related_prefixes: tuple[str, ...]
    glued_opener: re.Pattern[str]
    wires: frozenset[str]  # normalized names
    cited_media: tuple[re.Pattern[str], ...]


def _compile(patterns: list[str], where: str) -> tuple[re.Pattern[str], ...]:
    try:
        return tuple(re.compile(p, re.IGNORECASE) for p in patterns)
    except re.error as e:
        raise ConfigError("markers.yaml", f"bad pattern in {where}: {e}") from e


def _section_line(names: list[str]) -> re.Pattern[str]:
    """Section names joined by breadcrumb separators, the whole line; matched on normalized text."""
    alt = "|".join(sorted({re.escape(normalize_text(n)) for n in names}, key=len, reverse=True))
    sep = r'\s*(?:[»>/|،,\-–—:؛"]|\s)\s*'  # normalized text: » and « are "
    return re.compile(rf"^\s*(?:{alt})(?:{sep}(?:{alt}))*\s*[:：\-–—]?\s*$")


@lru_cache(maxsize=1)
def load_markers() -> Markers:
    text = resource("markers.yaml").read_text(encoding="utf-8")
    d = load_yaml(text)
    credit, tags = d["source_credit"], d["tags_marker"]
    openers = "|".join(re.escape(o) for o in d["paragraph_openers"])
    return Markers(
        date_lines=_compile(d["date_lines"], "date_lines"),
        read_also=_compile(d["read_also"], "read_also"),
        footer=re.compile(f"(?P<credit>{credit})|(?P<tags>{tags})", re.IGNORECASE),
        footer_start=re.compile(rf"^\s*(?:{credit}|{tags})", re.IGNORECASE),
        boilerplate=_compile(d["boilerplate_lines"], "boilerplate_lines"),
        header=_compile(d["header_lines"], "header_lines"),
        section_line=_section_line(d["section_names"]),
        related_prefixes=tuple(d["related_prefixes"]),
        glued_opener=re.compile(rf"(?<=[\u0621-\u064a])(?:{openers})(?=\s)"),
        wires=frozenset(normalize_text(w) for w in d["wires"]),
        cited_media=_compile(d["cited_media"], "cited_media"),
    )
