"""Exports: JSON Lines and CSV in the fields ``shared/tools/score.py`` reads (and a few more), and the
files a newsroom opens: CSV with a UTF-8 BOM (Excel reads BOM-less UTF-8 as the ANSI code page and shows
Arabic as mojibake), quotes and stories as tables of their own, and an XLSX workbook with one sheet each
for articles, quotes and stories.

Renderers only: the records come from :mod:`marsad.read` (:class:`~marsad.read.ArticleDetailView`,
:class:`~marsad.read.StoryCard`). Everything streams: one article in memory at a time, and the workbook is
written with openpyxl's ``write_only`` mode, so no row cap but the format's own (1,048,576 rows a sheet;
past it a sheet continues in ``quotes 2``, ``quotes 3``…).
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from marsad.read import (
    ArticleDetailView,
    NameLookup,
    Names,
    QuoteView,
    StoryCard,
    article_details,
    story_card,
)
from marsad.store.base import ArticleFilter, Store

__all__ = [
    "CSV_FIELDS",
    "FORMATS",
    "QUOTE_FIELDS",
    "STORY_FIELDS",
    "TABLES",
    "NameLookup",
    "article_record",
    "ascii_name",
    "quote_record",
    "quote_row",
    "story_row",
    "table_lines",
    "write_export",
    "write_table",
    "write_xlsx",
]

FORMATS = ("jsonl", "csv", "xlsx")
TABLES = ("articles", "quotes", "stories")
BOM = "\ufeff"
XLSX_MAX_ROWS = 1_048_576  # the format's limit per sheet, header included

_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CSV_FIELDS = [
    "id",
    "source_file",
    "part",
    "title",
    "published",
    "outlet",
    "wire",
    "language",
    "url",
    "parent_id",
    "story_id",
    "storyline_id",
    "duplicate_of",
    "persons",
    "quotes",
    "text",
]


QUOTE_FIELDS = [
    "date",
    "speaker",
    "speaker_en",
    "speaker_id",
    "stance",
    "cue",
    "quote",
    "answers",
    "outlet",
    "article_title",
    "article_url",
    "article_id",
    "story_id",
]
STORY_FIELDS = [
    "id",
    "title",
    "first_seen",
    "last_seen",
    "size",
    "independent_sources",
    "unknown_sources",
    "outlets",
    "first_outlet",
    "first_published",
    "first_precision",
    "first_date_source",
    "top_entities",
    "summary",
    "storyline_id",
]


def ascii_name(name: str | None) -> str | None:
    """English names without diacritics (Erdoğan → Erdogan): how most English copy spells them."""
    if not name:
        return name
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def quote_record(q: QuoteView) -> dict[str, Any]:
    sp = q.speaker
    return (
        {
            "speaker": None
            if sp is None
            else {
                "name": sp.name,
                "name_en": ascii_name(sp.name_en),
                "kind": sp.kind.value,
                "id": sp.entity_id,
                "surface": sp.text,
            },
            "cue": q.cue,
            "kind": q.kind.value,
            "text": q.text,
            "stance": q.stance.value,
            "via": q.via,
            "said_on": q.said_on.isoformat() if q.said_on else None,
            "in_headline": q.in_headline,
            "start": q.start,
            "end": q.end,
        }
        | ({"answers": a} if (a := _answers(q)) else {})
        | _answers_article(q)
    )


def _answers_article(q: QuoteView) -> dict[str, Any]:
    """The stored report a denial answers, by id, when the read layer found it in the quote's story."""
    ref = getattr(q, "answers_article", None)
    return {"answers_article": ref.id} if ref is not None else {}


def _answers(q: QuoteView) -> str | None:
    """What a quote answers (a question put to the speaker, a claim it replies to), when the quote stage
    recorded it: the view's field, else the stored quote's, as text."""
    v = getattr(q, "answers", None)
    if v is None:
        return None
    if isinstance(v, str):
        return v or None
    text = getattr(v, "text", None)
    return str(text if text is not None else v) or None


def article_record(v: ArticleDetailView) -> dict[str, Any]:
    a = v.record
    return {
        "id": a.id,
        "source_file": a.source.file_name,
        "source": a.source.origin,
        "member": a.source.member,
        "record": a.source.record,
        "part": a.part,
        "title": a.title,
        "published": a.published.date().isoformat() if a.published else None,
        "published_at": a.published.isoformat() if a.published else None,
        "date_precision": a.date_precision,  # day | month | year: a month date is published on its 1st
        "date_source": a.date_source,  # header | byline | body | feed | url | file | crawl
        "outlet": a.outlet,
        "wire": a.wire,
        "url": a.url,
        "author": a.author,
        "language": a.language,
        "tags": list(a.tags),
        "cited_media": list(a.cited_media),
        "parent_id": a.parent_id,
        "story_id": a.story_id,
        "storyline_id": a.storyline_id,
        "duplicate_of": a.duplicate_of,
        "analysis": a.analysis.value,  # done | failed | pending (see analysis_error)
        "analysis_error": a.analysis_error,
        "persons": [{"name": p.name, "name_en": ascii_name(p.name_en), "id": p.id} for p in v.persons],
        "quotes": [quote_record(q) for q in v.quotes],
        "text": a.body,
    }


