"""When did the reported event happen: evidence read from an article's text (issue 12).

Scraped pages mostly carry no machine-readable date; their text still says a lot about the time of the
event: full dates, years, weekday references. Patterns live in ``data/story_rules.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import yaml

from marsad.data import resource
from marsad.normalize.arabic import normalize_text


@dataclass(frozen=True, slots=True)
class StoryRules:
    year: re.Pattern[str]


@cache
def rules() -> StoryRules:
    d = yaml.safe_load(resource("story_rules.yaml").read_text(encoding="utf-8"))
    return StoryRules(year=re.compile(d["year"]))


def explicit_years(text: str) -> set[int]:
    """Every year (1950-2099) written in ``text``, Western or Eastern digits."""
    return {int(m.group(1)) for m in rules().year.finditer(normalize_text(text))}
