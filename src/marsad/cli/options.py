"""Options shared by several commands."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="FILE|URL",
        help="Store: a SQLite file or postgresql://user@host/db[?schema=S] (default $MARSAD_DB or ./marsad.db).",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="One JSON object per line, for scripts.")]
SinceOpt = Annotated[
    str | None, typer.Option("--since", metavar="YYYY-MM-DD", help="Only from this day on (YYYY-MM-DD).")
]
UntilOpt = Annotated[
    str | None, typer.Option("--until", metavar="YYYY-MM-DD", help="Only up to this day (YYYY-MM-DD).")
]
LimitOpt = Annotated[int, typer.Option("--limit", min=1, help="At most this many rows.")]
KbOpt = Annotated[
    list[str] | None,
    typer.Option("--kb", metavar="FILE", help="Extra knowledge-base YAML file (repeatable)."),
]


def parse_day(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=name) from None
