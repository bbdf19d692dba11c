"""Marsad's packaged data (knowledge base, cue lexicon, markers, NER model and names), found one way:
through :mod:`importlib.resources`, so it works from a wheel, an editable install or a zip alike."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def resource(*parts: str) -> Traversable:
    """``marsad/data/PART/…`` as a resource (read it with ``read_text``/``open``)."""
    return resources.files(__name__).joinpath(*parts)


def resource_path(*parts: str) -> Path:
    """The same as a file-system path, for libraries that need one (the CRF model)."""
    return Path(str(resource(*parts)))


def load_yaml(text: str) -> Any:
    """Parse YAML with libyaml's safe loader when PyYAML has it (same objects as ``yaml.safe_load``, about
    ten times faster: the country table alone took a quarter of a second to read in pure Python)."""
    return yaml.load(text, Loader=_SAFE_LOADER)
