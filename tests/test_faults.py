"""Faults during a batch: a worker process killed, the PostgreSQL server restarted. The run finishes (or a
re-run completes it) and the store equals the undisturbed run: nothing lost, nothing stored twice."""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from marsad.batch import AnalyzerSpec, BatchOptions, dask_client, run_batch
from marsad.store import open_store
from tests.conftest import REPO
from tests.test_batch import inputs_with_duplicate, single_process, snapshot

pytestmark = pytest.mark.slow  # a Dask cluster per test: outside the inner loop (-m "not slow")

SCRIPT = REPO / "scripts" / "pg_test_server.sh"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return inputs_with_duplicate(tmp_path_factory.mktemp("extra"), per_folder=6)


@pytest.fixture(scope="module")
def reference(corpus: list[str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    url = f"sqlite:///{tmp_path_factory.mktemp('ref') / 'ref.db'}"
    single_process(corpus, url)
    return snapshot(url)


@pytest.fixture
def client() -> Iterator[Any]:
    pytest.importorskip("distributed")
    with dask_client(None, workers=2) as c:
        yield c


def test_worker_killed_mid_batch(
    corpus: list[str], reference: dict[str, Any], client: Any, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'killed.db'}"
    pids: dict[str, int] = client.run(os.getpid)
    assert len(pids) == 2
    killed: list[int] = []

    def kill_one(index: int) -> None:
        if index == 2 and not killed:  # tasks are running on both workers now
            victim = sorted(pids.values())[0]
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

    st = open_store(url)
    try:
        res = run_batch(
            corpus, st, client, AnalyzerSpec(), options=BatchOptions(chunk_size=8), on_chunk_written=kill_one
        )
    finally:
        st.close()
    assert killed
    assert res.report.failed == 1  # only the broken file: no chunk was lost with the worker
    assert snapshot(url) == reference
    # the nanny replaced the dead worker
    deadline = time.monotonic() + 30
    while len(client.nthreads()) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert killed[0] not in client.run(os.getpid).values()


# ---- a private PostgreSQL server that the test may restart ----------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PrivatePG:
    """scripts/pg_test_server.sh with its own folder and port, so a restart disturbs no other test."""

    def __init__(self) -> None:
        self.dir = tempfile.mkdtemp(prefix="marsad-pg-faults-", dir="/tmp")  # postgres must reach it
        os.chmod(self.dir, 0o755)
        self.env = {**os.environ, "MARSAD_PG_DIR": self.dir, "MARSAD_PG_PORT": str(_free_port())}
        self.url = ""

    def _script(self, verb: str) -> str:
        out = subprocess.run(
            ["bash", str(SCRIPT), verb], env=self.env, capture_output=True, text=True, timeout=120, check=True
        )
        return out.stdout.strip()

    def start(self) -> str:
        self.url = self._script("start")
        return self.url

    def stop(self) -> None:
        self._script("stop")

    def restart(self, down_for: float) -> None:
        """Stop (fast: open transactions are aborted, clients disconnected), stay down, start again."""
        self.stop()
        time.sleep(down_for)
        self.start()

    def destroy(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def private_pg() -> Iterator[PrivatePG]:
    if not os.environ.get("MARSAD_TEST_PG_URL"):
        pytest.skip("MARSAD_TEST_PG_URL is not set (PostgreSQL tests are off)")
    if not (shutil.which("initdb") or glob.glob("/usr/lib/postgresql/*/bin/initdb")):
        pytest.skip("PostgreSQL server binaries are not installed")
    pg = PrivatePG()
    try:
        pg.start()
        yield pg
    finally:
        pg.destroy()


@pytest.mark.postgres
def test_postgres_restarted_mid_batch(corpus: list[str], client: Any, private_pg: PrivatePG) -> None:
    ref_url, url = f"{private_pg.url}?schema=reference", f"{private_pg.url}?schema=restarted"
    single_process(corpus, ref_url)
    reference = snapshot(ref_url)
    restarter: list[threading.Thread] = []
    retried: list[str] = []

    def restart_once(index: int) -> None:
        if index == 3 and not restarter:  # writes go on while the server is down
            t = threading.Thread(target=private_pg.restart, args=(3.0,))
            t.start()
            restarter.append(t)

    st = open_store(url)
    try:
        res = run_batch(
            corpus,
            st,
            client,
            AnalyzerSpec(),
            options=BatchOptions(chunk_size=8, write_deadline=90),
            on_chunk_written=restart_once,
            on_retry=lambda n, pause, e: retried.append(type(e).__name__),
        )
    finally:
        st.close()
        for t in restarter:
            t.join()
    assert restarter
    assert retried, "the restart was not noticed: no write was retried"
    counts = res.report.counts
    # a commit whose acknowledgement was lost in the restart would come back unchanged on the replay
    assert counts["new"] + counts["unchanged"] == reference["counts"][0]
    assert snapshot(url) == reference
    st = open_store(url)  # and a re-run stores nothing more
    try:
        again = run_batch(corpus, st, client, AnalyzerSpec(), options=BatchOptions(chunk_size=8))
    finally:
        st.close()
    assert again.report.counts["new"] == 0
    assert snapshot(url) == reference
