"""Plain-text articles as scrapers save them.

A file holds a headline line (or none), a date line (``تاريخ النشر: …`` or `` date 2025-09-05``), the
body, page furniture (share buttons, "Exit mobile version", related-links blocks), footer credits
(``المصدر: …``, a wire credited before the republisher) and tag lists, and after a "read also" marker
another article with its own headline. :func:`split_parts` turns that into one :class:`ParsedPart` per
article; the same body cleaning applies to text that arrives inside HTML, JSON or feeds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from marsad.normalize.arabic import QUOTE_MARKS, normalize_text
from marsad.parse.credits import Credit, canonical_medium, read_credit
from marsad.parse.dates import (
    DateFound,
    best_date,
    is_render_stamp,
    looks_like_date,
    names_weekday,
    read_date,
    scan_dates,
)
from marsad.parse.markers import Markers, load_markers

_SENTENCE_END = (".", "۔", "!", ":", "؛", ";", "…")
_MAX_HEADLINE_WORDS = 30
_HEADER_LINES = 8  # furniture above the headline is looked for this far down
_LEAD_CHARS = 300  # a date in the lead is looked for this far in
_DATELINE_CHARS = 40  # a date starting this close to the lead's start is its dateline
_FIRST_SENTENCE = re.compile(r"[.!?؟]\s")
_TAG_SPLIT = re.compile(r"\s*[،,|#؛;\n]\s*")
_MEDIA_NOUN = re.compile("وكال|صحيف|جريد|قناة|مجلة|شبكة|إذاع|اذاع|موقع")
_DIGIT = re.compile(r"[0-9\u0660-\u0669\u06f0-\u06f9]")
_CREDIT_STRIP = ' \t:：-–—.،,«»"“”()[]'
# Hard-wrapped text (saved from e-mail, PDF or a fixed-width view) has no line much longer than this and
# most lines close to its longest; a line that long, not ending a sentence, runs on into the next.
_WRAP_MAX = 110
_WRAP_NEAR = 0.75  # share of the longest line a wrapped line reaches
_WRAP_RUN_ON = 0.6  # a line this long (of the longest) may be a wrapped one
_OPEN_MARKS = {"«": "»", "“": "”"}


@dataclass
class ParsedPart:
    """One article found in a document, before ids and normalization."""

    part: int
    title: str | None
    body: str
    char_start: int
    char_end: int
    published: object = None  # datetime | None (kept loose to avoid a cycle with model defaults)
    date_text: str | None = None
    date_precision: str | None = None  # day | month | year
    date_source: str | None = None  # header | byline | body | feed | url | file | crawl
    notes: list[str] = field(default_factory=list)  # dates dropped (future, render stamps) and why
    outlet: str | None = None
    wire: str | None = None
    tags: list[str] = field(default_factory=list)
    cited_media: list[str] = field(default_factory=list)


@dataclass
class _Line:
    text: str
    start: int
    end: int


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append(_Line(raw, pos, pos + len(raw)))
        pos += len(raw) + 1
    return out


def _match_any(patterns: tuple[re.Pattern[str], ...], s: str) -> re.Match[str] | None:
    for p in patterns:
        m = p.match(s)
        if m:
            return m
    return None


def _is_boilerplate(mk: Markers, s: str) -> bool:
    return _match_any(mk.boilerplate, s) is not None


def _is_stamp_line(s: str) -> bool:
    """``آخر تحديث: 3 ديسمبر 2026 10:00``: page furniture, and not the publication date."""
    return len(s.split()) <= 12 and bool(_DIGIT.search(s)) and is_render_stamp(s)


def _is_header_furniture(mk: Markers, s: str) -> bool:
    """A line above the headline or lead that is never a title (section, byline, credit, stamp)."""
    return (
        _is_boilerplate(mk, s)
        or _is_stamp_line(s)
        or _match_any(mk.header, s) is not None
        or mk.section_line.match(normalize_text(s)) is not None
    )


def _credit_line(s: str) -> Credit | None:
    """A line that is only a credit (``القاهرة - أ ش أ``, ``(رويترز)``): furniture, and who wrote it."""
    if len(s.split()) > 8:
        return None
    c = read_credit(s)
    return c if c is not None and not s[c.end :].strip(" :：-–—.") else None


def _credited(outlet: str | None, wire: str | None, credits: list[Credit]) -> tuple[str | None, str | None]:
    """Footer credits named as the KB names them; credits in the lead fill what the footer left open."""
    o = canonical_medium(outlet)
    w = canonical_medium(wire)
    outlet = o.name if o is not None else None
    wire = w.name if w is not None else None
    for c in credits:
        if c.medium.wire and wire is None and c.medium.name != outlet:
            wire = c.medium.name
        elif not c.medium.wire and outlet is None:
            outlet = c.medium.name
    return outlet, wire


def _headline_date(title: str, ref: datetime | None) -> tuple[str, DateFound, str] | None:
    """A headline ending with its date (``… - 27 مايو 2018``): the headline without it, the date, its text."""
    found = [f for f in scan_dates(title, ref=ref) if not f.future and f.precision == "day"]
    if not found:
        return None
    last = found[-1]
    if title[last.end :].strip(" -–—|،,()") or len(title[: last.start].split()) < 2:
        return None
    head = title[: last.start].rstrip(" -–—|،,(")
    return head, last, title[last.start : last.end].strip()


def _lead_date(lead: str, ref: datetime | None) -> tuple[DateFound, str] | None:
    """The date a lead's first sentence gives: a day at the dateline (``القاهرة في 3 أبريل 2025 -``), after
    its weekday (``أعلنت الوزارة يوم الجمعة 27 يوليو 2018``), or with a reference time ``اليوم الثلاثاء``.
    Any other date there is mostly background (``محاولة الانقلاب في 15 يوليو 2016``), and a month or a
    year always is."""
    text = lead[:_LEAD_CHARS]
    end = _FIRST_SENTENCE.search(text)
    text = text[: end.end()] if end else text
    found = [
        f
        for f in scan_dates(text, ref=ref)
        if f.precision == "day"
        and (
            f.form == "relative"
            or f.start < _DATELINE_CHARS
            or names_weekday(text[max(0, f.start - 16) : f.start])
        )
    ]
    best = best_date(found)
    return (best, text[best.start : best.end].strip()) if best is not None else None


def _open_quote(s: str) -> bool:
    """Whether ``s`` leaves a quotation open (an odd number of ``"``, or an unclosed « or “)."""
    return s.count('"') % 2 == 1 or any(s.count(o) > s.count(c) for o, c in _OPEN_MARKS.items())


def _ends_sentence(s: str) -> bool:
    return s.rstrip().rstrip(QUOTE_MARKS + ")").endswith((*_SENTENCE_END, "?", "؟"))


def unwrap(lines: list[str], blank_before: list[bool]) -> list[str]:
    """Body lines with hard line wraps undone. ``blank_before[k]`` says a blank line came before line k.

    Only a text that looks wrapped is touched: none of its lines longer than ``_WRAP_MAX``, and at least
    three (and a quarter of them) near the longest one without ending a sentence. There a line runs on into the next unless a blank line separates
    them (when the page marks paragraphs so) or it is short or ends a sentence outside a quotation."""
    if len(lines) < 3:
        return lines
    longest = max(len(s) for s in lines)
    # lines broken at the width, not at a sentence end: a wrapped text has several
    runs = sum(len(s) >= _WRAP_NEAR * longest and not _ends_sentence(s) for s in lines)
    if longest > _WRAP_MAX or runs < 3 or runs < 0.25 * len(lines):
        return lines
    blank_paragraphs = sum(blank_before[1:]) >= 2
    out: list[str] = [lines[0]]
    for k in range(1, len(lines)):
        prev = out[-1]
        tail = lines[k - 1]  # the line as wrapped, not the paragraph joined so far
        if blank_before[k]:
            run_on = False
        elif blank_paragraphs:
            run_on = True
        else:
            run_on = len(tail) >= _WRAP_RUN_ON * longest and (not _ends_sentence(tail) or _open_quote(prev))
        if run_on:
            out[-1] = f"{prev} {lines[k]}"
        else:
            out.append(lines[k])
    return out


def _headline_like(s: str) -> bool:
    s = s.strip()
    words = s.split()
    return 2 <= len(words) <= _MAX_HEADLINE_WORDS and not s.endswith(_SENTENCE_END)


def _recover_related(mk: Markers, s: str) -> str | None:
    """A related-links block glued to the next paragraph: keep the paragraph if it can be found."""
    for prefix in mk.related_prefixes:
        if s.startswith(prefix):
            best = None
            for m in mk.glued_opener.finditer(s, len(prefix)):
                rest = s[m.start() :]
                if len(rest.split()) >= 6:
                    best = rest
            return best if best is not None else ""
    return None


def _parse_footer(mk: Markers, lines: list[str]) -> tuple[str | None, str | None, list[str]]:
    """Credits and tags from footer lines: (outlet, wire, tags)."""
    credits: list[tuple[str, bool]] = []
    tags: list[str] = []
    for line in lines:
        marks = list(mk.footer.finditer(line))
        for i, m in enumerate(marks):
            end = marks[i + 1].start() if i + 1 < len(marks) else len(line)
            value = line[m.end() : end].strip(_CREDIT_STRIP)
            if not value:
                continue
            if m.group("credit") is not None:
                credits.append((" ".join(value.split()[:8]), bool(m.group("colon"))))
            else:
                tags.extend(t for t in _TAG_SPLIT.split(value) if t)
    outlet = wire = None
    if credits:
        with_colon = [c for c, colon in credits if colon]
        outlet = with_colon[-1] if with_colon else credits[-1][0]
        earlier = [c for c, _ in credits if normalize_text(c) != normalize_text(outlet)]
        if earlier:
            wire = earlier[0]
    return outlet, wire, _dedupe_tags(tags)


def _dedupe_tags(tags: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for t in tags:
        k = normalize_text(t)
        if k and k not in seen:
            seen.add(k)
            out.append(t)
    return out


def find_cited_media(mk: Markers, body: str) -> list[str]:
    """Media the text credits ("وحسب وكالة سبوتنيك" → "سبوتنيك")."""
    found: list[str] = []
    if not _MEDIA_NOUN.search(body):
        return found
    for rx in mk.cited_media:
        for m in rx.finditer(body):
            name = m.group("name").strip(_CREDIT_STRIP)
            if name and normalize_text(name) not in {normalize_text(f) for f in found}:
                found.append(name)
    return found


def _date_line(mk: Markers, s: str, ref: datetime | None = None) -> tuple[DateFound, str, str] | None:
    """(date, date text, rest of line) when ``s`` is a date line. Render and update stamps are not."""
    if is_render_stamp(s):
        return None
    m = _match_any(mk.date_lines, s)
    if m:
        found = read_date(m.group("date"), ref=ref)
        if found is not None:
            rest = m.groupdict().get("rest") or ""
            return found, m.group("date").strip(), rest
    if looks_like_date(s, ref=ref):
        found = read_date(s, ref=ref)
        if found is not None:
            return found, s.strip(), ""
    return None


def _parse_segment(
    mk: Markers, lines: list[_Line], part: int, inline_title: str | None, ref: datetime | None = None
) -> ParsedPart | None:
    idx = [i for i, ln in enumerate(lines) if ln.text.strip()]
    if not idx:
        return None
    title: str | None = inline_title.strip() if inline_title and inline_title.strip() else None
    published = None
    date_text = None
    date_precision: str | None = None
    first_body_text: str | None = None
    date_source = "header"  # header | byline | body
    pos = 0  # index into idx of the first line not yet consumed

    def take_date(at: int) -> bool:
        nonlocal published, date_text, first_body_text, date_precision, date_source
        if at >= len(idx):
            return False
        d = _date_line(mk, lines[idx[at]].text, ref)
        if d is None:
            return False
        found, date_text, rest = d
        published, date_precision, date_source = found.value, found.precision, "header"
        if rest.strip():
            first_body_text = rest.strip()
        return True

    credits: list[Credit] = []

    # A date above the headline may be the site's header showing today's date: a date line under the
    # headline, when there is one, is the article's.
    retake = False

    def skip_furniture() -> None:
        """Past section lines, bylines, credit lines and the date line above the headline or lead."""
        nonlocal pos, retake
        while pos < len(idx) and pos < _HEADER_LINES:
            if (published is None or retake) and take_date(pos):
                retake = False
                pos += 1
                if first_body_text:
                    return  # the lead follows the date on its line
                continue
            s = lines[idx[pos]].text
            c = _credit_line(s)
            if c is not None:
                credits.append(c)
            elif not _is_header_furniture(mk, s):
                return
            elif (published is None or retake) and not is_render_stamp(s):
                take_byline_date(s)  # "كتب: أحمد علي - 3 أبريل 2025"
            pos += 1

    def take_byline_date(s: str) -> None:
        nonlocal published, date_text, date_precision, date_source, retake
        found = read_date(s, ref=ref)
        if found is not None:
            published, date_precision, date_text = found.value, found.precision, s[found.start : found.end]
            date_source, retake = "byline", False

    skip_furniture()
    above = published is not None and first_body_text is None
    if title is None and first_body_text is None and pos + 1 < len(idx):
        first = lines[idx[pos]].text
        if take_date(pos + 1):
            title, pos = first.strip(), pos + 2
        elif _headline_like(first):
            title, pos = first.strip(), pos + 1
            if published is None and (tail := _headline_date(title, ref)) is not None:
                title, found, date_text = tail
                published, date_precision = found.value, found.precision
    if first_body_text is None:
        retake = above and title is not None
        skip_furniture()

    body_lines: list[str] = [first_body_text] if first_body_text else []
    blank_before: list[bool] = [False] if first_body_text else []
    footer: list[str] = []
    start_line = idx[pos] if pos < len(idx) else idx[-1]
    for i in idx[pos:]:
        s = lines[i].text.strip()
        blank = i > 0 and not lines[i - 1].text.strip()
        if footer or mk.footer_start.match(s):
            footer.append(s)
            continue
        if _is_boilerplate(mk, s) or _is_stamp_line(s):
            continue
        recovered = _recover_related(mk, s)
        if recovered is not None:
            if recovered:
                body_lines.append(recovered)
                blank_before.append(True)
            continue
        body_lines.append(s)
        blank_before.append(blank)
    body_lines = unwrap(body_lines, blank_before)
    outlet, wire, tags = _parse_footer(mk, footer)
    body = "\n".join(body_lines).strip()
    if not credits and body_lines:
        lead_credit = read_credit(body_lines[0])
        credits = [lead_credit] if lead_credit is not None else []
    outlet, wire = _credited(outlet, wire, credits)
    if published is None and body_lines:
        lead_date = _lead_date(body_lines[0], ref)
        if lead_date is not None:
            found, date_text = lead_date
            published, date_precision, date_source = found.value, found.precision, "body"
    if not body and not title:
        return None
    return (
        ParsedPart(
            part=part,
            title=title,
            body=body,
            char_start=lines[idx[0]].start if part == 0 else lines[0].start,
            char_end=lines[idx[-1]].end,
            published=published,
            date_text=date_text,
            date_precision=date_precision,
            date_source=date_source if published is not None else None,
            outlet=outlet,
            wire=wire,
            tags=tags,
            cited_media=find_cited_media(mk, body),
        )
        if (body or title) and start_line >= 0
        else None
    )


def split_parts(text: str, *, has_title: bool | None = None, ref: datetime | None = None) -> list[ParsedPart]:
    """Parse a scraped plain-text article into its main article and its "read also" articles.

    ``has_title=False`` tells the parser the text is a body only (the title came from elsewhere, e.g. a
    JSON field), so its first line is never taken as a headline. ``ref`` (a crawl or feed time) resolves
    year-less and relative dates (``الخميس 3 أبريل``, ``اليوم الاثنين``); without it they stay unresolved.
    """
    mk = load_markers()
    lines = _lines(text)
    segments: list[tuple[list[_Line], str | None]] = []
    current: list[_Line] = []
    inline: str | None = None
    for ln in lines:
        m = _match_any(mk.read_also, ln.text)
        if m:
            segments.append((current, inline))
            current, inline = [], m.groupdict().get("rest")
            continue
        current.append(ln)
    segments.append((current, inline))
    parts: list[ParsedPart] = []
    for n, (seg, inline_title) in enumerate(segments):
        if n == 0 and has_title is False:
            inline_title = ""  # suppress headline detection on a body-only text
            p = _parse_body_only(mk, seg, ref)
        else:
            p = _parse_segment(mk, seg, len(parts), inline_title, ref)
        if p is not None:
            p.part = len(parts)
            parts.append(p)
    return parts


def _parse_body_only(mk: Markers, seg: list[_Line], ref: datetime | None = None) -> ParsedPart | None:
    # Reuse the segment parser with a sentinel title, then drop it.
    p = _parse_segment(mk, seg, 0, "\u0000", ref)
    if p is not None:
        p.title = None
    return p
