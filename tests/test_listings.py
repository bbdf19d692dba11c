"""The listing routes (``/api/stories``, ``/api/quotes``, ``/api/entities``, ``/api/outlets``,
``/api/storylines``), their exports and their HTML pages, through FastAPI's TestClient on the seeds store
(both backends, as ``tests/test_api.py``). Expected values are computed from the store's own records, not
written down."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, timedelta
from typing import Any

import pytest

from marsad.web.listing import ListingForm

from . import test_api

seed_db = test_api.seed_db  # the seeds store, on each backend (module fixture)
client = test_api.client

LISTINGS = ["stories", "quotes", "entities", "outlets", "storylines"]


def _all(client: Any, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a listing, page by page (checks the pages fit together on the way)."""
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        r = client.get(path, params={**params, "page": page, "limit": 3})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["page"] == page and body["limit"] == 3 and len(body["items"]) <= 3
        items += body["items"]
        if not body["has_more"]:
            return items
        assert len(body["items"]) == 3
        page += 1


@pytest.mark.parametrize("listing", LISTINGS)
def test_listing_is_a_page_object(client, listing: str) -> None:  # type: ignore[no-untyped-def]
    body = client.get(f"/api/{listing}").json()
    assert set(body) >= {"page", "limit", "has_more", "total", "items"}
    assert body["page"] == 1 and isinstance(body["items"], list) and body["items"]
    assert client.get(f"/api/{listing}", params={"page": 999}).json()["items"] == []


@pytest.mark.parametrize("listing", ["stories", "quotes", "outlets"])
def test_pagination_covers_the_total_once(client, listing: str) -> None:  # type: ignore[no-untyped-def]
    total = client.get(f"/api/{listing}").json()["total"]
    items = _all(client, f"/api/{listing}")
    assert len(items) == total
    keys = [json.dumps(i, sort_keys=True) for i in items]
    assert len(set(keys)) == len(keys), "a row on two pages"


def test_stories_filters(client) -> None:  # type: ignore[no-untyped-def]
    every = _all(client, "/api/stories")
    big = max(s["size"] for s in every)
    sized = _all(client, "/api/stories", min_size=big)
    assert sized and all(s["size"] >= big for s in sized)
    assert all(s["size"] <= 1 for s in _all(client, "/api/stories", max_size=1))
    by_size = client.get("/api/stories", params={"order": "size"}).json()["items"]
    assert [s["size"] for s in by_size] == sorted((s["size"] for s in by_size), reverse=True)
    # a day range keeps the stories whose span meets it
    last = max(s["last_seen"][:10] for s in every if s["last_seen"])
    recent = _all(client, "/api/stories", since=last)
    assert recent and all(s["last_seen"][:10] >= last for s in recent)
    # an entity keeps the stories with an article mentioning it
    peskov = _all(client, "/api/stories", entity="person:dmitry-peskov")
    assert 0 < len(peskov) <= len(every)
    for s in peskov:
        arts = client.get("/api/articles", params={"story": s["id"], "limit": 100}).json()["items"]
        assert any(
            "person:dmitry-peskov"
            in {e["id"] for e in client.get(f"/api/articles/{a['id']}").json()["entities"]}
            for a in arts
        )


