"""Stories: streaming story clustering, storylines, story records and summaries."""

from marsad.clock import order_key, timestamp
from marsad.cluster.features import TermStats
from marsad.cluster.storyline import StorylineLinker, StorylineParams
from marsad.cluster.stream import (
    ClusterParams,
    StoryAssignment,
    StoryClusterer,
    StoryMerge,
    StorySnapshot,
)

__all__ = [
    "ClusterParams",
    "StoryAssignment",
    "StoryClusterer",
    "StoryMerge",
    "StorySnapshot",
    "StorylineLinker",
    "StorylineParams",
    "TermStats",
    "order_key",
    "timestamp",
]
