"""Never lose an article: mutated real texts through parsing, analysis and the story stage.

Inputs are the seed articles (when the shared data is there) and a few small articles written here,
mutated the way scraped text goes wrong: truncated anywhere, stray and unbalanced quote marks, bidi and
zero-width controls, tatweel, C0/C1 controls, page furniture before the text (``[ad_1]``, ``[عاجل]``,
``{``, ``<div>``, ``<?xml``), shuffled, joined and repeated lines, a reporting verb at the very end,
random Unicode, HTML and JSON, and the text wrapped in JSON, HTML, RSS and TREC containers.

What must hold for every input: :func:`parse_document` raises nothing but :class:`InputError`; the
analyzer never raises and no stage of it fails (``analysis`` is ``done``, not ``failed`` with an error);
:meth:`StoryClusterer.add` never raises; every mention and quote offset points into the text
it belongs to (``body``, or ``title`` for headline quotes) and the recorded ``text`` is that slice.
"""

from __future__ import annotations

import contextlib
import html
import json
import random
import traceback
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cache
from typing import Protocol, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.cluster import StoryClusterer
from marsad.errors import InputError
from marsad.model import AnalysisState, Article, RawDocument, SourceRef
from marsad.parse import parse_document
from marsad.parse.formats import html_to_text, read_html, strip_tags
from marsad.pipeline import ArticleAnalyzer, build_analyzer

from .conftest import SEEDS, need

T = TypeVar("T")

SMALL = [
    "الكرملين ينفي تقريرا عن محادثات سرية\n"
    "تاريخ النشر: 26th, January 2024 GMT\n"
    "نفى الكرملين اليوم الجمعة تقريرا لوكالة بلومبرج أفاد بأن الرئيس فلاديمير بوتين “يجس نبض” واشنطن.\n"
    "وقال المتحدث باسم الكرملين دميتري بيسكوف للصحفيين: «هذا تقرير خاطئ ولا يتوافق مع الواقع».\n"
    "وأضاف أن موسكو منفتحة على الحوار، مشيرا إلى أن الاتصالات مستمرة.\n"
    "المصدر رويترز\nالمصدر: كويت نيوز\n"
    "إقرأ أيضاً: بوتين مستعد للتفاوض\n"
    "أكد بيسكوف أن بوتين مستعد للتفاوض إذا لزم الأمر.",
    "ترامب: سنفرض رسوما جديدة على الواردات\n"
    "قال الرئيس الأمريكي دونالد ترامب يوم الخميس إن بلاده ستفرض رسوما جديدة. "
    '"لن نسمح باستغلالنا بعد الآن"، قال ترامب في مقابلة مع قناة فوكس نيوز.\n'
    "ونقلت رويترز عن مسؤول في البيت الأبيض قوله إن القرار نهائي، حسبما أعلن المكتب الصحفي.",
    "أعلنت وزارة الخارجية السعودية في بيان أن المملكة ترحب بالاتفاق.\n"
    "وأكد وزير الخارجية الأمير فيصل بن فرحان أن “الحل السياسي هو الطريق الوحيد”، مضيفا أن الرياض "
    "ستواصل جهودها. ونفى المتحدث باسم الوزارة التقارير عن انسحاب الوفد.",
    "Breaking: markets fall\nThe minister said on Monday that talks would continue, according to AFP.",
]

