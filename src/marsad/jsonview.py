"""Views as JSON values: one conversion for the API, the CLI's ``--json`` and exports of views."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any


def to_json(v: Any) -> Any:
    """A view as JSON values: dataclasses as objects (without :data:`~marsad.read.INTERNAL` fields),
    dates and times in ISO 8601, enums as their values."""
    cls = type(v)
    if cls in _PLAIN:  # exact types: a str-valued Enum is not plain, it becomes its value below
        return v
    names = _JSON_FIELDS.get(cls)
    if names is None and is_dataclass(v) and not isinstance(v, type):
        names = _JSON_FIELDS[cls] = tuple(f.name for f in fields(v) if f.metadata.get("json", True))
    if names is not None:
        return {n: to_json(getattr(v, n)) for n in names}
    if isinstance(v, datetime | date):
        return v.isoformat()
    if isinstance(v, Enum):
        return v.value
    if isinstance(v, list | tuple):
        return [to_json(x) for x in v]
    if isinstance(v, dict):
        return {k: to_json(x) for k, x in v.items()}
    return v


_PLAIN: frozenset[type] = frozenset({str, int, float, bool, type(None)})
_JSON_FIELDS: dict[type, tuple[str, ...]] = {}  # dataclass → its JSON field names, computed once
