"""The only module that prints: Rich tables and progress for people, JSON Lines for scripts."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

if TYPE_CHECKING:
    from marsad.ingest.flow import IngestReport

_C1 = re.compile("[\x7f-\x9f]")
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(text: str) -> str:
    """``text`` with every control character but newline and tab made visible (``\\x1b``): stored text
    is clean, but file names, URLs and messages reach the terminal too, and must never drive it."""
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", text) if _CONTROLS.search(text) else text


class SafeConsole(Console):
    """A Rich console whose text arguments pass through :func:`safe` (Rich's own styling codes are added
    after that, so colours still work)."""

    def print(self, *objects: Any, **kw: Any) -> None:
        super().print(*(safe(o) if isinstance(o, str) else o for o in objects), **kw)

    def rule(self, title: Any = "", **kw: Any) -> None:
        super().rule(safe(title) if isinstance(title, str) else title, **kw)


# soft wrap: messages naming long paths stay on one line when piped or grepped (terminals wrap them anyway)
console = SafeConsole(soft_wrap=True)
err_console = SafeConsole(stderr=True, soft_wrap=True)


def json_lines(rows: Iterable[dict[str, Any]]) -> None:
    out = sys.stdout
    for r in rows:
        line = json.dumps(r, ensure_ascii=False, default=str)
        # JSON escapes C0 itself; DEL and C1 (which terminals also obey) only inside strings, as \u escapes
        out.write(_C1.sub(lambda m: f"\\u{ord(m.group()):04x}", line) + "\n")


def table(title: str | None, columns: list[str], rows: Iterable[Iterable[Any]]) -> None:
    t = Table(title=safe(title) if title else title, show_lines=False)
    for c in columns:
        t.add_column(safe(c), overflow="fold")
    for r in rows:
        t.add_row(*["" if v is None else safe(str(v)) for v in r])
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
    for tag, rows in (("[red]failed[/red]", report.failures), ("[yellow]skipped[/yellow]", report.skipped),
                      ("[cyan]note[/cyan]", report.notes), ("[yellow]warning[/yellow]", report.warnings)):  # fmt: skip
        for where, reason in rows:  # file names and messages may hold "[…]": never Rich markup
            err_console.print(f"{tag} {escape(where)}: {escape(reason)}", highlight=False, soft_wrap=True)
    c = report.counts
    console.print(
        f"documents {report.documents} · new {c['new']} · updated {c['updated']} · unchanged {c['unchanged']}"
        f" · duplicate {c['duplicate']} · failed {report.failed}"
        + (f" · skipped {len(report.skipped)}" if report.skipped else "")
        + (f" · completed {report.completed} left unanalysed" if report.completed else "")
        + "".join(f" · {k} {v}" for k, v in post.items())
        + extra,
        highlight=False,
        soft_wrap=True,
    )


def print_interrupted(report: IngestReport) -> None:
    """After Ctrl-C: what is already stored, and that running the same command again completes it."""
    c = report.counts
    err_console.print(
        f"marsad: interrupted after {report.documents} documents; stored so far: new {c['new']} · "
        f"updated {c['updated']} · unchanged {c['unchanged']} · duplicate {c['duplicate']}. "
        "The store is consistent: run the same command again to complete it "
        "(stories and the search index catch up then).",
        highlight=False,
        soft_wrap=True,
    )
