"""Each bad-input class gets one clear line naming the input; the batch goes on; the store is untouched."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from marsad import service
from marsad.ingest.sources import Limits
from marsad.store.sqlite import SQLiteStore

from . import docs

GOOD = f"{docs.TITLE}\n{docs.BODY}"


def _run(store: SQLiteStore, *paths: Path | str, limits: Limits | None = None) -> service.IngestReport:
    return service.ingest([str(p) for p in paths], store, limits=limits)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"   \n\n  ", "no text"),
        ("image.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, "binary"),
        ("broken.json", b'[{"title": "x", "content": "y"', "malformed JSON"),
        ("broken.jsonl", b'{"title": oops}\n{"title": "x"\n', "malformed JSON line"),
        ("syntax.json", b'{"a": [1, 2,, ]}', "malformed JSON"),  # no words: not read as text either
        ("trunc.trec", docs.TREC.encode()[:300], "truncated"),
        ("broken.zip", b"PK\x03\x04" + b"garbage" * 50, "corrupt zip"),
        ("broken.gz", b"\x1f\x8b" + b"garbage" * 50, "corrupt gzip"),
        ("feed.xml", b'<?xml version="1.0"?><rss><channel><title>x</title><item><title>', "feed"),
        ("other.xml", b'<?xml version="1.0"?><root><a>1</a></root>', "XML document"),
        ("nothing.html", b"<html><body><nav><a href='/'>x</a></nav></body></html>", "no article text"),
        (
            "latin.txt",
            "Ø§Ù\x84Ù\x83Ø±Ù\x85Ù\x84Ù\x8aÙ\x86".encode("cp1252", errors="ignore") + b"\xff\xfe\x00\x81",
            "",
        ),
    ],
)
def test_each_bad_input_is_reported_and_the_batch_goes_on(
    store: SQLiteStore, tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    good = docs.write(tmp_path / "good.txt", GOOD)
    service.ingest([str(good)], store)
    before = [a.id for a in store.iter_articles()]
    bad = docs.write(tmp_path / name, data)
    other = docs.write(tmp_path / "z_other.txt", GOOD.replace("مستمرة", "متواصلة"))
    r = _run(store, bad, other)
    assert r.counts["new"] == 1, r.failures  # the good file after the bad one is stored
    if name == "latin.txt":  # undecodable-ish bytes either decode (cp1256) or fail cleanly
        assert len(r.failures) <= 1
    else:
        assert len(r.failures) >= 1
        where, why = r.failures[0]
        assert name in where and reason.lower() in why.lower(), r.failures
    assert [a.id for a in store.iter_articles()][: len(before)] == before


def test_partially_bad_jsonl_keeps_good_lines(store: SQLiteStore, tmp_path: Path) -> None:
    p = docs.write(
        tmp_path / "mixed.jsonl",
        b'{"title": "a", "content": "good line one"}\n{"title": oops}\n'
        b'{"title": "c", "content": "good line three"}\n',
    )
    r = _run(store, p)
    assert r.counts["new"] == 2 and len(r.failures) == 1 and ":2" in r.failures[0][0]


def test_missing_path_and_unreachable_url(store: SQLiteStore, tmp_path: Path) -> None:
    r = service.ingest(
        [str(tmp_path / "nope.txt"), "http://127.0.0.1:9/feed"], store, limits=Limits(url_timeout=3)
    )
    reasons = dict(r.failures)
    assert "no such file" in reasons[str(tmp_path / "nope.txt")]
    assert "unreachable" in reasons["http://127.0.0.1:9/feed"]


def test_huge_file_is_refused_without_reading_it(store: SQLiteStore, tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as fh:  # sparse: 300 MB on paper, nothing on disk
        fh.truncate(300 * 1024 * 1024)
    r = _run(store, big)
    assert len(r.failures) == 1 and "too large" in r.failures[0][1]


def test_huge_jsonl_streams(store: SQLiteStore, tmp_path: Path) -> None:
    p = tmp_path / "big.jsonl"
    line = b'{"title": "t%d", "content": "%s"}\n'
    with p.open("wb") as fh:
        for i in range(400):
            fh.write(line % (i, f"نص الخبر رقم {i} ".encode() * 40))
    r = _run(store, p, limits=Limits(max_document_bytes=64 * 1024))
    assert os.path.getsize(p) > 64 * 1024 and r.counts["new"] == 400 and not r.failures


def test_unreadable_file(store: SQLiteStore, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads everything")
    p = docs.write(tmp_path / "secret.txt", GOOD)
    p.chmod(0)
    r = _run(store, p)
    assert "cannot read" in r.failures[0][1]


@pytest.mark.parametrize(
    "prefix", ["[ad_1]\n", "[عاجل] ", "{", "<div>", '<?xml version="1.0"?>\n', "<DOC>\n"]
)
def test_text_after_page_furniture_is_stored_not_failed(
    store: SQLiteStore, tmp_path: Path, prefix: str
) -> None:
    r = _run(store, docs.write(tmp_path / "furniture.txt", prefix + GOOD))
    assert r.counts["new"] == 1 and not r.failures, r.failures
    (a,) = store.iter_articles()
    assert a.body == docs.BODY


def test_json_array_with_some_bad_records_reports_them_per_record(store: SQLiteStore, tmp_path: Path) -> None:
    records = [
        {"title": "a", "content": "نص الخبر الأول عن الاقتصاد"},
        5,
        {"url": "http://example.org/only-a-link"},
        {"title": "c", "content": "نص الخبر الثالث عن السياسة"},
    ]
    p = docs.write(tmp_path / "mixed.json", json.dumps(records, ensure_ascii=False))
    r = _run(store, p)
    assert r.counts["new"] == 2
    assert [w for w, _ in r.failures] == [f"{p}[1]"] and "expected a JSON object" in r.failures[0][1]
    assert [w for w, _ in r.skipped] == [f"{p}[2]"]


def test_metadata_json_is_still_skipped(store: SQLiteStore, tmp_path: Path) -> None:
    p = docs.write(tmp_path / "meta.json", b'{"version": 3, "files": ["a.json", "b.json"]}')
    r = _run(store, p)
    assert r.counts["new"] == 0 and not r.failures and "not news" in r.skipped[0][1]
