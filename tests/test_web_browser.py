"""The web app in real headless Chromium (Debian's /usr/bin/chromium driven by Playwright).

`marsad serve` runs as a subprocess on a free port over a store built from the seeds; every test saves
a screenshot under test-output/ (gitignored). Playwright never downloads a browser here: install
Chromium with scripts/install_browser.sh.
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

from .conftest import REPO
from .test_api import build_seed_store

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = REPO / "test-output" / "browser"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.e2e,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs /usr/bin/chromium: run scripts/install_browser.sh"
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = build_seed_store(tmp_path_factory.mktemp("browser"))
    port = _free_port()
    log = (tmp_path_factory.getbasetemp() / "serve.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "marsad", "serve", "--db", str(db), "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=os.environ | {"PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"marsad serve exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("marsad serve did not start within 60 s")
    yield url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            args=ARGS,
            headless=True,
            viewport={"width": 1200, "height": 900},
            locale="ar",
        )
        yield ctx
        ctx.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    p = browser.new_page()
    dialogs: list[str] = []
    p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    external: list[str] = []
    p.on("request", lambda r: None if r.url.startswith(server) else external.append(r.url))
    p.dialogs = dialogs
    p.external = external
    yield p
    assert not external, f"the page loaded something from outside: {external}"
    p.close()


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or {"width": 1200, "height": 900}
    top = {"x": 0, "y": 0, "width": size["width"], "height": size["height"]}
    page.screenshot(path=str(SHOTS / f"{name}.png"), clip=top)  # what a reader sees first
    page.screenshot(path=str(SHOTS / f"{name}-full.png"), full_page=True)


def test_home_is_rtl_with_the_arabic_font(page: Any, server: str) -> None:
    page.goto(server + "/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    page.wait_for_function("document.fonts.status === 'loaded'")
    assert page.evaluate("document.fonts.check('16px \"Noto Naskh Arabic\"', 'مرصد')")
    loaded = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)")
    assert any("Noto Naskh Arabic" in f for f in loaded)
    assert page.locator("a.title").count() > 0
    _shot(page, "home")


def test_story_page(page: Any, server: str) -> None:
    page.goto(server + "/")
    page.locator(".card a.title, .rows a.title").first.click()
    page.wait_for_load_state()
    if "/articles/" in page.url:
        pytest.fail("home lists stories when there are some")
    assert page.locator("h1").inner_text()
    assert page.locator("ol.timeline li").count() >= 1
    assert "مصدر مستقل" in page.locator("p.meta").first.inner_text()
    _shot(page, "story")


def test_peskov_page(page: Any, server: str) -> None:
    page.goto(server + "/entities/person:dmitry-peskov")
    assert "بيسكوف" in page.locator("h1").inner_text()
    assert page.locator("figure.chart svg rect").count() >= 1
    assert page.locator("ol.roles li").count() >= 1
    _shot(page, "peskov")


def test_search_highlights(page: Any, server: str) -> None:
    page.goto(server + "/search")
    page.fill("form.filters input[name=q]", "الرئيس الأمريكي")
    page.click("form.filters button[type=submit]")
    page.wait_for_selector("ol.results li")
    marks = page.locator("ol.results mark").all_inner_texts()
    assert any("الأميركي" in m or "الأمريكي" in m for m in marks), marks
    _shot(page, "search")


def test_search_name_chip_turns_off_and_on(page: Any, server: str) -> None:
    page.goto(server + "/search")
    page.fill("form.filters input[name=q]", "ترمب")
    page.click("form.filters button[type=submit]")
    page.wait_for_selector("ol.results li")
    chip = page.locator(".name-chips .chip").first.inner_text()
    assert "ترامب" in chip and "Trump" in chip, chip
    marks = page.locator("ol.results mark").all_inner_texts()
    assert any("ترامب" in m for m in marks), marks  # the other spelling is what the seeds hold
    _shot(page, "search-names")
    page.click("a.chip-toggle")
    page.wait_for_selector(".chip-off")
    assert page.locator("ol.results li").count() == 0
    assert "ترامب" in page.locator(".did-you-mean").inner_text()
    _shot(page, "search-names-exact")
    page.click("a.chip-toggle")
    page.wait_for_selector("ol.results li")


def test_mobile_layout(browser: Any, server: str) -> None:
    p = browser.new_page()
    p.set_viewport_size({"width": 390, "height": 844})
    p.goto(server + "/entities/person:dmitry-peskov")
    overflow = p.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, "no horizontal scrolling on a phone"
    _shot(p, "peskov-phone")
    p.close()


def test_hostile_article_shows_as_text(page: Any, server: str) -> None:
    page.goto(server + "/search?q=التصعيد&kind=articles")
    page.locator("ol.results a.title").first.click()
    page.wait_for_load_state()
    page.wait_for_timeout(300)
    assert "<script>alert(1)</script>" in page.locator("h1").inner_text()
    assert "<img src=x onerror=alert(1)>" in page.locator("div.body").inner_text()
    assert page.locator("div.body img, div.body script, h1 script").count() == 0
    assert page.dialogs == [], "a script from the article ran"
    _shot(page, "hostile")