def iter_records(
    store: Store, flt: ArticleFilter | None = None, names: NameLookup | None = None
) -> Iterator[dict[str, Any]]:
    for v in article_details(store, Names(names), flt):
        yield article_record(v)


def _clean(v: Any) -> Any:
    # a spreadsheet cell (and a terminal, with -o -) must not carry control characters
    return _CONTROLS.sub(" ", v) if isinstance(v, str) else v


def _person_cell(p: dict[str, Any]) -> str:
    """``ترامب (Donald Trump)``: the Arabic name a newsroom reads, the English one it searches by."""
    ar, en = p.get("name") or "", p.get("name_en") or ""
    return f"{ar} ({en})" if ar and en and en != ar else (ar or en)


def _quote_cell(q: dict[str, Any]) -> str:
    sp = q.get("speaker") or {}
    who = sp.get("name") or sp.get("surface") or "?"
    return f"{who} [{q['stance']}]: «{q['text']}»"


def _article_row(rec: dict[str, Any]) -> dict[str, Any]:
    """An article as one spreadsheet row: persons and quotes as readable text, not ids or counts."""
    row = dict(rec)
    row["persons"] = "; ".join(_person_cell(p) for p in rec["persons"])
    row["quotes"] = "\n".join(_quote_cell(q) for q in rec["quotes"])
    return row


def quote_rows(
    store: Store, flt: ArticleFilter | None = None, names: NameLookup | None = None
) -> Iterator[dict[str, Any]]:
    """Every quote of the articles matching ``flt``, one flat row each (speaker in Arabic and English)."""
    for v in article_details(store, Names(names), flt):
        a = v.record
        for q in v.quotes:
            yield quote_row(q, article_url=a.url, story_id=a.story_id)


def quote_row(q: QuoteView, *, article_url: str | None = None, story_id: str | None = None) -> dict[str, Any]:
    """A quote as one flat row (speaker in Arabic and English); the link and story when known."""
    sp = q.speaker
    return {
        "date": q.day.isoformat() if q.day else None,
        "speaker": sp.name if sp else None,
        "speaker_en": ascii_name(sp.name_en) if sp else None,
        "speaker_id": sp.entity_id if sp else None,
        "stance": q.stance.value,
        "cue": q.cue,
        "quote": q.text,
        "answers": _answers(q),
        "outlet": q.outlet,
        "article_title": q.article_title,
        "article_url": article_url,
        "article_id": q.article_id,
        "story_id": story_id,
    }


def story_row(c: StoryCard) -> dict[str, Any]:
    f = c.first_reported
    return {
        "id": c.id,
        "title": c.title,
        "first_seen": c.first_seen.isoformat() if c.first_seen else None,
        "last_seen": c.last_seen.isoformat() if c.last_seen else None,
        "size": c.size,
        "independent_sources": c.independent_sources,
        "unknown_sources": c.unknown_sources,
        "outlets": list(c.outlet_names),
        "first_outlet": (f.outlet_name or f.wire) if f else None,
        "first_published": f.published.isoformat() if f else None,
        "first_precision": f.precision if f else None,
        "first_date_source": f.date_source if f else None,
        "top_entities": [e.name for e in c.top_entities],
        "summary": list(c.summary),
        "storyline_id": c.storyline_id,
    }


def story_rows(
    store: Store, flt: ArticleFilter | None = None, names: NameLookup | None = None
) -> Iterator[dict[str, Any]]:
    """Every story (with its articles, largest first), as flat rows; ``flt.since`` keeps recent ones."""
    nm = Names(names)
    offset, page = 0, 500
    while True:
        batch = store.iter_stories(since=flt.since if flt else None, order="size", limit=page, offset=offset)
        for s in batch:
            yield story_row(story_card(s, nm))
        if len(batch) < page:
            return
        offset += page


def _flat(v: Any) -> Any:
    """A list as one cell: ``a; b``."""
    return "; ".join(str(x) for x in v) if isinstance(v, list) else v


