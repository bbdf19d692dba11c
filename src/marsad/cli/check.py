"""`marsad check`: renders :func:`marsad.health.check_store` and :func:`~marsad.health.check_index`.

Exit 0 when everything is sound, 1 when something was found (each finding says what to run), 2 when the
check cannot run at all (no such store, server unreachable). Opened read-only: it never changes anything.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import asdict

from marsad.cli.app import EXIT_INPUT_FAILED, app
from marsad.cli.options import DbOpt, JsonOpt
from marsad.cli.render import console, json_lines
from marsad.errors import StoreDamaged, StoreError
from marsad.health import RESTORE, Finding, check_index, check_store
from marsad.store import DEFAULT_DB, open_store
from marsad.store.base import redact


@app.command()
def check(db: DbOpt = None, json_out: JsonOpt = False) -> int:
    """Verify the store (integrity, schema, counts, analysis) and the search index (present, readable, up
    to date); print what was found and what to run. Exit 0 healthy, 1 problems found, 2 cannot run."""
    url = db or os.environ.get("MARSAD_DB") or DEFAULT_DB
    label = redact(url)
    findings: list[Finding] = []
    counts: dict[str, int] = {}
    try:
        store = open_store(url, readonly=True)
    except StoreDamaged as e:  # found, not "cannot run": the answer is the damage
        findings.append(Finding("store", "integrity", False, e.reason, RESTORE))
    else:
        try:
            found, counts = check_store(store)
            findings += found
            findings += check_index(store, counts)
        except StoreDamaged as e:
            findings.append(Finding("store", "readable", False, e.reason, RESTORE))
        finally:
            with contextlib.suppress(StoreError):
                store.close()
    healthy = all(f.ok for f in findings)
    if json_out:
        json_lines(
            [{"store": label, "healthy": healthy, "checks": [asdict(f) for f in findings], "counts": counts}]
        )
    else:
        for f in findings:
            mark = "ok     " if f.ok else "PROBLEM"
            line = f"{mark} {f.area} {f.check}: {f.detail}"
            if f.fix and not f.ok:
                line += f"\n        → run: {f.fix}"
            elif f.fix:
                line += f" (→ {f.fix})"
            console.print(line, markup=False, highlight=False, soft_wrap=True)
        n = sum(not f.ok for f in findings)
        console.print(
            f"{label}: healthy" if healthy else f"{label}: {n} problem{'s' if n > 1 else ''} found",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    return 0 if healthy else EXIT_INPUT_FAILED
