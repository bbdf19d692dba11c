"""Search: query parsing, Arabic keys, highlighting, and the index over the seeds (store + tantivy), on
both store backends; keeping the index in sync with the store by revision."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from marsad.entities import load_kb
from marsad.search import (
    QueryError,
    SearchFilters,
    SearchPage,
    analyzer_for,
    index_lag,
    open_index,
    parse_query,
    rebuild_index,
    run_search,
    sync_index,
)
from marsad.search.build import SYNC_FILE, read_sync_state
from marsad.search.highlight import match_set, segments_html, snippet
from marsad.search.query import And, Not, Or, Phrase, Term
from marsad.store import Store, open_store

from .conftest import SEEDS, need, store_url

# ---- query parsing (pure) --------------------------------------------------------------------------


def test_parse_words_are_anded() -> None:
    assert parse_query("الرئيس الأمريكي") == And((Term("الرئيس"), Term("الأمريكي")))


def test_parse_phrase_or_not_and_groups() -> None:
    node = parse_query('(بوتين OR ترامب) -زيلينسكي "وقف إطلاق النار"')
    assert node == And(
        (
            Or((Term("بوتين"), Term("ترامب"))),
            Not(Term("زيلينسكي")),
            Phrase(("وقف", "إطلاق", "النار")),
        )
    )
    assert parse_query("بوتين NOT ترامب") == And((Term("بوتين"), Not(Term("ترامب"))))
    assert parse_query("+بوتين AND ترامب") == And((Term("بوتين"), Term("ترامب")))
    assert parse_query("«الأمم المتحدة»") == Phrase(("الأمم", "المتحدة"))


@pytest.mark.parametrize(
    "q", ['"', "((", ")", "OR", "NOT", "-", "---", "()", '"unclosed phrase', "AND OR NOT", "،؛؟"]
)
def test_parse_never_fails_on_odd_input(q: str) -> None:
    parse_query(q)  # no exception; may be None


def test_parse_limits() -> None:
    with pytest.raises(QueryError):
        parse_query("ب" * 501)
    with pytest.raises(QueryError):
        parse_query(" ".join(["كلمة"] * 40))


# ---- keys ------------------------------------------------------------------------------------------


def test_keys_fold_clitics_and_spelling_variants() -> None:
    an = analyzer_for(load_kb())
    assert an.keys("والرييس").exact == an.keys("رييس").exact == an.keys("للرييس").exact
    assert an.keys("الاميركي").exact == an.keys("امريكي").exact
    assert an.keys("الاميركيه").stem == an.keys("الامريكي").stem


def test_names_are_exact_and_keep_clitic_forms() -> None:
    an = analyzer_for(load_kb())
    putin = an.keys("بوتين")
    assert putin.name and putin.exact == "بوتين"
    assert an.keys("لبوتين").exact == "بوتين"  # one-letter clitic on a known name
    assert an.keys("فلسطين").exact == "فلسطين"  # not cut into ف + لسطين
    assert not an.keys("الرييس").name


# ---- highlighting ----------------------------------------------------------------------------------


def test_snippet_marks_original_text_and_escapes() -> None:
    an = analyzer_for(load_kb())
    text = "قال <b>الرئيسُ</b> الأميركي إن بوتين & غيره"
    ms = match_set(parse_query("رئيس أمريكي"), an)
    html = segments_html(snippet(text, ms, an))
    assert "<mark>الرئيسُ</mark>" in html and "<mark>الأميركي</mark>" in html
    assert "&lt;b&gt;" in html and "&amp;" in html and "<b>" not in html


def test_words_that_normalize_to_nothing() -> None:
    an = analyzer_for(load_kb())
    assert an.raw_keys("ء").exact == ""
    assert (
        segments_html(snippet("ء بوتين ـ", match_set(parse_query("بوتين"), an), an))
        == "ء <mark>بوتين</mark> ـ"
    )


def test_negated_words_are_not_marked() -> None:
    an = analyzer_for(load_kb())
    ms = match_set(parse_query("موسكو -بوتين"), an)
    html = segments_html(snippet("موسكو وبوتين", ms, an))
    assert html == "<mark>موسكو</mark> وبوتين"


# ---- the index over the seeds ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A store of ``backend`` holding the analysed seeds, and its index: the store's URL."""
    from marsad import service
    from marsad.pipeline import build_analyzer

    need(SEEDS)
    with store_url(backend, tmp_path_factory.mktemp(f"search-{backend}"), "seeds") as url:
        st = open_store(url)
        try:
            service.ingest([str(p) for p in sorted(SEEDS.glob("*.txt"))], st, analyzer=build_analyzer())
            rebuild_index(st)
        finally:
            st.close()
        yield url


