"""The story stage's saved state, as rows: what a run loads and which rows a chunk of it changed.

The state used to be one JSON value re-written on every run (29 MB at 30k articles, hundreds of MB at the
storyline cap). It is now a row per active story (``story``, with its creation order ``seq``: the
clusterer sweeps stories in that order), per storyline (``line``, sorted by last activity), per storyline
posting key (``post``) and per document frequency (``df``), plus one small value for the rest (parameters,
clocks, counters, repair queue). Storylines and their posting keys are read when a closing story needs
them (only ids and last activities up front), so a run's fixed cost does not grow with the storylines
kept; once a chunk's rows are written (:meth:`StageState.saved`) the linker forgets all but the
``LINES_HELD`` / ``KEYS_HELD`` most recently used of them, so neither does its memory (a storyline is
about 20 KB in memory: 100,000 of them would be 2 GB). A chunk writes the rows it changed, in the
transaction that writes its assignments, so a killed run leaves state and assignments agreeing.

Restoring goes through the clusterer's own ``from_state`` (the rows are its state cut in pieces), so the
stream continues exactly as one long run would.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from marsad.cluster import StoryClusterer, StorylineLinker, StorySnapshot
from marsad.store.base import Store
from marsad.store.schema import STORY_META

Row = tuple[str, str, str | None, float | None]
LINES_HELD = 3000  # storylines kept in memory between chunks (~60 MB), the most recently used
KEYS_HELD = 30_000  # storyline posting keys likewise (~13 MB)


def _dumps(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))


class _Rows:
    """Saved storylines and posting keys, read when the linker needs them."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def lines(self, ids: list[str]) -> Iterable[str]:
        return [v for _, v in self.store.get_state_rows("line", ids)]

    def posts(self, keys: list[str]) -> Iterable[tuple[str, str]]:
        return self.store.get_state_rows("post", keys)

    def all_posts(self) -> Iterable[tuple[str, str]]:
        return self.store.iter_state_rows("post")


@dataclass
class StageState:
    clus: StoryClusterer
    linker: StorylineLinker
    seq: dict[str, int] = field(default_factory=dict)  # active story -> creation order
    next_seq: int = 0
    fresh: bool = True  # nothing saved yet: the first save writes every document frequency

    @classmethod
    def load(cls, store: Store) -> StageState:
        raw = store.get_state(STORY_META)
        if raw is None:
            return cls(StoryClusterer(), StorylineLinker(source=_Rows(store)))
        meta = json.loads(raw)
        stories = sorted((json.loads(v) for _, v in store.iter_state_rows("story")), key=lambda d: d["seq"])
        cstate = dict(meta["clusterer"])
        cstate["stories"] = stories
        cstate["stats"] = {**cstate["stats"], "df": dict(store.iter_state_rows("df"))}
        clus = StoryClusterer.from_state(cstate)
        linker = StorylineLinker.lazy(meta["linker"], store.iter_state_sorts("line"), _Rows(store))
        seq = {d["id"]: int(d["seq"]) for d in stories}
        return cls(clus, linker, seq, int(meta.get("next_seq", len(stories))), fresh=False)

    def changes(self, stories: Iterable[str]) -> tuple[list[Row], list[str], str]:
        """(rows to write, kinds to clear first, the meta value) for what changed since the last call;
        ``stories`` are the ids of every story touched, closed or merged away since then."""
        active = {s.id: s for s in self.clus.active_stories()}
        for sid in active:  # in creation order: the order the clusterer keeps them in
            if sid not in self.seq:
                self.seq[sid] = self.next_seq
                self.next_seq += 1
        rows: list[Row] = []
        for sid in dict.fromkeys(stories):
            snap = active.get(sid)
            if snap is None:
                self.seq.pop(sid, None)
                rows.append(("story", sid, None, None))
            else:
                rows.append(("story", sid, _dumps({"seq": self.seq[sid], **snap.to_json()}), None))
        lines, keys = self.linker.take_changes()
        for lid in lines:
            value, last = self.linker.line_row(lid)
            rows.append(("line", lid, value, last))
        rows.extend(("post", k, self.linker.posting_row(k), None) for k in keys)
        stats = self.clus.stats
        pruned, counted = stats.take_changes()
        cleared: list[str] = []
        if pruned or self.fresh:
            cleared.append("df")
            counted = set(stats.df)
        df = stats.df
        rows.extend(("df", k, str(df[k]), None) for k in sorted(counted) if k in df)
        self.fresh = False
        return rows, cleared, _dumps(self._meta(active))

    def saved(self) -> None:
        """The rows of the last ``changes`` are written: what the linker holds beyond its recent working
        set can be read back from them."""
        self.linker.release(LINES_HELD, KEYS_HELD)

    def _meta(self, active: dict[str, StorySnapshot]) -> dict[str, Any]:
        clus = self.clus
        stories, df = clus._stories, clus.stats.df  # cut out what the rows hold, keep every other field
        clus._stories, clus.stats.df = {}, {}
        try:
            cstate = clus.to_state()
        finally:
            clus._stories, clus.stats.df = stories, df
        # aliases only resolve ids touched within a run; keep those still pointing at an open story
        cstate["aliases"] = {a: t for a, t in cstate["aliases"].items() if clus.resolve(a) in active}
        return {"clusterer": cstate, "linker": self.linker.meta(), "next_seq": self.next_seq}
