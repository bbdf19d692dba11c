"""Builders for small test documents in every input format."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path

BODY = 'قال المتحدث باسم الكرملين دميتري بيسكوف إن الاتصالات مستمرة.\nوأضاف أن "الأمور تسير بسرعة".'
TITLE = "الكرملين: الاتصالات مع واشنطن مستمرة"

TREC = f"""<DOC>
<DOCNO>XX-world-1-20180226</DOCNO>
<URL>http://example.org/a/1</URL>
<SRC>BBC</SRC>
<CAT>internationalNews</CAT>
<TITLE>{TITLE}</TITLE>
<TIME>Mon, 26 Feb 2018 02:20:10 GMT</TIME>
<AUTHOR></AUTHOR>
<ABSTRACT>
ملخص
</ABSTRACT>
<TEXT>
{BODY}
</TEXT>
</DOC>
"""

HTML = f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{TITLE}</title>
<meta property="og:site_name" content="سكاي نيوز عربية">
<meta property="article:published_time" content="2025-09-05T10:00:00Z"></head>
<body><nav><a href="/">الرئيسية</a> <a href="/x">أخبار</a></nav>
<article><h1>{TITLE}</h1>
<p>قال المتحدث باسم الكرملين دميتري بيسكوف إن الاتصالات بين موسكو وواشنطن مستمرة رغم كل الصعوبات القائمة.</p>
<p>وأضاف بيسكوف أن "الأمور تسير بسرعة" وأن هناك قنوات اتصال مفتوحة بين الجانبين في هذه المرحلة الحساسة.</p>
<p>وأشار إلى أن الرئيس الروسي مستعد للحوار مع نظيره الأمريكي في أي وقت تراه الأطراف مناسبا لذلك.</p>
</article><footer>جميع الحقوق محفوظة</footer><script>var x = "<p>لا</p>";</script></body></html>"""

RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>وكالة الاختبار</title><link>http://example.org</link>
<item><title>{TITLE}</title><link>http://example.org/1</link><guid>id-1</guid>
<pubDate>Fri, 05 Sep 2025 10:00:00 GMT</pubDate><description>&lt;p&gt;{BODY}&lt;/p&gt;</description></item>
<item><title>خبر ثان عن الاقتصاد</title><link>http://example.org/2</link><guid>id-2</guid>
<pubDate>Sat, 06 Sep 2025 10:00:00 GMT</pubDate><description>ارتفعت أسعار النفط اليوم.</description></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>موقع أخبار</title>
<entry><title>{TITLE}</title><id>urn:1</id><updated>2025-09-05T10:00:00Z</updated>
<link href="http://example.org/atom/1"/><content type="html">&lt;p&gt;{BODY}&lt;/p&gt;</content></entry>
</feed>"""

RECORDS = [
    {
        "source": "aawsat",
        "url": "http://example.org/j/1",
        "date_extracted": "2015-07-21 02:51:32",
        "title": TITLE,
        "author": "لندن",
        "content": BODY,
    },
    {
        "source": "okaz",
        "url": "http://example.org/j/2",
        "date_extracted": "2015-07-22 09:00:00",
        "title": "خبر ثان",
        "author": "",
        "content": "ارتفعت أسعار النفط اليوم في الأسواق العالمية.",
    },
]


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def json_array() -> bytes:
    return json.dumps(RECORDS, ensure_ascii=False, indent=2).encode("utf-8")


def jsonl() -> bytes:
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in RECORDS).encode("utf-8") + b"\n"


def warc(pages: dict[str, str], *, gz: bool = False) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for url, html in pages.items():
        payload = html.encode("utf-8")
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        rec = writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=headers)
        writer.write_record(rec)
    return buf.getvalue()


def gz(data: bytes) -> bytes:
    return gzip.compress(data)
