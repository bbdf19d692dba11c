"""Health of a store and its index (what ``marsad check`` reports): is the store sound, and does the
search index cover it?

The store: the database's own integrity check (SQLite ``integrity_check`` + ``foreign_key_check``; on
PostgreSQL the server keeps its pages and there is nothing to run), the schema version, and counts that
must agree (every source points at a stored article and every article has a source, no mention or quote
of a missing article, known analysis states). The index: present and readable, its watermark against
``store.current_rev()``, articles that failed to index, and its document counts against the store's.

Each :class:`Finding` says what to run when it is a problem. Works on a store opened read-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marsad.errors import StoreDamaged
from marsad.search.build import index_lag, index_problem, read_sync_state
from marsad.search.engine import SearchIndex
from marsad.store import SQLiteStore, Store

REINDEX = "marsad reindex"
RESTORE = (
    "restore the store from a backup (or ingest the sources again into a new store), then `marsad reindex`"
)


@dataclass
class Finding:
    area: str  # "store" or "index"
    check: str
    ok: bool
    detail: str
    fix: str | None = None  # what to run


def _known_schema(store: Store) -> int:
    if isinstance(store, SQLiteStore):
        from marsad.store.migrations import SQLITE_MIGRATIONS

        return max(v for v, _ in SQLITE_MIGRATIONS)
    from marsad.store.pg_migrations import PG_MIGRATIONS

    return max(v for v, _ in PG_MIGRATIONS)


def check_store(store: Store) -> tuple[list[Finding], dict[str, int]]:
    out: list[Finding] = []
    try:
        problems = store.integrity_problems()
    except StoreDamaged as e:
        problems = [e.reason]
    if problems is None:
        out.append(Finding("store", "integrity", True, "kept by the database server (nothing to run here)"))
    elif problems:
        shown = "; ".join(" ".join(p.split()) for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        out.append(Finding("store", "integrity", False, f"the store file is damaged: {shown}{more}", RESTORE))
    else:
        out.append(Finding("store", "integrity", True, "no damaged pages, no broken references"))
    version, known = store.schema_version(), _known_schema(store)
    if version < known:
        detail = f"schema v{version}: the next ingest upgrades it to v{known}"
    else:
        detail = f"schema v{version}"
    out.append(Finding("store", "schema", version <= known, detail))
    try:
        c = store.check_counts()
    except StoreDamaged as e:
        out.append(Finding("store", "counts", False, e.reason, RESTORE))
        return out, {}
    out.append(
        Finding(
            "store",
            "totals",
            True,
            f"{c['articles']} articles, {c['sources']} sources, {c['mentions']} mentions, {c['quotes']} quotes",
        )
    )
    for key, what in (
        ("sources_without_article", "sources point at an article that is not stored"),
        ("articles_without_source", "articles have no source"),
        ("orphan_mentions", "mentions belong to an article that is not stored"),
        ("orphan_quotes", "quotes belong to an article that is not stored"),
    ):
        if c[key]:
            out.append(Finding("store", key, False, f"{c[key]} {what}", RESTORE))
    if c["analysis_failed"]:
        out.append(
            Finding(
                "store",
                "analysis",
                False,
                f"{c['analysis_failed']} articles whose analysis failed",
                "marsad reanalyze --failed (once the cause is fixed)",
            )
        )
    if c["analysis_unknown"]:
        out.append(
            Finding(
                "store",
                "analysis",
                False,
                f"{c['analysis_unknown']} articles in an unknown state",
                "marsad reanalyze",
            )
        )
    if c["analysis_pending"]:
        out.append(
            Finding(
                "store",
                "analysis",
                True,
                f"{c['analysis_pending']} articles stored without analysis (--no-analyze)",
                "marsad reanalyze --pending",
            )
        )
    if not (c["analysis_failed"] or c["analysis_unknown"] or c["analysis_pending"]):
        out.append(Finding("store", "analysis", True, "every article analysed"))
    if c["without_story"]:
        out.append(
            Finding(
                "store",
                "stories",
                True,
                f"{c['without_story']} articles wait for the story stage (the next ingest runs it)",
            )
        )
    return out, c


def check_index(store: Store, counts: dict[str, int]) -> list[Finding]:
    path = store.index_path
    problem = index_problem(path)
    if problem is not None:
        fix = f"{REINDEX} (search and serve also build it when there is none)"
        return [Finding("index", "present", False, f"{path}: {problem}", fix)]
    out = [Finding("index", "present", True, str(path))]
    lag = index_lag(store) or 0
    state = read_sync_state(path)
    rev = state.rev if state is not None else 0
    if lag:
        out.append(
            Finding(
                "index",
                "watermark",
                False,
                f"{lag} store revisions behind (covers revision {rev} of {rev + lag})",
                f"{REINDEX} (or any ingest, search or serve catches it up)",
            )
        )
    else:
        out.append(Finding("index", "watermark", True, f"covers the store's revision {rev}"))
    failed = len(state.failed) if state is not None else 0
    if failed:
        out.append(
            Finding("index", "failed", False, f"{failed} articles whose documents failed to index", REINDEX)
        )
    try:
        index = SearchIndex(path, _analyzer())
        docs = {"articles": index.count("article"), "quotes": index.count("quote")}
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as e:  # tantivy reports damage as ValueError, or panics
        out.append(Finding("index", "readable", False, f"cannot read it ({type(e).__name__}: {e})", REINDEX))
        return out
    if counts and not lag and not failed:
        for key in ("articles", "quotes"):
            if docs[key] != counts[key]:
                out.append(
                    Finding("index", key, False, f"holds {docs[key]} {key}, the store {counts[key]}", REINDEX)
                )
    if all(f.ok for f in out):
        out.append(
            Finding("index", "documents", True, f"{docs['articles']} articles, {docs['quotes']} quotes")
        )
    return out


def _analyzer() -> Any:
    from marsad.search.build import analyzer_for

    return analyzer_for()
