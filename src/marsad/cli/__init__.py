"""The ``marsad`` command line: a thin shell over :mod:`marsad.service` (ingest) and :mod:`marsad.read`.

Every command translates options into one library call and renders the result; :func:`main` is the
one place that turns a :class:`MarsadError` into a one-line message and an exit code.
"""

from __future__ import annotations

import os
import sys

import typer

# Commands register themselves on `app` when their module is imported.
from marsad.cli import alerts as _alerts  # noqa: F401
from marsad.cli import articles as _articles  # noqa: F401
from marsad.cli import batch as _batch  # noqa: F401
from marsad.cli import brief as _brief  # noqa: F401
from marsad.cli import check as _check  # noqa: F401
from marsad.cli import entities as _entities  # noqa: F401
from marsad.cli import ingest as _ingest  # noqa: F401
from marsad.cli import search as _search  # noqa: F401
from marsad.cli import serve as _serve  # noqa: F401
from marsad.cli import stories as _stories  # noqa: F401
from marsad.cli.app import EXIT_ERROR, app
from marsad.cli.render import safe
from marsad.errors import MarsadError

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> int:
    try:
        rv = app(args=argv, standalone_mode=False)
    except MarsadError as e:
        typer.echo(safe(f"marsad: {e.where}: {e.reason}"), err=True)
        return EXIT_ERROR
    except typer.Exit as e:
        return int(e.exit_code or 0)
    except (typer.Abort, KeyboardInterrupt):
        typer.echo(
            "marsad: interrupted; what was stored so far is consistent — run the command again "
            "to complete it",
            err=True,
        )
        return 130
    except Exception as e:
        # usage errors (bad option values) arrive here in non-standalone mode; typer vendors its own
        # click, so recognise them by their interface rather than by class
        show = getattr(e, "show", None)
        if callable(show) and hasattr(e, "exit_code"):
            show()
            return EXIT_ERROR
        # A bug, not a user error: one line instead of a traceback; MARSAD_DEBUG=1 shows the trace.
        if os.environ.get("MARSAD_DEBUG"):
            raise
        typer.echo(
            safe(f"marsad: internal error ({type(e).__name__}: {e}); rerun with MARSAD_DEBUG=1 for details"),
            err=True,
        )
        return EXIT_ERROR
    return rv if isinstance(rv, int) else 0


if __name__ == "__main__":
    sys.exit(main())
