"""The Typer application object and exit codes, imported by every command module."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperArgument, TyperOption

app = typer.Typer(
    name="marsad",
    help="Marsad (مرصد): Arabic news monitoring — ingest, clean, store, analyse, search and export.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_INPUT_FAILED = 1  # some inputs failed; the rest were stored
EXIT_ERROR = 2  # the command could not run (bad option, missing store, malformed KB ...)
EXIT_INTERRUPTED = 130  # Ctrl-C: what was stored is consistent, a re-run completes it


def _help_metavar(param: Any, ctx: Any) -> str | None:
    """What ``--help`` shows in the type column: the metavar a command gave, else a plain word — never a
    Python type (typer would print ``<bool>``, ``<str>``, ``<list[str]>``)."""
    if param.metavar is not None:
        return str(param.metavar)
    if isinstance(param, TyperArgument) or getattr(param, "is_flag", False):
        return None  # an argument is named in the first column; a flag takes no value
    shown = str(param.display_type(ctx)).strip("<>")
    if "int" in shown or "float" in shown:
        return "N"
    if "|" in shown and "[" not in shown:  # a choice: its values
        return shown
    longest: str = max(param.opts, key=len).lstrip("-")
    return longest.upper().replace("-", "_")


# typer renders the type column through this method (typer.rich_utils); tests/test_cli_help.py checks it
for _cls in (TyperOption, TyperArgument):
    setattr(_cls, "display_type_rich", _help_metavar)  # noqa: B010