@pytest.fixture(scope="module")
def seed_store(seed_url: str) -> Iterator[Store]:
    st = open_store(seed_url)
    yield st
    st.close()


def _search(st: Store, q: str, **kw: object) -> list[str]:
    page = run_search(st, open_index(st), q, SearchFilters(**kw), limit=100)  # type: ignore[arg-type]
    return [h.article_id for h in page.hits]


def _bodies(st: Store, ids: list[str]) -> list[str]:
    return [(a.title or "") + "\n" + a.body for a in (st.get_article(i) for i in ids) if a is not None]


def test_index_lives_where_the_store_says(seed_store: Store, seed_url: str, backend: str) -> None:
    path = seed_store.index_path
    if backend == "sqlite":
        assert path == Path(seed_url + ".index")  # beside the file: both move together
    else:
        assert path.name == "seeds.index"  # ?index= in the URL
    assert path.is_dir() and (path / SYNC_FILE).is_file()
    assert open_index(seed_store).count("article") == seed_store.count_articles()
    assert index_lag(seed_store) == 0


def test_variant_spelling_finds_the_other_spelling(seed_store: Store) -> None:
    ids = _search(seed_store, "الرئيس الأمريكي", kind="article")
    texts = _bodies(seed_store, ids)
    assert any("الأميركي" in t and "الأمريكي" not in t for t in texts), "أمريكي must find أميركي"


def test_clitic_forms_match(seed_store: Store) -> None:
    texts = _bodies(seed_store, _search(seed_store, "رئيس", kind="article"))
    assert any("والرئيس" in t or "للرئيس" in t or "الرئيس" in t for t in texts)


def test_names_do_not_match_through_stems(seed_store: Store) -> None:
    for text in _bodies(seed_store, _search(seed_store, "بوتين", kind="article")):
        assert "بوتين" in text


def test_phrase_and_boolean(seed_store: Store) -> None:
    phrase = set(_search(seed_store, '"ضمانات أمنية"', kind="article"))
    assert phrase and all(
        "ضمانات أمنية" in t or "الضمانات الأمنية" in t for t in _bodies(seed_store, list(phrase))
    )
    both = set(_search(seed_store, "بوتين", kind="article"))
    without = set(_search(seed_store, "بوتين -ترامب", kind="article"))
    assert without < both
    assert all("ترامب" not in t for t in _bodies(seed_store, list(without)))


def test_filters_and_pagination(seed_store: Store) -> None:
    from datetime import date

    idx = open_index(seed_store)
    all_hits = run_search(seed_store, idx, "موسكو", SearchFilters(kind="article"), limit=100)
    assert all_hits.total >= 3
    page1 = run_search(seed_store, idx, "موسكو", SearchFilters(kind="article"), limit=2, page=1)
    page2 = run_search(seed_store, idx, "موسكو", SearchFilters(kind="article"), limit=2, page=2)
    assert page1.total == all_hits.total and len(page1.hits) == 2
    assert not {h.article_id for h in page1.hits} & {h.article_id for h in page2.hits}
    late = run_search(
        seed_store, idx, "موسكو", SearchFilters(kind="article", since=date(2025, 1, 1)), limit=100
    )
    assert late.hits and all(h.published and h.published.date() >= date(2025, 1, 1) for h in late.hits)
    sky = run_search(seed_store, idx, "", SearchFilters(outlet="سكاي نيوز عربية"), limit=100)
    assert sky.hits and all(h.outlet == "سكاي نيوز عربية" for h in sky.hits)


