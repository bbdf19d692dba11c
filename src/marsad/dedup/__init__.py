"""Duplicates and syndication: exact copies, near-duplicates (MinHash LSH), independent sources."""

from marsad.dedup.near import DedupDecision, DedupParams, NearDuplicateIndex, body_hash
from marsad.dedup.syndication import (
    first_report,
    independent_sources,
    source_groups,
    source_key,
    syndication_groups,
    unknown_sources,
)

__all__ = [
    "DedupDecision",
    "DedupParams",
    "NearDuplicateIndex",
    "body_hash",
    "first_report",
    "independent_sources",
    "source_groups",
    "source_key",
    "syndication_groups",
    "unknown_sources",
]
