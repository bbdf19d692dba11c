"""The Typer application object and exit codes, imported by every command module."""

from __future__ import annotations

import typer

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
