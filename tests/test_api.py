"""The JSON API and the HTML pages through FastAPI's TestClient, on a store built from the seeds, on both
store backends (SQLite, and PostgreSQL when MARSAD_TEST_PG_URL is set).

Tests that need the quote stage say so and skip while the pipeline stores no quotes.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import SEEDS, need, store_url

HOSTILE = """بيسكوف يحذر <script>alert(1)</script> من التصعيد
تاريخ النشر: 6th, September 2025 GMT
قال المتحدث باسم الكرملين دميتري بيسكوف إن "<img src=x onerror=alert(1)> الوضع خطير" في تصريح للصحفيين.
وأضاف بيسكوف أن <script>alert(2)</script> موسكو لن تقبل بأي شروط مسبقة.
"""
TEST_STORY = "story:test-peskov"


def build_seed_store(folder: Path, db: str | None = None) -> str:
    """Seeds + one hostile article, analysed, with a story (made here when clustering made none) and
    the search index, in the store ``db`` (default ``folder/seeds.db``). Returns the store's --db value.
    Shared with the browser tests."""
    from marsad import service
    from marsad.model import Story, StoryAssignment
    from marsad.pipeline import build_analyzer
    from marsad.search import sync_index
    from marsad.store import open_store

    need(SEEDS)
    hostile = folder / "hostile" / "hostile.txt"
    hostile.parent.mkdir(parents=True, exist_ok=True)
    hostile.write_text(HOSTILE, encoding="utf-8")
    db = db or str(folder / "seeds.db")
    st = open_store(db)
    try:
        inputs = [str(p) for p in sorted(SEEDS.glob("*.txt"))] + [str(hostile)]
        report = service.ingest(inputs, st, analyzer=build_analyzer())
        service.after_ingest(st, report)
        if st.count_stories() == 0:
            arts = [a for a in st.iter_articles() if "بيسكوف" in a.body and a.published]
            arts.sort(key=lambda a: (a.published.date() if a.published else None, a.id))  # type: ignore[arg-type]
            outlets = tuple(dict.fromkeys(a.outlet for a in arts if a.outlet))
            st.put_stories(
                [
                    Story(
                        id=TEST_STORY,
                        title="بيسكوف والمحادثات الروسية الأمريكية",
                        article_ids=tuple(a.id for a in arts),
                        first_seen=arts[0].published,
                        last_seen=arts[-1].published,
                        outlets=outlets,
                        independent_sources=len(outlets),
                        top_entities=("person:dmitry-peskov", "person:vladimir-putin"),
                        summary=("الكرملين يعلق على المحادثات مع واشنطن.",),
                    )
                ]
            )
            st.set_stories([StoryAssignment(article_id=a.id, story_id=TEST_STORY) for a in arts])
        assert not sync_index(st).failures  # the stories written here reach the index by revision
    finally:
        st.close()
    return db


@pytest.fixture(scope="module")
def seed_db(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp(f"api-{backend}")
    with store_url(backend, folder, "seeds") as url:
        yield build_seed_store(folder, url)


@pytest.fixture(scope="module")
def client(seed_db: str):  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette warns about its httpx-based client
        from fastapi.testclient import TestClient

    from marsad.web import create_app

    return TestClient(create_app(seed_db), raise_server_exceptions=False)


def _has_quotes(client) -> bool:  # type: ignore[no-untyped-def]
    return bool(client.get("/api/stats").json()["quotes"])


# ---- search --------------------------------------------------------------------------------------


def test_search_peskov_quotes_with_speaker_and_date(client) -> None:  # type: ignore[no-untyped-def]
    """Needs the quote stage."""
    if not _has_quotes(client):
        pytest.skip("needs quotes: the analysis pipeline stored none")
    r = client.get("/api/search", params={"q": "بيسكوف", "kind": "quotes", "limit": 50})
    assert r.status_code == 200
    items = r.json()["items"]
    assert items and all(i["kind"] == "quote" for i in items)
    peskov = [
        i
        for i in items
        if i["quote"]["speaker"] and i["quote"]["speaker"]["entity_id"] == "person:dmitry-peskov"
    ]
    assert peskov, "Peskov's quotes are found by his name"
    assert any(i["published"] for i in peskov)
    assert all(i["quote"]["speaker"]["name"] == "دميتري بيسكوف" for i in peskov)
    assert any("ضمانات" in i["quote"]["text"] for i in peskov)


def test_search_variant_spelling(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/api/search", params={"q": "الرئيس الأمريكي", "kind": "articles", "limit": 50})
    assert r.status_code == 200
    body = r.json()
    assert body["total"] >= 1
    ids = [i["article_id"] for i in body["items"]]
    texts = [client.get(f"/api/articles/{i}").json() for i in ids]
    assert any("الأميركي" in (t["title"] or "") + t["body"] for t in texts)
    assert any("<mark>" in i["snippet_html"] or "<mark>" in i["title_html"] for i in body["items"])


def test_search_filters_and_pagination(client) -> None:  # type: ignore[no-untyped-def]
    full = client.get("/api/search", params={"q": "موسكو", "kind": "articles", "limit": 100}).json()
    assert full["total"] >= 3
    p1 = client.get("/api/search", params={"q": "موسكو", "kind": "articles", "limit": 2, "page": 1}).json()
    p2 = client.get("/api/search", params={"q": "موسكو", "kind": "articles", "limit": 2, "page": 2}).json()
    assert p1["has_more"] and len(p1["items"]) == 2
    assert not {i["article_id"] for i in p1["items"]} & {i["article_id"] for i in p2["items"]}
    dated = client.get(
        "/api/search", params={"q": "موسكو", "since": "2025-01-01", "until": "2025-12-31", "kind": "articles"}
    ).json()
    assert dated["items"] and all(i["published"][:4] >= "2025" for i in dated["items"])
    story = client.get("/api/search", params={"q": "", "story": TEST_STORY, "kind": "articles"}).json()
    stories = client.get("/api/stories").json()["items"]
    if any(s["id"] == TEST_STORY for s in stories):
        assert story["total"] == next(s["size"] for s in stories if s["id"] == TEST_STORY)
    by_entity = client.get("/api/search", params={"entity": "بيسكوف", "kind": "articles"}).json()
    assert by_entity["total"] >= 3


def test_hostile_text_is_escaped_in_json_snippets(client) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/api/search", params={"q": "التصعيد"}).json()
    html = "".join(i["title_html"] + i["snippet_html"] for i in body["items"])
    assert "&lt;script&gt;" in html and "<script>" not in html


# ---- resources -----------------------------------------------------------------------------------


def test_articles_list_and_detail(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/api/articles", params={"limit": 3})
    assert r.status_code == 200
    page = r.json()
    assert page["total"] >= 9 and len(page["items"]) == 3 and page["has_more"]
    one = client.get(f"/api/articles/{page['items'][0]['id']}").json()
    assert one["body"] and isinstance(one["mentions"], list)
    for m in one["mentions"]:
        assert one["body"][m["start"] : m["end"]] == m["text"]


def test_story_detail(client) -> None:  # type: ignore[no-untyped-def]
    stories = client.get("/api/stories", params={"order": "size"}).json()["items"]
    assert stories
    s = client.get(f"/api/stories/{stories[0]['id']}").json()
    assert s["articles"] and s["independent_sources"] >= 1
    days = [a["day"] for a in s["articles"] if a["day"]]
    assert days == sorted(days)
    assert isinstance(s["quotes"], list) and isinstance(s["entities"], list)
    # who reported it: known sources only, the first dated article with its date's precision and source
    assert s["independent_sources"] == sum(g["source"] is not None for g in s["sources"])
    assert s["unknown_sources"] == sum(g["source"] is None for g in s["sources"])
    f = s["first_reported"]
    assert f is not None and f["published"][:10] == min(days) and f["precision"] == "day"
    assert f["article_id"] in {a["id"] for a in s["articles"]} and f["date_source"]


def test_story_page_lists_sources_and_the_first_one(client) -> None:  # type: ignore[no-untyped-def]
    stories = client.get("/api/stories", params={"order": "size"}).json()["items"]
    s = client.get(f"/api/stories/{stories[0]['id']}").json()
    page = client.get(f"/stories/{s['id']}").text
    assert "أول من نشر" in page and f"/articles/{s['first_reported']['article_id']}" in page
    for g in s["sources"]:
        assert (g["name"] or "مصدر غير معروف") in page


def test_entity_profile(client) -> None:  # type: ignore[no-untyped-def]
    by_name = client.get("/api/entities/بيسكوف")
    assert by_name.status_code == 200
    e = by_name.json()
    assert e["id"] == "person:dmitry-peskov" and e["articles"] >= 3
    assert any(r["office"] == "spokesperson:kremlin" for r in e["roles"])
    assert sum(p["count"] for p in e["mentions_over_time"]) >= 3
    assert e["co_mentions"] and e["co_mentions"][0]["id"] != e["id"]
    assert (
        client.get("/api/entities/person:dmitry-peskov/mentions", params={"bucket": "day"}).status_code == 200
    )
    assert client.get("/api/entities/person:dmitry-peskov/co-mentions").json()
    if _has_quotes(client):
        days = [q["day"] for q in e["quotes"] if q["day"]]
        assert days == sorted(days)


def test_quotes_endpoint(client) -> None:  # type: ignore[no-untyped-def]
    """Needs the quote stage."""
    if not _has_quotes(client):
        pytest.skip("needs quotes: the analysis pipeline stored none")
    r = client.get("/api/quotes", params={"speaker": "person:dmitry-peskov", "limit": 5})
    assert r.status_code == 200
    items = r.json()["items"]
    assert items and all(i["speaker"]["entity_id"] == "person:dmitry-peskov" for i in items)


def test_stats_storylines_openapi(client) -> None:  # type: ignore[no-untyped-def]
    st = client.get("/api/stats").json()
    assert st["articles"] >= 9 and st["index"]["articles"] == st["articles"]
    assert client.get("/api/storylines").status_code == 200
    spec = client.get("/api/openapi.json").json()
    assert "/api/search" in spec["paths"] and "/api/entities/{entity}" in spec["paths"]
    assert client.get("/docs").status_code == 404  # Swagger UI would load a CDN


# ---- bad input: 4xx with a message, never 500 ------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/articles?since=2025-13-01", 422),
        ("/api/articles?since=yesterday", 422),
        ("/api/articles?limit=101", 422),
        ("/api/articles?limit=0", 422),
        ("/api/articles?page=-1", 422),
        ("/api/articles?page=99999999999999999999999", 422),
        ("/api/search?q=" + "ب" * 501, 422),
        ("/api/search?q=" + "+".join(["كلمة"] * 40), 400),
        ("/api/search?kind=videos", 422),
        ("/api/search?stance=angry", 422),
        ("/api/search?sort=random", 422),
        ("/api/search?entity=" + "نكرة", 404),
        ("/api/search?speaker=" + "x" * 201, 422),
        ("/api/articles/nope", 404),
        ("/api/stories/nope", 404),
        ("/api/storylines/nope", 404),
        ("/api/entities/nobody-at-all", 404),
        ("/api/entities/person:dmitry-peskov/mentions?bucket=year", 422),
        ("/api/quotes?speaker=nobody-at-all", 404),
        ("/api/nope", 404),
    ],
)
def test_bad_parameters_are_4xx_json(client, url: str, status: int) -> None:  # type: ignore[no-untyped-def]
    r = client.get(url)
    assert r.status_code == status, r.text
    body = r.json()
    assert body["error"] and "detail" in body


@pytest.mark.parametrize(
    "q",
    ['"', "((", "OR", "-", "NOT NOT", "<script>", "'; DROP TABLE articles; --", "\x00", "* ? ~ ^ :", "٣٤٥"],
)
def test_odd_queries_never_fail(client, q: str) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/api/search", params={"q": q})
    assert r.status_code == 200, r.text


# ---- HTML pages ------------------------------------------------------------------------------------


def test_pages_render_rtl(client) -> None:  # type: ignore[no-untyped-def]
    story_id = client.get("/api/stories").json()["items"][0]["id"]
    article_id = client.get("/api/articles", params={"limit": 1}).json()["items"][0]["id"]
    for url in [
        "/",
        f"/stories/{story_id}",
        "/entities/person:dmitry-peskov",
        f"/articles/{article_id}",
        "/search?q=بوتين",
    ]:
        r = client.get(url)
        assert r.status_code == 200, url
        assert '<html dir="rtl" lang="ar">' in r.text
        assert "http://" not in r.text.split("<body>")[0] and "https://" not in r.text.split("<body>")[0]
    assert "<svg" in client.get("/entities/person:dmitry-peskov").text
    assert 'class="mention" href="/entities/' in client.get(f"/articles/{article_id}").text
    assert "<mark>" in client.get("/search?q=بوتين").text


def test_hostile_article_page_is_escaped(client) -> None:  # type: ignore[no-untyped-def]
    hits = client.get("/api/search", params={"q": "التصعيد", "kind": "articles"}).json()["items"]
    assert hits
    html = client.get(f"/articles/{hits[0]['article_id']}").text
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "onerror=alert(1)" in html  # shown as text


def test_html_errors(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/articles/nope")
    assert r.status_code == 404 and 'dir="rtl"' in r.text
    assert "تاريخ غير صالح" in client.get("/search?q=x&since=bad").text
    assert client.get("/search?q=x&since=&until=&kind=&stance=").status_code == 200


def test_static_font_is_served(client) -> None:  # type: ignore[no-untyped-def]
    css = client.get("/static/style.css")
    assert css.status_code == 200 and "Noto Naskh Arabic" in css.text
    font = client.get("/static/fonts/noto-naskh-arabic-arabic-400-normal.woff2")
    assert font.status_code == 200 and font.content[:4] == b"wOF2"


def test_reindex_while_serving(client, seed_db: str) -> None:  # type: ignore[no-untyped-def]
    from marsad.search import rebuild_index
    from marsad.store import open_store

    before = client.get("/api/search", params={"q": "بوتين"}).json()["total"]
    st = open_store(seed_db, readonly=True)
    try:
        rebuild_index(st)  # swaps a new folder in under the running app
    finally:
        st.close()
    assert client.get("/api/search", params={"q": "بوتين"}).json()["total"] == before > 0


def test_search_page_pager(client) -> None:  # type: ignore[no-untyped-def]
    import html as htmlmod
    import re

    first = client.get("/search", params={"q": "بوتين"}).text
    link = re.search(r'rel="next" href="([^"]+)"', first)
    assert link, "more than one page of results for بوتين in the seeds"
    second = client.get("/search" + htmlmod.unescape(link.group(1)))
    assert second.status_code == 200 and "صفحة 2" in second.text


def test_search_knows_names_with_a_chip_to_turn_it_off(client) -> None:  # type: ignore[no-untyped-def]
    import html as htmlmod
    import re

    wide = client.get("/api/search", params={"q": "ترمب", "kind": "articles", "limit": 100}).json()
    typed = client.get("/api/search", params={"q": "ترامب", "kind": "articles", "limit": 100}).json()
    assert wide["total"] >= typed["total"] > 0 and wide["expanded"] is True
    assert wide["expansions"][0]["entity_ids"] == ["person:donald-trump"]
    exact = client.get("/api/search", params={"q": "ترمب", "exact": "true"}).json()
    assert exact["total"] == 0 and exact["expanded"] is False and exact["suggestions"]

    page = client.get("/search", params={"q": "ترمب"}).text
    chip = re.search(r'<span class="chip"[^>]*>(.*?)</span>', page, re.S)
    assert chip and "ترامب" in chip.group(1)
    off = re.search(r'class="chip-toggle" href="([^"]+)"', page)
    assert off and "exact=1" in htmlmod.unescape(off.group(1))
    exact_page = client.get("/search" + htmlmod.unescape(off.group(1))).text
    assert "chip-off" in exact_page and "0 نتيجة" in exact_page
    assert 'class="did-you-mean"' in exact_page  # and a better spelling offered
    back = re.search(r'class="chip-toggle" href="([^"]+)"', exact_page)
    assert back and "exact" not in htmlmod.unescape(back.group(1))


# ---- concurrency ---------------------------------------------------------------------------------


@pytest.mark.slow  # over 1.5 s: the full suite runs it, the inner loop does not
def test_concurrent_requests_answer_as_sequential(client) -> None:  # type: ignore[no-untyped-def]
    """8 threads × 20 requests on one app (its per-thread store connections, the shared index and the
    cached aggregates): every answer is 200 and the same as when asked one at a time."""
    import threading

    from fastapi.testclient import TestClient

    story = client.get("/api/stories").json()["items"][0]["id"]
    article = client.get("/api/articles").json()["items"][0]["id"]
    urls = [
        "/api/search?q=بوتين",
        "/api/search?q=بيسكوف&kind=quotes",
        "/api/articles?limit=5",
        f"/api/articles/{article}",
        "/api/stories",
        f"/api/stories/{story}",
        "/api/quotes?speaker=بيسكوف",
        "/api/stats",
        "/api/entities?type=person",
        "/",
        "/search?q=بوتين",
        f"/articles/{article}",
    ]

    def body(r) -> object:  # type: ignore[no-untyped-def]
        if r.headers["content-type"].startswith("application/json"):
            data = r.json()
            if isinstance(data, dict):
                data.pop("took_ms", None)  # a timing, not an answer
            return data
        return r.text

    expected = {u: body(client.get(u)) for u in urls}
    failures: list[str] = []

    def worker(n: int) -> None:
        own = TestClient(client.app, raise_server_exceptions=False)
        for i in range(20):
            u = urls[(n + i) % len(urls)]
            r = own.get(u)
            if r.status_code != 200 or body(r) != expected[u]:
                failures.append(f"{u}: {r.status_code}")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures


def test_cached_aggregates_follow_the_store(tmp_path: Path) -> None:
    """The stats and entity counts the app keeps between requests are dropped when the store changes."""
    from fastapi.testclient import TestClient

    from marsad import service
    from marsad.store import open_store
    from marsad.web import create_app

    need(SEEDS)
    seeds = sorted(SEEDS.glob("*.txt"))
    db = str(tmp_path / "grow.db")
    st = open_store(db)
    try:
        service.ingest([str(seeds[0])], st, analyzer=None)
        app = TestClient(create_app(db))
        first = app.get("/api/stats").json()["articles"]
        assert app.get("/api/stats").json()["articles"] == first  # the kept answer
        service.ingest([str(p) for p in seeds[1:]], st, analyzer=None)
    finally:
        st.close()
    assert app.get("/api/stats").json()["articles"] > first
