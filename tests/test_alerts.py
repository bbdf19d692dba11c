"""Alerts: rules evaluated over what each round wrote, delivered as Atom, JSON Lines and a webhook.

The articles are written here (a speaker's denial in the shape the quote rules read), never seeds.
"""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from marsad import service
from marsad.alerts import RuleError, make_rule, run_alerts
from marsad.alerts.deliver import WebhookPolicy
from marsad.entities import load_kb
from marsad.errors import NotFound
from marsad.store import Store, open_store

from .conftest import PY, REPO, store_url

ATOM = "{http://www.w3.org/2005/Atom}"

DENIAL = """لافروف ينفي خطط نقل القوات
تاريخ النشر: 13th, March 2026 GMT
ونفى لافروف في مؤتمر صحفي أن تكون موسكو "تخطط لأي تصعيد عسكري على الحدود الغربية".
وتابع الوزير أن الاتصالات مع الشركاء مستمرة.
المصدر: روسيا اليوم
"""
SECOND_DENIAL = """موسكو تنفي من جديد
تاريخ النشر: 15th, March 2026 GMT
ونفى سيرغي لافروف أن تكون بلاده "أرسلت مستشارين عسكريين إلى المنطقة".
"""
STATEMENT = """لافروف يتحدث عن الحوار
تاريخ النشر: 14th, March 2026 GMT
وقال لافروف للصحفيين إن "الحوار مع الشركاء في المنطقة مستمر".
المصدر: سبوتنيك
"""


