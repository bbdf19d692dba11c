"""`marsad watch`: conditional requests, per-feed cursors, folders, and feeds that hang or send garbage."""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from marsad.store import open_store
from marsad.watch import Watcher, parse_every, watch

BODY = (
    "قال المتحدث باسم الحكومة إن الاجتماع الذي عقد في العاصمة {n} ناقش خطة جديدة لدعم الاقتصاد، "
    "وأضاف أن الوزارة ستعلن التفاصيل خلال الأسبوع المقبل بعد مشاورات مع الشركاء في المنطقة رقم {n}."
)


def entry(n: int) -> dict[str, str]:
    day = datetime(2025, 3, 1, 9, tzinfo=UTC) + timedelta(hours=n)
    return {
        "guid": f"urn:test:entry-{n}",
        "title": f"خبر رقم {n} عن الاجتماع الحكومي",
        "description": BODY.format(n=n),
        "pubDate": format_datetime(day),
    }


def rss(entries: list[dict[str, str]]) -> bytes:
    items = "".join(
        f"<item><guid>{e['guid']}</guid><title>{e['title']}</title><link>http://example.test/{e['guid']}</link>"
        f"<description>{e['description']}</description><pubDate>{e['pubDate']}</pubDate></item>"
        for e in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>وكالة الاختبار</title>'
        f"<link>http://example.test/</link><description>t</description>{items}</channel></rss>"
    ).encode()


class FeedServer:
    """A feed with ETag / If-None-Match, one that ignores conditional requests, one that hangs, one that
    returns garbage and one that fails."""

    def __init__(self, n: int) -> None:
        self.entries = [entry(i) for i in range(n)]
        self.requests: list[tuple[str, dict[str, str], int]] = []
        self.hang_seconds = 5.0
        srv = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                body = rss(srv.entries)
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                status = 200
                if self.path == "/hang":
                    time.sleep(srv.hang_seconds)
                    body = rss(srv.entries[:1])
                elif self.path == "/garbage":
                    body = b"\x00\x9f\x88 this is not a feed \xff" * 20
                elif self.path == "/broken":
                    status, body = 500, b"internal error"
                elif self.path == "/feed" and self.headers.get("If-None-Match") == etag:
                    status, body = 304, b""
                srv.requests.append((self.path, dict(self.headers), status))
                self.send_response(status)
                if self.path == "/feed":
                    self.send_header("ETag", etag)
                if status != 304:
                    self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if status != 304:
                    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                        self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def last(self, path: str) -> tuple[dict[str, str], int]:
        for p, headers, status in reversed(self.requests):
            if p == path:
                return headers, status
        raise AssertionError(f"no request for {path}")

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[FeedServer]:
    s = FeedServer(5)
    yield s
    s.close()


@pytest.fixture
def wstore(tmp_path: Path) -> Iterator[Any]:
    st = open_store(str(tmp_path / "watch.db"))
    yield st
    st.close()


@pytest.mark.slow  # over 1.5 s: the full suite runs it, the inner loop does not
def test_feed_rounds_conditional_requests_and_a_hanging_feed(server: FeedServer, wstore: Any) -> None:
    feed, hang, garbage, broken = (server.url(p) for p in ("/feed", "/hang", "/garbage", "/broken"))
    w = Watcher(wstore, None, timeout=0.5)
    sources = [hang, feed, garbage, broken]

    t0 = time.monotonic()
    r1 = w.round(sources)
    assert time.monotonic() - t0 < server.hang_seconds - 1  # the hanging feed did not hold the round up
    status = {s.source: s for s in r1.sources}
    assert status[feed].status == "updated" and status[feed].new == 5
    assert r1.ingest.counts["new"] == 5
    assert status[hang].status == "failed" and "timed out" in status[hang].message
    assert status[garbage].status == "failed"
    assert status[broken].status == "failed" and "HTTP 500" in status[broken].message
    headers, _ = server.last("/feed")
    assert "If-None-Match" not in headers
    assert wstore.count_articles() == 5

    r2 = w.round(sources)  # nothing new: the server answers 304 to the ETag it sent
    headers, code = server.last("/feed")
    assert headers.get("If-None-Match") and code == 304
    assert {s.source: s.status for s in r2.sources}[feed] == "not-modified"
    assert r2.ingest.counts["new"] == 0 and wstore.count_articles() == 5

    server.entries.append(entry(99))  # one new entry: only it is stored
    r3 = w.round([feed])
    assert r3.sources[0].new == 1
    assert r3.ingest.counts["new"] == 1 and r3.ingest.counts["unchanged"] == 0
    assert wstore.count_articles() == 6
    ids = {a.source.record for a in wstore.iter_articles(with_analysis=False)}
    assert "urn:test:entry-99" in ids

    # the hanging feed recovers: fetched again (its cursor never advanced); its one entry is already stored
    server.hang_seconds = 0.0
    r4 = w.round([hang])
    assert r4.sources[0].status == "updated" and r4.ingest.counts["duplicate"] == 1  # entry 0, via /feed
    assert wstore.count_articles() == 6


def test_server_without_conditional_requests_uses_the_entry_cursor(server: FeedServer, wstore: Any) -> None:
    url = server.url("/nocache")  # no ETag, never 304
    w = Watcher(wstore, None, timeout=2)
    assert w.round([url]).ingest.counts["new"] == 5
    r2 = w.round([url])
    assert r2.sources[0].new == 0 and sum(r2.ingest.counts.values()) == 0  # not even parsed into the store
    cursor = json.loads(wstore.get_state(f"watch:feed:{url}"))
    assert len(cursor["seen"]) == 5


def test_folder_cursor(tmp_path: Path, wstore: Any) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for i in range(3):
        (folder / f"{i}.txt").write_text(f"عنوان الخبر {i}\n\n" + BODY.format(n=i), encoding="utf-8")
    w = Watcher(wstore, None)
    r1 = w.round([str(folder)])
    assert r1.sources[0].new == 3 and r1.ingest.counts["new"] == 3
    r2 = w.round([str(folder)])
    assert r2.sources[0].status == "not-modified" and r2.ingest.documents == 0
    (folder / "new.txt").write_text("عنوان جديد\n\n" + BODY.format(n=7), encoding="utf-8")
    r3 = w.round([str(folder)])
    assert r3.sources[0].new == 1 and r3.ingest.counts["new"] == 1


def test_watch_loop_and_interval() -> None:
    assert parse_every("5m") == 300 and parse_every("30s") == 30 and parse_every("2h") == 7200
    assert parse_every("90") == 90
    with pytest.raises(ValueError):
        parse_every("soon")

    class Fake:
        rounds = 0

        def round(self, sources: Any) -> Any:
            Fake.rounds += 1
            if Fake.rounds == 3:
                raise KeyboardInterrupt
            return None

    slept: list[float] = []
    with pytest.raises(KeyboardInterrupt):
        watch(["x"], Fake(), every=60, sleep=slept.append)  # type: ignore[arg-type]
    assert Fake.rounds == 3 and len(slept) == 2


def test_cli_watch_once(server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from marsad.cli import main

    db = str(tmp_path / "cli.db")
    rc = main(["watch", server.url("/feed"), "--db", db, "--once", "--json", "--no-analyze"])
    assert rc == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["new"] == 5 and summary["sources"][0]["status"] == "updated"
    rc = main(["watch", server.url("/feed"), server.url("/broken"), "--db", db, "--once", "--json"])
    assert rc == 1  # a source failed; the other was still polled
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert [s["status"] for s in summary["sources"]] == ["not-modified", "failed"]
