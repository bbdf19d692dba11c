"""Composition of the per-article analysis stages (entities, quotes) after parsing.

An :data:`Analyzer` takes a parsed Article and returns it with ``mentions`` and ``quotes`` filled.
:func:`build_analyzer` is the one place that loads the knowledge base and the NER model and wires the
stages, so a process (CLI run, web server, Dask worker) loads them once, not per article.

The stages are declared (:class:`Step`: a name and a function from article to article) and run in
order; an exception in one is recorded on the article (``analysis = failed``, ``analysis_error =
"quotes: IndexError: …"``) and the later stages still run on what the earlier ones produced, so one
bad article never stops an ingest and nothing that could be computed is thrown away.

Every article also has a :class:`Budget`, so that no input, however large or hostile, stalls an ingest:

* **Size.** A body (or title) longer than ``max_chars`` (200,000 characters: about 40 times a long news
  article) is analysed on its first ``max_chars`` characters only, cut at the last line break (else the
  last space) before the limit. Mentions and quotes then point into that prefix, so every offset stays
  valid in the stored text, and ``analysis_error`` says ``budget: text of N characters, analysed the
  first M``. The cut is deterministic: the same page gives the same result on any machine.
* **Time.** Each article may use ``cpu_seconds`` (5 s) of CPU time of the thread analysing it. The stages
  take a cooperative ``check`` and call it in every loop that grows with the text (per token, hit,
  candidate and sentence); once the time is up it raises :class:`BudgetExceeded`, which the step
  containment records like any failure (``quotes: BudgetExceeded: over 5 s of CPU``), keeping what the
  earlier stages produced; a stage is not started once the time is up. CPU time, not wall time, so that
  a busy machine does not cut articles that a quiet one analyses.

Why both: the time limit is the guarantee, whatever the cause; the size limit keeps big but ordinary
pages deterministic and cheap, and bounds the stretches between two checks (tokenizing, the Aho-Corasick
pass, one CRF sentence), each linear in at most ``max_chars`` characters. Every stage is linear in its
input (``bench/bench_adversarial.py``; ``tests/test_adversarial.py``): at ``max_chars`` the most
expensive text measured takes about 1 s, well inside the 5 s, so the time limit is the safety net for
what no benchmark has found, not the normal path. An article over budget is stored with
``analysis = failed``, so the ingest reports it on a failure line and ``marsad reanalyze --failed`` finds
it again.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path

from marsad.entities import KnowledgeBase, MentionFinder, load_kb
from marsad.entities.ner import ModelNotFoundError, NerTagger
from marsad.errors import describe
from marsad.model import AnalysisState, Article
from marsad.quotes import default_lexicon, extract_quotes
from marsad.quotes.english import KBNames, with_english_names

Analyzer = Callable[[Article], Article]
NameLookup = Callable[[str], tuple[str, str | None] | None]


@dataclass(frozen=True)
class Budget:
    """What the analysis of one article may cost (see the module docstring)."""

    max_chars: int = 200_000  # characters of body, and of title, analysed
    cpu_seconds: float = 5.0  # CPU time of the analysing thread for all stages together


DEFAULT_BUDGET = Budget()


class BudgetExceeded(Exception):
    """An article's analysis used up its CPU time (raised by :meth:`Deadline.check` inside a stage)."""


class Deadline:
    """The end of one article's CPU time; :meth:`check` raises :class:`BudgetExceeded` after it.

    ``check`` is cheap enough to call once per token: it reads the clock on every 64th call only (the
    work between two readings is a few bounded windows of text, microseconds).
    """

    __slots__ = ("_at", "_calls", "seconds")

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._at = time.thread_time() + seconds
        self._calls = 0

    def check(self) -> None:
        self._calls += 1
        if not self._calls & 63:
            self.check_now()

    def check_now(self) -> None:
        if time.thread_time() > self._at:
            raise BudgetExceeded(f"over {self.seconds:g} s of CPU")


# The deadline of the article being analysed in this thread/context, read by the steps.
_DEADLINE: ContextVar[Deadline | None] = ContextVar("marsad_analysis_deadline", default=None)


def _check() -> Callable[[], None] | None:
    d = _DEADLINE.get()
    return d.check if d is not None else None