def test_quotes_filters(client) -> None:  # type: ignore[no-untyped-def]
    every = _all(client, "/api/quotes")
    stances = {q["stance"] for q in every}
    for stance in stances:
        got = _all(client, "/api/quotes", stance=stance)
        assert len(got) == sum(q["stance"] == stance for q in every)
    by_id = _all(client, "/api/quotes", speaker="person:dmitry-peskov")
    assert by_id and all(q["speaker"]["entity_id"] == "person:dmitry-peskov" for q in by_id)
    by_name = _all(client, "/api/quotes", speaker="بيسكوف")  # a name: every entity it may mean
    assert {q["article_id"] for q in by_id} <= {q["article_id"] for q in by_name}
    outlet = next(q["outlet"] for q in every if q["outlet"])
    assert all(q["outlet"] == outlet for q in _all(client, "/api/quotes", outlet=outlet))
    days = sorted(q["day"] for q in every if q["day"])
    mid = days[len(days) // 2]
    later = _all(client, "/api/quotes", since=mid)
    assert later and all(q["day"] is None or q["day"] >= mid for q in later)
    assert len(later) < len(every)


def test_entities_and_outlets(client) -> None:  # type: ignore[no-untyped-def]
    people = client.get("/api/entities", params={"type": "person"}).json()["items"]
    assert people and all(e["type"] == "person" for e in people)
    counts = [e["articles"] for e in people]
    assert counts == sorted(counts, reverse=True)
    around = client.get("/api/entities", params={"entity": "person:dmitry-peskov"}).json()["items"]
    assert around[0]["id"] == "person:dmitry-peskov"  # every article in the filter mentions him
    outlets = client.get("/api/outlets").json()
    stats = client.get("/api/stats").json()
    named = {k: v for k, v in stats["outlets"].items() if not k.startswith("(")}
    assert outlets["total"] == len(named)
    assert {o["outlet"]: o["articles"] for o in outlets["items"]} == named
    assert sum(o["share"] for o in outlets["items"]) == pytest.approx(1, abs=0.01)


def test_storylines_listing(client) -> None:  # type: ignore[no-untyped-def]
    lines = client.get("/api/storylines").json()["items"]
    assert lines
    for line in lines:
        assert line["stories"] >= len(line["latest"]) >= 1
        member = client.get("/api/stories", params={"storyline": line["id"]}).json()
        assert member["total"] == line["stories"]


def test_period_shortcut_counts_back_from_the_last_day() -> None:
    form = ListingForm(period="week")
    today = date(2026, 1, 10)
    archive = form.resolved(date(2025, 9, 6), today)
    assert (archive.since, archive.until) == (date(2025, 8, 31), date(2025, 9, 6))
    live = ListingForm(period="24h").resolved(today, today)
    assert (live.since, live.until) == (today - timedelta(days=1), today)
    assert ListingForm(since=today).resolved(None, today).since == today


def test_period_on_the_api(client) -> None:  # type: ignore[no-untyped-def]
    last = client.get("/api/stats").json()["last_published"][:10]
    week = _all(client, "/api/quotes", period="week")
    cutoff = (date.fromisoformat(last) - timedelta(days=6)).isoformat()
    assert week and all(q["day"] is None or cutoff <= q["day"] <= last for q in week)


@pytest.mark.parametrize(
    "url",
    [
        "/api/stories?since=2025-13-01",
        "/api/stories?since=yesterday",
        "/api/quotes?stance=angry",
        "/api/quotes?since=2025-09-06&until=2025-09-01",
        "/api/stories?min_size=-1",
        "/api/stories?period=year",
        "/api/entities?type=animal",
        "/api/outlets?limit=101",
        "/api/export/articles",
        "/api/export/quotes?format=xml",
    ],
)
def test_bad_listing_parameters_are_422(client, url: str) -> None:  # type: ignore[no-untyped-def]
    r = client.get(url)
    assert r.status_code == 422, r.text
    assert r.json()["error"].startswith("invalid parameter")


def test_unknown_name_is_404_on_the_api_and_a_message_on_the_page(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/quotes", params={"speaker": "نكرة لا يعرفها أحد"}).status_code == 404
    r = client.get("/quotes", params={"speaker": "نكرة لا يعرفها أحد"})
    assert r.status_code == 200 and "غير معروف" in r.text


@pytest.mark.parametrize("listing", LISTINGS)
def test_export_csv_has_a_bom_and_every_row(client, listing: str) -> None:  # type: ignore[no-untyped-def]
    r = client.get(f"/api/export/{listing}", params={"format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    api = client.get(f"/api/{listing}", params={"limit": 100}).json()
    if not api["has_more"]:
        assert len(rows) == len(api["items"])
    assert any(any("\u0600" <= ch <= "\u06ff" for ch in "".join(map(str, r.values()))) for r in rows)


def test_export_jsonl_follows_the_filters(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/api/export/quotes", params={"format": "jsonl", "speaker": "person:dmitry-peskov"})
    lines = [json.loads(x) for x in r.text.splitlines()]
    assert lines and all(x["speaker_id"] == "person:dmitry-peskov" for x in lines)
    assert len(lines) == len(_all(client, "/api/quotes", speaker="person:dmitry-peskov"))


@pytest.mark.parametrize("listing", LISTINGS)
def test_listing_pages_render(client, listing: str) -> None:  # type: ignore[no-untyped-def]
    r = client.get(f"/{listing}")
    assert r.status_code == 200
    html = r.text
    assert '<html dir="rtl" lang="ar">' in html
    assert re.search(f'href="/api/export/{listing}[^"]*format=csv"', html)
    assert re.search(f'href="/api/{listing}[^"]*page=1"', html)
    for path in LISTINGS:
        assert f'href="/{path}"' in html  # the nav
    assert "period=24h" in html and "period=week" in html
    assert client.get(f"/{listing}", params={"since": "", "until": "", "period": ""}).status_code == 200


def test_listing_pager_and_filters_carry_over(client) -> None:  # type: ignore[no-untyped-def]
    total = client.get("/api/quotes").json()["total"]
    assert total > 20, "the seeds have more than a page of quotes"
    html = client.get("/quotes", params={"stance": "statement"}).text
    assert 'rel="next" href="/quotes?stance=statement&amp;page=2"' in html
    assert 'value="statement" selected' in html
    page2 = client.get("/quotes", params={"stance": "statement", "page": 2}).text
    assert 'rel="prev" href="/quotes?stance=statement&amp;page=1"' in page2


def test_every_page_links_to_the_listings(client) -> None:  # type: ignore[no-untyped-def]
    for url in ["/", "/search", "/entities/person:dmitry-peskov"]:
        html = client.get(url).text
        assert all(f'href="/{p}"' in html for p in LISTINGS), url


def test_api_docs_work_offline(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/api/docs").text
    assert "swagger-ui" in html and "http://" not in html and "https://" not in html
    for src in ("/api/docs-static/swagger-ui-bundle.js", "/api/docs-static/swagger-ui.css"):
        assert src in html
        r = client.get(src)
        assert r.status_code == 200 and len(r.content) > 10_000
    spec = client.get("/api/openapi.json").json()
    for listing in LISTINGS:
        assert f"/api/{listing}" in spec["paths"]
    assert "/api/export/{listing}" in spec["paths"]


def _figures(html: str) -> dict[str, str]:
    """The charts of a page by their id, each with its <title> and <desc>."""
    out = {}
    for m in re.finditer(r'<figure class="chart" id="([^"]+)">(.*?)</figure>', html, re.S):
        assert re.search(r'<svg [^>]*role="img"', m.group(2)), m.group(1)
        assert "<title id=" in m.group(2) and "<desc id=" in m.group(2), m.group(1)
        out[m.group(1)] = m.group(2)
    return out


def test_pages_draw_their_charts(client) -> None:  # type: ignore[no-untyped-def]
    home = _figures(client.get("/").text)
    assert "volume" in home and "<rect" in home["volume"]
    largest = client.get("/api/stories", params={"order": "size", "limit": 1}).json()["items"][0]
    story = _figures(client.get(f"/stories/{largest['id']}").text)
    assert "coverage" in story and 'class="chart-keys"' in story["coverage"]
    assert "story-network" in story and "/entities/" in story["story-network"]
    entity = _figures(client.get("/entities/person:dmitry-peskov").text)
    assert {"mentions", "network"} <= set(entity)
    assert "/entities/person:dmitry-peskov" in entity["network"]
    if client.get("/api/quotes", params={"speaker": "person:dmitry-peskov"}).json()["total"]:
        assert "stances" in entity
    outlets = _figures(client.get("/outlets").text)
    assert "share" in outlets and "%" in outlets["share"]
    assert "share" not in _figures(client.get("/outlets", params={"page": 2}).text)


def test_dates_are_arabic_and_no_dot_dangles(client) -> None:  # type: ignore[no-untyped-def]
    pages = ["/", "/stories", "/quotes", "/outlets", "/storylines", "/entities/person:dmitry-peskov"]
    months = "يناير|فبراير|مارس|أبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر"
    for url in pages:
        html = client.get(url).text
        body = html.split("<main>")[1].split("</main>")[0]
        for inner in re.findall(r"<time[^>]*>(.*?)</time>", body):
            assert re.fullmatch(rf"\d{{1,2}} ({months})( \d{{4}})?", inner), (url, inner)
        # a middle dot between two values only: never first, last or doubled in a line
        assert not re.search(r"·\s*(·|</(div|p|li|span)>)|<(div|p) class=\"meta[^\"]*\">\s*·", body), url
        assert not re.search(r"\b(1[1-9]|[2-9]\d) مقال\b", body), url  # 11–99 take مقالاً
