"""Composition of the per-article analysis stages (entities, quotes) after parsing.

An :data:`Analyzer` takes a parsed Article and returns it with ``mentions`` and ``quotes`` filled.
:func:`build_analyzer` is the one place that loads the knowledge base and models and wires the stages,
so workers and the CLI load them once, not per article.
"""

from __future__ import annotations

from collections.abc import Callable

from marsad.model import Article

Analyzer = Callable[[Article], Article]


NameLookup = Callable[[str], tuple[str, str | None] | None]


def build_analyzer(kb_files: list[str] | None = None) -> Analyzer | None:
    """The entity + quote analysis, or None while those stages are not installed."""
    return None


def name_lookup(kb_files: list[str] | None = None) -> NameLookup | None:
    """Entity id → (Arabic name, English name), from the knowledge base."""
    return None
