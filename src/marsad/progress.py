"""How long stages report progress without knowing who listens (the CLI draws it; tests ignore it).

A caller passes a :class:`StageProgress`; a stage asks it for a counter (``advance = progress.stage("stories",
total)``) and calls ``advance(n)`` as it goes. ``None`` everywhere means nobody listens.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

Advance = Callable[[int], None]


class StageProgress(Protocol):
    def stage(self, label: str, total: int | None) -> Advance:
        """A counter for one stage of ``total`` units (None: not known in advance)."""
        ...


def stage_counter(progress: StageProgress | None, label: str, total: int | None) -> Advance:
    """``progress.stage(...)``, or a counter that does nothing."""
    return progress.stage(label, total) if progress is not None else _ignore


def _ignore(n: int) -> None:
    pass
