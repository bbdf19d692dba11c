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
FLOORS = REPO / "bench" / "devsets" / "quote_floors.json"


def floor_history() -> list[dict[str, float]]:
    data = json.loads(FLOORS.read_text(encoding="utf-8"))
    return [entry["floors"] for entry in data["history"]]


def current_floors() -> dict[str, float]:
    return floor_history()[-1]


def test_floors_only_move_up() -> None:
    history = floor_history()
    assert history, "quote_floors.json has no entry"
    for before, after in pairwise(history):
        assert set(before) <= set(after), f"a floor was dropped: {sorted(set(before) - set(after))}"
        lowered = {k: (before[k], after[k]) for k in before if after[k] < before[k]}
        assert not lowered, f"floors lowered: {lowered}"
    assert all(0.0 <= v <= 1.0 for v in history[-1].values())


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
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "eval_quotes.py"), "--json", str(out), "--keep", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    report = json.loads(out.read_text(encoding="utf-8"))
    floors = {k: v for k, v in current_floors().items() if not k.startswith("seeds_unit.")}
    below = {k: (_figure(report, k), v) for k, v in floors.items() if _figure(report, k) < v}
    assert not below, f"below the floor (measured, floor): {below}"
