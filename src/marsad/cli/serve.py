"""`marsad serve`: the JSON API and the web app over a store, read-only."""

from __future__ import annotations

from typing import Annotated

import typer

from marsad.cli.app import app
from marsad.cli.options import DbOpt, KbOpt
from marsad.cli.render import err_console
from marsad.entities import load_kb
from marsad.search import SearchIndex, index_path_for, rebuild_index
from marsad.store import open_store


@app.command()
def serve(
    db: DbOpt = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    kb_files: KbOpt = None,
) -> None:
    """Serve the web app (/) and the JSON API (/api, OpenAPI at /api/openapi.json)."""
    import uvicorn

    from marsad.web import create_app

    kb = load_kb(kb_files or [])
    store = open_store(db, readonly=True)
    try:
        if not SearchIndex.usable(index_path_for(store)):
            # the index is derived from the store, so building it here is safe and saves a step
            err_console.print("building the search index…")
            rebuild_index(store, kb=kb)
        path = store.path
    finally:
        store.close()
    web = create_app(path, kb=kb)
    err_console.print(f"Marsad on http://{host}:{port}/ (store {path}, read-only)")
    uvicorn.run(web, host=host, port=port, log_level="warning", access_log=False)
