"""Exports a newsroom opens: CSV with a UTF-8 BOM and Arabic names, quotes and stories as their own tables,
and an XLSX workbook with the sheets articles, quotes and stories."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from marsad.export import BOM, write_export, write_table, write_xlsx
from marsad.model import Stance
from marsad.pipeline import name_lookup
from marsad.store import open_store
from marsad.store.base import Store
from tests.newsroom import TRUMP, quote_article, story_of


@pytest.fixture
def newsroom(tmp_path: Path):  # type: ignore[no-untyped-def]
    st = open_store(str(tmp_path / "n.db"))
    arts = [
        quote_article(1, "لا صحة لهذه الأنباء", outlet="سبوتنيك", story_id="st-1", url="https://x.test/1"),
        quote_article(
            2, "سنرد على أي هجوم", speaker=TRUMP, stance=Stance.WARNING, cue="حذر", story_id="st-1"
        ),
    ]
    st.put_articles(arts)
    st.put_stories([story_of("st-1", arts, title="بيسكوف ينفي", independent=2)])
    yield st
    st.close()


def test_csv_starts_with_a_bom_and_names_persons_in_arabic_and_english(newsroom: Store) -> None:
    out = io.StringIO()
    assert write_export(newsroom, "csv", out, names=name_lookup(None)) == 2
    text = out.getvalue()
    assert text.startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(text.removeprefix(BOM))))
    first = next(r for r in rows if r["id"] == "art0001")
    assert first["persons"] == "دميتري بيسكوف (Dmitry Peskov)"
    assert "لا صحة لهذه الأنباء" in first["quotes"]  # the quote as text, not a count
    assert "denial" in first["quotes"]


def test_quotes_and_stories_tables(newsroom: Store) -> None:
    out = io.StringIO()
    assert write_table(newsroom, "quotes", "csv", out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue().removeprefix(BOM))))
    q = next(r for r in rows if r["article_id"] == "art0001")
    assert (q["speaker"], q["speaker_en"], q["stance"], q["cue"]) == (
        "دميتري بيسكوف",
        "Dmitry Peskov",
        "denial",
        "نفى",
    )
    assert (q["outlet"], q["article_url"], q["date"]) == ("سبوتنيك", "https://x.test/1", "2025-09-05")
    out = io.StringIO()
    assert write_table(newsroom, "stories", "jsonl", out) == 1
    story = json.loads(out.getvalue())
    assert story["title"] == "بيسكوف ينفي" and story["size"] == 2 and story["independent_sources"] == 2


def test_xlsx_has_three_sheets_with_arabic_text(newsroom: Store, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "out.xlsx"
    assert write_xlsx(newsroom, path) == {"articles": 2, "quotes": 2, "stories": 1}
    wb = openpyxl.load_workbook(path, read_only=True)
    assert wb.sheetnames == ["articles", "quotes", "stories"]
    quotes = list(wb["quotes"].iter_rows(values_only=True))
    header = quotes[0]
    rec = dict(zip(header, next(r for r in quotes[1:] if "لا صحة لهذه الأنباء" in r), strict=True))
    assert rec["speaker"] == "دميتري بيسكوف" and rec["speaker_en"] == "Dmitry Peskov"
    assert rec["stance"] == "denial"
    stories = list(wb["stories"].iter_rows(values_only=True))
    assert stories[1][1] == "بيسكوف ينفي"
    articles = list(wb["articles"].iter_rows(values_only=True))
    assert len(articles) == 3 and "ترمب" in "".join(str(c) for c in articles[1] + articles[2])


def test_xlsx_continues_past_the_sheet_limit(newsroom: Store, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "small.xlsx"
    write_xlsx(newsroom, path, max_rows=2)  # a header and one row a sheet: nothing is dropped
    wb = openpyxl.load_workbook(path, read_only=True)
    assert wb.sheetnames == ["articles", "articles 2", "quotes", "quotes 2", "stories"]


def test_jsonl_exports_what_a_denial_answers(tmp_path: Path) -> None:
    art = quote_article(1, "لا صحة لهذه الأنباء")
    art = replace(art, quotes=(replace(art.quotes[0], answers="صحيفة واشنطن بوست"), *art.quotes[1:]))
    st = open_store(str(tmp_path / "a.db"))
    try:
        st.put_articles([art])
        out = io.StringIO()
        write_export(st, "jsonl", out, names=name_lookup(None))
    finally:
        st.close()
    [rec] = [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]
    denial = rec["quotes"][0]
    assert denial["stance"] == "denial" and denial["answers"] == "صحيفة واشنطن بوست"
    assert all("answers" not in q for q in rec["quotes"][1:])  # only a quote that answers something
