"""`marsad batch` on a real Dask cluster (a scheduler and two worker processes on 127.0.0.1) stores exactly
what the single-process `ingest` stores: the same articles, mentions, quotes and story assignments."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from marsad import service
from marsad.batch import AnalyzerSpec, BatchOptions, dask_client, run_batch
from marsad.model import Analysis, AnalysisState
from marsad.pipeline import build_analyzer
from marsad.store import open_store
from tests.conftest import ANT

pytestmark = pytest.mark.slow  # a Dask cluster per test: outside the inner loop (-m "not slow")

PG_URL = os.environ.get("MARSAD_TEST_PG_URL", "")
PER_FOLDER = 12  # ANT has 25 (outlet, category) folders: ~300 articles


def ant_sample(per_folder: int = PER_FOLDER) -> list[str]:
    """A few files from every outlet and category of ANT, in a stable order."""
    if not ANT.exists():
        pytest.skip(f"{ANT} is not available (shared data missing)")
    files: list[str] = []
    for outlet in sorted(p for p in ANT.iterdir() if p.is_dir()):
        for cat in sorted(p for p in outlet.iterdir() if p.is_dir()):
            files.extend(str(f) for f in sorted(cat.iterdir())[:per_folder])
    return files


def inputs_with_duplicate(tmp: Path, per_folder: int = PER_FOLDER) -> list[str]:
    """The sample plus a copy of one file under another name (the duplicate path) and a broken file."""
    files = ant_sample(per_folder)
    tmp.mkdir(parents=True, exist_ok=True)
    dup = tmp / "copy-of-first.txt"
    shutil.copyfile(files[0], dup)
    bad = tmp / "broken.json"
    bad.write_text('{"title": "x", "body": ', encoding="utf-8")
    return [*files, str(dup), str(bad)]


def snapshot(url: str) -> dict[str, Any]:
    """Everything the store holds that a batch could get wrong, in a comparable form."""
    st = open_store(url, readonly=True)
    try:
        arts = sorted(st.iter_articles(with_analysis=True), key=lambda a: a.id)
        stories = sorted((s.id, tuple(sorted(s.article_ids))) for s in st.iter_stories(limit=None))
        stats = st.stats()
        return {
            "articles": [
                (a.id, a.content_hash, a.source.key, a.title, a.body, a.published, a.outlet, a.parent_id)
                for a in arts
            ],
            "mentions": {a.id: a.mentions for a in arts},
            "quotes": {a.id: a.quotes for a in arts},
            # the ordered story step after the parallel stages must give the same stories as one process
            "story_of": {a.id: (a.story_id, a.storyline_id, a.duplicate_of) for a in arts},
            "stories": stories,
            "counts": (stats.articles, stats.sources, stats.mentions, stats.quotes, stats.stories),
        }
    finally:
        st.close()


def single_process(inputs: list[str], url: str) -> service.IngestReport:
    st = open_store(url)
    try:
        report = service.ingest(inputs, st, analyzer=build_analyzer())
        service.after_ingest(st, report)
        return report
    finally:
        st.close()


def batch(inputs: list[str], url: str, client: Any, **kw: Any) -> Any:
    st = open_store(url)
    try:
        return run_batch(inputs, st, client, AnalyzerSpec(), options=BatchOptions(chunk_size=10), **kw)
    finally:
        st.close()


def same_report(a: service.IngestReport, b: service.IngestReport) -> None:
    assert a.documents == b.documents
    for k in ("new", "updated", "unchanged", "duplicate"):
        assert a.counts[k] == b.counts[k], k
    assert sorted(a.failures) == sorted(b.failures)
    assert a.new_ids == b.new_ids  # the same order: what after_ingest sees is the same


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    pytest.importorskip("distributed")
    with dask_client(None, workers=2) as c:
        assert len(c.nthreads()) == 2
        yield c


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return inputs_with_duplicate(tmp_path_factory.mktemp("extra"))


@pytest.fixture(scope="module")
def sqlite_reference(corpus: list[str], tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    url = f"sqlite:///{tmp_path_factory.mktemp('ref') / 'ref.db'}"
    report = single_process(corpus, url)
    return report, snapshot(url)


def pg_schema_url(tag: str) -> str:
    if not PG_URL:
        pytest.skip("MARSAD_TEST_PG_URL is not set")
    schema = f"batch_{tag}_{uuid.uuid4().hex[:10]}"
    return f"{PG_URL}{'&' if '?' in PG_URL else '?'}schema={schema}"


def drop_pg_schema(url: str) -> None:
    import psycopg

    from marsad.store.postgres import _split_params

    conninfo, schema, _ = _split_params(url)
    with psycopg.connect(conninfo, autocommit=True) as con:
        con.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def test_batch_equals_single_process_sqlite(
    corpus: list[str], client: Any, sqlite_reference: tuple[Any, Any], tmp_path: Path
) -> None:
    ref_report, ref = sqlite_reference
    assert ref_report.counts["new"] >= 250 and ref_report.counts["duplicate"] >= 1 and ref_report.failed == 1
    url = f"sqlite:///{tmp_path / 'batch.db'}"
    seen: list[int] = []
    res = batch(corpus, url, client, progress=lambda n, label: seen.append(n))
    assert res.workers == 2 and res.chunks > 2
    same_report(res.report, ref_report)
    assert sum(seen) == len(corpus)  # the progress bar reaches its total
    got = snapshot(url)
    assert got == ref
    assert sum(map(len, got["quotes"].values())) > 0 and sum(map(len, got["mentions"].values())) > 0

    again = batch(corpus, url, client)  # idempotent: nothing stored twice
    assert again.report.counts["new"] == 0
    assert again.report.counts["unchanged"] == ref_report.counts["new"] + ref_report.counts["duplicate"]
    assert snapshot(url) == ref


def test_interrupted_batch_completes_on_rerun(
    corpus: list[str], client: Any, sqlite_reference: tuple[Any, Any], tmp_path: Path
) -> None:
    _, ref = sqlite_reference
    url = f"sqlite:///{tmp_path / 'cut.db'}"

    def stop(index: int) -> None:
        if index == 4:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        batch(corpus, url, client, on_chunk_written=stop)
    partial = snapshot(url)
    assert 0 < partial["counts"][0] < ref["counts"][0]
    # what an earlier --no-analyze run (or an old store) leaves: an article waiting for its analysis
    st = open_store(url)
    some = next(iter(st.iter_articles(with_analysis=False)))
    st.put_analyses([Analysis(article_id=some.id, state=AnalysisState.PENDING)])
    st.close()
    res = batch(corpus, url, client)
    assert res.resumed
    assert snapshot(url) == ref


@pytest.mark.postgres
def test_batch_equals_single_process_postgres(corpus: list[str], client: Any) -> None:
    ref_url, url = pg_schema_url("ref"), pg_schema_url("dask")
    try:
        ref_report = single_process(corpus, ref_url)
        res = batch(corpus, url, client)
        same_report(res.report, ref_report)
        assert snapshot(url) == snapshot(ref_url)
        again = batch(corpus, url, client)
        assert again.report.counts["new"] == 0
        assert snapshot(url) == snapshot(ref_url)
    finally:
        drop_pg_schema(ref_url)
        drop_pg_schema(url)


def test_cli_batch_summary(tmp_path: Path) -> None:
    """The command itself (its own local cluster, one worker) on a handful of files."""
    from marsad.cli import main

    files = ant_sample(1)[:6]
    db = tmp_path / "cli.db"
    rc = main(["batch", *files, str(tmp_path / "missing"), "--db", str(db), "--workers", "1", "--json"])
    assert rc == 1  # one input failed, the rest was stored
    st = open_store(str(db), readonly=True)
    assert st.count_articles() == 6
    st.close()
