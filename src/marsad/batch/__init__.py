"""Distributed batch ingest (Dask) and the idempotent, retrying write step it shares with `watch`."""

from marsad.batch.runner import BatchOptions, BatchResult, dask_client, plan, run_batch
from marsad.batch.worker import AnalyzerSpec, ChunkResult, process_chunk
from marsad.batch.writer import is_transient, with_retry, write_articles

__all__ = [
    "AnalyzerSpec",
    "BatchOptions",
    "BatchResult",
    "ChunkResult",
    "dask_client",
    "is_transient",
    "plan",
    "process_chunk",
    "run_batch",
    "with_retry",
    "write_articles",
]