def _prefix(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at the last line break, else the last space, in the
    second half of the limit (a hard cut when there is neither)."""
    if len(text) <= limit:
        return text
    for sep in ("\n", " "):
        k = text.rfind(sep, limit // 2, limit)
        if k > 0:
            return text[:k]
    return text[:limit]


@dataclass(frozen=True)
class Step:
    """One analysis stage: ``run`` returns the article with the fields this stage provides filled."""

    name: str
    run: Callable[[Article], Article]


class ArticleAnalyzer:
    """Entities then quotes for one article; picklable, so it can be shipped to workers."""

    def __init__(
        self, kb_files: Sequence[str] = (), *, use_ner: bool = True, budget: Budget | None = DEFAULT_BUDGET
    ) -> None:
        self.kb_files = tuple(kb_files)
        self.use_ner = use_ner
        self.budget = budget  # None: no limit (benchmarks of the raw stages)
        self._finder: MentionFinder | None = None
        self._kb: KnowledgeBase | None = None

    def __getstate__(self) -> dict[str, object]:
        return {"kb_files": self.kb_files, "use_ner": self.use_ner, "budget": self.budget}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__init__(  # type: ignore[misc]
            state["kb_files"],  # type: ignore[arg-type]
            use_ner=bool(state["use_ner"]),
            budget=state.get("budget", DEFAULT_BUDGET),  # type: ignore[arg-type]
        )

    @property
    def kb(self) -> KnowledgeBase:
        if self._kb is None:
            self._kb = load_kb([Path(f) for f in self.kb_files])
        return self._kb

    @cached_property
    def kb_names(self) -> KBNames:
        """The KB's places and country adjectives, for English names of institution speakers."""
        return KBNames(self.kb)

    @property
    def finder(self) -> MentionFinder:
        if self._finder is None:
            self._finder = MentionFinder(self.kb, ner=_ner() if self.use_ner else None)
            # The KB, its matcher and the CRF model are millions of long-lived objects: every full
            # collection of the cyclic GC walked them all (~6% of an ingest's CPU). Frozen, it skips them.
            # Loaded on first use, not up front: a re-ingest of unchanged input never needs them.
            gc.freeze()
        return self._finder

    @property
    def steps(self) -> tuple[Step, ...]:
        return (Step("entities", self._entities), Step("quotes", self._quotes))

    def _entities(self, a: Article) -> Article:
        day = a.published.date() if a.published else None
        return replace(a, mentions=tuple(self.finder.find(a.body, on=day, check=_check())))

    def _quotes(self, a: Article) -> Article:
        check = _check()
        day = a.published.date() if a.published else None
        title_mentions = self.finder.find(a.title, on=day, check=check) if a.title else []
        quotes = extract_quotes(
            a.body,
            list(a.mentions),
            title=a.title,
            title_mentions=title_mentions,
            published=day,
            entities=self.kb.get,
            check=check,
        )
        # people the KB does not know get an English name (romanized), stored with the quote
        return replace(a, quotes=tuple(with_english_names(quotes, default_lexicon(), self.kb_names)))

    def __call__(self, a: Article) -> Article:
        errors: list[str] = []
        budget = self.budget
        whole = a
        if budget is not None:
            body, title = _prefix(a.body, budget.max_chars), a.title and _prefix(a.title, budget.max_chars)
            for what, full, cut in (("text", a.body, body), ("title", a.title or "", title or "")):
                if len(cut) < len(full):
                    errors.append(f"budget: {what} of {len(full)} characters, analysed the first {len(cut)}")
            if errors:
                a = replace(a, body=body, title=title)
        deadline = Deadline(budget.cpu_seconds) if budget is not None else None
        token = _DEADLINE.set(deadline)
        try:
            for step in self.steps:
                try:
                    if deadline is not None:
                        deadline.check_now()  # no stage starts once the time is up
                    a = step.run(a)
                except Exception as e:  # contained: see the module docstring
                    errors.append(describe(step.name, e))
        finally:
            _DEADLINE.reset(token)
        if a.body is not whole.body or a.title is not whole.title:
            a = replace(a, body=whole.body, title=whole.title)  # offsets point into the prefix analysed
        if errors:
            return replace(a, analysis=AnalysisState.FAILED, analysis_error="; ".join(errors))
        return replace(a, analysis=AnalysisState.DONE, analysis_error=None)


@lru_cache(maxsize=1)
def _ner() -> NerTagger | None:

    try:
        return NerTagger.load()
    except ModelNotFoundError:
        return None  # the dictionary still finds every KB name; unknown names are missed


def release_caches() -> None:
    """Empty the analysis' own per-word caches (NER features and word kinds, quote and NER token keys):
    a one-shot ingest calls it once the articles are analysed, so the story stage and the index build
    reuse that memory instead of adding to it (at 10k articles about a third of the peak). Harmless at
    any time: the caches refill on use."""
    from marsad.entities import ner
    from marsad.quotes import text

    ner._NORM_CACHE.clear()
    ner._BARE_CACHE.clear()
    text._NORM.clear()
    default_lexicon()._cue_of.clear()
    if _ner.cache_info().currsize:
        tagger = _ner()
        if tagger is not None:
            tagger.extractor.clear()
            tagger._word_kinds.clear()


def build_analyzer(kb_files: Sequence[str] | None = None) -> ArticleAnalyzer:
    """The entity + quote analysis with the shipped KB plus the user's ``--kb`` files."""
    analyzer = ArticleAnalyzer(kb_files or ())
    if kb_files:  # load now: a malformed --kb file must fail before any input is read
        analyzer.kb  # noqa: B018
        gc.freeze()  # see ``ArticleAnalyzer.finder``
    # the shipped KB alone loads on first use: a re-ingest of unchanged input never needs it
    return analyzer


def name_lookup(kb_files: Sequence[str] | None = None) -> NameLookup:
    """Entity id → (Arabic name, English name), from the knowledge base."""
    kb = load_kb([Path(f) for f in kb_files or ()])

    def lookup(entity_id: str) -> tuple[str, str | None] | None:
        e = kb.get(entity_id)
        return (e.name_ar, e.name_en) if e is not None else None

    return lookup
