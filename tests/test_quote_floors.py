"""The quote floors (bench/devsets/quote_floors.json): they only move up, and the end-to-end figures of
bench/eval_quotes.py stay on or above the last entry. The in-process seed figure is checked by
tests/test_quotes.py::test_seed_attributed_quotes_f1 against the same file."""

from __future__ import annotations

import json
import subprocess
import sys
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from .conftest import DATA, SEEDS, need

REPO = Path(__file__).resolve().parents[1]
DEVSETS = REPO / "bench" / "devsets"
FLOORS = DEVSETS / "quote_floors.json"
# the sets whose labelled articles may change (the seeds are fixed): a floor entry that names one of them
# in ``set_changed`` re-bases that set's floors at the values measured on the new set, and may lower them
REBASABLE = {"dev": DEVSETS / "quotes_dev.jsonl", "heldout": DEVSETS / "quotes_heldout.jsonl"}


def floor_entries() -> list[dict[str, Any]]:
    data = json.loads(FLOORS.read_text(encoding="utf-8"))
    return list(data["history"])


def floor_history() -> list[dict[str, float]]:
    return [entry["floors"] for entry in floor_entries()]


def current_floors() -> dict[str, float]:
    return floor_history()[-1]


def test_floors_only_move_up() -> None:
    entries = floor_entries()
    assert entries, "quote_floors.json has no entry"
    for prev, entry in pairwise(entries):
        before, after = prev["floors"], entry["floors"]
        assert set(before) <= set(after), f"a floor was dropped: {sorted(set(before) - set(after))}"
        # a set that changed (more or other labelled articles) is re-based: its floors may move down
        # (and its degraded copy, the same articles as scraped pages)
        rebased = tuple(
            f"{name}{copy}." for name in entry.get("set_changed", []) for copy in ("", "_degraded")
        )
        lowered = {
            k: (before[k], after[k]) for k in before if after[k] < before[k] and not k.startswith(rebased)
        }
        assert not lowered, f"floors lowered: {lowered}"
    assert all(0.0 <= v <= 1.0 for v in entries[-1]["floors"].values())


def _articles(path: Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def test_a_rebase_names_a_changed_set() -> None:
    """Only the dev and held-out sets may be re-based; an entry that does so says why and records their
    sizes, and the last recorded size is the current one, so adding articles without re-measuring is caught."""
    sizes: dict[str, int] = {}
    for entry in floor_entries():
        changed = entry.get("set_changed", [])
        assert set(changed) <= set(REBASABLE), f"only {sorted(REBASABLE)} may be re-based: {changed}"
        for name in changed:
            recorded = entry.get("articles", {}).get(name)
            assert isinstance(recorded, int), f"a re-basing of {name} must record its article count"
            assert entry.get("why"), "a re-basing says why"
        sizes.update(entry.get("articles", {}))
    for name, n in sizes.items():
        assert _articles(REBASABLE[name]) == n, (
            f"{name} has {_articles(REBASABLE[name])} articles, floors say {n}"
        )


def _figure(report: dict[str, Any], key: str) -> float:
    name, _, fig = key.partition(".")
    figs = report[name]
    if fig == "attributed_recall":
        return float(figs["quotes_attributed_P_R_F1"][1])
    if fig == "attributed_f1":
        return float(figs["quotes_attributed_P_R_F1"][2])
    if fig == "persons_f1":
        return float(figs["persons_P_R_F1"][2])
    return float(figs[fig])


@pytest.mark.data
@pytest.mark.e2e
@pytest.mark.slow
def test_end_to_end_figures_meet_the_floors(tmp_path: Path) -> None:
    need(SEEDS)
    need(DATA)
    out = tmp_path / "figs.json"
    floors = {k: v for k, v in current_floors().items() if not k.startswith("seeds_unit.")}
    # the degraded copies of dev and held-out are scored only when a floor names them
    degrade = ["--degrade"] if any(k.partition(".")[0].endswith("_degraded") for k in floors) else []
    subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "eval_quotes.py"),
            "--json",
            str(out),
            "--keep",
            str(tmp_path),
            *degrade,
        ],
        check=True,
        capture_output=True,
    )
    report = json.loads(out.read_text(encoding="utf-8"))
    below = {k: (_figure(report, k), v) for k, v in floors.items() if _figure(report, k) < v}
    assert not below, f"below the floor (measured, floor): {below}"
