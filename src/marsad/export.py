"""Exports: JSON Lines and CSV in the fields ``shared/tools/score.py`` reads (and a few more).

Renderers only: the records come from :mod:`marsad.read` (:class:`~marsad.read.ArticleDetailView`).
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from marsad.read import ArticleDetailView, NameLookup, Names, QuoteView, article_details
from marsad.store.base import ArticleFilter, Store

__all__ = ["CSV_FIELDS", "NameLookup", "article_record", "ascii_name", "quote_record", "write_export"]

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


def ascii_name(name: str | None) -> str | None:
    """English names without diacritics (Erdoğan → Erdogan): how most English copy spells them."""
    if not name:
        return name
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def quote_record(q: QuoteView) -> dict[str, Any]:
    sp = q.speaker
    return {
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
    n = 0
    if fmt == "jsonl":
        for rec in iter_records(store, flt, names):
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    elif fmt == "csv":
        w = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore")
        w.writeheader()
        for rec in iter_records(store, flt, names):
            rec["persons"] = "; ".join(p["name_en"] or p["name"] or "" for p in rec["persons"])
            rec["quotes"] = len(rec["quotes"])
            # a spreadsheet cell (and a terminal, with -o -) must not carry control characters
            w.writerow({k: _CONTROLS.sub(" ", v) if isinstance(v, str) else v for k, v in rec.items()})
            n += 1
    else:
        raise ValueError(f"unknown export format {fmt!r} (use jsonl or csv)")
    return n
