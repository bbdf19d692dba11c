"""`marsad serve`: the JSON API and the web app over a store, read-only."""

from __future__ import annotations

import errno
import functools
import os
import socket
from typing import Annotated, Any

import typer

from marsad import read
from marsad.cli.app import app
from marsad.cli.options import DbOpt, KbOpt
from marsad.cli.render import err_console
from marsad.cli.search import catch_up_index
from marsad.entities import load_kb
from marsad.errors import MarsadError
from marsad.store import DEFAULT_DB
from marsad.store.base import redact

THREADS = 4  # request threads per worker process (see marsad.web.app.create_app)


class ListenError(MarsadError):
    """The server cannot listen where it was asked to."""


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (uvicorn serves on it), or :class:`ListenError` saying why not.

    Bound here, before anything else, so a busy port is reported at once and not after an index build,
    and nothing else can take the port between the check and the start of the server.
    """
    where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: restarts are instant
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as e:
        sock.close()
        if e.errno == errno.EADDRINUSE:
            reason = "port already in use (try --port N)"
        elif e.errno == errno.EACCES:
            reason = "permission denied (ports below 1024 need privileges; try --port N)"
        elif isinstance(e, socket.gaierror) or e.errno == errno.EADDRNOTAVAIL:
            reason = "no such local address (try --host 127.0.0.1)"
        else:
            reason = f"cannot listen ({e.strerror or e})"
        raise ListenError(where, reason) from None
    sock.set_inheritable(True)
    return sock


def default_workers() -> int:
    """One worker process per core (the work of a request is Python: one process uses one core), at
    most 8; at least 1."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


@app.command()
def serve(
    db: DbOpt = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    kb_files: KbOpt = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, max=64, help="Server processes (default: one per core, at most 8)."),
    ] = None,
    threads: Annotated[
        int, typer.Option(min=1, max=256, help="Request threads per process (more only add GIL contention).")
    ] = THREADS,
) -> None:
    """Serve the web app (/) and the JSON API (/api, OpenAPI at /api/openapi.json)."""
    import uvicorn

    from marsad.web import create_app
    from marsad.web.app import serve_app

    sock = listen(host, port)
    try:
        kb = load_kb(kb_files or [])
        url = db or os.environ.get("MARSAD_DB") or DEFAULT_DB
        with read.opened(url) as store:
            # the index is derived from the store, so building or catching it up here is safe
            catch_up_index(store, kb, wait=5.0)
        web = create_app(url, kb=kb, threads=threads)  # also checks the store before any worker starts
        n = workers or default_workers()
        shown = f"[{host}]" if ":" in host else host
        err_console.print(
            f"Marsad on http://{shown}:{port}/ (store {redact(url)}, read-only"
            + (f", {n} worker processes)" if n > 1 else ")"),
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
        options: dict[str, Any] = {"host": host, "port": port, "log_level": "warning", "access_log": False}
        if n == 1:
            uvicorn.Server(uvicorn.Config(web, **options)).run(sockets=[sock])
        else:
            from uvicorn.supervisors import Multiprocess

            # each worker builds its own app (its own store connections, KB, index) and accepts on the
            # socket bound here; uvicorn's supervisor restarts a worker that dies and stops them all on
            # Ctrl-C or SIGTERM
            factory = functools.partial(serve_app, url, list(kb_files or []), threads)
            config = uvicorn.Config(factory, factory=True, workers=n, **options)
            Multiprocess(config, sockets=[sock]).run()
    finally:
        sock.close()
