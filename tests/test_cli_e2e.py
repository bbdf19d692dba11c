"""The CLI run for real, as a user would: ingest, list, show, stats, export, search, serve, and score.py
on the seeds — every test on both store backends (SQLite, and PostgreSQL when MARSAD_TEST_PG_URL is set)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import PY, REPO, SEEDS, SHARED, need, store_url

pytestmark = pytest.mark.e2e

# what `marsad` says about a store that is not there, per backend
MISSING = {"sqlite": "no such store", "postgres": "no Marsad store"}


def marsad(
    *args: str, check: bool = True, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    p = subprocess.run(
        [PY, "-m", "marsad", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        # a narrow terminal, as on CI, so messages that Rich would wrap show up here too
        env=os.environ | {"COLUMNS": "60", "MARSAD_PROGRESS_EVERY": "3600"} | (env or {}),
    )
    if check and p.returncode != 0:
        raise AssertionError(f"marsad {' '.join(args)} → {p.returncode}\n{p.stdout}\n{p.stderr}")
    return p


@pytest.fixture(scope="module")
def seeded(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The seeds ingested through the CLI into a fresh store of ``backend``: its --db value."""
    with store_url(backend, tmp_path_factory.mktemp(f"cli-{backend}"), "seeds") as db:
        out = marsad("ingest", str(need(SEEDS)), "--db", db, "--json")
        summary = json.loads(out.stdout)
        assert summary["new"] == 8 and summary["failed"] == 0
        yield db


