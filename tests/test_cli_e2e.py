"""The CLI run for real, as a user would: ingest, list, show, stats, export, and score.py on the seeds."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from .conftest import PY, REPO, SEEDS, SHARED, need

pytestmark = pytest.mark.e2e


def marsad(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    p = subprocess.run([PY, "-m", "marsad", *args], cwd=REPO, capture_output=True, text=True, timeout=300)
    if check and p.returncode != 0:
        raise AssertionError(f"marsad {' '.join(args)} → {p.returncode}\n{p.stdout}\n{p.stderr}")
    return p


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "seeds.db"
    out = marsad("ingest", str(need(SEEDS)), "--db", str(db), "--json")
    summary = json.loads(out.stdout)
    assert summary["new"] == 8 and summary["failed"] == 0
    return db


def test_score_on_seeds(seeded: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    marsad("export", "--db", str(seeded), "--format", "jsonl", "-o", str(out))
    res = subprocess.run(
        [PY, str(SHARED / "tools" / "score.py"), str(SEEDS / "gold.json"), str(out), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    figs = json.loads(res.stdout.splitlines()[0])
    assert figs["articles_found"] == "8/8" and figs["extra_articles"] == 0
    for k in ("title_acc", "date_acc", "outlet_acc", "wire_acc", "body_acc"):
        assert figs[k] == 1.0, (k, figs)


def test_reingest_reports_unchanged(seeded: Path) -> None:
    s = json.loads(marsad("ingest", str(SEEDS), "--db", str(seeded), "--json").stdout)
    assert s["unchanged"] == 8 and s["new"] == 0


def test_listing_show_stats_csv(seeded: Path, tmp_path: Path) -> None:
    rows = [json.loads(x) for x in marsad("articles", "--db", str(seeded), "--json").stdout.splitlines()]
    assert len(rows) == 8
    dated = [
        json.loads(x)
        for x in marsad(
            "articles", "--db", str(seeded), "--json", "--since", "2025-01-01", "--outlet", "سكاي نيوز عربية"
        ).stdout.splitlines()
    ]
    assert [r["outlet"] for r in dated] == ["سكاي نيوز عربية"]
    shown = json.loads(marsad("show", rows[0]["id"][:10], "--db", str(seeded), "--json").stdout)
    assert shown["id"] == rows[0]["id"] and shown["text"] and shown["raw"]
    stats = json.loads(marsad("stats", "--db", str(seeded), "--json").stdout)
    assert stats["articles"] == 8 and stats["parts"] == 3
    csv_out = tmp_path / "a.csv"
    marsad("export", "--db", str(seeded), "--format", "csv", "-o", str(csv_out))
    assert csv_out.read_text(encoding="utf-8").count("\n") >= 9


def test_errors_are_one_line_with_exit_codes(seeded: Path, tmp_path: Path) -> None:
    p = marsad("show", "nope", "--db", str(seeded), check=False)
    assert p.returncode == 2 and "nope: no such article" in p.stderr and "Traceback" not in p.stderr
    p = marsad("articles", "--db", str(tmp_path / "missing.db"), check=False)
    assert p.returncode == 2 and "no such store" in p.stderr and "Traceback" not in p.stderr
    p = marsad("articles", "--db", str(seeded), "--since", "yesterday", check=False)
    assert p.returncode == 2 and "not a date" in p.stderr
    bad = tmp_path / "bad.json"
    bad.write_text("{oops", encoding="utf-8")
    p = marsad("ingest", str(bad), str(SEEDS / "000_40a2a935c9078024.txt"), "--db", str(seeded), check=False)
    assert p.returncode == 1 and "bad.json" in p.stderr and "malformed JSON" in p.stderr
    assert "Traceback" not in p.stderr


def test_python_m_and_console_script_agree() -> None:
    assert "ingest" in marsad("--help").stdout


def test_who_said_what_commands(seeded: Path, tmp_path: Path) -> None:
    rows = [
        json.loads(x)
        for x in marsad(
            "quotes", "--db", str(seeded), "--speaker", "ديميتري بيسكوف", "--json", "--limit", "100"
        ).stdout.splitlines()
    ]
    assert len(rows) >= 10 and all(r["speaker"]["name_en"] == "Dmitry Peskov" for r in rows)
    denials = [
        json.loads(x)
        for x in marsad("quotes", "--db", str(seeded), "--stance", "denial", "--json").stdout.splitlines()
    ]
    assert denials and all(r["stance"] == "denial" for r in denials)
    prof = json.loads(marsad("entity", "بيسكوف", "--db", str(seeded), "--json").stdout)
    assert prof["name_en"] == "Dmitry Peskov" and prof["articles"] >= 4 and prof["roles"]
    assert [q["said_on"] or q["published"] for q in prof["quotes"] if q["published"]] == sorted(
        q["said_on"] or q["published"] for q in prof["quotes"] if q["published"]
    )
    assert json.loads(marsad("entity", "Peskov", "--db", str(seeded), "--json").stdout)["id"] == prof["id"]
    ents = [
        json.loads(x)
        for x in marsad("entities", "--db", str(seeded), "--json", "--type", "person").stdout.splitlines()
    ]
    assert {"Vladimir Putin", "Donald Trump"} <= {e["name_en"] for e in ents}
    p = marsad("entity", "شخص غير موجود إطلاقا", "--db", str(seeded), check=False)
    assert p.returncode == 2 and "no such" in p.stderr and "Traceback" not in p.stderr
    bad_kb = tmp_path / "kb.yaml"
    bad_kb.write_text("entities:\n  - id: person:x\n    type: alien\n", encoding="utf-8")
    p = marsad("ingest", str(SEEDS), "--db", str(tmp_path / "k.db"), "--kb", str(bad_kb), check=False)
    assert p.returncode == 2 and "kb.yaml" in p.stderr and "Traceback" not in p.stderr
    assert (
        not (tmp_path / "k.db").exists()
        or json.loads(marsad("stats", "--db", str(tmp_path / "k.db"), "--json").stdout)["articles"] == 0
    )


def test_story_commands(seeded: Path, tmp_path: Path) -> None:
    rows = [json.loads(x) for x in marsad("stories", "--db", str(seeded), "--json").stdout.splitlines()]
    assert len(rows) == 6 and sum(r["size"] for r in rows) == 8
    big = [
        json.loads(x)
        for x in marsad("stories", "--db", str(seeded), "--json", "--min-size", "2").stdout.splitlines()
    ]
    assert len(big) == 2
    one = json.loads(marsad("story", big[0]["id"], "--db", str(seeded), "--json").stdout)
    assert len(one["timeline"]) == 2 and one["summary"]
    lines = [json.loads(x) for x in marsad("storylines", "--db", str(seeded), "--json").stdout.splitlines()]
    assert len(lines) == 1 and lines[0]["stories"] == 6
    out = tmp_path / "s.jsonl"
    marsad("export", "--db", str(seeded), "-o", str(out))
    res = subprocess.run(
        [PY, str(SHARED / "tools" / "score.py"), str(SEEDS / "gold.json"), str(out), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    figs = json.loads(res.stdout.splitlines()[0])
    assert figs["stories_bcubed_P_R_F1"][2] == 1.0
    assert figs["persons_P_R_F1"][2] >= 0.9 and figs["quotes_attributed_P_R_F1"][2] >= 0.85
    p = marsad("story", "st-nope", "--db", str(seeded), check=False)
    assert p.returncode == 2 and "no such story" in p.stderr
