"""The only module that prints: Rich tables and progress for people, JSON Lines for scripts."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

if TYPE_CHECKING:
    from marsad.service import IngestReport

console = Console()
err_console = Console(stderr=True)


def json_lines(rows: Iterable[dict[str, Any]]) -> None:
    out = sys.stdout
    for r in rows:
        out.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")


def table(title: str | None, columns: list[str], rows: Iterable[Iterable[Any]]) -> None:
    t = Table(title=title, show_lines=False)
    for c in columns:
        t.add_column(c, overflow="fold")
    for r in rows:
        t.add_row(*["" if v is None else str(v) for v in r])
    console.print(t)


@contextmanager
def progress_bar(total: int | None, label: str) -> Iterator[Any]:
    """A progress bar on stderr (hidden when stderr is not a terminal)."""
    prog = Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[current]}", style="dim"),
        console=err_console,
        transient=False,
        disable=not err_console.is_terminal,
    )
    with prog:
        task = prog.add_task(label, total=total, current="")

        def advance(n: int, current: str) -> None:
            prog.update(task, advance=n, current=current[-60:])

        yield advance


def print_ingest_summary(report: IngestReport, post: dict[str, int], extra: str = "") -> None:
    for where, reason in report.failures:
        err_console.print(f"[red]failed[/red] {where}: {reason}", highlight=False, soft_wrap=True)
    for where, reason in report.skipped:
        err_console.print(f"[yellow]skipped[/yellow] {where}: {reason}", highlight=False, soft_wrap=True)
    c = report.counts
    console.print(
        f"documents {report.documents} · new {c['new']} · updated {c['updated']} · unchanged {c['unchanged']}"
        f" · duplicate {c['duplicate']} · failed {report.failed}"
        + (f" · skipped {len(report.skipped)}" if report.skipped else "")
        + "".join(f" · {k} {v}" for k, v in post.items())
        + extra,
        highlight=False,
        soft_wrap=True,
    )
