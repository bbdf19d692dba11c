"""`marsad watch`: poll RSS/Atom feeds and folders and ingest only what is new.

Feeds are fetched concurrently with conditional requests (``If-None-Match`` / ``If-Modified-Since`` from the
``ETag`` / ``Last-Modified`` the server sent last time): a ``304 Not Modified`` costs one round trip and no
parsing. When a feed does change (or its server ignores conditional requests), only entries whose id is not
in the feed's cursor are analysed and stored. Folders are compared file by file on (size, mtime).

Cursors live in the store (``store.get_state`` / ``set_state``, keys ``watch:feed:URL`` and
``watch:dir:PATH``) and are saved only after what they cover is stored, so a crash or a failed write means
the next round fetches it again (and the store's content hashes keep it from being stored twice). A feed
that fails, hangs past the timeout or returns garbage is reported, its cursor left as it was, and the
other sources are processed.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

from marsad import service
from marsad.errors import InputError, MarsadError
from marsad.ingest.fetch import USER_AGENT, Fetched, fetch
from marsad.ingest.flow import IngestReport, process, store_results
from marsad.ingest.sources import iter_folder
from marsad.model import RawDocument, SourceRef
from marsad.pipeline import Analyzer
from marsad.store.base import Store

MAX_FEED_BYTES = 32 * 1024 * 1024


@dataclass
class SourceOutcome:
    source: str
    kind: str  # "feed" | "folder" | "file"
    status: str  # "updated" | "not-modified" | "failed"
    new: int = 0  # entries or files handed to the pipeline
    message: str = ""


@dataclass
class WatchReport:
    ingest: IngestReport = field(default_factory=IngestReport)
    sources: list[SourceOutcome] = field(default_factory=list)
    post: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def failed_sources(self) -> list[SourceOutcome]:
        return [s for s in self.sources if s.status == "failed"]


def is_feed_url(name: str) -> bool:
    return name.startswith(("http://", "https://"))


class Watcher:
    def __init__(
        self,
        store: Store,
        analyzer: Analyzer | None,
        *,
        timeout: float = 20.0,
        max_seen: int = 5000,
        max_parallel: int = 8,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.store = store
        self.analyzer = analyzer
        self.timeout = timeout
        self.max_seen = max_seen
        self.max_parallel = max_parallel
        self.transport = transport

    # ---- one round --------------------------------------------------------------------------------

    def round(self, sources: Sequence[str]) -> WatchReport:
        t0 = time.perf_counter()
        rep = WatchReport()
        feeds = [s for s in sources if is_feed_url(s)]
        fetched: dict[str, Fetched] = {}
        if feeds:
            # cursors are read here, in this thread: store connections are not shared with the fetchers
            cursors = [self._cursor(f"watch:feed:{url}") for url in feeds]
            with ThreadPoolExecutor(max_workers=min(self.max_parallel, len(feeds))) as pool:
                for url, res in zip(feeds, pool.map(self._fetch, feeds, cursors), strict=True):
                    fetched[url] = res
        for src in sources:
            try:
                if is_feed_url(src):
                    rep.sources.append(self._feed(src, fetched[src], rep.ingest))
                else:
                    rep.sources.append(self._folder(src, rep.ingest))
            except MarsadError as e:  # the store is down or refused a write: this source waits for next round
                rep.sources.append(SourceOutcome(src, _kind(src), "failed", message=e.reason))
            except Exception as e:
                rep.sources.append(
                    SourceOutcome(src, _kind(src), "failed", message=f"{type(e).__name__}: {e}")
                )
        if self.analyzer is not None:
            rep.ingest.completed += service.complete_analysis(self.store, self.analyzer, rep.ingest)
        rep.ingest.counts["failed"] = rep.ingest.failed
        # always: it also completes what an interrupted round left (articles without story, index lag)
        rep.post = service.after_ingest(self.store, rep.ingest)
        rep.seconds = time.perf_counter() - t0
        return rep

    # ---- feeds --------------------------------------------------------------------------------------

    def _fetch(self, url: str, cursor: dict[str, object]) -> Fetched:
        headers = {"User-Agent": USER_AGENT, "Accept": "application/rss+xml, application/atom+xml, */*"}
        if cursor.get("etag"):
            headers["If-None-Match"] = str(cursor["etag"])
        if cursor.get("last_modified"):
            headers["If-Modified-Since"] = str(cursor["last_modified"])
        return fetch(
            url,
            headers=headers,
            timeout=self.timeout,
            max_bytes=MAX_FEED_BYTES,
            deadline=3 * self.timeout,  # also bounds a server that trickles bytes
            transport=self.transport,
        )

    def _feed(self, url: str, got: Fetched, report: IngestReport) -> SourceOutcome:
        key = f"watch:feed:{url}"
        if got.error is not None:
            report.failures.append((url, got.error))
            return SourceOutcome(url, "feed", "failed", message=got.error)
        if got.status == 304:
            return SourceOutcome(url, "feed", "not-modified")
        if not got.data.strip():
            report.failures.append((url, "empty response"))
            return SourceOutcome(url, "feed", "failed", message="empty response")
        ctype = got.content_type
        charset = ctype.split("charset=")[-1].strip() if "charset=" in ctype else None
        raw = RawDocument(
            source=SourceRef(
                origin=url, media_type=ctype.split(";")[0].strip() or "application/rss+xml", encoding=charset
            ),
            data=got.data,
            fetched_at=datetime.now(UTC),
        )
        cursor = self._cursor(key)
        prev = cursor.get("seen")
        seen = [str(s) for s in prev] if isinstance(prev, list) else []
        seen_set = set(seen)
        done = process(raw, self.analyzer, keep=lambda a: (a.source.record or "") not in seen_set)
        if done.documents and not done.articles and done.failures and not done.skipped:
            report.add(done)  # the feed itself could not be read: its cursor stays as it was
            return SourceOutcome(url, "feed", "failed", message=done.failures[0][1])
        store_results(self.store, [done], report)
        for a in done.articles:
            rid = a.source.record or ""
            if rid not in seen_set:
                seen.append(rid)
                seen_set.add(rid)
        new_cursor = {"etag": got.etag, "last_modified": got.last_modified, "seen": seen[-self.max_seen :]}
        self.store.set_state(key, json.dumps(new_cursor, ensure_ascii=False))
        entries = len({a.source.record for a in done.articles})
        return SourceOutcome(url, "feed", "updated", new=entries)

    # ---- folders ------------------------------------------------------------------------------------

    def _folder(self, name: str, report: IngestReport) -> SourceOutcome:
        path = Path(name)
        kind = _kind(name)
        if not path.exists():
            report.failures.append((name, "no such file or folder"))
            return SourceOutcome(name, kind, "failed", message="no such file or folder")
        key = f"watch:dir:{path.resolve()}"
        cursor = self._cursor(key)
        listed = list(iter_folder(path)) if path.is_dir() else [path]
        files = [f for f in listed if isinstance(f, Path)]
        for err in listed:
            if isinstance(err, InputError):
                report.failures.append((err.where, err.reason))
        now: dict[str, list[int]] = {}
        for f in files:
            try:
                st = f.stat()
            except OSError:
                continue  # vanished between listing and stat: next round
            now[str(f)] = [st.st_size, st.st_mtime_ns]
        changed = [f for f, sig in now.items() if cursor.get(f) != sig]
        if not changed:
            return SourceOutcome(name, kind, "not-modified")
        sub = service.ingest(changed, self.store, analyzer=self.analyzer)
        report.merge(sub)
        unreadable = {w for w, r in sub.failures if r.startswith("cannot read")}
        keep = {f: sig for f, sig in now.items() if f not in unreadable}
        self.store.set_state(key, json.dumps(keep, ensure_ascii=False))
        return SourceOutcome(name, kind, "updated", new=len(changed))

    def _cursor(self, key: str) -> dict[str, object]:
        raw = self.store.get_state(key)
        if not raw:
            return {}
        try:
            val = json.loads(raw)
        except ValueError:
            return {}  # a damaged cursor only costs one full round
        return val if isinstance(val, dict) else {}


def _kind(name: str) -> str:
    if is_feed_url(name):
        return "feed"
    return "file" if os.path.isfile(name) else "folder"


def watch(
    sources: Sequence[str],
    watcher: Watcher,
    *,
    every: float,
    once: bool = False,
    on_round: Callable[[WatchReport], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> WatchReport:
    """Run rounds every ``every`` seconds (one round with ``once``); returns the last round's report."""
    while True:
        t0 = time.monotonic()
        rep = watcher.round(sources)
        if on_round is not None:
            on_round(rep)
        if once:
            return rep
        sleep(max(0.0, every - (time.monotonic() - t0)))


def parse_every(text: str) -> float:
    """``30s``, ``5m``, ``2h`` or plain seconds → seconds."""
    t = text.strip().lower()
    units = {"s": 1, "m": 60, "h": 3600}
    try:
        val = float(t[:-1]) * units[t[-1]] if t and t[-1] in units else float(t)
    except ValueError:
        raise ValueError(f"{text!r} is not an interval (use 30s, 5m, 2h)") from None
    if val <= 0:
        raise ValueError(f"{text!r}: the interval must be positive")
    return val
