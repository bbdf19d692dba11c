"""The only module that prints: Rich tables and progress for people, JSON Lines for scripts."""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

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
    # cells are data (titles, quotes), never Rich markup: "[/x]" in a headline would raise, "[r1]" vanish
    t = Table(title=Text(safe(title)) if title else title, show_lines=False)
    for c in columns:
        t.add_column(safe(c), overflow="fold")
    for r in rows:
        t.add_row(*[Text("" if v is None else safe(str(v))) for v in r])
    console.print(t)


def _progress_every() -> float:
    try:
        return max(0.0, float(os.environ.get("MARSAD_PROGRESS_EVERY", "10")))
    except ValueError:
        return 10.0


class ProgressLines:
    """Progress as one line on stderr every ``MARSAD_PROGRESS_EVERY`` seconds (default 10) when stderr
    is not a terminal (logs, cron, CI): a short stage prints nothing, a long one shows it is alive."""

    def __init__(self, label: str, total: int | None, every: float | None = None) -> None:
        self.label, self.total, self.done = label, total, 0
        self.every = _progress_every() if every is None else every
        self.start = self.last = time.monotonic()

    def advance(self, n: int, current: str = "") -> None:
        self.done += n
        now = time.monotonic()
        if now - self.last < self.every:
            return
        self.last = now
        of = f"/{self.total} ({100 * self.done // max(1, self.total)}%)" if self.total else ""
        tail = f" · {current[-60:]}" if current else ""
        sys.stderr.write(
            safe(f"marsad: {self.label} {self.done}{of} · {now - self.start:.0f} s{tail}") + "\n"
        )
        sys.stderr.flush()


def _bar(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[current]}", style="dim"),
        console=console,
        transient=False,
    )


@contextmanager
def progress_bar(total: int | None, label: str) -> Iterator[Callable[[int, str], None]]:
    """Progress on stderr: a bar on a terminal, else a line every few seconds (:class:`ProgressLines`)."""
    if not err_console.is_terminal:
        yield ProgressLines(label, total).advance
        return
    with _bar(err_console) as prog:
        task = prog.add_task(label, total=total, current="")

        def advance(n: int, current: str) -> None:
            prog.update(task, advance=n, current=current[-60:])

        yield advance


class _Stages:
    """A :class:`~marsad.progress.StageProgress` for the CLI: one bar per stage, or lines."""

    def __init__(self, prog: Progress | None) -> None:
        self.prog = prog

    def stage(self, label: str, total: int | None) -> Callable[[int], None]:
        advance = self.items(label, total)
        return lambda n: advance(n, "")

    def items(self, label: str, total: int | None) -> Callable[[int, str], None]:
        """A counter that also shows the item at hand (the file being read)."""
        if self.prog is None:
            return ProgressLines(label, total).advance
        prog = self.prog
        task = prog.add_task(label, total=total, current="")
        return lambda n, current: prog.update(task, advance=n, current=current[-60:])


@contextmanager
def stage_progress() -> Iterator[_Stages]:
    """Progress of the stages after ingest (stories, index): bars on a terminal, else lines."""
    if not err_console.is_terminal:
        yield _Stages(None)
        return
    with _bar(err_console) as prog:
        yield _Stages(prog)


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
