"""Distributed batch ingest (Dask): workers run the one ingest path's per-document step, one writer stores."""

from marsad.batch.runner import BatchOptions, BatchResult, dask_client, plan, run_batch
from marsad.batch.worker import AnalyzerSpec, ChunkResult, process_chunk

__all__ = [
    "AnalyzerSpec",
    "BatchOptions",
    "BatchResult",
    "ChunkResult",
    "dask_client",
    "plan",
    "process_chunk",
    "run_batch",
]