QUOTES = "\"“”«»„‟'‹›"
INVISIBLE = [chr(c) for c in range(0x200B, 0x2010)] + [chr(c) for c in range(0x202A, 0x202F)]
INVISIBLE += [chr(c) for c in range(0x2066, 0x206A)] + ["\ufeff"]
CONTROLS = [chr(c) for c in range(32) if c != 10] + [chr(c) for c in range(0x7F, 0xA0)]
FURNITURE = [
    "[ad_1]\n",
    "[ad_1] ",
    "[عاجل] ",
    "[عاجل]\n",
    "{",
    "{\n",
    "[",
    "<div>",
    "<div>\n",
    "<p>",
    "<html>",
    "<body>",
    '<?xml version="1.0"?>\n',
    '<?xml version="1.0" encoding="utf-8"?>',
    "<DOC>\n",
    "<rss>",
    '{"id": 1}\n',
]
CUES = ["قال", "وأضاف", "نفى", "مضيفا", "أكد أن", "وقال بيسكوف إن", "نقلا عن", "حسبما أعلن", "قائلا:"]
CUES += ["وقال: بيسكوف أكد", "وأضاف: ترامب قال", "قال إن بوتين نفى", "وكان بيسكوف قد قال"]
SNIPPETS = [
    "<b>",
    "</p>",
    "<br/>",
    "&amp;",
    "&#0;",
    "&#x1b;",
    "<script>x</script>",
    "<!--",
    "-->",
    "<![CDATA[",
]
SNIPPETS += ['{"title": ', "]", "}", '":', "\\u0000", "null", "<", ">"]


class Pick(Protocol):
    """The randomness a mutation needs: hypothesis draws in the property tests, ``random`` in the loop."""

    def int(self, lo: int, hi: int) -> int: ...

    def choice(self, seq: Sequence[T]) -> T: ...

    def text(self) -> str: ...