class Receiver:
    """A webhook on 127.0.0.1 that records each POST; ``fail`` answers 503 instead."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, object]] = []
        self.fail = False
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                n = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(n)
                if outer.fail:
                    self.send_response(503)
                else:
                    outer.bodies.append(json.loads(body.decode("utf-8")))
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


def _write(folder: Path, name: str, text: str) -> Path:
    p = folder / name
    p.write_text(text, encoding="utf-8")
    return p


def _ingest(store: Store, path: Path) -> service.IngestReport:
    from marsad.pipeline import build_analyzer

    report = service.ingest([str(path)], store, analyzer=build_analyzer())
    service.after_ingest(store, report)
    return report


def _feed_entries(db: str, name: str) -> list[ET.Element]:
    from marsad.web.app import create_app

    res = TestClient(create_app(db)).get(f"/alerts/{name}.atom")
    assert res.status_code == 200 and res.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(res.content)
    assert root.tag == f"{ATOM}feed" and root.get("{http://www.w3.org/XML/1998/namespace}lang") == "ar"
    for tag in ("id", "title", "updated", "author"):  # what RFC 4287 requires of a feed
        assert root.find(f"{ATOM}{tag}") is not None
    entries = root.findall(f"{ATOM}entry")
    for e in entries:
        for tag in ("id", "title", "updated"):
            assert (e.findtext(f"{ATOM}{tag}") or "").strip()
    return entries


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


@pytest.mark.slow
def test_a_speaker_denial_fires_once_through_every_channel(
    tmp_path: Path, receiver: Receiver, backend: str
) -> None:
    with store_url(backend, tmp_path, "a") as url:
        _fires_once(tmp_path, receiver, url)


def _fires_once(tmp_path: Path, receiver: Receiver, db: str) -> None:
    store = open_store(db)
    try:
        _ingest(store, _write(tmp_path, "statement.txt", STATEMENT))  # the archive: never alerted on
        rule = make_rule(
            store, load_kb(), "lavrov", speaker="لافروف", stance="denial", webhook=receiver.url,
            jsonl=str(tmp_path / "hits.jsonl"),
        )  # fmt: skip
        store.put_alert_rule(rule)
        rep = _ingest(store, _write(tmp_path, "denial.txt", DENIAL))
        assert rep.warnings == [] and rep.failed == 0
        hits = _lines(tmp_path / "hits.jsonl")
        assert [(h["kind"], h["stance"], h["speaker_id"]) for h in hits] == [
            ("quote", "denial", "person:sergey-lavrov")
        ]
        assert "تصعيد عسكري" in str(hits[0]["text"])
        assert receiver.bodies == hits
        entries = _feed_entries(db, "lavrov")
        assert len(entries) == 1 and "تصعيد عسكري" in (entries[0].findtext(f"{ATOM}title") or "")

        _ingest(store, tmp_path / "denial.txt")  # the same article again: unchanged, nothing new
        _ingest(store, _write(tmp_path, "statement2.txt", STATEMENT.replace("14th", "16th")))  # no denial
        assert len(_lines(tmp_path / "hits.jsonl")) == 1 and len(receiver.bodies) == 1
        assert len(_feed_entries(db, "lavrov")) == 1

        _ingest(store, _write(tmp_path, "denial2.txt", SECOND_DENIAL))  # a new matching quote: once more
        hits = _lines(tmp_path / "hits.jsonl")
        assert len(hits) == 2 and len(receiver.bodies) == 2 and hits[1]["item"] != hits[0]["item"]
        assert len(_feed_entries(db, "lavrov")) == 2
    finally:
        store.close()


def test_a_failed_webhook_is_a_warning_and_is_retried_next_round(
    tmp_path: Path, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    from marsad.alerts import deliver

    monkeypatch.setattr(deliver, "DEFAULT_POLICY", WebhookPolicy(attempts=2, backoff=0.01))
    store = open_store(str(tmp_path / "w.db"))
    try:
        store.put_alert_rule(
            make_rule(
                store,
                load_kb(),
                "deny",
                stance="denial",
                webhook=receiver.url,
                jsonl=str(tmp_path / "d.jsonl"),
            )
        )
        receiver.fail = True
        from marsad.pipeline import build_analyzer

        report = service.ingest([str(_write(tmp_path, "d.txt", DENIAL))], store, analyzer=build_analyzer())
        service.after_ingest(store, report, index=True)
        assert report.failed == 0  # the ingest itself succeeded
        assert any("deny" in m and "503" in m for _, m in report.warnings)
        assert len(_lines(tmp_path / "d.jsonl")) == 1 and receiver.bodies == []
        pending = store.alert_hits("deny", pending="webhook")
        assert len(pending) == 1 and pending[0].attempts == 1

        receiver.fail = False
        run = run_alerts(store, policy=WebhookPolicy(attempts=1, backoff=0.0))  # the next round, nothing new
        assert run.warnings == [] and run.total == 0
        assert len(receiver.bodies) == 1 and receiver.bodies[0]["stance"] == "denial"
        assert len(_lines(tmp_path / "d.jsonl")) == 1  # the file had it already
        run_alerts(store)
        assert len(receiver.bodies) == 1
    finally:
        store.close()


def test_rules_are_checked_when_added(store: Store) -> None:
    kb = load_kb()
    with pytest.raises(RuleError, match="stance"):
        make_rule(store, kb, "x", stance="denials")
    with pytest.raises(RuleError, match="watch for"):
        make_rule(store, kb, "x")
    with pytest.raises(RuleError, match="name"):
        make_rule(store, kb, "a/b", query="غزة")
    with pytest.raises(RuleError, match="http"):
        make_rule(store, kb, "x", query="غزة", webhook="ftp://example.org")
    with pytest.raises(NotFound):
        make_rule(store, kb, "x", speaker="لا أحد بهذا الاسم")
    r = make_rule(store, kb, "peskov", speaker="Peskov")
    assert r.speaker_ids == ("person:dmitry-peskov",)


def test_article_and_story_rules(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "s.db"))
    try:
        kb = load_kb()
        store.put_alert_rule(make_rule(store, kb, "words", query="تصعيد", jsonl=str(tmp_path / "w.jsonl")))
        # a name in any spelling: the English name finds the article that spells it in Arabic
        store.put_alert_rule(make_rule(store, kb, "name", query="Lavrov", jsonl=str(tmp_path / "n.jsonl")))
        store.put_alert_rule(
            make_rule(store, kb, "stories", min_sources=1, entity="لافروف", jsonl=str(tmp_path / "s.jsonl"))
        )
        _ingest(store, _write(tmp_path, "denial.txt", DENIAL))
        _ingest(store, _write(tmp_path, "statement.txt", STATEMENT))
        words = _lines(tmp_path / "w.jsonl")
        assert [w["kind"] for w in words] == ["article"] and words[0]["title"] == "لافروف ينفي خطط نقل القوات"
        assert {n["title"] for n in _lines(tmp_path / "n.jsonl")} == {
            "لافروف ينفي خطط نقل القوات",
            "لافروف يتحدث عن الحوار",
        }
        stories = _lines(tmp_path / "s.jsonl")
        assert stories and all(
            s["kind"] == "story" and int(str(s["independent_sources"])) >= 1 for s in stories
        )
        assert len({s["item"] for s in stories}) == len(stories)
    finally:
        store.close()


@pytest.mark.e2e
def test_cli_alert_add_list_test_remove(tmp_path: Path, receiver: Receiver) -> None:
    db = str(tmp_path / "c.db")
    env_py = {"cwd": tmp_path, "capture_output": True, "text": True, "timeout": 120}

    def marsad(*args: str) -> subprocess.CompletedProcess[str]:
        import os

        env = os.environ | {"PYTHONPATH": str(REPO / "src")}
        return subprocess.run([PY, "-m", "marsad", *args, "--db", db], env=env, **env_py)  # type: ignore[call-overload]

    _write(tmp_path, "statement.txt", STATEMENT)
    assert marsad("ingest", "statement.txt").returncode == 0
    added = marsad(
        "alert", "add", "lavrov", "--speaker", "لافروف", "--stance", "denial", "--webhook", receiver.url
    )
    assert added.returncode == 0, added.stderr
    assert "c.db.alerts.jsonl" in added.stdout
    _write(tmp_path, "denial.txt", DENIAL)
    out = marsad("ingest", "denial.txt")
    assert out.returncode == 0 and "alerts 1" in out.stdout, out.stdout + out.stderr
    assert len(_lines(tmp_path / "c.db.alerts.jsonl")) == 1 and len(receiver.bodies) == 1
    assert marsad("ingest", "denial.txt").returncode == 0
    assert len(_lines(tmp_path / "c.db.alerts.jsonl")) == 1 and len(receiver.bodies) == 1
    listed = marsad("alert", "list", "--json")
    rec = json.loads(listed.stdout.splitlines()[0])
    assert rec["name"] == "lavrov" and rec["found"] == 1 and rec["speaker_ids"] == ["person:sergey-lavrov"]
    tested = marsad("alert", "test", "lavrov", "--json")
    assert len(json.loads(tested.stdout)["would_match"]) == 1
    assert marsad("alert", "remove", "lavrov").returncode == 0
    gone = marsad("alert", "remove", "lavrov")
    assert gone.returncode == 2 and "no such alert" in gone.stderr
    bad = marsad("alert", "add", "x", "--stance", "nope")
    assert bad.returncode == 2 and "--stance nope" in bad.stderr and "Traceback" not in bad.stderr


def test_a_watch_round_delivers_what_it_stored(tmp_path: Path) -> None:
    from marsad.pipeline import build_analyzer
    from marsad.watch import Watcher

    store = open_store(str(tmp_path / "watch.db"))
    try:
        store.put_alert_rule(
            make_rule(store, load_kb(), "lavrov", speaker="Lavrov", jsonl=str(tmp_path / "w.jsonl"))
        )
        folder = tmp_path / "inbox"
        folder.mkdir()
        watcher = Watcher(store, build_analyzer())
        assert watcher.round([str(folder)]).post.get("alerts") is None  # nothing yet
        _write(folder, "denial.txt", DENIAL)
        assert watcher.round([str(folder)]).post["alerts"] == 1
        assert [h["speaker_id"] for h in _lines(tmp_path / "w.jsonl")] == ["person:sergey-lavrov"]
        watcher.round([str(folder)])  # the folder unchanged: nothing new
        assert len(_lines(tmp_path / "w.jsonl")) == 1
    finally:
        store.close()