def test_quotes_by_speaker(seed_store: Store) -> None:
    """Needs the quote stage (skips while the pipeline stores no quotes)."""
    if seed_store.stats().quotes == 0:
        pytest.skip("needs quotes: the analysis pipeline stored none")
    page = run_search(seed_store, open_index(seed_store), "بيسكوف", SearchFilters(kind="quote"), limit=50)
    assert page.hits and all(h.quote is not None for h in page.hits)
    speakers = {h.quote.speaker.entity_id for h in page.hits if h.quote and h.quote.speaker}
    assert "person:dmitry-peskov" in speakers
    by_filter = run_search(
        seed_store,
        open_index(seed_store),
        "",
        SearchFilters(speakers=("person:dmitry-peskov",), kind="quote"),
    )
    assert by_filter.total > 0


def test_cli_search_and_reindex(seed_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    from marsad.cli import main

    db = seed_url
    assert main(["reindex", "--db", db]) == 0
    capsys.readouterr()
    assert (
        main(["search", "الرئيس الأمريكي", "--db", db, "--kind", "articles", "--json", "--limit", "3"]) == 0
    )
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows and all(r["kind"] == "article" for r in rows) and len(rows) <= 3
    assert main(["search", "بوتين", "--db", db, "--kind", "videos"]) == 2
    assert main(["search", "بوتين", "--db", db, "--since", "2025-02-30"]) == 2
    assert main(["search", "بوتين", "--db", db, "--entity", "لا أحد بهذا الاسم"]) == 2


# ---- keeping the index in sync with the store (by revision) ------------------------------------------


ARTICLE = """{title}
تاريخ النشر: 6th, September 2025 GMT
{body}
"""


def _write(folder: Path, name: str, title: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_text(ARTICLE.format(title=title, body=body), encoding="utf-8")
    return p


def _ingest(st: Store, *paths: Path) -> list[str]:
    """Store ``paths`` without analysis and without syncing the index (what a killed ingest leaves)."""
    from marsad import service

    return service.ingest([str(p) for p in paths], st, analyzer=None).new_ids


@pytest.fixture
def fresh(backend: str, tmp_path: Path) -> Iterator[Store]:
    with store_url(backend, tmp_path, "fresh") as url:
        st = open_store(url)
        yield st
        st.close()


def _indexed(st: Store) -> set[str]:
    return {
        h.article_id
        for h in run_search(st, open_index(st), "", SearchFilters(kind="article"), limit=100).hits
    }


def test_sync_builds_then_follows_revisions(fresh: Store, tmp_path: Path) -> None:
    from marsad.model import StoryAssignment

    docs = tmp_path / "docs"
    first = _ingest(fresh, _write(docs, "a.txt", "قمة في موسكو", "التقى الوفدان في موسكو لبحث التعاون."))
    assert index_lag(fresh) is None  # no index yet
    res = sync_index(fresh)
    assert res.rebuilt and res.indexed == 1 and not res.failures and res.rev == fresh.current_rev()
    assert read_sync_state(fresh.index_path) is not None and index_lag(fresh) == 0

    later = _ingest(fresh, _write(docs, "b.txt", "أمطار في الرياض", "هطلت أمطار غزيرة على الرياض أمس."))
    assert index_lag(fresh) and _indexed(fresh) == set(first)
    res = sync_index(fresh)
    assert not res.rebuilt and res.indexed == 1 and _indexed(fresh) == set(first + later)
    assert sync_index(fresh).indexed == 0  # nothing new: nothing re-read

    fresh.set_stories([StoryAssignment(article_id=later[0], story_id="story:rain")])
    assert index_lag(fresh)
    assert sync_index(fresh).indexed == 1
    hits = run_search(fresh, open_index(fresh), "", SearchFilters(story="story:rain"), limit=10).hits
    assert [h.article_id for h in hits] == later


def test_an_updated_article_replaces_the_old_one_in_the_index(fresh: Store, tmp_path: Path) -> None:
    from marsad import service

    docs = tmp_path / "docs"
    src = _write(docs, "a.txt", "زلزال في تركيا", "ضرب زلزال بقوة خمس درجات جنوب تركيا.")
    old = _ingest(fresh, src)
    sync_index(fresh)
    _write(docs, "a.txt", "زلزال في تركيا", "ضرب زلزال بقوة ست درجات جنوب تركيا وشعر به سكان سوريا.")
    report = service.ingest([str(src)], fresh, analyzer=None)
    assert report.counts["updated"] == 1
    ids = {a.id for a in fresh.iter_articles(with_analysis=False)}
    assert len(ids) == 1 and ids != set(old)  # a new version under a new id replaced the old one
    res = sync_index(fresh)
    assert res.indexed == 1 and _indexed(fresh) == ids and open_index(fresh).count("article") == 1
    assert _search(fresh, "سوريا") == list(ids) and not _search(fresh, "خمس")


def test_a_lost_watermark_write_only_repeats_work(fresh: Store, tmp_path: Path) -> None:
    """A kill between the tantivy commit and the watermark write: the next sync re-indexes the same
    articles, with no duplicate documents."""
    docs = tmp_path / "docs"
    _ingest(fresh, _write(docs, "a.txt", "اجتماع في القاهرة", "عقد وزراء الخارجية اجتماعا في القاهرة."))
    sync_index(fresh)
    start = read_sync_state(fresh.index_path)
    assert start is not None
    _ingest(fresh, _write(docs, "b.txt", "معرض في دبي", "افتتح في دبي معرض للكتاب بمشاركة واسعة."))
    sync_index(fresh)
    (fresh.index_path / SYNC_FILE).write_text(json.dumps({"rev": start.rev}), encoding="utf-8")
    assert sync_index(fresh).indexed >= 1
    assert open_index(fresh).count("article") == fresh.count_articles() == 2


def test_sync_rebuilds_an_index_it_cannot_trust(fresh: Store, tmp_path: Path) -> None:
    _ingest(fresh, _write(tmp_path / "d", "a.txt", "انتخابات في تونس", "بدأ التصويت في الانتخابات التونسية."))
    assert sync_index(fresh).rebuilt
    (fresh.index_path / SYNC_FILE).unlink()  # an index from before watermarks
    assert index_lag(fresh) is None and sync_index(fresh).rebuilt
    ahead = {"rev": fresh.current_rev() + 100, "failed": []}  # a store re-created under an old index
    (fresh.index_path / SYNC_FILE).write_text(json.dumps(ahead), encoding="utf-8")
    res = sync_index(fresh)
    assert res.rebuilt and open_index(fresh).count("article") == 1 and index_lag(fresh) == 0


def test_one_failing_article_does_not_stop_the_sync(
    fresh: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from marsad.search.engine import SearchIndex

    docs = tmp_path / "docs"
    _ingest(fresh, _write(docs, "ok.txt", "مباراة في جدة", "فاز الفريق في المباراة التي أقيمت في جدة."))
    sync_index(fresh)
    bad = _ingest(fresh, _write(docs, "bad.txt", "قمة في الدوحة", "انعقدت القمة في الدوحة بحضور القادة."))
    good = _ingest(fresh, _write(docs, "good.txt", "مؤتمر في عمان", "انطلق المؤتمر في عمان اليوم."))
    real = SearchIndex.documents

    def broken(self: SearchIndex, article):  # type: ignore[no-untyped-def]
        if article.id in bad:
            raise RuntimeError("boom")
        return real(self, article)

    monkeypatch.setattr(SearchIndex, "documents", broken)
    res = sync_index(fresh)
    assert res.indexed == 1 and len(res.failures) == 1
    label, reason = res.failures[0]
    assert label.endswith("bad.txt") and reason == "index: RuntimeError: boom"
    state = read_sync_state(fresh.index_path)
    assert state is not None and state.failed == bad and state.rev == fresh.current_rev()
    assert set(good) <= _indexed(fresh) and not set(bad) & _indexed(fresh)
    assert sync_index(fresh).failures  # still failing: still reported, still kept for a retry
    monkeypatch.setattr(SearchIndex, "documents", real)
    res = sync_index(fresh)  # nothing new in the store: the failed article alone is retried
    assert res.indexed == 1 and not res.failures and set(bad) <= _indexed(fresh)
    state = read_sync_state(fresh.index_path)
    assert state is not None and state.failed == []


def test_rebuild_reports_a_failing_article_and_keeps_the_rest(
    fresh: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from marsad.search.engine import SearchIndex

    docs = tmp_path / "docs"
    bad = _ingest(fresh, _write(docs, "bad.txt", "قمة في الدوحة", "انعقدت القمة في الدوحة بحضور القادة."))
    _ingest(fresh, _write(docs, "good.txt", "مؤتمر في عمان", "انطلق المؤتمر في عمان اليوم."))
    real = SearchIndex.documents

    def broken(self: SearchIndex, article):  # type: ignore[no-untyped-def]
        if article.id in bad:
            raise ValueError("odd data")
        return real(self, article)

    monkeypatch.setattr(SearchIndex, "documents", broken)
    res = rebuild_index(fresh)
    assert res.indexed == 1 and [r for _, r in res.failures] == ["index: ValueError: odd data"]
    monkeypatch.setattr(SearchIndex, "documents", real)
    assert sync_index(fresh).indexed == 1 and open_index(fresh).count("article") == 2


def test_a_busy_index_is_skipped_not_waited_for_forever(fresh: Store, tmp_path: Path) -> None:
    _ingest(fresh, _write(tmp_path / "d", "a.txt", "حريق في بيروت", "اندلع حريق في مرفأ بيروت."))
    sync_index(fresh)
    _ingest(fresh, _write(tmp_path / "d", "b.txt", "سباق في البحرين", "انطلق سباق السيارات في البحرين."))
    holder = open_index(fresh).writer(heap_mb=50, threads=1)  # another process holding the writer
    res = sync_index(fresh, wait=0.2)
    assert res.indexed == 0 and not res.failures and "busy" in res.notes[0][1]
    del holder
    assert sync_index(fresh).indexed == 1


def test_postgres_index_defaults_under_xdg_data_home(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if backend != "postgres":
        pytest.skip("PostgreSQL only: a SQLite index always lives beside its file")
    monkeypatch.delenv("MARSAD_INDEX", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    with store_url(backend, tmp_path, "xdg", index=False) as url:
        st = open_store(url)
        try:
            _ingest(st, _write(tmp_path / "d", "a.txt", "مهرجان في مراكش", "افتتح المهرجان في مراكش."))
            sync_index(st)
            assert st.index_path.is_relative_to(tmp_path / "xdg" / "marsad")
            assert _search(st, "مراكش")
        finally:
            st.close()


def test_rebuild_swaps_in_and_clears_what_a_killed_rebuild_left(fresh: Store, tmp_path: Path) -> None:
    _ingest(fresh, _write(tmp_path / "d", "a.txt", "قمة في بغداد", "انعقدت القمة العربية في بغداد."))
    path = fresh.index_path
    stale = path.with_name(f"{path.name}.new-{2**22 + 12345}")  # a pid no process has
    stale.mkdir(parents=True)
    assert rebuild_index(fresh).indexed == 1 and index_lag(fresh) == 0
    assert not stale.exists()
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name)) == [path.name]


# ---- names in any spelling ---------------------------------------------------------------------------


def _page(st: Store, q: str, **kw: object) -> SearchPage:
    return run_search(st, open_index(st), q, SearchFilters(kind="article"), limit=100, **kw)  # type: ignore[arg-type]


def test_a_name_in_any_spelling_finds_every_spelling_on_the_seeds(seed_store: Store) -> None:
    as_written = {h.article_id for h in _page(seed_store, "ترامب", expand=False).hits}
    assert as_written, "the seeds name Trump as ترامب"
    for spelling in ("ترمب", "Trump", "وترمب"):
        page = _page(seed_store, spelling)
        assert {h.article_id for h in page.hits} >= as_written, spelling
        assert [e.entity_ids for e in page.expansions] == [("person:donald-trump",)]
        assert page.expanded and "ترامب" in page.expansions[0].spellings
    exact = _page(seed_store, "ترمب", expand=False)
    assert exact.total == 0 and not exact.expanded and exact.expansions  # the chip can offer to widen it
    assert any("ترامب" in s for s in exact.suggestions)  # and "did you mean" names the spelling in use


SPELLINGS = {
    "a.txt": ("ترامب يلتقي وزراء", "التقى الرئيس ترامب وزراء حكومته في البيت الأبيض."),
    "b.txt": ("ترمب يغادر", "غادر ترمب العاصمة صباح الأحد متوجها إلى فلوريدا."),
    "c.txt": ("Trump speaks", "قال الرئيس Trump في خطاب مسجل إن الاقتصاد بخير."),
    "d.txt": ("خبر آخر", "عقد البرلمان جلسة لمناقشة الميزانية العامة للدولة."),
    "e.txt": ("صورة", "![](https://example.org/img/photo.jpg) وصل بيسكوف إلى القاعة متأخرا ثم بدأ المؤتمر."),
}


@pytest.fixture
def spelled(fresh: Store, tmp_path: Path) -> dict[str, str]:
    """A store whose articles each spell Trump differently; article id by file name."""
    ids = {}
    for name, (title, body) in SPELLINGS.items():
        ids[name] = _ingest(fresh, _write(tmp_path / "in", name, title, body))[0]
    sync_index(fresh)
    return ids


def test_every_spelling_finds_the_articles_of_every_spelling(fresh: Store, spelled: dict[str, str]) -> None:
    trump = {spelled["a.txt"], spelled["b.txt"], spelled["c.txt"]}
    for q in ("ترامب", "ترمب", "Trump", "trump"):
        page = _page(fresh, q)
        assert {h.article_id for h in page.hits} == trump, q
        for h in page.hits:  # each hit shows the spelling it matched, marked
            assert any(m for _, m in h.title_marked) or any(m for _, m in h.snippet), (q, h.title)
    # as typed: each spelling finds its own article only
    assert {h.article_id for h in _page(fresh, "ترمب", expand=False).hits} == {spelled["b.txt"]}
    assert {h.article_id for h in _page(fresh, '"ترمب"').hits} == {spelled["b.txt"]}  # quoted: exact
    assert {h.article_id for h in _page(fresh, "البرلمان").hits} == {spelled["d.txt"]}
    assert _page(fresh, "البرلمان").expansions == []  # not a name: nothing widened
    # a name excluded is excluded in every spelling
    assert {h.article_id for h in _page(fresh, "الرئيس -ترمب").hits} == set()


def test_did_you_mean_and_clean_snippets(fresh: Store, spelled: dict[str, str]) -> None:
    page = _page(fresh, "بيسكوب")
    assert page.total == 0 and page.suggestions == ["بيسكوف"]
    assert _page(fresh, "بيسكوف").suggestions == []  # found: no suggestion
    hit = _page(fresh, "بيسكوف").hits[0]
    text = "".join(t for t, _ in hit.snippet)
    assert "![](" not in text and "example.org" not in text and "بيسكوف" in text


def test_did_you_mean_offers_the_closest_attested_spelling_with_the_typed_clitics() -> None:
    from marsad.search.suggest import suggest

    vocab = {"رياض": 40, "ريال": 90, "روسي": 300, "روسيا": 900, "رياص": 0, "اردوغان": 30, "اردن": 200}

    def key(w: str) -> str:
        return w.removeprefix("ال")

    def run(q: str, names: list[str] | None = None) -> list[str]:
        return suggest(
            q, parse_query(q), key=key, doc_freq=lambda k: vocab.get(k, 0), names=lambda k: names or []
        )

    assert run("الرياص", ["رياض"]) == ["الرياض", "الريال"]  # the KB name first, then by frequency; ال kept
    assert run("الروسي الرياص")[0] == "الروسي الريال"  # a well-attested word is never "corrected"
    assert run("اردغان", ["اردوغان", "اردن"]) == ["اردوغان"]  # one edit beats two
    assert run("-الرياص") == []  # an excluded word is not corrected
