"""Search: query parsing, Arabic keys, highlighting, and the index over the seeds (store + tantivy)."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.entities import load_kb
from marsad.search import (
    QueryError,
    SearchFilters,
    analyzer_for,
    index_path_for,
    open_index,
    parse_query,
    rebuild_index,
    run_search,
    update_index,
)
from marsad.search.highlight import match_set, segments_html, snippet
from marsad.search.query import And, Not, Or, Phrase, Term
from marsad.store import open_store
from marsad.store.sqlite import SQLiteStore

from .conftest import SEEDS, need

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
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> SQLiteStore:
    from marsad import service
    from marsad.pipeline import build_analyzer

    need(SEEDS)
    db = tmp_path_factory.mktemp("search") / "seeds.db"
    st = open_store(str(db))
    service.ingest([str(p) for p in sorted(SEEDS.glob("*.txt"))], st, analyzer=build_analyzer())
    rebuild_index(st)
    return st


def _search(st: SQLiteStore, q: str, **kw: object) -> list[str]:
    page = run_search(st, open_index(st), q, SearchFilters(**kw), limit=100)  # type: ignore[arg-type]
    return [h.article_id for h in page.hits]


def _bodies(st: SQLiteStore, ids: list[str]) -> list[str]:
    return [(a.title or "") + "\n" + a.body for a in (st.get_article(i) for i in ids) if a is not None]


def test_index_lives_beside_the_store(seed_store: SQLiteStore) -> None:
    path = index_path_for(seed_store)
    assert path == Path(str(seed_store.path) + ".index") and path.is_dir()
    assert open_index(seed_store).count("article") == seed_store.count_articles()


def test_variant_spelling_finds_the_other_spelling(seed_store: SQLiteStore) -> None:
    ids = _search(seed_store, "الرئيس الأمريكي", kind="article")
    texts = _bodies(seed_store, ids)
    assert any("الأميركي" in t and "الأمريكي" not in t for t in texts), "أمريكي must find أميركي"


def test_clitic_forms_match(seed_store: SQLiteStore) -> None:
    texts = _bodies(seed_store, _search(seed_store, "رئيس", kind="article"))
    assert any("والرئيس" in t or "للرئيس" in t or "الرئيس" in t for t in texts)


def test_names_do_not_match_through_stems(seed_store: SQLiteStore) -> None:
    for text in _bodies(seed_store, _search(seed_store, "بوتين", kind="article")):
        assert "بوتين" in text


def test_phrase_and_boolean(seed_store: SQLiteStore) -> None:
    phrase = set(_search(seed_store, '"ضمانات أمنية"', kind="article"))
    assert phrase and all(
        "ضمانات أمنية" in t or "الضمانات الأمنية" in t for t in _bodies(seed_store, list(phrase))
    )
    both = set(_search(seed_store, "بوتين", kind="article"))
    without = set(_search(seed_store, "بوتين -ترامب", kind="article"))
    assert without < both
    assert all("ترامب" not in t for t in _bodies(seed_store, list(without)))


def test_filters_and_pagination(seed_store: SQLiteStore) -> None:
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


def test_quotes_by_speaker(seed_store: SQLiteStore) -> None:
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


def test_update_index_replaces_an_article(seed_store: SQLiteStore, tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "copy.db"
    with sqlite3.connect(db) as dst:
        seed_store.db.backup(dst)  # a file copy would miss what is still in the WAL
    st = open_store(str(db))
    try:
        rebuild_index(st)
        some = next(iter(st.iter_articles(with_analysis=False)))
        assert update_index(st, [some.id, "no-such-id"]) == 1
        idx = open_index(st)
        assert idx.count("article") == st.count_articles()  # replaced, not duplicated
    finally:
        st.close()


def test_cli_search_and_reindex(seed_store: SQLiteStore, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from marsad.cli import main

    db = str(seed_store.path)
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
