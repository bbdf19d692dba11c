"""The listing pages, charts and API docs in real headless Chromium, on a store of the seeds and on a small
store of ANT articles (a few per outlet and section: ~260): each page is right to left in Arabic, every
form control has a label, the charts are drawn (time right to left), nothing loads from outside; every
page leaves a screenshot under test-output/browser/ (``listing-<store>-<page>.png``).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from . import test_web_browser as wb
from .test_api import build_seed_store

pytestmark = wb.pytestmark
browser = wb.browser  # one Chromium for the module

PAGES = ["/", "/stories", "/quotes", "/entities", "/outlets", "/storylines"]
CHARTS = {"/": ["volume"], "/outlets": ["share"]}


def build_ant_store(folder: Path, per_folder: int = 10) -> str:
    """A few ANT articles of every outlet and section, analysed, with stories and the search index."""
    from marsad import service
    from marsad.pipeline import build_analyzer
    from marsad.search import sync_index
    from marsad.store import open_store

    from .test_batch import ant_sample

    db = str(folder / "ant.db")
    st = open_store(db)
    try:
        report = service.ingest(ant_sample(per_folder), st, analyzer=build_analyzer())
        service.after_ingest(st, report)
        assert not sync_index(st).failures
    finally:
        st.close()
    return db


def _serve(db: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = wb._free_port()
    out = log.open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "marsad", "serve", "--db", db, "--port", str(port), "--workers", "1"],
        stdout=out,
        stderr=subprocess.STDOUT,
        env=os.environ | {"PYTHONUNBUFFERED": "1"},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"marsad serve exited with {proc.returncode}: {log.read_text()[-500:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.2)
    proc.kill()
    pytest.fail("marsad serve did not start within 60 s")


@pytest.fixture(scope="module", params=["seeds", "ant"])
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """(store name, server URL)."""
    folder = tmp_path_factory.mktemp(f"browser-{request.param}")
    db = build_seed_store(folder) if request.param == "seeds" else build_ant_store(folder)
    proc, url = _serve(db, folder / "serve.log")
    yield request.param, url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def page(browser: Any, site: tuple[str, str]) -> Iterator[Any]:
    p = browser.new_page()
    external: list[str] = []
    p.on("request", lambda r: None if r.url.startswith(site[1]) else external.append(r.url))
    yield p
    assert not external, f"the page loaded something from outside: {external}"
    p.close()


UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(e => e.type !== 'hidden' && e.type !== 'submit')
  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
               && !e.getAttribute('aria-labelledby') && !e.title)
  .map(e => e.outerHTML)"""

CHART_OK = """(id) => {
  const svg = document.querySelector('figure.chart#' + id + ' svg[role=img]');
  if (!svg) return 'no svg';
  const t = svg.querySelector('title'), d = svg.querySelector('desc');
  if (!t || !t.textContent.trim() || !d || !d.textContent.trim()) return 'no title or desc';
  const r = svg.getBoundingClientRect();
  if (r.width < 200 || r.height < 60) return 'too small: ' + r.width + 'x' + r.height;
  return 'ok';
}"""

BARS_RIGHT_TO_LEFT = """(id) => {
  const bars = [...document.querySelectorAll('figure.chart#' + id + ' svg rect')];
  const xs = bars.map(b => b.getBoundingClientRect().left);
  return xs.length < 2 || xs[0] > xs[xs.length - 1];
}"""


def _check_page(p: Any, name: str) -> None:
    assert p.locator("html").get_attribute("lang") == "ar"
    assert p.locator("html").get_attribute("dir") == "rtl"
    assert p.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert p.evaluate(UNLABELLED) == [], "every form control has a label"
    for path in ["/stories", "/quotes", "/entities", "/outlets", "/storylines"]:
        assert p.locator(f'nav.nav a[href="{path}"]').count() == 1
    overflow = p.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, "no horizontal scrolling"
    wb._shot(p, name)


@pytest.mark.parametrize("path", PAGES)
def test_listing_pages(page: Any, site: tuple[str, str], path: str) -> None:
    store, url = site
    page.goto(url + path)
    _check_page(page, f"listing-{store}-{path.strip('/') or 'home'}")
    for chart in CHARTS.get(path, []):
        assert page.evaluate(CHART_OK, chart) == "ok", chart
    if path == "/":
        assert page.evaluate(BARS_RIGHT_TO_LEFT, "volume")
    else:
        since = page.locator("form.filters input[name=since]")
        assert since.get_attribute("placeholder") == "YYYY-MM-DD" and since.get_attribute("dir") == "ltr"
        assert page.locator("p.results-count").count() == 1
        assert page.locator('p.results-count a:text("CSV")').count() == 1


def test_story_and_entity_charts(page: Any, site: tuple[str, str]) -> None:
    store, url = site
    page.goto(url + "/stories?order=size")
    page.locator("ul.cards a.title").first.click()
    page.wait_for_load_state()
    assert page.evaluate(CHART_OK, "coverage") == "ok"
    _check_page(page, f"listing-{store}-story")
    page.goto(url + "/entities?type=person")
    page.locator("table.listing a").first.click()
    page.wait_for_load_state()
    assert page.evaluate(CHART_OK, "mentions") == "ok"
    assert page.evaluate(BARS_RIGHT_TO_LEFT, "mentions")
    assert page.evaluate(CHART_OK, "network") == "ok"
    assert page.locator("figure#network svg a").count() >= 2
    _check_page(page, f"listing-{store}-person")


def test_filters_and_shortcuts(page: Any, site: tuple[str, str]) -> None:
    store, url = site
    page.goto(url + "/quotes")
    before = page.locator("p.results-count").inner_text()
    page.locator("nav.shortcuts a", has_text="هذا الأسبوع").click()
    page.wait_for_load_state()
    assert "period=week" in page.url
    assert page.locator("nav.shortcuts a[aria-current]").inner_text() == "هذا الأسبوع"
    assert page.locator("p.window time").count() == 2  # the week's days, in Arabic
    page.select_option("form.filters select[name=stance]", "statement")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert "stance=statement" in page.url and "period=week" in page.url
    assert (
        page.locator("ul.quotes .stance").all_inner_texts()
        == ["تصريح"] * page.locator("ul.quotes li").count()
    )
    _shot_name = f"listing-{store}-quotes-week-statements"
    wb._shot(page, _shot_name)
    assert before


def test_api_docs_render_offline(page: Any, site: tuple[str, str]) -> None:
    store, url = site
    if store != "seeds":
        pytest.skip("the docs do not depend on the store")
    page.goto(url + "/api/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    assert page.locator(".opblock-summary-path", has_text="/api/quotes").count() >= 1
    wb._shot(page, "api-docs")
