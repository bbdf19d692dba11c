"""Duplicates and syndication: exact copies, near-duplicates (MinHash LSH), independent sources."""

from marsad.dedup.near import DedupDecision, DedupParams, NearDuplicateIndex, body_hash
from marsad.dedup.syndication import independent_sources, source_key, syndication_groups

__all__ = [
    "DedupDecision",
    "DedupParams",
    "NearDuplicateIndex",
    "body_hash",
    "independent_sources",
    "source_key",
    "syndication_groups",
]