def _rows(
    store: Store, what: str, flt: ArticleFilter | None, names: NameLookup | None
) -> tuple[list[str], Iterator[dict[str, Any]]]:
    if what == "articles":
        return CSV_FIELDS, (_article_row(r) for r in iter_records(store, flt, names))
    if what == "quotes":
        return QUOTE_FIELDS, quote_rows(store, flt, names)
    if what == "stories":
        return STORY_FIELDS, story_rows(store, flt, names)
    raise ValueError(f"unknown table {what!r} (use {', '.join(TABLES)})")


def write_table(
    store: Store,
    what: str,
    fmt: str,
    out: IO[str],
    flt: ArticleFilter | None = None,
    names: NameLookup | None = None,
    *,
    bom: bool = True,
) -> int:
    """Quotes or stories (or articles) as CSV (with a BOM) or JSON Lines; returns the rows written."""
    fields, rows = _rows(store, what, flt, names)
    n = 0

    def counted() -> Iterator[dict[str, Any]]:
        nonlocal n
        for r in rows:
            n += 1
            yield r

    for text in table_lines(fields, counted(), fmt, bom=bom):
        out.write(text)
    return n


def table_lines(
    fields: list[str], rows: Iterator[dict[str, Any]], fmt: str, *, bom: bool = True
) -> Iterator[str]:
    """Rows as JSON Lines, or as CSV (a BOM, the header, lists as ``a; b``), a row's text at a time:
    what :func:`write_table` writes and the web's export links stream."""
    if fmt == "jsonl":
        for r in rows:
            yield json.dumps(r, ensure_ascii=False) + "\n"
        return
    if fmt != "csv":
        raise ValueError(f"unknown export format {fmt!r} (use jsonl or csv)")
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, extrasaction="ignore")
    w.writeheader()
    yield (BOM if bom else "") + buf.getvalue()
    for r in rows:
        buf.seek(0)
        buf.truncate()
        w.writerow({k: _clean(_flat(v)) for k, v in r.items()})
        yield buf.getvalue()


def _sheet(wb: Any, title: str, fields: list[str], bold: Any) -> Any:
    """A right-to-left sheet with a bold, frozen header row."""
    from openpyxl.cell import WriteOnlyCell

    sheet = wb.create_sheet(title)
    sheet.sheet_view.rightToLeft = True
    sheet.freeze_panes = "A2"
    header = []
    for f in fields:
        c = WriteOnlyCell(sheet, value=f)
        c.font = bold
        header.append(c)
    sheet.append(header)
    return sheet


def write_xlsx(
    store: Store,
    path: Path | IO[bytes],
    flt: ArticleFilter | None = None,
    names: NameLookup | None = None,
    *,
    max_rows: int = XLSX_MAX_ROWS,
) -> dict[str, int]:
    """One workbook, sheets ``articles``, ``quotes`` and ``stories``, written row by row (openpyxl's
    write-only mode keeps no cells in memory). Returns the rows written per sheet."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    wb = Workbook(write_only=True)
    bold, rtl = Font(bold=True), Alignment(readingOrder=2, wrap_text=False)  # 2: right-to-left
    counts: dict[str, int] = {}
    for what in TABLES:
        fields, rows = _rows(store, what, flt, names)
        part, n = 1, 0
        ws, in_sheet = _sheet(wb, what, fields, bold), 1
        for r in rows:
            if in_sheet >= max_rows:  # the format's limit: go on in the next sheet rather than drop rows
                part += 1
                ws, in_sheet = _sheet(wb, f"{what} {part}", fields, bold), 1
            cells = []
            for f in fields:
                v = _clean(_flat(r.get(f)))
                if isinstance(v, str) and len(v) > 32_767:  # Excel's cell limit
                    v = v[:32_766] + "…"
                c = WriteOnlyCell(ws, value=v)
                if isinstance(v, str):
                    c.alignment = rtl
                cells.append(c)
            ws.append(cells)
            in_sheet += 1
            n += 1
        counts[what] = n
    wb.save(path)
    return counts


def write_export(
    store: Store,
    fmt: str,
    out: IO[str] | Path,
    flt: ArticleFilter | None = None,
    names: NameLookup | None = None,
) -> int:
    """Write every article (matching ``flt``) as JSON Lines or CSV; returns the number written."""
    if isinstance(out, Path):
        with out.open("w", encoding="utf-8", newline="") as fh:
            return write_export(store, fmt, fh, flt, names)
    if fmt == "jsonl":
        n = 0
        for rec in iter_records(store, flt, names):
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
        return n
    if fmt == "csv":
        return write_table(store, "articles", "csv", out, flt, names)
    raise ValueError(f"unknown export format {fmt!r} (use jsonl, csv or xlsx)")
