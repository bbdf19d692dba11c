"""`marsad batch`: the ingest pipeline spread over a Dask cluster, with one ordered writer.

The client plans the work (cheap: it lists files, or reads URLs and archives into RawDocuments), cuts it
into chunks and submits :func:`~marsad.batch.worker.process_chunk` tasks, at most a window of them at a
time (backpressure). Workers parse and analyse. Results come back in any order; the client writes them in
plan order, so the store ends up exactly as ``marsad ingest`` of the same inputs would leave it (which
source of a duplicated text is the primary one depends on that order). Then the ordered stages
(:func:`marsad.service.after_ingest`: stories) run once, as after ``ingest``.

Fault tolerance: tasks are pure, so when a worker dies Dask runs its tasks again elsewhere; writes are
idempotent (each article with its analysis in one transaction) and retried on transient store errors; a
run that is killed is completed by running it again (the store reports what is already there as
unchanged, and the story stage and the index pick up what the killed run did not reach).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marsad.batch.worker import AnalyzerSpec, ChunkResult, WorkItem, process_chunk, worker_analyzer
from marsad.errors import InputError
from marsad.ingest.flow import IngestReport, Processed, RetryLog, store_results, with_retry
from marsad.ingest.sources import Limits, discover, iter_folder
from marsad.model import RawDocument
from marsad.progress import StageProgress
from marsad.service import ProgressFn, after_ingest, complete_analysis
from marsad.store.base import Store

log = logging.getLogger(__name__)

Planned = WorkItem


@dataclass
class BatchOptions:
    chunk_size: int = 25  # documents (or files) per task: big enough to amortise scheduling (~1 ms/task)
    chunk_bytes: int = 8_000_000  # ...and at most this many bytes of RawDocuments shipped in one task
    max_inflight: int | None = None  # tasks submitted and not yet written; default 4 per worker thread
    ship_paths: bool = True  # send file paths (workers share the file system) rather than file bytes
    write_deadline: float = 120.0  # keep retrying a transient store failure this long (seconds)
    limits: Limits | None = None


@dataclass
class BatchResult:
    report: IngestReport
    post: dict[str, int]  # figures from the ordered stages (stories)
    chunks: int = 0
    workers: int = 0
    seconds: float = 0.0
    worker_cpu_seconds: float = 0.0
    resumed: bool = False
    retries: list[str] = field(default_factory=list)  # transient store errors that were retried


# ---- cluster ---------------------------------------------------------------------------------------


@contextmanager
def dask_client(scheduler: str | None = None, workers: int = 2, *, threads: int = 1) -> Iterator[Any]:
    """A client of the scheduler at ``scheduler`` (tcp://host:port), or of a LocalCluster on 127.0.0.1
    with ``workers`` processes of ``threads`` threads (the caller's main module needs an
    ``if __name__ == "__main__"`` guard: workers are spawned)."""
    from distributed import Client, LocalCluster

    if scheduler:
        client = Client(scheduler, timeout="30s")  # type: ignore[no-untyped-call]
        try:
            yield client
        finally:
            client.close()  # type: ignore[no-untyped-call]
        return
    import dask

    # The workers' statistical profiler samples every thread's stack every 10 ms under the GIL: a few per
    # cent of a small machine, for a dashboard we do not start.
    with dask.config.set({"distributed.worker.profile.enabled": False}):
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers,
            threads_per_worker=threads,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.CRITICAL,
        )
    try:
        client = Client(cluster)  # type: ignore[no-untyped-call]
        try:
            yield client
        finally:
            client.close()  # type: ignore[no-untyped-call]
    finally:
        cluster.close()


def _warmup_plugin(spec: AnalyzerSpec) -> Any:
    from distributed.diagnostics.plugin import WorkerPlugin

    class AnalyzerPlugin(WorkerPlugin):  # type: ignore[misc]
        """Loads the KB and NER model when a worker starts (also a worker that replaces a dead one)."""

        name = "marsad-analyzer"

        def __init__(self, spec: AnalyzerSpec) -> None:
            self.spec = spec

        def setup(self, worker: Any) -> None:
            worker_analyzer(self.spec)

    return AnalyzerPlugin(spec)


# ---- planning ----------------------------------------------------------------------------------------


def plan(inputs: Sequence[str], *, ship_paths: bool, limits: Limits | None = None) -> Iterator[Planned]:
    """The work in the order ``discover`` would produce it: local files as paths (when workers can read
    them), everything else (URLs, or all files when ``ship_paths`` is off) as RawDocuments."""
    for name in inputs:
        path = Path(name)
        if ship_paths and not name.startswith(("http://", "https://")):
            if path.is_dir():
                yield from (str(p) if isinstance(p, Path) else (p.where, p.reason) for p in iter_folder(path))
                continue
            if path.is_file():
                yield str(path)
                continue
        for item in discover([name], limits):
            yield (item.where, item.reason) if isinstance(item, InputError) else item


def chunked(items: Iterator[Planned], size: int, max_bytes: int) -> Iterator[list[Planned]]:
    chunk: list[Planned] = []
    nbytes = 0
    for it in items:
        chunk.append(it)
        if isinstance(it, RawDocument):
            nbytes += len(it.data)
        if len(chunk) >= size or nbytes >= max_bytes:
            yield chunk
            chunk, nbytes = [], 0
    if chunk:
        yield chunk


def _run_key(inputs: Sequence[str], spec: AnalyzerSpec) -> str:
    names = [n if n.startswith(("http://", "https://")) else os.path.abspath(n) for n in inputs]
    blob = json.dumps([names, list(spec.kb_files), spec.analyze], ensure_ascii=False)
    return hashlib.sha1(blob.encode()).hexdigest()[:16]


# ---- the batch -----------------------------------------------------------------------------------------


def _labels(planned: list[Planned]) -> list[str]:
    return [p if isinstance(p, str) else p[0] if isinstance(p, tuple) else p.source.label for p in planned]


def run_batch(
    inputs: Sequence[str],
    store: Store,
    client: Any,
    spec: AnalyzerSpec | None = None,
    *,
    options: BatchOptions | None = None,
    progress: ProgressFn | None = None,
    on_retry: RetryLog | None = None,
    on_chunk_written: Callable[[int], None] | None = None,
    stages: StageProgress | None = None,
) -> BatchResult:
    """Ingest ``inputs`` with the cluster behind ``client`` into ``store``; see the module docstring."""
    from distributed import as_completed

    spec = spec or AnalyzerSpec()
    opt = options or BatchOptions()
    t0 = time.perf_counter()
    key = f"batch:run:{_run_key(inputs, spec)}"
    resumed = with_retry(lambda: store.get_state(key), deadline=opt.write_deadline) == "running"
    with_retry(lambda: store.set_state(key, "running"), deadline=opt.write_deadline)

    client.register_plugin(_warmup_plugin(spec), name="marsad-analyzer")
    nthreads = sum(client.nthreads().values()) or 1
    window = opt.max_inflight or 4 * nthreads
    result = BatchResult(report=IngestReport(), post={}, workers=len(client.nthreads()), resumed=resumed)
    report = result.report
    retries = result.retries

    def note_retry(attempt: int, pause: float, e: BaseException) -> None:
        retries.append(f"{type(e).__name__}: {str(e)[:160]}")
        if on_retry is not None:
            on_retry(attempt, pause, e)

    token = uuid.uuid4().hex[:8]
    chunks = enumerate(
        chunked(plan(inputs, ship_paths=opt.ship_paths, limits=opt.limits), opt.chunk_size, opt.chunk_bytes)
    )
    submitted: dict[str, tuple[int, list[Planned]]] = {}
    done: dict[int, tuple[ChunkResult, list[Planned]]] = {}
    ac = as_completed()  # type: ignore[no-untyped-call]
    next_write = 0
    exhausted = False

    def fill() -> None:
        nonlocal exhausted
        while not exhausted and len(submitted) + len(done) < window:
            nxt = next(chunks, None)
            if nxt is None:
                exhausted = True
                return
            idx, planned = nxt
            fut = client.submit(
                process_chunk,
                idx,
                planned,
                spec,
                opt.limits,
                key=f"marsad-chunk-{token}-{idx}",
                retries=1,
                pure=False,
            )
            submitted[fut.key] = (idx, planned)
            ac.add(fut)  # type: ignore[no-untyped-call]
            result.chunks += 1

    fill()
    while submitted:
        fut = next(ac)
        idx, planned = submitted.pop(fut.key)
        try:
            res: ChunkResult = fut.result()
        except Exception as e:  # the task failed for good (e.g. it killed every worker it ran on)
            why = f"worker failed ({type(e).__name__}: {str(e)[:200]})"
            res = ChunkResult(
                index=idx,
                files=len(planned),
                documents=[Processed(label=w, failures=[(w, why)]) for w in _labels(planned)],
            )
        fut.release()
        done[idx] = (res, planned)
        while next_write in done:
            r, r_planned = done.pop(next_write)
            result.worker_cpu_seconds += r.cpu_seconds
            store_results(store, r.documents, report, deadline=opt.write_deadline, on_retry=note_retry)
            if progress:
                progress(r.files or len(r.documents), _labels(r_planned)[-1] if r_planned else "")
            if on_chunk_written is not None:
                on_chunk_written(next_write)
            next_write += 1
        fill()
    analyzer = worker_analyzer(spec)
    if analyzer is not None:  # articles an earlier --no-analyze run stored: completed here, as by ingest
        report.completed = complete_analysis(store, analyzer, report)
    report.counts["failed"] = report.failed
    result.post = after_ingest(store, report, progress=stages)
    with_retry(lambda: store.set_state(key, "done"), deadline=opt.write_deadline)
    result.seconds = time.perf_counter() - t0
    return result


__all__ = [
    "BatchOptions",
    "BatchResult",
    "chunked",
    "dask_client",
    "plan",
    "run_batch",
]
