"""Marsad's packaged data (knowledge base, cue lexicon, markers, NER model and names), found one way:
through :mod:`importlib.resources`, so it works from a wheel, an editable install or a zip alike."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path


def resource(*parts: str) -> Traversable:
    """``marsad/data/PART/…`` as a resource (read it with ``read_text``/``open``)."""
    return resources.files(__name__).joinpath(*parts)


def resource_path(*parts: str) -> Path:
    """The same as a file-system path, for libraries that need one (the CRF model)."""
    return Path(str(resource(*parts)))
