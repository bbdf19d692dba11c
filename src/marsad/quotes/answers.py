"""What a denial or rejection answers: the report or source its sentence names ("نفى تقرير صحيفة واشنطن
بوست", "نفى ما نقلته رويترز", "صحة ما ورد في إحدى الصحف المحلية", "ما ورد ببيان هيئة الطيران", "ما
أوردته وسائل إعلام"), else, for "ما نشره" / "تصريحاته", the speaker quoted before whose words those are,
else, for "نفى ذلك", the outlet whose report the text gave just before; else, when the words point to
a report without naming its source ("تلك الاتهامات", "ما تداوله"), the report the nearby sentences name
(:func:`find_reported_near`). Word lists in ``data/frames.yaml`` (report_words, relay_verbs,
document_nouns, pointing_reports, anaphors) and ``data/answers.yaml``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from marsad.data import load_yaml, resource_path
from marsad.errors import ConfigError
from marsad.model import EntityKind, Speaker, SpeakerKind, Stance
from marsad.normalize.arabic import QUOTE_MARKS, normalize_text
from marsad.quotes.cues import Lexicon, word_list
from marsad.quotes.frames import Frames
from marsad.quotes.provenance import medium_at
from marsad.quotes.speakers import STOP_WORDS, TIME_WORDS, EntityLookup, is_nisba, subject_at
from marsad.quotes.text import COLON, COMMA, Doc, word_set

_SOURCES = (EntityKind.MEDIA, EntityKind.ORGANIZATION, EntityKind.PERSON, EntityKind.GROUP)
_NEAR = 3  # words after a report word or relaying verb where the source (or the next link) may stand
# words that may stand between a report word or relaying verb and its source
_RELATIVES = word_set("ما الذي التي")
# "ما يسمى بالتحالف", "ما ذكره فخامة الرئيس": words between a relay and its source that name nothing
_LINKS = _RELATIVES | word_set("فيه فيها في يسمى تسمى فخامة معالي سمو جلالة سعادة")
_MA = word_set("ما لما")  # "وفقا لما نقلته سانا", "بحسب ما أوردت"
_PROVENANCE = word_set("عن من")  # "نقلت واس عن مصدر مسؤول قوله": the outlet relays, it is not answered
_RESUMPTIVE = word_set("فيه فيها عنه عنها له لها")
_PARTICLES = word_set("قد لقد")  # "وكانت وكالة أسواق قد ذكرت"
_SOME = word_set("إحدى احدى أحد بعض عدد")  # "إحدى الصحف المحلية", "بعض وسائل الإعلام"
_GENERIC_MEDIA = word_set("وسائل وكالات الوكالات صحف الصحف قنوات مواقع المواقع مصادر تقارير حسابات الحسابات")
# what a background sentence's verb does when it makes no claim a later denial could answer
_NOT_CLAIMS = frozenset({Stance.CONFIRMATION, Stance.DENIAL, Stance.REJECTION})
_TOPIC_SHARED = 2  # content words a denial shares with a claim it answers from further away
_MAX_GENERIC = 4  # words of a source phrase no mention or outlet name covers ("وسائل إعلام إسرائيلية")


@dataclass(frozen=True, slots=True)
class AnswerWords:
    """``data/answers.yaml``: how far a report is looked for, and the words of its shapes."""

    near_before: int
    near_after: int
    relay_fillers: frozenset[str]
    passive_auxiliaries: frozenset[str]
    relay_nouns: frozenset[str]
    bare_media: frozenset[str]
    demonstratives: frozenset[str]
    pointed_reports: frozenset[str]
    time_nouns: frozenset[str]
    attributing: frozenset[str]
    also: frozenset[str]
    contrasts: frozenset[str]
    earlier: tuple[tuple[str, ...], ...] = ()  # "وفي وقت سابق": phrases opening a background sentence
    aside_before: int = 0  # sentences before a denial searched for "كما تقول X"


_WORD_LISTS = (
    "relay_fillers",
    "passive_auxiliaries",
    "relay_nouns",
    "bare_media",
    "demonstratives",
    "pointed_reports",
    "time_nouns",
    "attributing",
    "also",
    "contrasts",
)


def parse_answer_words(data: Any, where: str = "answers.yaml") -> AnswerWords:
    if not isinstance(data, dict):
        raise ConfigError(where, "expected a mapping of word lists and sentence counts")
    unknown = set(data) - set(_WORD_LISTS) - {"near_before", "near_after", "aside_before", "earlier"}
    if unknown:
        raise ConfigError(where, f"unknown keys {sorted(unknown)}")
    counts: dict[str, int] = {}
    for key in ("near_before", "near_after", "aside_before"):
        n = data.get(key, 0)
        if not isinstance(n, int) or isinstance(n, bool) or not 0 <= n <= 20:
            raise ConfigError(where, f"'{key}' must be a whole number of sentences from 0 to 20")
        counts[key] = n
    words: dict[str, frozenset[str]] = {}
    for key in _WORD_LISTS:
        words[key] = frozenset(word_list(where, data.get(key), key))
    earlier = tuple(tuple(p.split()) for p in word_list(where, data.get("earlier"), "earlier"))
    return AnswerWords(
        near_before=counts["near_before"], near_after=counts["near_after"],
        aside_before=counts["aside_before"], earlier=earlier, **words,
    )  # fmt: skip


@cache
def answer_words() -> AnswerWords:
    path = resource_path("answers.yaml")
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise ConfigError(str(path), f"not valid YAML: {e}") from e
    return parse_answer_words(data, str(path))


def _source_at(
    doc: Doc, t: int, lex: Lexicon, entities: EntityLookup | None, bare: bool, place: bool = False
) -> str | None:
    """The source whose name starts at token ``t``; ``place``: a state named by its capital counts
    ("اتهامات واشنطن", right after the report word)."""
    if t >= len(doc) or doc.gap_has(t, COLON + ".\n"):
        return None
    if place and doc.word(t) in _demonyms():
        return _demonyms()[doc.word(t)]  # "الاتهامات البريطانية": the accuser is the state
    hit = doc.mention_at.get(t)
    if hit is not None:
        m = hit[0]
        if m.entity_type not in _SOURCES and not (place and m.entity_type == EntityKind.PLACE):
            return None
        ent = entities(m.entity_id) if entities is not None and m.entity_id else None
        return ent.name_ar if ent is not None and ent.name_ar else m.text
    w = doc.word(t)
    if w in _SOME or w in _GENERIC_MEDIA:
        return _phrase(doc, t, lex)
    press = _bare_media(doc, t)
    if press is not None:
        return press
    if w in STOP_WORDS or w in TIME_WORDS or w in _LINKS or w in _RESUMPTIVE or not w[:1].isalpha():
        return None  # "نسبته 18.7 في المئة": a figure is no source
    name = _untimed(medium_at(doc, t, lex, entities, strict=not bare))
    if name is not None and w.startswith("ب") and name.startswith("ب") and lex.head(w[1:]) is not None:
        name = name[1:]  # "في تقرير بصحيفة …": the preposition is no part of the name
    head = lex.head(_unglued(w, lex))
    if name is None and head == "organization":
        return _phrase(doc, t, lex)  # "ما ورد ببيان هيئة الطيران المدني"
    if name is None and (bare or place) and head in ("title", "unnamed"):
        phrase = _phrase(doc, t, lex, construct=True)  # "ردا على اتهامات مدير عام مستشفى المدينة"
        end = t + len(phrase.split()) if phrase else t
        stop = min(end + _NEAR, len(doc))  # "… السابق لدى قطر، فلان": a post of a few words, then the name
        while end < stop and not doc.gap_has(end, COMMA + COLON + QUOTE_MARKS + ".\n"):
            end += 1
        apposed = doc.mention_at.get(end) if end < stop and doc.gap_has(end, COMMA) else None
        if apposed is not None and apposed[0].entity_type == EntityKind.PERSON:
            # "أدلى بها السفير السابق لدى قطر، فلان": the title's holder, named in apposition
            m = apposed[0]
            ent = entities(m.entity_id) if entities is not None and m.entity_id else None
            return ent.name_ar if ent is not None and ent.name_ar else m.text
        return phrase
    if name is not None and lex.head(_unglued(w, lex)) == "media" and name.endswith(("الأنباء", "الانباء")):
        # "وكالة الأنباء الأرجنتينية": the adjectives name the agency
        k = t + len(name.split())
        while (
            k < len(doc)
            and k - t < _MAX_GENERIC + 1
            and is_nisba(doc.word(k))
            and doc.word(k).startswith("ال")
        ):
            if doc.gap_has(k, COMMA + COLON + QUOTE_MARKS + ".\n("):
                break
            name += " " + doc.text[doc.toks[k].start : doc.toks[k].end]
            k += 1
    return name


def _attributed_to(doc: Doc, t: int, lex: Lexicon, entities: EntityLookup | None) -> str | None:
    """The person or body named after "المنسوبة" ("إلى الوزير فلان", "للقيادي فيها، فلان"): the first
    source mention within a few words, past a preposition, an office and an apposing comma; none for a
    pronoun ("منسوبة لها": the denier's own words)."""
    if doc.word(t) in ("إلى", "الى", "الي"):
        t += 1
    for j in range(t, min(t + _NEAR + 1, len(doc))):
        if doc.gap_has(j, COLON + ".\n"):
            return None
        w = doc.word(j)
        if w in _RESUMPTIVE and j == t:
            return None  # "منسوبة لها"
        if j in doc.mention_at:
            return _source_at(doc, j, lex, entities, bare=False)
        if w in STOP_WORDS and w not in _LINKS:
            return None  # "حول …", "عن …": what was said, not who said it
    return None


def _untimed(name: str | None) -> str | None:
    """ "صحيفة التايمز الشهر": the name without the time words an outlet's name runs into."""
    if name is None:
        return None
    words = name.split()
    while len(words) > 1 and normalize_text(words[-1]) in answer_words().time_nouns:
        words.pop()
    return " ".join(words)


def _bare_media(doc: Doc, t: int) -> str | None:
    """ "بالإعلام", "في الصحافة الإسبانية", "للصحف": the press named by its kind alone, as written, with
    the definite adjectives after it and without a glued preposition."""
    w = doc.word(t)
    bare = answer_words().bare_media
    raw = doc.text[doc.toks[t].start : doc.toks[t].end]
    if w in bare:
        head = raw
    elif w.startswith("ب") and w[1:] in bare:
        head = raw[1:]  # "بالإعلام"
    elif w.startswith("لل") and "ا" + w[1:] in bare:
        head = "ا" + raw[1:]  # "للصحف" -> "الصحف"
    else:
        return None
    hi = t + 1
    while (
        hi < len(doc) and hi - t <= _MAX_GENERIC and doc.word(hi).startswith("ال") and is_nisba(doc.word(hi))
    ):
        if doc.gap_has(hi, COMMA + COLON + QUOTE_MARKS + ".\n("):
            break
        hi += 1
    tail = doc.text[doc.toks[t].end : doc.toks[hi - 1].end] if hi > t + 1 else ""
    return head + tail


@cache
def _demonyms() -> dict[str, str]:
    """Definite singular demonyms of the knowledge base's countries ("البريطانية", "السوري") -> the
    country's Arabic name: after a report word they name the state that made the report or claim."""
    data = load_yaml(resource_path("kb/countries.yaml").read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for c in data.get("countries") or []:
        for d in (c.get("demonym_f"), c.get("demonym_m")):
            if isinstance(d, str) and d.strip() and isinstance(c.get("name_ar"), str):
                out[normalize_text(d if d.startswith("ال") else "ال" + d)] = c["name_ar"]
    return out


def _unglued(w: str, lex: Lexicon) -> str:
    """The word without a glued ل ("لهيئة" -> "هيئة"; "لجنة" stays) when the rest is a head word."""
    if w.startswith("ل") and not w.startswith("لل") and lex.head(w[1:]) is not None:
        return w[1:]
    return w


def _phrase(doc: Doc, t: int, lex: Lexicon, construct: bool = False) -> str | None:
    """ "إحدى الصحف المحلية", "وسائل إعلام إسرائيلية", "هيئة الطيران المدني": a source named by its
    kind, or an institution the mention finder does not know, as written (a glued ل dropped);
    ``construct``: a person by office, nouns in a chain ("مدير عام مستشفى المدينة")."""
    k = t + 1 if doc.word(t) in _SOME else t
    if k >= len(doc):
        return None
    head = _unglued(doc.word(k), lex)
    if (lex.head(head) is None and head not in _GENERIC_MEDIA) or (k > t and head not in _GENERIC_MEDIA):
        return None
    hi = k + 1
    while hi < len(doc) and hi - t < _MAX_GENERIC:
        gap = doc.gap(hi)
        w = doc.word(hi)
        if any(c in gap for c in COMMA + COLON + QUOTE_MARKS + ".\n(") or w in STOP_WORDS:
            break
        if lex.cue(w) is not None or hi in doc.mention_at:
            break
        if hi > k + 1 and not is_nisba(w) and not construct:
            break  # past the noun after the head only adjectives go on ("وسائل إعلام محلية")
        hi += 1
    lo = doc.toks[t].start + (1 if k == t and head != doc.word(k) else 0)
    return doc.text[lo : doc.toks[hi - 1].end] or None


def _report_word(frames: Frames, w: str) -> bool:
    """ "تقرير", "ببيان", "في تقرير": a report or document that a source follows."""
    if w in frames.report_words or w in frames.document_nouns:
        return True
    if w.startswith("لل"):
        w = "ا" + w[1:]  # "للتقارير"
        return w in frames.report_words
    return w.startswith("ب") and (w[1:] in frames.report_words or w[1:] in frames.document_nouns)


def find_answered(
    doc: Doc,
    tokens: Iterable[int],
    lex: Lexicon,
    frames: Frames,
    entities: EntityLookup | None,
    earlier: Iterable[Speaker | None] = (),
    speaker: Speaker | None = None,
    object_first: str | None = None,
    via: str | None = None,
    cue_tok: int = -1,
    content: tuple[int, int] | None = None,
    opening: bool = False,
) -> str | None:
    """The source named after a report word or relaying verb among ``tokens`` (the reporting sentence
    and its content); else, when the words point to what someone said ("ما نشره", "تصريحاته"), the
    latest speaker of ``earlier`` (the article's previous quotes, latest first) other than ``speaker``;
    else, when they point back ("ذلك", "هذه التقارير", or the content opens with a definite report
    noun, ``object_first``: "نفى التقارير"), the last media speaker of ``earlier``. A relaying verb
    that carries the denial itself ("وفقا لما نقلته سانا", ``via``) names no report denied."""
    back = pointing = reported = False
    for k in tokens:
        w = doc.word(k)
        if reported and w in frames.agent_words and doc.word(k - 1) == "من":
            name = _source_at(doc, k + 1, lex, entities, bare=True, place=True)
            if name and not _is_speaker(name, speaker):
                return name  # "التقارير … الملفقة من قبل الروس"
        reported = reported or _report_word(frames, w)
        if w in answer_words().attributing:
            name = _attributed_to(doc, k + 1, lex, entities)
            if name and not _is_speaker(name, speaker):
                return name  # "التصريحات المنسوبة للقيادي فيها، فلان"
        relay = _relays(doc, k, frames, opening)
        if relay and (k == cue_tok or _carries(doc, k, frames)):
            continue  # "إذ ذكرت الوكالة أن …": the quote's own verb; "وفقا لما نقلته سانا": its carrier
        if not relay and doc.word(k - 1) in frames.link_words:
            continue  # "رابط الخبر بصحيفة الوئام": the page's link line
        if not relay and k > 0 and lex.head(doc.word(k - 1)) == "media":
            continue  # "وكالة الأنباء السورية": a report word inside an outlet's name
        if relay or _report_word(frames, w):
            t, last = k + 1, min(k + 1 + _NEAR, len(doc))
            while t < last:
                nw = doc.word(t)
                link = _relays(doc, t, frames)
                if nw in answer_words().relay_fillers and not doc.gap_has(t, COLON + ".\n"):
                    last = min(last + 1, len(doc))  # "يتم نشرها الآن وحتى أحيانا في وسائل الإعلام"
                elif link or _report_word(frames, nw):
                    relay = relay or link
                    last = min(t + 1 + _NEAR, len(doc))  # "ما ورد في تقرير لصحيفة …": the next link
                else:
                    # a nearby sentence names a source only by a mention or a media word, not any
                    # word after its verb ("وأفاد أحدث استطلاع")
                    name = _source_at(doc, t, lex, entities, bare=relay and not opening, place=t == k + 1)
                    verb = w in frames.relay_verbs or (opening and w[1:] in frames.relay_verbs)
                    if name and verb and _relays_other(doc, k, t, name):
                        break  # "نقلت وكالة الأنباء عن مصدر مسؤول نفيه": the relay of the denial
                    if name and not (via and _same_name(name, via)) and not _is_speaker(name, speaker):
                        return name
                    if nw not in _LINKS and nw not in TIME_WORDS:
                        break  # "التقارير التي نشرتها صحيفة …": only a relative may come between
                t += 1
        pointing = pointing or w in frames.pointing_reports
        # "ونفى لافروف ذلك"; not "…، ورغم ذلك ذكر مصدر …" after the words
        back = back or (w in frames.anaphors and (content is None or content[0] <= k < content[1]))
    if object_first is not None and object_first in frames.denied_reports and object_first.startswith("ال"):
        back = True  # "ونفت الوزارة الأنباء": the reports the article gave before
    if pointing or back:
        for sp in earlier:
            if sp is None or (speaker is not None and _same(sp, speaker)):
                continue
            if not pointing and frames.referring_heads.get(normalize_text(sp.name_ar or sp.text)):
                continue  # "وقالت الصحيفة": which newspaper, the report the text names tells
            if pointing or sp.kind == SpeakerKind.MEDIA:
                return sp.name_ar or sp.text
    return None


def refers_to_report(
    doc: Doc,
    tokens: Iterable[int],
    frames: Frames,
    content: tuple[int, int] | None = None,
    object_first: str | None = None,
) -> bool:
    """Do the words of a denial (its sentence ``tokens``) point to a report or claim without naming its
    source: a demonstrative and a report word ("تلك الاتهامات", "هذه المعلومات"), "ذلك" or a
    demonstrative opening what it denies ("هذا هراء"; not "هذه الاتفاقية", "هذا الأسبوع"), a pointing
    word ("ما نشره"), a report as its object ("نفى الأنباء"), or a relaying verb ("ما تداوله"; not the
    carrier of the denial, "وفقا لما نقلته سانا")?"""
    aw = answer_words()
    reports = aw.pointed_reports | frames.report_words | frames.content_nouns
    if object_first is not None and (
        object_first in frames.denied_reports or object_first in frames.content_nouns
    ):
        return True
    for k in tokens:
        w = doc.word(k)
        if w in aw.demonstratives and doc.word(k + 1) in reports:
            return True
        inside = content is not None and content[0] <= k < content[1]
        if inside and w in frames.anaphors and (w == "ذلك" or (content is not None and k == content[0])):
            return True
        if w in frames.pointing_reports or (_relays(doc, k, frames) and not _carries(doc, k, frames)):
            return True
    return False


def find_reported_near(
    doc: Doc,
    frame: tuple[int, int],
    lex: Lexicon,
    frames: Frames,
    entities: EntityLookup | None,
    speaker: Speaker | None = None,
    own: Iterable[int] = (),
) -> str | None:
    """The source of the report the text names near a denial whose words point to one (see
    :func:`refers_to_report`): the rest of its sentence, then up to ``near_before`` sentences before
    it (nearest first), then up to ``near_after`` after it, each read like a denial's own sentence
    ("الاتهامات التي نشرتها صحيفة الشرق الأوسط", "تناقلت وسائل إعلام صورة …", "في تقرير نشرته صحيفة …");
    never the denier itself, nor in a later sentence holding the denier's own words (``own``: the
    first tokens of its quotes), which go on with the denial rather than tell what it answers."""
    aw = answer_words()
    mine = list(own)
    lo, hi = frame
    s_lo, s_hi = doc.sentence(lo) if lo < len(doc) else (lo, hi)
    spans = [range(s_lo, lo), range(hi, max(hi, s_hi))]
    t = s_lo - 1
    for _ in range(aw.near_before):
        if t < 0:
            break
        a, b = doc.sentence(t)
        spans.append(range(a, b))
        t = a - 1
    t = max(hi, s_hi)
    for _ in range(aw.near_after):
        if t >= len(doc):
            break
        a, b = doc.sentence(t)
        if b <= t:
            break
        if not any(a <= k < b for k in mine):
            spans.append(range(a, b))
        t = b
    for span in spans:
        if len(span) == 0:
            continue
        name = find_answered(doc, span, lex, frames, entities, speaker=speaker, opening=True)
        if name is not None:
            return name
    return None


def reported_before(
    doc: Doc,
    here: int,
    lex: Lexicon,
    frames: Frames,
    entities: EntityLookup | None,
    speaker: Speaker | None = None,
) -> str | None:
    """ "وبحسب قناة فوكس نيوز أن … . لكن الكرملين نفى …": the source of the report given in the
    sentence before the one starting at token ``here``, in the same paragraph: a report phrase, or a
    source by "بحسب"/"وفقا لـ" at its start (which carries no denial here: it is what is denied)."""
    if here <= 0 or "\n" in doc.gap(here):
        return None
    lo, hi = doc.sentence(here - 1)
    name = find_answered(doc, range(lo, hi), lex, frames, entities, speaker=speaker, opening=True)
    if name is not None:
        return name
    if doc.word(lo) in frames.before_triggers:
        t = lo + 1 if doc.word(lo + 1) not in ("ل", "لـ") else lo + 2
        name = _source_at(doc, t, lex, entities, bare=False)
        if name is not None and not _is_speaker(name, speaker):
            return name
    return None


def aside_before(
    doc: Doc,
    here: int,
    lex: Lexicon,
    frames: Frames,
    entities: EntityLookup | None,
    speaker: Speaker | None = None,
    words: Sequence[str] = (),
) -> str | None:
    """ "… قام بها كما تقول لندن عملاء روس. ونفت موسكو ذلك": the source of an aside inside a sentence
    that tells who says it ("كما تقول X", "، حسبما ذكرت صحيفة X") in one of the ``aside_before``
    sentences before the one starting at token ``here`` (nearest first); a denial opening the next
    sentence answers it. Past a line break only a sentence that speaks of what the denial's ``words``
    speak of counts: pages that put every sentence on a line of its own break the paragraph there."""
    t = here
    crossed = False
    for _ in range(answer_words().aside_before):
        if t <= 0:
            return None
        crossed = crossed or "\n" in doc.gap(t)
        lo, hi = doc.sentence(t - 1)
        t = lo
        if crossed and not same_topic(words, [doc.word(j) for j in range(lo, hi)]):
            continue
        for k in range(lo + 1, hi - 1):
            if doc.word(k) not in frames.carriers or lex.cue(doc.word(k + 1)) is None:
                continue
            name = _source_at(doc, k + 2, lex, entities, bare=False, place=True)  # "كما تقول لندن"
            if name is not None and not _is_speaker(name, speaker):
                return name
    return None


def _relays(doc: Doc, k: int, frames: Frames, opening: bool = False) -> bool:
    """Does the word at token ``k`` relay a report: a relaying verb ("نشرته", "تداولت"), "ورد"/"جاء"
    after a relative, or a verbal noun or passive after an auxiliary or a relative ("التي يتم نشرها",
    "ما تم تداوله", "ما ذكر")? ``opening``: a report sentence near the denial, where a verb with "و"
    opens the report too ("وتناقلت وسائل إعلام صورا …")."""
    w, before = doc.word(k), doc.word(k - 1)
    if w in frames.relay_verbs or (opening and w.startswith("و") and w[1:] in frames.relay_verbs):
        return True
    if w in frames.relay_after_relative and before in _RELATIVES:
        return True
    if w.startswith("ما") and (w[2:] in frames.relay_verbs or w[2:] in frames.relay_after_relative):
        return True  # "ماتردد", "ماورد": the relative written on to the verb
    aw = answer_words()
    return w in aw.relay_nouns and (before in aw.passive_auxiliaries or before in _MA or before in _RELATIVES)


def _relays_other(doc: Doc, k: int, t: int, name: str) -> bool:
    """Is ``name`` (at token ``t``, after the relaying verb at ``k``) an outlet relaying someone else's
    words ("نقلت فيه وكالة سانا عن مصدر", not "ما نقلته رويترز عن مصادر", a report it published)?"""
    if doc.word(k - 1) in _MA or doc.word(k - 1) in _RELATIVES:
        return False
    end = doc.mention_at[t][1] if t in doc.mention_at else t + len(name.split())
    for j in range(end, min(end + _NEAR + 1, len(doc))):  # "(واس) الثلاثاء عن": an acronym, a day
        if doc.gap_has(j, COMMA + COLON + ".\n"):
            return False
        if doc.word(j) in _PROVENANCE:
            return True
    return False


def _is_speaker(name: str, speaker: Speaker | None) -> bool:
    """The denier is not what its denial answers ("إذ ذكرت وكالة الأنباء الرسمية أن "لا صحة …"")."""
    if speaker is None:
        return False
    return any(_same_name(name, n) for n in (speaker.name_ar, speaker.text) if n)


def _carries(doc: Doc, k: int, frames: Frames) -> bool:
    """Does the relaying verb at token ``k`` name the outlet that carries the denial ("وفقا لما نقلته
    سانا", "حسبما ذكرت واس", "بحسب ما أوردت الوكالة"), not the report it denies?"""
    before = doc.word(k - 1) if k > 0 else ""
    if before in frames.carriers:
        return True
    return before in _MA and k > 1 and doc.word(k - 2) in frames.before_triggers | frames.after_ma_triggers


def _same_name(a: str, b: str) -> bool:
    return normalize_text(a) == normalize_text(b)


def find_background(
    doc: Doc,
    after: int,
    lex: Lexicon,
    frames: Frames,
    entities: EntityLookup | None,
    speaker: Speaker | None = None,
    sentences: int = 3,
    words: Sequence[str] | None = None,
) -> str | None:
    """The source of the report a denial answers, given in one of the ``sentences`` sentences from token
    ``after`` on that opens with a background auxiliary, its source and a relaying verb ("ونفى المصرف
    وجود مفاوضات. … وكانت وكالة أسواق قد ذكرت أن …", "وكان نتنياهو زعم أنه …")."""
    t = after
    for _ in range(sentences):
        if t >= len(doc):
            return None
        told, said = _told_earlier(doc, t, lex, entities)
        end = doc.sentence(t)[1]
        if (
            told is not None
            and not _is_speaker(told, speaker)
            and (words is None or same_topic(words, [doc.word(j) for j in range(said, end)]))
        ):
            return told  # "وفي وقت سابق، كشف رئيس الأركان، فلان، عن …" of what the denial denies
        if doc.word(t) in frames.background_openers:
            subj = subject_at(doc, t + 1, lex, entities)
            name = subj.speaker.name_ar or subj.speaker.text if subj is not None else None
            if subj is not None and name and not _is_speaker(name, speaker):
                for j in range(subj.last, min(subj.last + _NEAR, len(doc))):
                    w = doc.word(j)
                    cue = lex.cue(w)
                    if w in frames.relay_verbs or (
                        cue is not None and not cue.participle and cue.stance not in _NOT_CLAIMS
                    ):
                        return name  # not "وكانت ميركل أقرت …", "وكان X قد نفى …": no claim denied
                    if w not in _PARTICLES:
                        break
        nxt = doc.sentence(t)[1]
        if nxt <= t:
            return None
        t = nxt
    return None


def _topic_words(words: Sequence[str]) -> set[str]:
    """The content words of normalized ``words`` without a glued و/ب/ل or the article ("وبالهجوم" ->
    "هجوم"): nouns and verbs of three letters or more, no particles."""
    out = set()
    for w in words:
        if w in STOP_WORDS:
            continue
        for p in ("وبال", "وال", "بال", "لل", "فال", "ال", "و", "ب"):
            if w.startswith(p) and len(w) - len(p) >= 3:
                w = w[len(p) :]
                break
        if len(w) >= 3 and w.isalpha():
            out.add(w)
    return out


def same_topic(a: Sequence[str], b: Sequence[str]) -> bool:
    """Do two quotes' words speak of the same thing: two content words in common (one may be only a
    name both mention)?"""
    return len(_topic_words(a) & _topic_words(b)) >= _TOPIC_SHARED


def _told_earlier(doc: Doc, t: int, lex: Lexicon, entities: EntityLookup | None) -> tuple[str | None, int]:
    """The speaker of a sentence at token ``t`` that opens with an "earlier" phrase (``earlier`` of
    answers.yaml) and then a reporting verb that makes a claim ("وفي وقت سابق، كشف رئيس الأركان عن …";
    not "وفي وقت سابق، نفى …"), and the token after the speaker, where what they said starts."""
    for phrase in sorted(answer_words().earlier, key=len, reverse=True):
        k = t + len(phrase)
        if tuple(doc.word(j) for j in range(t, k)) != phrase:
            continue
        cue = lex.cue(doc.word(k))
        if cue is None or cue.participle or cue.stance in _NOT_CLAIMS:
            return None, t
        subj = subject_at(doc, k + 1, lex, entities)
        if subj is None:
            return None, t
        return subj.speaker.name_ar or subj.speaker.text or None, subj.last + 1
    return None, t


def rejected_author(doc: Doc, c: int, entities: EntityLookup | None) -> str | None:
    """ "رفض الاتحاد استجابة بوتين لمبادرات السلام": a rejection of a noun that a named person or body
    governs (the content opens at token ``c``) answers that person or body."""
    hit = doc.mention_at.get(c + 1)
    if hit is None or c in doc.mention_at or doc.gap_has(c + 1, COMMA + COLON + ".\n"):
        return None
    m = hit[0]
    if m.entity_type not in (EntityKind.PERSON, EntityKind.ORGANIZATION, EntityKind.GROUP, EntityKind.MEDIA):
        return None
    ent = entities(m.entity_id) if entities is not None and m.entity_id else None
    return ent.name_ar if ent is not None and ent.name_ar else m.text


def _same(a: Speaker, b: Speaker) -> bool:
    if a.entity_id is not None and a.entity_id == b.entity_id:
        return True
    return (a.name_ar or a.text) == (b.name_ar or b.text)