class RandomPick:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def int(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def choice(self, seq: Sequence[T]) -> T:
        return seq[self.rng.randrange(len(seq))]

    def text(self) -> str:
        out = []
        for _ in range(self.rng.randint(1, 20)):
            r = self.rng.random()
            c = self.rng.randint(0x600, 0x6FF) if r < 0.5 else self.rng.randint(0x20, 0x7E) if r < 0.8 else 0
            out.append(chr(c or self.rng.randint(1, 0x10FFFF)))
        return "".join(out)


class DrawPick:
    def __init__(self, data: st.DataObject) -> None:
        self.data = data

    def int(self, lo: int, hi: int) -> int:
        return self.data.draw(st.integers(lo, hi))

    def choice(self, seq: Sequence[T]) -> T:
        return self.data.draw(st.sampled_from(seq))

    def text(self) -> str:
        return self.data.draw(st.text(min_size=1, max_size=20))


def _insert(p: Pick, s: str, pieces: Sequence[str], most: int) -> str:
    for _ in range(p.int(1, most)):
        k = p.int(0, len(s))
        s = s[:k] + p.choice(pieces) + s[k:]
    return s


def _truncate(p: Pick, s: str) -> str:
    return s[: p.int(0, len(s))]


def _quotes(p: Pick, s: str) -> str:
    return _insert(p, s, QUOTES, 6)


def _invisible(p: Pick, s: str) -> str:
    return _insert(p, s, INVISIBLE, 8)


def _tatweel(p: Pick, s: str) -> str:
    return _insert(p, s, ["ـ", "ـــ"], 8)


def _controls(p: Pick, s: str) -> str:
    return _insert(p, s, CONTROLS, 3)


def _furniture(p: Pick, s: str) -> str:
    return p.choice(FURNITURE) + s


def _shuffle(p: Pick, s: str) -> str:
    lines = s.split("\n")
    for i in range(len(lines) - 1, 0, -1):
        j = p.int(0, i)
        lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


def _join(p: Pick, s: str) -> str:
    return s.replace("\n", p.choice([" ", "", ". ", "، "]))


def _repeat(p: Pick, s: str) -> str:
    a = p.int(0, len(s))
    b = min(len(s), a + p.int(1, 400))
    return s[:b] + s[a:b] * p.int(1, 3) + s[b:]


def _cue_at_end(p: Pick, s: str) -> str:
    cut = p.choice(["end", "anywhere"])
    head = s.rstrip() if cut == "end" else s[: p.int(0, len(s))]
    return (
        head + p.choice(["", " ", "\n", ". ", "، "]) + p.choice(CUES) + p.choice(["", " ", ":", " «", " “"])
    )


def _unicode(p: Pick, s: str) -> str:
    k = p.int(0, len(s))
    return s[:k] + p.text() + s[k:]


def _markup(p: Pick, s: str) -> str:
    return _insert(p, s, SNIPPETS, 4)


def _words(p: Pick, s: str) -> str:
    lines = s.split("\n")
    i = p.int(0, len(lines) - 1)
    words = lines[i].split()
    for k in range(len(words) - 1, 0, -1):
        j = p.int(0, k)
        words[k], words[j] = words[j], words[k]
    lines[i] = " ".join(words)
    return "\n".join(lines)


def _container(p: Pick, s: str) -> str:
    """The text as the body of a JSON record, a JSON line, an HTML page, an RSS item or a TREC <DOC>."""
    title, body = [*s.split("\n", 1), ""][:2]
    kind = p.choice(["json", "jsonl", "html", "rss", "trec"])
    if kind == "json":
        return json.dumps([{"title": title, "content": body.replace("\n", "<br>")}], ensure_ascii=False)
    if kind == "jsonl":
        return json.dumps({"title": title, "text": f"<p>{body}</p>"}) + "\n" + json.dumps({"title": title})
    if kind == "html":
        paras = "".join(f"<p>{html.escape(x)}</p>" for x in body.split("\n"))
        return f"<!DOCTYPE html><html><head><title>{title}</title></head><body><article>{paras}</article></body></html>"
    if kind == "rss":
        desc = html.escape(f"<p>{body}</p>")
        return (
            '<?xml version="1.0"?><rss><channel><title>t</title>'
            f"<item><title>{html.escape(title)}</title><description>{desc}</description></item></channel></rss>"
        )
    return f"<DOC>\n<DOCNO>X-1</DOCNO>\n<TITLE>{title}</TITLE>\n<TEXT>\n{body}\n</TEXT>\n</DOC>\n"


MUTATIONS: list[Callable[[Pick, str], str]] = [
    _truncate,
    _quotes,
    _invisible,
    _tatweel,
    _controls,
    _furniture,
    _shuffle,
    _join,
    _repeat,
    _cue_at_end,
    _unicode,
    _markup,
    _words,
    _container,
]


def mutate(p: Pick, s: str) -> tuple[str, list[str]]:
    ops = []
    for _ in range(p.int(1, 4)):
        op = p.choice(MUTATIONS)
        ops.append(op.__name__)
        s = op(p, s)
    if p.int(0, 3) == 0:  # damaged text inside a well-formed container reaches the structured readers
        ops.append("_container")
        s = _container(p, s)
    return s, ops


def encode(p: Pick, s: str) -> bytes:
    enc = p.choice(["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16"])
    return s.encode(enc, errors="surrogatepass")


# ----------------------------------------------------------------------------------------------- checks


@cache
def analyzer() -> ArticleAnalyzer:
    return build_analyzer()  # slow to build: once per module


@cache
def seed_texts() -> tuple[str, ...]:
    return tuple(p.read_text(encoding="utf-8") for p in sorted(need(SEEDS).glob("*.txt")))


def check_article(a: Article) -> None:
    body, title = a.body, a.title or ""
    for m in a.mentions:
        assert 0 <= m.start <= m.end <= len(body), m
        assert body[m.start : m.end] == m.text, m
    for q in a.quotes:
        src = title if q.in_headline else body
        assert 0 <= q.start <= q.end <= len(src), q
        assert src[q.start : q.end] == q.text, q
        sp = q.speaker
        if sp is not None and sp.start is not None and sp.end is not None:
            assert 0 <= sp.start <= sp.end <= len(src), q


def run_document(data: bytes, clus: StoryClusterer | None = None) -> int:
    """Parse + analysis + story stage of one input; returns the number of articles. Raises on a failure."""
    try:
        result = parse_document(RawDocument(source=SourceRef(origin="fuzz.txt"), data=data))
    except InputError:
        return 0  # a clean, reported refusal
    clus = clus or StoryClusterer()
    for a in result.articles:
        done = analyzer()(a)  # never raises: a failing stage is recorded on the article instead
        assert done.analysis is AnalysisState.DONE, done.analysis_error
        check_article(done)
        clus.add(replace(done, duplicate_of=None))
    clus.repair()
    clus.close_all()
    return len(result.articles)


# ------------------------------------------------------------------------------------------ properties

_FAST = settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.slow
@_FAST
@given(st.data())
def test_mutated_small_texts(data: st.DataObject) -> None:
    p = DrawPick(data)
    text, _ = mutate(p, p.choice(SMALL))
    run_document(encode(p, text))


@pytest.mark.slow  # the seeds twin of test_mutated_small_texts
@_FAST
@given(st.data())
def test_mutated_seed_texts(data: st.DataObject) -> None:
    seeds = seed_texts()
    p = DrawPick(data)
    text, _ = mutate(p, p.choice(seeds))
    run_document(encode(p, text))


@pytest.mark.slow
@settings(max_examples=200)
@given(st.sampled_from([*FURNITURE, ""]), st.text(max_size=300), st.sampled_from(["", *CUES]))
def test_random_text_after_furniture(prefix: str, text: str, cue: str) -> None:
    run_document((prefix + text + cue).encode("utf-8", errors="surrogatepass"))


_HTML_BITS = st.sampled_from(
    ["<p>", "</p>", "<br>", "<div>", "<b>x</b>", "&amp;", "&#0;", "<script>", "<!--"]
)


@pytest.mark.slow
@settings(max_examples=200)
@given(st.lists(st.one_of(st.text(max_size=20), _HTML_BITS), max_size=20).map("".join))
def test_lxml_entry_points_never_raise(fragment: str) -> None:
    # control characters lxml refuses ("All strings must be XML compatible") and any broken markup
    for text in (fragment, fragment + "\x00\x0b\x1b", "<p>\x0c" + fragment + "\ufffe</p>"):
        assert isinstance(html_to_text(text), str)
        assert isinstance(strip_tags(text), str)
        with contextlib.suppress(InputError):  # "no article text" is a fine answer; anything else is not
            read_html(f"<html><body><p>{text}</p></body></html>", "fuzz.html")


# ------------------------------------------------------------------------------- deterministic sweep


def _sweep(bases: Sequence[str], n: int) -> None:
    rng = random.Random(0)
    p = RandomPick(rng)
    clus = StoryClusterer()  # one clusterer across the sweep, like one ingest run
    failures: list[str] = []
    articles = 0
    for i in range(n):
        text, ops = mutate(p, bases[i % len(bases)])
        data = encode(p, text)
        try:
            articles += run_document(data, clus)
        except Exception as e:  # collected, reported together below
            tb = traceback.extract_tb(e.__traceback__)[-1]
            msg = (str(e).splitlines() or [""])[0][:200]
            failures.append(
                f"#{i} {'+'.join(ops)}: {type(e).__name__}: {msg} at {tb.filename}:{tb.lineno}\n"
                f"    input starts {text[:160]!r}"
            )
    assert articles > n // 4, "the mutations should leave most inputs readable"
    assert not failures, f"{len(failures)} of {n} inputs raised:\n" + "\n".join(failures[:5])


@pytest.mark.slow  # ~30 s: the full suite (CI) runs it, the inner loop runs the small-text twin below
def test_deterministic_mutations_of_the_seeds() -> None:
    _sweep(seed_texts(), 2000)


@pytest.mark.slow  # over 1.5 s: the full suite runs it, the inner loop does not
def test_deterministic_mutations_of_small_texts() -> None:
    _sweep(SMALL, 500)


@pytest.mark.parametrize(
    "prefix", ["[ad_1]\n", "[عاجل] ", "{", "<div>", '<?xml version="1.0"?>\n', "<DOC>\n", "<rss>", "<p>"]
)
def test_furniture_never_loses_the_text(prefix: str) -> None:
    text = SMALL[0]
    result = parse_document(RawDocument(source=SourceRef(origin="f.txt"), data=(prefix + text).encode()))
    body = "\n".join(a.body for a in result.articles)
    assert "هذا تقرير خاطئ ولا يتوافق مع الواقع" in body and "مستعد للتفاوض إذا لزم الأمر" in body
    assert (result.articles[0].title or "").endswith("الكرملين ينفي تقريرا عن محادثات سرية")
    assert result.notes and result.notes[0][1].startswith("read as plain text")
