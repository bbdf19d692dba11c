"""No control character from a news item reaches the user's terminal, from any command, and stored text
holds none: ESC sequences (colours, clearing the screen, setting the window title), BEL and C1 controls in
titles, bodies, outlets, authors, tags and even file names are stripped from what is stored and made
visible (``\\x1b``) in what is printed. Runs the real CLI; its output is not a terminal, so Rich adds no
styling codes of its own and any control character found came from the data."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e  # runs the CLI in subprocesses

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
ESC = "\x1b"
HOSTILE = f"{ESC}[31m{ESC}]0;pwned\x07{ESC}[2J\x9b31m\x07"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "marsad", *args], capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("hostile")
    inputs = d / "in"
    inputs.mkdir()
    record = {
        "title": f"عنوان {HOSTILE} الخبر",
        "text": f"قال المتحدث باسم الكرملين دميتري بيسكوف إن {HOSTILE} هذه التقارير غير صحيحة على الإطلاق.",
        "source": f"وكالة {HOSTILE}سبوتنيك",
        "author": f"كاتب{HOSTILE}",
        "tags": [f"وسم{HOSTILE}"],
        "date": "2025-09-05",
        "url": f"https://example.com/{HOSTILE}",
    }
    (inputs / "a.json").write_text(json.dumps([record], ensure_ascii=False), encoding="utf-8")
    (inputs / f"b{ESC}[31m.txt").write_text(
        f"خبر{HOSTILE} عادي\nقال الرئيس الروسي فلاديمير بوتين إن {HOSTILE} الاجتماع انتهى بنجاح.\n"
        + "وأضاف أن المحادثات ستستمر في الأسابيع المقبلة بين الجانبين. " * 20,  # few controls: still text
        encoding="utf-8",
    )
    db = d / "m.db"
    run = _cli("ingest", str(inputs), "--db", str(db))
    assert run.returncode == 0, run.stderr
    assert not CONTROL.search(run.stdout + run.stderr)
    return db, inputs


def test_stored_text_holds_no_control_characters(hostile_store: tuple[Path, Path]) -> None:
    from marsad.store import open_store

    st = open_store(str(hostile_store[0]), readonly=True)
    try:
        arts = list(st.iter_articles())
    finally:
        st.close()
    assert len(arts) == 2
    for a in arts:
        for value in (a.title, a.body, a.outlet, a.author, a.url, *a.tags, *(q.text for q in a.quotes)):
            assert not CONTROL.search(value or ""), (a.id, value)


@pytest.mark.e2e
def test_no_command_prints_a_control_character(hostile_store: tuple[Path, Path]) -> None:
    db, inputs = hostile_store
    ids = [json.loads(line)["id"] for line in _cli("articles", "--db", str(db), "--json").stdout.splitlines()]
    story = json.loads(_cli("stories", "--db", str(db), "--json").stdout.splitlines()[0])["id"]
    commands: list[list[str]] = [
        ["articles"],
        ["stats"],
        ["quotes"],
        ["quotes", "--speaker", "بيسكوف"],
        ["entities"],
        ["entity", "بيسكوف"],
        ["stories"],
        ["story", story],
        ["storylines"],
        ["search", "الخبر"],
        ["search", "بيسكوف", "--kind", "quotes"],
        ["export", "--format", "csv"],
        ["export", "--format", "jsonl"],
        *[["show", i] for i in ids],
    ]
    for cmd in commands:
        for extra in ([], ["--json"]) if cmd[0] not in ("export", "storylines") else ([],):
            out = _cli(*cmd, "--db", str(db), *extra)
            assert out.returncode == 0, (cmd, extra, out.stderr)
            found = CONTROL.search(out.stdout + out.stderr)
            assert found is None, (cmd, extra, repr(found.group()) if found else None)
    # messages that name hostile paths: a missing file, and the folder whose file name holds ESC
    for cmd in (["ingest", str(inputs / f"missing{ESC}[31m.txt")], ["ingest", str(inputs)]):
        out = _cli(*cmd, "--db", str(db))
        assert not CONTROL.search(out.stdout + out.stderr), (cmd, out.stdout, out.stderr)
    missing = _cli("ingest", str(inputs / f"missing{ESC}[31m.txt"), "--db", str(db))
    assert "\\x1b" in missing.stderr  # made visible, not dropped: the user can still tell which file
