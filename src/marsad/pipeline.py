"""Composition of the per-article analysis stages (entities, quotes) after parsing.

An :data:`Analyzer` takes a parsed Article and returns it with ``mentions`` and ``quotes`` filled.
:func:`build_analyzer` is the one place that loads the knowledge base and the NER model and wires the
stages, so a process (CLI run, web server, Dask worker) loads them once, not per article.

The stages are declared (:class:`Step`: a name and a function from article to article) and run in
order; an exception in one is recorded on the article (``analysis = failed``, ``analysis_error =
"quotes: IndexError: …"``) and the later stages still run on what the earlier ones produced, so one
bad article never stops an ingest and nothing that could be computed is thrown away.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from marsad.entities import KnowledgeBase, MentionFinder, load_kb
from marsad.entities.ner import ModelNotFoundError, NerTagger
from marsad.errors import describe
from marsad.model import AnalysisState, Article
from marsad.quotes import extract_quotes

Analyzer = Callable[[Article], Article]
NameLookup = Callable[[str], tuple[str, str | None] | None]


@dataclass(frozen=True)
class Step:
    """One analysis stage: ``run`` returns the article with the fields this stage provides filled."""

    name: str
    run: Callable[[Article], Article]


class ArticleAnalyzer:
    """Entities then quotes for one article; picklable, so it can be shipped to workers."""

    def __init__(self, kb_files: Sequence[str] = (), *, use_ner: bool = True) -> None:
        self.kb_files = tuple(kb_files)
        self.use_ner = use_ner
        self._finder: MentionFinder | None = None
        self._kb: KnowledgeBase | None = None

    def __getstate__(self) -> dict[str, object]:
        return {"kb_files": self.kb_files, "use_ner": self.use_ner}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__init__(state["kb_files"], use_ner=bool(state["use_ner"]))  # type: ignore[misc,arg-type]

    @property
    def kb(self) -> KnowledgeBase:
        if self._kb is None:
            self._kb = load_kb([Path(f) for f in self.kb_files])
        return self._kb

    @property
    def finder(self) -> MentionFinder:
        if self._finder is None:
            self._finder = MentionFinder(self.kb, ner=_ner() if self.use_ner else None)
        return self._finder

    @property
    def steps(self) -> tuple[Step, ...]:
        return (Step("entities", self._entities), Step("quotes", self._quotes))

    def _entities(self, a: Article) -> Article:
        mentions = self.finder.find(a.body, on=a.published.date() if a.published else None)
        return replace(a, mentions=tuple(mentions))

    def _quotes(self, a: Article) -> Article:
        day = a.published.date() if a.published else None
        title_mentions = self.finder.find(a.title, on=day) if a.title else []
        quotes = extract_quotes(
            a.body,
            list(a.mentions),
            title=a.title,
            title_mentions=title_mentions,
            published=day,
            entities=self.kb.get,
        )
        return replace(a, quotes=tuple(quotes))

    def __call__(self, a: Article) -> Article:
        errors: list[str] = []
        for step in self.steps:
            try:
                a = step.run(a)
            except Exception as e:  # contained: see the module docstring
                errors.append(describe(step.name, e))
        if errors:
            return replace(a, analysis=AnalysisState.FAILED, analysis_error="; ".join(errors))
        return replace(a, analysis=AnalysisState.DONE, analysis_error=None)


@lru_cache(maxsize=1)
def _ner() -> NerTagger | None:

    try:
        return NerTagger.load()
    except ModelNotFoundError:
        return None  # the dictionary still finds every KB name; unknown names are missed


def build_analyzer(kb_files: Sequence[str] | None = None) -> ArticleAnalyzer:
    """The entity + quote analysis with the shipped KB plus the user's ``--kb`` files."""
    analyzer = ArticleAnalyzer(kb_files or ())
    analyzer.kb  # noqa: B018 (load now: a malformed --kb file must fail before any input is read)
    return analyzer


def name_lookup(kb_files: Sequence[str] | None = None) -> NameLookup:
    """Entity id → (Arabic name, English name), from the knowledge base."""
    kb = load_kb([Path(f) for f in kb_files or ()])

    def lookup(entity_id: str) -> tuple[str, str | None] | None:
        e = kb.get(entity_id)
        return (e.name_ar, e.name_en) if e is not None else None

    return lookup
