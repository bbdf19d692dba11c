"""Every reader, chosen by content: plain text, TREC, JSON, JSON Lines, zip, gzip, HTML, RSS, Atom, WARC, URLs."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from marsad.errors import InputError
from marsad.ingest.sources import discover
from marsad.model import Article
from marsad.parse import parse_document

from . import docs
from .conftest import ANT, SAUDI, SEEDS, need


def articles(*inputs: str) -> list[Article]:
    out: list[Article] = []
    for item in discover(list(inputs)):
        assert not isinstance(item, InputError), item
        out.extend(parse_document(item).articles)
    return out


def test_plain_text_seed(tmp_path: Path) -> None:
    arts = articles(str(need(SEEDS) / "004_cbf1d5649d9a84fe.txt"))
    assert [a.part for a in arts] == [0, 1]
    assert arts[1].parent_id == arts[0].id and arts[0].parent_id is None
    assert arts[0].outlet == "كويت نيوز" and arts[0].wire == "رويترز" and arts[0].language == "ar"
    assert arts[0].raw.startswith("الكرملين ينفي") and "إقرأ أيضاً" not in arts[0].raw
    assert arts[0].source.char_end <= arts[1].source.char_start


def test_trec_by_content_not_extension(tmp_path: Path) -> None:
    (a,) = articles(str(docs.write(tmp_path / "doc.data", docs.TREC)))
    assert a.title == docs.TITLE and a.outlet == "BBC" and a.url == "http://example.org/a/1"
    assert a.published is not None and a.published.isoformat() == "2018-02-26T02:20:10+00:00"
    assert a.body == docs.BODY and a.category == "internationalNews"


def test_json_array_jsonl_and_zip(tmp_path: Path) -> None:
    arr = articles(str(docs.write(tmp_path / "a.json", docs.json_array())))
    assert [a.outlet for a in arr] == ["aawsat", "okaz"] and arr[0].title == docs.TITLE
    assert arr[0].published is not None and arr[0].published.date().isoformat() == "2015-07-21"
    assert arr[0].source.record == "0" and arr[1].source.record == "1" and arr[0].source.file_name == "a.json"
    lines = articles(str(docs.write(tmp_path / "b.txt", docs.jsonl())))
    assert [a.title for a in lines] == [a.title for a in arr]
    z = articles(str(docs.write(tmp_path / "c.zip", docs.zip_bytes({"2015-07-21.json": docs.json_array()}))))
    assert [a.body for a in z] == [a.body for a in arr]
    assert z[0].source.member == "2015-07-21.json" and z[0].source.record == "0"
    assert (
        z[0].source.file_name == "2015-07-21.json"
        and z[0].source.key == f"{tmp_path}/c.zip#2015-07-21.json#0@0"
    )


def test_gzip(tmp_path: Path) -> None:
    (a,) = articles(str(docs.write(tmp_path / "doc.trec.gz", docs.gz(docs.TREC.encode()))))
    assert a.title == docs.TITLE


def test_html_page(tmp_path: Path) -> None:
    (a,) = articles(str(docs.write(tmp_path / "page.html", docs.HTML)))
    assert a.title == docs.TITLE
    assert a.outlet == "سكاي نيوز عربية"
    assert a.published is not None and a.published.date().isoformat() == "2025-09-05"
    assert "الاتصالات بين موسكو وواشنطن مستمرة" in a.body
    assert "الرئيسية" not in a.body and "جميع الحقوق" not in a.body and "var x" not in a.body


def test_rss_and_atom(tmp_path: Path) -> None:
    rss = articles(str(docs.write(tmp_path / "feed.xml", docs.RSS)))
    assert [a.title for a in rss] == [docs.TITLE, "خبر ثان عن الاقتصاد"]
    assert rss[0].outlet == "وكالة الاختبار" and rss[0].url == "http://example.org/1"
    assert "الاتصالات مستمرة" in rss[0].body and "<p>" not in rss[0].body
    atom = articles(str(docs.write(tmp_path / "atom", docs.ATOM)))
    assert atom[0].title == docs.TITLE and atom[0].published is not None


@pytest.mark.parametrize("gz", [False, True])
def test_warc(tmp_path: Path, gz: bool) -> None:
    data = docs.warc(
        {
            "http://example.org/p1": docs.HTML,
            "http://example.org/p2": docs.HTML.replace("مستمرة رغم", "متواصلة رغم"),
        },
        gz=gz,
    )
    arts = articles(str(docs.write(tmp_path / ("c.warc.gz" if gz else "c.warc"), data)))
    assert [a.url for a in arts] == ["http://example.org/p1", "http://example.org/p2"]
    assert arts[0].source.member == "http://example.org/p1"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "windows-1256"])
def test_encodings(tmp_path: Path, encoding: str) -> None:
    text = f"{docs.TITLE}\nتاريخ النشر: 5 سبتمبر 2025\n{docs.BODY}\n"
    (a,) = articles(str(docs.write(tmp_path / "enc.txt", text.encode(encoding))))
    assert a.title == docs.TITLE and a.body == docs.BODY


def test_folder_recursive_sorted_and_skips_docs(tmp_path: Path) -> None:
    docs.write(tmp_path / "b" / "2.txt", f"{docs.TITLE}\n{docs.BODY}")
    docs.write(tmp_path / "a" / "1.trec", docs.TREC)
    docs.write(tmp_path / "README.md", "# notes, not news")
    docs.write(tmp_path / ".hidden", "x")
    arts = articles(str(tmp_path))
    assert [Path(a.source.origin).name for a in arts] == ["1.trec", "2.txt"]


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/feed":
            body, ctype = docs.RSS.encode(), "application/rss+xml"
        elif self.path == "/page":
            body, ctype = docs.HTML.encode(), "text/html; charset=utf-8"
        else:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_urls(server: str) -> None:
    feed = articles(f"{server}/feed")
    assert len(feed) == 2 and feed[0].source.origin == f"{server}/feed"
    (page,) = articles(f"{server}/page")
    assert page.title == docs.TITLE and page.url == f"{server}/page"
    (err,) = list(discover([f"{server}/missing"]))
    assert isinstance(err, InputError) and "404" in err.reason


@pytest.mark.slow  # over 1.5 s: the full suite runs it, the inner loop does not
def test_real_ant_and_saudinewsnet_samples() -> None:
    ant = sorted(need(ANT).glob("BBC/*/*.txt"))[:5]
    arts = articles(*map(str, ant))
    assert len(arts) == 5 and all(a.title and a.body and a.published and a.outlet for a in arts)
    z = sorted(need(SAUDI).glob("*.zip"))[0]
    sn = articles(str(z))
    assert len(sn) > 100 and all(a.outlet and a.published for a in sn)
    assert len({a.source.key for a in sn}) == len(sn)


@pytest.mark.parametrize(
    ("prefix", "looked_like"),
    [
        ("[ad_1]\n", "not valid JSON (malformed JSON at line 1 column 2: Expecting value)"),
        ("[عاجل] ", "not valid JSON"),
        ("{", "not valid JSON"),
        ('{"id": 7}\n', "not valid JSON"),
        ("<div>", "not valid HTML page"),
        ('<?xml version="1.0" encoding="utf-8"?>\n', "an XML declaration"),
        ("<DOC>\n", "not valid TREC <DOC> file"),
        ("<rss>", "not valid RSS/Atom feed"),
    ],
)
def test_text_that_only_starts_like_a_format_is_read_as_text(
    tmp_path: Path, prefix: str, looked_like: str
) -> None:
    text = f"{docs.TITLE}\nتاريخ النشر: 5 سبتمبر 2025\n{docs.BODY}\n"
    p = docs.write(tmp_path / "a.txt", prefix + text)
    (item,) = discover([str(p)])
    assert not isinstance(item, InputError)
    result = parse_document(item)
    (a,) = result.articles
    assert a.body == docs.BODY and a.source.media_type == "text/plain"
    assert a.title is not None and a.title.endswith(docs.TITLE)
    assert item.data.decode()[a.source.char_start : a.source.char_end] == a.raw  # offsets into the file
    ((where, note),) = result.notes
    assert where == str(p) and note.startswith("read as plain text: ") and looked_like in note


def test_html_reader_that_drops_plain_lines_falls_back_to_text(tmp_path: Path) -> None:
    lines = [f"السطر رقم {i} من نص الخبر عن الاتصالات بين موسكو وواشنطن اليوم." for i in range(40)]
    page = "<html>\n<h1>عنوان</h1>\n<p>فقرة قصيرة.</p>\n" + "\n".join(lines)
    (a,) = articles(str(docs.write(tmp_path / "p.html", page)))
    assert all(line in a.body for line in lines)


def test_structured_inputs_keep_their_reader_and_have_no_notes(tmp_path: Path) -> None:
    for name, data in [
        ("a.trec", docs.TREC),
        ("a.json", docs.json_array()),
        ("a.jsonl", docs.jsonl()),
        ("a.html", docs.HTML),
        ("a.rss", docs.RSS),
    ]:
        (item,) = discover([str(docs.write(tmp_path / name, data))])
        assert not isinstance(item, InputError)
        result = parse_document(item)
        assert result.articles and not result.notes and not result.errors, name
        assert all(a.source.media_type != "text/plain" for a in result.articles), name


def test_control_characters_inside_html_bodies(tmp_path: Path) -> None:
    # lxml refuses them ("All strings must be XML compatible"); they are dropped, the text kept
    body = "<p>قال\u0000 المتحدث\u000b باسم\u001b الكرملين</p><p>إن الاتصالات\ufffe مستمرة</p>"
    (a,) = articles(str(docs.write(tmp_path / "c.json", json.dumps([{"title": "t", "content": body}]))))
    assert a.body == "قال المتحدث باسم الكرملين\nإن الاتصالات مستمرة"
    rss = docs.RSS.replace("ارتفعت أسعار", "ارتفعت\x0b أسعار")
    assert len(articles(str(docs.write(tmp_path / "c.rss", rss)))) == 2
    page = docs.HTML.replace("مستمرة رغم", "مستمرة\x0b\x1b رغم")
    (h,) = articles(str(docs.write(tmp_path / "c.html", page)))
    assert "الاتصالات بين موسكو وواشنطن مستمرة" in h.body


def test_html_to_text_falls_back_to_tag_stripping() -> None:
    from marsad.parse.formats import html_to_text

    assert html_to_text("<p>a\x00b</p>\x0b<p>c&amp;d</p>") == "ab\nc&d"
    assert html_to_text('<?xml version="1.0" encoding="utf-8"?><p>x</p>') == "x"
    assert html_to_text("") == ""