def test_score_on_seeds(seeded: str, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    marsad("export", "--db", seeded, "--format", "jsonl", "-o", str(out))
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


def test_reingest_reports_unchanged(seeded: str) -> None:
    s = json.loads(marsad("ingest", str(SEEDS), "--db", seeded, "--json").stdout)
    assert s["unchanged"] == 8 and s["new"] == 0


def test_listing_show_stats_csv(seeded: str, tmp_path: Path) -> None:
    rows = [json.loads(x) for x in marsad("articles", "--db", seeded, "--json").stdout.splitlines()]
    assert len(rows) == 8
    dated = [
        json.loads(x)
        for x in marsad(
            "articles", "--db", seeded, "--json", "--since", "2025-01-01", "--outlet", "سكاي نيوز عربية"
        ).stdout.splitlines()
    ]
    assert [r["outlet"] for r in dated] == ["سكاي نيوز عربية"]
    shown = json.loads(marsad("show", rows[0]["id"][:10], "--db", seeded, "--json").stdout)
    assert shown["id"] == rows[0]["id"] and shown["text"] and shown["raw"]
    stats = json.loads(marsad("stats", "--db", seeded, "--json").stdout)
    assert stats["articles"] == 8 and stats["parts"] == 3
    csv_out = tmp_path / "a.csv"
    marsad("export", "--db", seeded, "--format", "csv", "-o", str(csv_out))
    assert csv_out.read_text(encoding="utf-8").count("\n") >= 9


def _articles_in(db: str) -> int | None:
    """Articles in the store ``db``; None when there is no store there."""
    p = marsad("stats", "--db", db, "--json", check=False)
    if p.returncode == 2 and any(m in p.stderr for m in MISSING.values()):
        return None
    assert p.returncode == 0, p.stderr
    return int(json.loads(p.stdout)["articles"])


def test_errors_are_one_line_with_exit_codes(seeded: str, backend: str, tmp_path: Path) -> None:
    p = marsad("show", "nope", "--db", seeded, check=False)
    assert p.returncode == 2 and "nope: no such article" in p.stderr and "Traceback" not in p.stderr
    with store_url(backend, tmp_path, "missing") as missing:
        for cmd in (["articles"], ["search", "بوتين"], ["serve", "--port", str(_free_port())]):
            p = marsad(*cmd, "--db", missing, check=False)
            assert p.returncode == 2 and MISSING[backend] in p.stderr, (cmd, p.stderr)
            assert "Traceback" not in p.stderr and len(p.stderr.strip().splitlines()) == 1
    p = marsad("articles", "--db", seeded, "--since", "yesterday", check=False)
    assert p.returncode == 2 and "not a date" in p.stderr
    bad = tmp_path / "bad.json"
    bad.write_text("{oops", encoding="utf-8")
    p = marsad("ingest", str(bad), str(SEEDS / "000_40a2a935c9078024.txt"), "--db", seeded, check=False)
    assert p.returncode == 1 and "bad.json" in p.stderr and "malformed JSON" in p.stderr
    assert "Traceback" not in p.stderr


def test_python_m_and_console_script_agree() -> None:
    assert "ingest" in marsad("--help").stdout


def test_who_said_what_commands(seeded: str, backend: str, tmp_path: Path) -> None:
    rows = [
        json.loads(x)
        for x in marsad(
            "quotes", "--db", seeded, "--speaker", "ديميتري بيسكوف", "--json", "--limit", "100"
        ).stdout.splitlines()
    ]
    assert len(rows) >= 10 and all(r["speaker"]["name_en"] == "Dmitry Peskov" for r in rows)
    denials = [
        json.loads(x)
        for x in marsad("quotes", "--db", seeded, "--stance", "denial", "--json").stdout.splitlines()
    ]
    assert denials and all(r["stance"] == "denial" for r in denials)
    prof = json.loads(marsad("entity", "بيسكوف", "--db", seeded, "--json").stdout)
    assert prof["name_en"] == "Dmitry Peskov" and prof["articles"] >= 4 and prof["roles"]
    assert [q["said_on"] or q["published"] for q in prof["quotes"] if q["published"]] == sorted(
        q["said_on"] or q["published"] for q in prof["quotes"] if q["published"]
    )
    assert json.loads(marsad("entity", "Peskov", "--db", seeded, "--json").stdout)["id"] == prof["id"]
    ents = [
        json.loads(x)
        for x in marsad("entities", "--db", seeded, "--json", "--type", "person").stdout.splitlines()
    ]
    assert {"Vladimir Putin", "Donald Trump"} <= {e["name_en"] for e in ents}
    p = marsad("entity", "شخص غير موجود إطلاقا", "--db", seeded, check=False)
    assert p.returncode == 2 and "no such" in p.stderr and "Traceback" not in p.stderr
    bad_kb = tmp_path / "kb.yaml"
    bad_kb.write_text("entities:\n  - id: person:x\n    type: alien\n", encoding="utf-8")
    with store_url(backend, tmp_path, "k") as other:
        p = marsad("ingest", str(SEEDS), "--db", other, "--kb", str(bad_kb), check=False)
        assert p.returncode == 2 and "kb.yaml" in p.stderr and "Traceback" not in p.stderr
        assert _articles_in(other) in (None, 0)


def test_brief_tells_what_was_found(seeded: str) -> None:
    out = json.loads(marsad("brief", "--db", seeded, "--json").stdout)
    assert out["stats"]["articles"] == 8 and out["stories"]
    sizes = [s["size"] for s in out["stories"]]
    assert sizes == sorted(sizes, reverse=True)
    said = {sq["speaker"]["name_en"]: sq["quotes"] for sq in out["speakers"]}
    assert "Dmitry Peskov" in said and all(
        q["speaker"]["name_en"] == "Dmitry Peskov" for q in said["Dmitry Peskov"]
    )
    assert out["denial_total"] >= len(out["denials"]) > 0
    assert all(q["stance"] == "denial" for q in out["denials"])
    text = marsad("brief", "--db", seeded).stdout
    assert "Largest stories" in text and "Who said what" in text and "دميتري بيسكوف" in text
    assert f"Denials ({out['denial_total']})" in text


def test_story_commands(seeded: str, tmp_path: Path) -> None:
    rows = [json.loads(x) for x in marsad("stories", "--db", seeded, "--json").stdout.splitlines()]
    assert len(rows) == 6 and sum(r["size"] for r in rows) == 8
    big = [
        json.loads(x)
        for x in marsad("stories", "--db", seeded, "--json", "--min-size", "2").stdout.splitlines()
    ]
    assert len(big) == 2
    one = json.loads(marsad("story", big[0]["id"], "--db", seeded, "--json").stdout)
    assert len(one["timeline"]) == 2 and one["summary"]
    lines = [json.loads(x) for x in marsad("storylines", "--db", seeded, "--json").stdout.splitlines()]
    assert len(lines) == 1 and lines[0]["stories"] == 6
    out = tmp_path / "s.jsonl"
    marsad("export", "--db", seeded, "-o", str(out))
    res = subprocess.run(
        [PY, str(SHARED / "tools" / "score.py"), str(SEEDS / "gold.json"), str(out), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    figs = json.loads(res.stdout.splitlines()[0])
    assert figs["stories_bcubed_P_R_F1"][2] == 1.0
    assert figs["persons_P_R_F1"][2] >= 0.9 and figs["quotes_attributed_P_R_F1"][2] >= 0.85
    p = marsad("story", "st-nope", "--db", seeded, check=False)
    assert p.returncode == 2 and "no such story" in p.stderr


# ---- search, reindex, serve --------------------------------------------------------------------------


def _index_of(db: str) -> Path:
    """Where the store ``db`` keeps its search index (asked of the store itself)."""
    from marsad.store import open_store

    st = open_store(db, readonly=True)
    try:
        return st.index_path
    finally:
        st.close()


def _rows(p: subprocess.CompletedProcess[str]) -> list[dict[str, object]]:
    return [json.loads(x) for x in p.stdout.splitlines()]


def test_search_and_reindex(seeded: str) -> None:
    """`ingest` left the index up to date (no build on the first search), results are the same before and
    after `reindex`, and quotes are found by their speaker."""
    first = marsad(
        "search", "الرئيس الأمريكي", "--db", seeded, "--kind", "articles", "--json", "--limit", "5"
    )
    assert "building" not in first.stderr, "ingest must leave the index in sync"
    rows = _rows(first)
    assert rows and len(rows) <= 5 and all(r["kind"] == "article" for r in rows)
    assert any("<mark>" in str(r["snippet_html"]) for r in rows)
    quotes = _rows(marsad("search", "بيسكوف", "--db", seeded, "--kind", "quotes", "--json", "--limit", "50"))
    assert any(
        isinstance(r["quote"], dict)
        and isinstance(r["quote"]["speaker"], dict)
        and r["quote"]["speaker"]["entity_id"] == "person:dmitry-peskov"
        for r in quotes
    )
    out = marsad("reindex", "--db", seeded)
    path = _index_of(seeded)
    assert f"indexed 8 articles into {path}" in out.stdout and (path / "marsad-sync.json").is_file()
    again = marsad(
        "search", "الرئيس الأمريكي", "--db", seeded, "--kind", "articles", "--json", "--limit", "5"
    )
    assert [r["article_id"] for r in _rows(again)] == [r["article_id"] for r in rows]
    text = marsad("search", "بوتين", "--db", seeded).stdout
    assert "results · page 1/" in text
    p = marsad("search", "بوتين", "--db", seeded, "--kind", "videos", check=False)
    assert p.returncode == 2 and "Traceback" not in p.stderr


def test_ingest_keeps_the_index_in_sync(backend: str, tmp_path: Path) -> None:
    """Articles ingested later are found at once; a deleted index is rebuilt by the next search."""
    seeds = sorted(need(SEEDS).glob("*.txt"))
    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir()
    later.mkdir()
    for p in seeds[:3]:
        (first / p.name).write_bytes(p.read_bytes())
    for p in seeds[3:]:
        (later / p.name).write_bytes(p.read_bytes())
    with store_url(backend, tmp_path, "sync") as db:
        marsad("ingest", str(first), "--db", db, "--no-analyze")
        before = {
            r["article_id"] for r in _rows(marsad("search", "", "--db", db, "--json", "--limit", "100"))
        }
        marsad("ingest", str(later), "--db", db, "--no-analyze")
        p = marsad("search", "", "--db", db, "--json", "--limit", "100", "--kind", "articles")
        after = {r["article_id"] for r in _rows(p)}
        assert "building" not in p.stderr and before < after
        assert len(after) == _articles_in(db)
        import shutil

        shutil.rmtree(_index_of(db))
        p = marsad("search", "", "--db", db, "--json", "--limit", "100", "--kind", "articles")
        assert "building the search index" in p.stderr and {r["article_id"] for r in _rows(p)} == after


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return int(r.status), r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return int(e.code), e.read().decode("utf-8")


@pytest.fixture(scope="module")
def served(seeded: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`marsad serve` as a subprocess on a free port over the seeded store: its base URL."""
    port = _free_port()
    log_path = tmp_path_factory.mktemp("serve") / "serve.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [PY, "-m", "marsad", "serve", "--db", seeded, "--port", str(port)],
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=os.environ | {"PYTHONUNBUFFERED": "1"},
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"marsad serve exited with {proc.returncode}: {log_path.read_text()}")
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        pytest.fail(f"marsad serve did not start within 60 s: {log_path.read_text()}")
                    time.sleep(0.2)
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    assert "Marsad on http://127.0.0.1:" in log_path.read_text()


def test_serve_api_and_pages(served: str) -> None:
    from urllib.parse import quote

    status, body = _get(f"{served}/api/stats")
    stats = json.loads(body)
    assert status == 200 and stats["articles"] == 8 and stats["index"]["articles"] == 8
    status, body = _get(f"{served}/api/search?q={quote('بوتين')}&kind=articles&limit=3")
    found = json.loads(body)
    assert status == 200 and found["total"] >= 3 and len(found["items"]) == 3
    assert all("<mark>" in i["snippet_html"] + i["title_html"] for i in found["items"])
    status, body = _get(f"{served}/api/search?kind=videos")
    assert status == 422 and json.loads(body)["error"]
    status, page = _get(f"{served}/search?q={quote('بيسكوف')}")
    assert status == 200 and '<html dir="rtl" lang="ar">' in page and "<mark>" in page
    status, home = _get(f"{served}/")
    assert status == 200 and '<html dir="rtl" lang="ar">' in home
    article = found["items"][0]["article_id"]
    status, page = _get(f"{served}/articles/{article}")
    assert status == 200 and '<html dir="rtl" lang="ar">' in page


def test_serve_on_a_busy_port_says_so(seeded: str) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        t0 = time.monotonic()
        p = marsad("serve", "--db", seeded, "--port", str(port), check=False)
    assert p.returncode == 2
    assert p.stderr == f"marsad: 127.0.0.1:{port}: port already in use (try --port N)\n"
    assert "http://" not in p.stdout + p.stderr and time.monotonic() - t0 < 30
