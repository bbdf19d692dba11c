"""How SQLite and PostgreSQL spell the few things Marsad's shared queries (:mod:`.sql`) need differently."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Dialect:
    """How one database spells what the queries need."""

    name: str
    param: str  # the placeholder: "?" or "%s"
    any_of_list: str  # "{col} is one of the list bound to {p}", the list encoded by encode_list
    any_of_ints: str  # the same for an integer column
    not_equal: str  # null-safe inequality: "IS NOT" or "IS DISTINCT FROM"
    lists_as_json: bool  # list columns (and bound lists): JSON text, or arrays
    dates_as_text: bool  # DATE columns: ISO text, or real dates
    order: str  # the column that keeps insertion order: "rowid" or "seq"
    now: str  # SQL for "now" as the time columns keep it
    span: tuple[str, str] = ("start", "end")  # the offset columns of mentions and quotes
    packs_text: bool = False  # body and raw compressed by the application (:mod:`.packing`)

    def params(self, n: int) -> str:
        return ", ".join([self.param] * n)

    def any_of(self, col: str) -> str:
        """``col`` is one of a list: bind :meth:`encode_list` of the values to its one placeholder."""
        return self.any_of_list.format(col=col, p=self.param)

    def any_of_int(self, col: str) -> str:
        """Integer ``col`` is one of a list: bind :meth:`encode_list` of the values."""
        return self.any_of_ints.format(col=col, p=self.param)

    def encode_list(self, values: Iterable[str] | Iterable[int]) -> Any:
        return json.dumps(list(values), ensure_ascii=False) if self.lists_as_json else list(values)

    def decode_list(self, value: Any) -> tuple[str, ...]:
        if self.lists_as_json:
            return tuple(json.loads(value or "[]"))
        return tuple(value or ())

    def day(self, d: date | None) -> Any:
        return d.isoformat() if (d is not None and self.dates_as_text) else d

    def insert(
        self,
        table: str,
        cols: Sequence[str],
        *,
        key: str | None = None,
        exprs: Mapping[str, str] | None = None,
    ) -> str:
        """``INSERT`` of ``cols`` (a placeholder each, or the SQL in ``exprs``); with ``key``, an upsert that
        replaces every other column of the row that holds the key."""
        exprs = exprs or {}
        values = ", ".join(exprs.get(c, self.param) for c in cols)
        q = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({values})"
        if key is not None:
            sets = ", ".join(f"{c} = excluded.{c}" for c in cols if c != key)
            q += f" ON CONFLICT ({key}) DO " + (f"UPDATE SET {sets}" if sets else "NOTHING")
        return q


SQLITE = Dialect(
    name="sqlite",
    param="?",
    any_of_list="{col} IN (SELECT value FROM json_each({p}))",
    any_of_ints="{col} IN (SELECT value FROM json_each({p}))",
    not_equal="IS NOT",
    lists_as_json=True,
    dates_as_text=True,
    order="rowid",
    now="strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')",  # what datetime.now(UTC).isoformat(timespec="seconds") gives
    packs_text=True,
)

POSTGRES = Dialect(
    name="postgresql",
    param="%s",
    any_of_list="{col} = ANY({p}::text[])",
    any_of_ints="{col} = ANY({p}::bigint[])",
    not_equal="IS DISTINCT FROM",
    lists_as_json=False,
    dates_as_text=False,
    order="seq",
    now="now()",
    span=("span_start", "span_end"),  # END is reserved
)

__all__ = ["POSTGRES", "SQLITE", "Dialect"]
