"""Speaker phrases: who is the subject of a reporting verb, and who an implied subject refers back to.

A subject is a noun phrase that starts with an entity mention or with a known head word (a title
"المتحدث", an unnamed source "مسؤول", an institution "وزارة", an outlet "صحيفة") and grows by a small
grammar of what follows such heads in news Arabic: a genitive chain ("نائب وزير الخارجية"), nisba
adjectives ("الروسي"), "باسم X", one prepositional complement for unnamed sources ("مسؤول في البيت
الأبيض"), and a name in apposition ("الرئيس الفرنسي إيمانويل ماكرون"), which ends the phrase.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from marsad.data import resource
from marsad.model import Entity, EntityKind, Mention, MentionKind, Speaker, SpeakerKind
from marsad.normalize.arabic import QUOTE_MARKS, normalize_text
from marsad.normalize.tokens import strip_clitics
from marsad.quotes.cues import Lexicon
from marsad.quotes.frames import default_frames
from marsad.quotes.text import COLON, COMMA, Doc, word_set

EntityLookup = Callable[[str], Entity | None]

# Words that end a subject phrase: prepositions, complementizers, time words.
STOP_WORDS = word_set(
    "في خلال عن على من مع إلى الى إلي لدى أمام عبر حول بعد قبل منذ يوم اليوم أمس صباح مساء "
    "إن أن إنه أنه أنها إنها أنهم بأن بأنه بأنها بأنهم أننا إننا وأن وإن كما قد لقد ما لا لم لن "
    "أيضا كذلك مجددا رسميا سابقا الذي التي الذين حيث بينما فيما وذلك هو هي هذا هذه بين بشأن بسبب "
    "بعض بدون بلا بحسب بموجب بالنسبة"
)
COMPLEMENTIZERS = word_set(
    "إن أن إنه أنه إنها أنها إنهم أنهم أنهما أننا إننا إني أني بأن بأنه بأنها بأنهم بأننا"
)
TIME_WORDS = word_set(
    "اليوم أمس الأمس يوم صباح مساء ليلة الليلة فجر ظهر السبت الأحد الاثنين الإثنين الثلاثاء الأربعاء "
    "الخميس الجمعة أيضا كذلك مجددا رسميا سابقا بدوره بدورها بدورهم"
)
# Adjectives that follow titles and sources without being nisba forms.
_ADJECTIVES = word_set(
    "العام الخاص السابق المنتخب الجديد الأعلى الأول الأبيض المتحدة المتحدث مطلع مطلعة مطلعون "
    "مطلعين مقرب مقربة مقربون مقربين رفيع رفيعة بارز كبير كبار الدائم"
)
_MAX_PHRASE = 12
# Words inside a name that join its parts ("عبد الله", "أبو ردينة", "محمد بن سلمان").
_NAME_LINKS = word_set("بن ابن أبو ابو أبي عبد آل ولد بنت أم")
_LINEAGE = word_set("بن ابن بنت")
_NAMES_FILE = resource("ner", "given-family-names.txt")
_MAX_NAME = 4
_MAX_TITLED = 64  # distinct titles remembered for a bare title ("المتحدث باسم الكرملين") to refer back to


@cache
def _content_nouns() -> frozenset[str]:
    return default_frames().content_nouns


@cache
def given_names() -> frozenset[str]:
    """Normalized given and family name tokens (the NER gazetteer); empty when the file is missing."""
    try:
        with _NAMES_FILE.open(encoding="utf-8") as fh:
            return frozenset(ln.strip() for ln in fh if ln.strip() and not ln.startswith("#"))
    except OSError:
        return frozenset()


def _name_word(w: str, lex: Lexicon) -> bool:
    """Could ``w`` be part of a person's name? (not a function word, cue, head or time word)"""
    return (
        len(w) >= 2
        and w.isalpha()
        and w not in STOP_WORDS
        and w not in TIME_WORDS
        and w not in COMPLEMENTIZERS
        and w not in _ADJECTIVES
        and w not in lex.report_nouns
        and w not in _content_nouns()
        and lex.cue(w) is None
        and lex.head(w) is None
        and not w.startswith("لل")
    )


def name_run(doc: Doc, k: int, lex: Lexicon, limit: int) -> int:
    """End (exclusive) of a person's name the mention finder missed, starting at token ``k``: a known
    given name, then up to three more name words ("مبارك العصيمي", "سايمون ويزمان"); ``k`` if none."""
    n = min(limit, len(doc))
    w = doc.word(k)
    if k >= n or k in doc.mention_at or not _name_word(w, lex) or w.startswith("ال"):
        return k
    if (
        w not in given_names()
        and w not in doc.known
        and not (k + 1 < n and doc.word(k + 1) in _LINEAGE and doc.gap(k + 1) == " ")
    ):
        return k  # a first word must be a known name, or say whose son it is ("عبدالعزيز بن سعد")
    e = k + 1
    while e < n and e - k < _MAX_NAME:
        gap = doc.gap(e)
        if _has(COMMA + COLON + QUOTE_MARKS + ".!?؟\n(", gap):
            break
        hit = doc.mention_at.get(e)
        if hit is not None:
            if hit[0].entity_type == EntityKind.PERSON:
                e = hit[1]  # the tagger saw the rest of the name
            break
        w = doc.word(e)
        if doc.word(e - 1) in _NAME_LINKS or (w in _LINEAGE and e + 1 < n and doc.gap(e + 1) == " "):
            e += 1
            continue
        if not _name_word(w, lex) or (w[0] in "لبو" and not w.startswith("ال") and w not in given_names()):
            break
        if e - k > 1 and not w.startswith("ال") and w not in given_names():
            break  # past the second word only listed names and family names ("ال…") go on
        e += 1
    return e


def _appended_name(doc: Doc, k: int, lex: Lexicon, n: int) -> tuple[int, int] | None:
    """A name the finder missed at ``k``, possibly after a nationality ("القطري ناصر الخليفي")."""
    lo = k + 1 if doc.word(k).startswith("ال") and is_nisba(doc.word(k)) and k not in doc.mention_at else k
    if lo > k and doc.gap_has(lo, COMMA + COLON + QUOTE_MARKS + ".!?؟\n"):
        return None
    e = name_run(doc, lo, lex, n)
    return (lo, e) if e > lo else None


_CLOSERS = COMMA + COLON + QUOTE_MARKS + ".!?؟\n("


def _open_role(m: Mention) -> bool:
    """A person's title the mention finder tied to nobody."""
    return m.kind == MentionKind.ROLE and m.entity_type == EntityKind.PERSON and m.entity_id is None


def _longer(a: tuple[int, int] | None, b: tuple[int, int] | None) -> tuple[int, int] | None:
    if a is None or (b is not None and b[1] > a[1]):
        return b
    return a


def _foreign_name(doc: Doc, k: int, lex: Lexicon, n: int) -> tuple[int, int] | None:
    """Two or three name words no list knows right after a definite title, closed by a time word, a
    complementizer or punctuation ("وزيرة الدفاع الهولندية أنك بيليفيد الأحد أن"), whose last word the
    article uses again: a foreign name the gazetteer lacks. Closer and repetition are both required,
    since an object may follow a title too ("وهاجم الوزير الهولندي مزارعين غاضبين أمس")."""
    e = k
    while e < n and e - k < 3:
        w = doc.word(e)
        if e in doc.mention_at or w.startswith("ال") or not _name_word(w, lex):
            break
        e += 1
        if e < n and doc.gap(e) != " ":
            break
    if e - k < 2 or e >= n:
        return None
    closed = doc.word(e) in TIME_WORDS or doc.word(e) in COMPLEMENTIZERS or doc.gap_has(e, COMMA + COLON)
    if not closed:
        return None
    # the article calls the person by the surname again ("وأكدت بيليفيد"); an object rarely recurs alone
    last = doc.word(e - 1)
    again = any(doc.word(t) == last for t in range(len(doc)) if not k <= t < e)
    return (k, e) if again else None


def _closed_name(doc: Doc, k: int, lex: Lexicon, n: int) -> bool:
    """A name at ``k`` that a comma closes ("شقيق الضحية، علي الحسن، …"): an unnamed person's apposition,
    not the aside that follows an anonymous source ("مصدر، طلب عدم ذكر اسمه،")."""
    e = name_run(doc, k, lex, n)
    return e > k and e < n and doc.gap_has(e, COMMA)


def _name_after_place(doc: Doc, k: int, lex: Lexicon, n: int) -> tuple[int, int, bool] | None:
    """A name after a title's place complement (token ``k`` is في/لدى): one to three words of place,
    maybe a rank, then the name ("المتحدث باسم الداخلية في قطاع غزة إياد البزم", "مدير الإعلام في
    الوزارة العميد عادل الحشاش"); nothing when punctuation comes first. The flag tells a person mention
    (the grammar reads it) from a name the finder missed."""
    rank = False
    for t in range(k + 2, k + 6):
        if t >= n or any(doc.gap_has(m, COMMA + COLON + QUOTE_MARKS + ".!?؟\n") for m in range(k + 1, t + 1)):
            return None
        if doc.mention_at.get(t - 1, (None, 0))[1] > t:
            continue  # inside a place mention
        hit = doc.mention_at.get(t)
        if hit is not None:
            if hit[0].entity_type == EntityKind.PERSON and hit[0].kind != MentionKind.ROLE:
                return t, hit[1], True
            if hit[0].entity_type == EntityKind.PERSON:
                return None
            continue  # the place itself
        if lex.head(doc.word(t)) == "title" and doc.word(t).startswith("ال") and not rank:
            rank = True  # "العميد", "اللواء"
            continue
        span = _appended_name(doc, t, lex, n)
        if span is not None and span[1] - span[0] >= 2:
            return span[0], span[1], False
        if t > k + 3 or rank:
            return None
    return None


def _bare_name(doc: Doc, j: int, lex: Lexicon, entities: EntityLookup | None, n: int) -> Subject | None:
    """A subject with no mention and no head word: a person named earlier by one of their names
    ("وأضاف العصيمي"), or a name the finder missed, possibly after a nationality ("قال الكرواتي زلاتكو")."""
    w = doc.word(j)
    if w.startswith("ال") and is_nisba(w) and j + 1 < n and not doc.gap_has(j + 1, COMMA + COLON + "\n."):
        hit = doc.mention_at.get(j + 1)
        if hit is not None and hit[0].entity_type == EntityKind.PERSON:
            m, end = hit
            return Subject(speaker_from_mention(m, entities, ner_names=doc.ner_names), j, end)
    known = doc.known.get(w)
    if known is not None and (
        j + 1 >= n or not _name_word(doc.word(j + 1), lex) or doc.word(j + 1) in doc.known
    ):
        lo, hi = doc.toks[j].start, doc.toks[j].end
        end = j + 1
        if doc.word(j + 1) in doc.known and doc.known[doc.word(j + 1)] is known:
            end, hi = j + 2, doc.toks[j + 1].end  # first and last name again
        return Subject(
            Speaker(text=doc.text[lo:hi], kind=known.kind, entity_id=known.entity_id, name_ar=known.name_ar,
                    name_en=known.name_en, start=lo, end=hi),
            j, end, named=True,
        )  # fmt: skip
    span = _appended_name(doc, j, lex, n)
    if span is None:
        return None
    return Subject(_name_speaker(doc, j, span[0], span[1], entities), j, span[1], named=True)


def name_before(doc: Doc, i: int, lex: Lexicon, entities: EntityLookup | None) -> Subject | None:
    """A person's name in commas that ends right before token ``i`` ("…، محمود الزهار، قال فيها"): a
    mention, or two to four name words the finder missed."""
    for t in range(max(0, i - _MAX_NAME), i - 1):
        if not doc.gap_has(t, COMMA) or any(
            doc.gap_has(m, COMMA + COLON + ".!?؟\n") for m in range(t + 1, i)
        ):
            continue
        hit = doc.mention_at.get(t)
        if hit is not None:
            if hit[0].entity_type == EntityKind.PERSON and hit[1] == i:
                return Subject(
                    speaker_from_mention(hit[0], entities, ner_names=doc.ner_names), t, i, named=True
                )
            return None
        if name_run(doc, t, lex, i) == i:
            return Subject(_name_speaker(doc, t, t, i, entities), t, i, named=True)
    return None


def _name_speaker(
    doc: Doc, j: int, name_lo: int, name_hi: int, entities: EntityLookup | None = None
) -> Speaker:
    """A person named by tokens [name_lo, name_hi) of a phrase starting at ``j``; one name word is the
    person the article named before with it (``doc.known``). When the name ends in
    the surname of a person the KB knows and starts with that person's first name, it is that person
    with a father's name inside ("عادل بن أحمد الجبير" is عادل الجبير)."""
    lo, hi = doc.toks[j].start, doc.toks[name_hi - 1].end
    name = doc.text[doc.toks[name_lo].start : hi]
    known = doc.known.get(doc.word(name_lo)) if name_hi - name_lo == 1 else None
    if known is not None:  # "الشيخ راشد" after "الشيخ راشد بن حمد الشرقي": the person named in full before
        return Speaker(text=doc.text[lo:hi], kind=known.kind, entity_id=known.entity_id,
                       name_ar=known.name_ar, name_en=known.name_en, start=lo, end=hi)  # fmt: skip
    hit = doc.mention_at.get(name_hi - 1) if name_hi - name_lo >= 3 and entities is not None else None
    if hit is not None and hit[1] == name_hi and hit[0].kind == MentionKind.SURNAME and hit[0].entity_id:
        ent = entities(hit[0].entity_id) if entities is not None else None
        if ent is not None and normalize_text(ent.name_ar).split()[:1] == [doc.word(name_lo)]:
            return Speaker(text=doc.text[lo:hi], kind=SpeakerKind.PERSON, entity_id=ent.id,
                           name_ar=ent.name_ar, name_en=ent.name_en, start=lo, end=hi)  # fmt: skip
    return Speaker(text=doc.text[lo:hi], kind=SpeakerKind.PERSON, name_ar=name, start=lo, end=hi)


def is_nisba(word: str) -> bool:
    """Relative adjectives (الروسي، الأوروبية، غربي): they qualify a head, never start a new phrase."""
    return len(word) > 3 and word.endswith(("ي", "يه", "يين", "يون", "يان"))


def is_cnn(doc: Doc, k: int) -> bool:
    """ "إن" inside "سي إن إن" is a channel's name, not the complementizer."""
    w = doc.word(k)
    return w == "ان" and (doc.word(k - 1) == "سي" or (doc.word(k - 1) == "ان" and doc.word(k - 2) == "سي"))


def speaker_from_mention(
    m: Mention,
    entities: EntityLookup | None,
    text: str | None = None,
    ner_names: dict[str, str] | None = None,
) -> Speaker:
    kind = {
        EntityKind.PERSON: SpeakerKind.PERSON,
        EntityKind.MEDIA: SpeakerKind.MEDIA,
    }.get(m.entity_type, SpeakerKind.ORGANIZATION)
    ent = entities(m.entity_id) if entities is not None and m.entity_id else None
    name = ent.name_ar if ent else None
    if name is None and ner_names and m.entity_id:
        name = ner_names.get(m.entity_id)  # a role phrase resolved to a person only the tagger found
    return Speaker(
        text=text or m.text,
        kind=kind,
        entity_id=m.entity_id,
        name_ar=name or m.text,
        name_en=ent.name_en if ent else None,
        start=m.start,
        end=m.end,
    )


@dataclass(frozen=True, slots=True)
class Subject:
    speaker: Speaker
    first: int  # token range of the phrase
    last: int  # exclusive
    feminine: bool | None = None
    title: frozenset[str] = frozenset()  # content words of a title phrase ("متحدث", "كرملين")
    named: bool = False  # names a person the mention finder did not know ("مبارك العصيمي")


_HEAD_KIND = {
    "title": SpeakerKind.PERSON,
    "unnamed": SpeakerKind.UNNAMED,
    "organization": SpeakerKind.ORGANIZATION,
    "media": SpeakerKind.MEDIA,
}


def _has(chars: str, gap: str) -> bool:
    return any(c in gap for c in chars)


def subject_at(
    doc: Doc,
    j: int,
    lex: Lexicon,
    entities: EntityLookup | None,
    *,
    limit: int | None = None,
    names: bool = True,
) -> Subject | None:
    """The speaker phrase starting at token ``j``, if one does."""
    n = len(doc) if limit is None else min(limit, len(doc))
    if j >= n:
        return None
    first_mention = doc.mention_at.get(j)
    if first_mention is not None and first_mention[0].entity_type != EntityKind.PERSON:
        # "قال لأوكرانيا": a place or body behind a preposition is not the subject
        w = doc.word(j)
        if w[:1] in "لب" and not normalize_text(first_mention[0].text).startswith(w[:1]):
            return None
    frames = default_frames()
    h = 0  # tokens of an honorific before the head or name ("معالي وزير …", "العقيد الركن …")
    if first_mention is None:
        h = frames.honorific_at(doc.word, j)
        if h and (
            j + h >= n or any(doc.gap_has(t, COMMA + COLON + ".!?؟\n") for t in range(j + 1, j + h + 1))
        ):
            h = 0
        if h:
            first_mention = doc.mention_at.get(j + h)
    head = None if first_mention else lex.head(doc.word(j + h))
    if first_mention is None and head is None:
        if not h:
            return _bare_name(doc, j, lex, entities, n) if names else None
        head = "title"  # "الأستاذ عادل الجبير": the honorific stands for the title
    persons: list[Mention] = []
    name_at: tuple[int, int] | None = None  # a name the mention finder missed, after a title
    possessor = False  # the phrase ends with the name of someone it relates to ("والدة مريم")
    others: list[Mention] = []
    k = j + h
    genitive = False  # the previous word was an indefinite head still wanting its genitive
    used_pp = False
    lam = False  # the title took a body by ل ("المتحدث الرسمي للاتحاد")

    def is_q(t: int) -> bool:  # punctuation around token t
        marks = QUOTE_MARKS + COMMA + COLON
        return doc.gap_has(t, marks) or doc.gap_has(t + 1, marks)

    while k < n and k - j < _MAX_PHRASE:
        if k > j:
            gap = doc.gap(k)
            if _has(COLON, gap) or "\n" in gap or _has(".!?؟", gap):
                break
            if _has(COMMA, gap):
                # apposition: "المتحدث باسم الكرملين، دميتري بيسكوف"; "شقيق الضحية، فلان الفلاني،"
                if head not in ("title", "unnamed") or persons:
                    break
                nxt = doc.mention_at.get(k)
                if not (nxt and nxt[0].entity_type == EntityKind.PERSON):
                    if head == "unnamed" and not _closed_name(doc, k, lex, n):
                        break
                    name_at = _appended_name(doc, k, lex, n)
                    if name_at is not None:
                        k = name_at[1]
                    break
            if _has(QUOTE_MARKS, gap):
                s = doc.span_containing(doc.toks[k].start) or doc.span_containing(doc.toks[k - 1].start)
                if s is None or doc.tokens_between(s.start, s.end) > 3:
                    break
        hit = doc.mention_at.get(k)
        if hit is None and k > j + h and (skip := frames.honorific_at(doc.word, k)):
            k += skip  # "وزير الخارجية الأستاذ عادل الجبير"
            genitive = False
            continue
        if hit is not None:
            m, end = hit
            if k == j and _open_role(m) and end < n and not doc.gap_has(end, _CLOSERS):
                # a title the finder tied to nobody, then a name it did not know ("وزيرة الدفاع
                # الهولندية أنك بيليفيد"): the name is the speaker, the role its title
                name_at = _appended_name(doc, end, lex, n)
                if doc.word(end - 1).startswith("ال"):
                    name_at = _longer(name_at, _foreign_name(doc, end, lex, n))
                if name_at is not None:
                    k = name_at[1]
                    break
            if m.entity_type == EntityKind.PERSON and genitive and k > j and head in ("title", "unnamed"):
                # "والدة مريم", "أحد مساعدي ترامب": the name completes an idafa; the speaker is the
                # person it describes, not the one it names
                k = max(end, k + 1)
                possessor = True
                break
            (persons if m.entity_type == EntityKind.PERSON else others).append(m)
            k = max(end, k + 1)
            if m.entity_type == EntityKind.PERSON:
                break  # a name closes the phrase
            genitive = False
            continue
        w = doc.word(k)
        if k > j:
            if is_cnn(doc, k):
                k += 1
                continue
            if w in STOP_WORDS or lex.cue(w) is not None:
                if head == "title" and not persons and w in ("في", "لدي"):
                    after_pp = _name_after_place(doc, k, lex, n)  # "السفير الأمريكي في بنما جون فيلي"
                    if after_pp is not None and after_pp[2]:
                        k = after_pp[0]  # a person mention: read as the name that closes the phrase
                        continue
                    if after_pp is not None:
                        name_at, k = (after_pp[0], after_pp[1]), after_pp[1]
                    break
                if (
                    head == "unnamed"
                    and not used_pp
                    and w in ("في", "من", "علي")
                    and k + 1 < n
                    and doc.word(k + 1) not in COMPLEMENTIZERS  # "وشدد المسؤول على أن": the cue's
                ):
                    used_pp = True
                    genitive = True
                    k += 1
                    continue
                break
            if w.startswith("لل") or (w[0] == "ل" and lex.head(w[1:]) is not None):
                base = "ال" + w[2:] if w.startswith("لل") else w[1:]
                if head == "title" and not persons and lex.head(base) == "organization" and not is_q(k):
                    # "المتحدث الرسمي لوزارة العمل": the office's body, not an addressee
                    lam = genitive = True
                    k += 1
                    continue
                break  # "للصحفيين", "لوكالة": the addressee, not the speaker
            if (
                lam
                and w[0] == "ل"
                and w not in STOP_WORDS
                and doc.word(k + 1).startswith("ال")
                and not is_q(k)
            ):
                k += 2  # "… للاتحاد السعودي لكرة القدم"
                genitive = False
                continue
            if not genitive and w in default_frames().content_nouns:
                break  # "ونفت الأمم المتحدة التقارير": the object of a denial (but "وكالة الأنباء")
            definite = w.startswith(("ال", "وال"))
            is_quoted = doc.gap_has(k, QUOTE_MARKS)
            if w in lex.report_nouns:
                break  # "عن دبلوماسي غربي قوله إن"
            if (
                head == "title"
                and not persons
                and not definite
                and not genitive
                and w != "باسم"
                and lex.head(w) is None
                and w in given_names()
            ):
                name_at = _appended_name(doc, k, lex, n)  # "العقيد سامي الحربي": a name, not a nisba
                if name_at is not None:
                    k = name_at[1]
                    break
            if w == "باسم":
                genitive = True
            elif lex.head(w) is not None and not definite:
                genitive = True  # "شخصين مقربين", "نائب وزير", "مصدر بهيئة"
            elif is_nisba(w) or w in _ADJECTIVES:
                genitive = False  # an adjective closes the idafa chain
            elif genitive or is_quoted:
                genitive = not definite  # an idafa chain ends at its first definite noun
            elif definite and lex.head(w) in ("organization", "unnamed"):
                break  # "واتهمت المعارضة الحكومة بـ", "ودعت الحكومة المواطنين": a second definite body
            elif lex.head(w) is None:
                if head == "title" and not persons:
                    name_at = _appended_name(doc, k, lex, n)  # "قائد قوات النخبة سالم البوحر"
                    if doc.word(k - 1).startswith("ال"):  # "رئيسة الوزراء الهولندية أنك …"
                        name_at = _longer(name_at, _foreign_name(doc, k, lex, n))
                    if name_at is not None:
                        k = name_at[1]
                break
        else:
            genitive = not (w.startswith("ال") or (w.startswith("وال") and w not in lex.heads))
        k += 1
    if k == j:
        return None
    if name_at is not None and not persons:
        title = frozenset(
            strip_clitics(doc.word(t)) for t in range(j, name_at[0]) if doc.word(t) not in _NOT_TITLE
        )
        return Subject(_name_speaker(doc, j, name_at[0], name_at[1], entities), j, k, title=title, named=True)
    if possessor:
        persons, others = [], []
    return _make_subject(doc, j, k, head, persons, others, entities)


_NOT_TITLE = word_set("باسم عن") | default_frames().honorific_words


def _make_subject(
    doc: Doc,
    j: int,
    k: int,
    head: str | None,
    persons: list[Mention],
    others: list[Mention],
    entities: EntityLookup | None,
) -> Subject:
    lo, hi = doc.toks[j].start, doc.toks[k - 1].end
    if sum(doc.text.count(c, lo, hi) for c in QUOTE_MARKS) % 2 and hi < len(doc.text):
        hi += doc.text[hi] in QUOTE_MARKS  # the closing mark of a quoted name ("مكتب «يوروستات»")
    phrase = doc.text[lo:hi]
    name_at = doc.token_at(persons[-1].start) if persons else k
    title = frozenset(
        strip_clitics(doc.word(t)) for t in range(j, name_at) if doc.word(t) not in _NOT_TITLE
    ) if head == "title" else frozenset()  # fmt: skip
    if persons and _open_role(persons[-1]):
        # a title tied to nobody ("وزيرة الدفاع الهولندية" alone) may mean whom it named before
        title = frozenset(
            strip_clitics(doc.word(t)) for t in range(name_at, k) if doc.word(t) not in _NOT_TITLE
        )
    if persons:
        return Subject(
            speaker_from_mention(persons[-1], entities, ner_names=doc.ner_names), j, k, title=title
        )
    if head in ("organization", "media"):
        # "وسائل إعلام سورية", "الحكومة السورية": a place inside the phrase is not who speaks
        want = (
            (EntityKind.MEDIA,)
            if head == "media"
            else (EntityKind.ORGANIZATION, EntityKind.GROUP, EntityKind.MEDIA)
        )
        others = [m for m in others if m.entity_type in want]
    if others and (head is None or head in ("organization", "media")):
        sp = speaker_from_mention(others[0], entities, phrase)
        if head == "media":
            sp = Speaker(
                text=phrase, kind=SpeakerKind.MEDIA, entity_id=sp.entity_id, name_ar=sp.name_ar,
                name_en=sp.name_en, start=lo, end=hi,
            )  # fmt: skip
        return Subject(sp, j, k, _feminine_org(doc.word(j)))
    kind = _HEAD_KIND[head] if head else SpeakerKind.ORGANIZATION
    balanced = sum(phrase.count(c) for c in QUOTE_MARKS) % 2 == 0
    clean = phrase.strip() if balanced else phrase.strip(QUOTE_MARKS + " ")
    fem = _feminine_org(doc.word(j)) if kind in (SpeakerKind.ORGANIZATION, SpeakerKind.MEDIA) else None
    return Subject(Speaker(text=clean, kind=kind, name_ar=clean, start=lo, end=hi), j, k, fem, title)


def _feminine_org(word: str) -> bool | None:
    """Institutions named by a feminine noun (وزارة، صحيفة، الحكومة) take feminine verbs."""
    return True if word.endswith("ه") else None


@dataclass(slots=True)
class History:
    """Speakers in order of appearance, for verbs whose subject is implied ("وأضاف", "وأضافت")."""

    items: list[tuple[Speaker, bool | None]] = field(default_factory=list)
    # title words -> the person last named with them, oldest first; one entry per title (only the latest
    # can be found) and at most _MAX_TITLED of them, so a bare title costs the same on any page
    titled: dict[frozenset[str], Speaker] = field(default_factory=dict)
    issuer: Speaker | None = None  # who last spoke "في بيان": whom "وقال البيان" means

    def push(self, speaker: Speaker, feminine: bool | None) -> None:
        self.items.append((speaker, feminine))
        if len(self.items) > 16:
            del self.items[0]

    def push_subject(self, subj: Subject, feminine: bool | None) -> Speaker:
        """Record an explicit subject; a bare title ("المتحدث باسم الكرملين") becomes the person the
        article named earlier with the same title words. Returns the speaker to credit."""
        sp = subj.speaker
        if subj.title and (sp.entity_id is not None or subj.named):
            self.titled.pop(subj.title, None)
            self.titled[subj.title] = sp
            if len(self.titled) > _MAX_TITLED:
                del self.titled[next(iter(self.titled))]
        else:
            sp = self.resolve(subj)
        self.push(sp, feminine if subj.feminine is None else subj.feminine)
        return sp

    def resolve(self, subj: Subject) -> Speaker:
        """Who a subject means without recording it: the person named before with its title words,
        the institution a one-word subject refers to, else the phrase itself."""
        sp = subj.speaker
        if subj.title and (sp.entity_id is not None or subj.named):
            return sp
        if subj.title and sp.kind == SpeakerKind.PERSON:
            for words, named in reversed(self.titled.items()):
                if subj.title <= words:
                    return carried(named)
        elif subj.last - subj.first == 1:
            return self._referent(sp) or sp
        return sp

    def _referent(self, sp: Speaker) -> Speaker | None:
        """ "وقالت الوزارة", "وأضاف البيان": the institution named before that a one-word subject means."""
        word = normalize_text(sp.text)
        cls = default_frames().referring_heads.get(word[1:] if word.startswith("و") else word)
        if cls is None:
            return None
        if cls == "issuer":  # the statement: who issued it, when the text said so ("…، في بيان، …")
            if self.issuer is not None:
                return carried(self.issuer)
            return Speaker(
                text=sp.text, kind=SpeakerKind.ORGANIZATION, name_ar=sp.text, start=sp.start, end=sp.end
            )
        bare = word.removeprefix("و").removeprefix("ال")
        for prev, _ in reversed(self.items):
            if prev.entity_id is None:
                continue  # a phrase the KB does not know is no surer a referent than the word itself
            if prev.kind == SpeakerKind.MEDIA and cls == "media":
                return carried(prev)
            if cls == "organization" and prev.kind == SpeakerKind.ORGANIZATION:
                names = normalize_text(f"{prev.text} {prev.name_ar or ''}").split()
                if any(w.removeprefix("ال") == bare for w in names) and normalize_text(prev.text) != word:
                    return carried(prev)
        return None

    def pick(self, feminine: bool) -> Speaker | None:
        """Latest speaker agreeing with the verb's gender. A feminine verb may also fall back to an
        institution or unnamed sources ("وقالت مصادر"), never to a man named with a masculine verb."""
        for sp, fem in reversed(self.items):
            if (fem is True) == feminine:
                return sp
        if feminine:
            for sp, fem in reversed(self.items):
                if fem is None and sp.kind != SpeakerKind.PERSON:
                    return sp
            return None
        return self.items[-1][0] if self.items else None

    def last(self) -> Speaker | None:
        return self.items[-1][0] if self.items else None


def carried(speaker: Speaker) -> Speaker:
    """The same speaker, without the offsets of the phrase that first named it."""
    if speaker.start is None:
        return speaker
    return Speaker(
        text=speaker.text, kind=speaker.kind, entity_id=speaker.entity_id, name_ar=speaker.name_ar,
        name_en=speaker.name_en,
    )  # fmt: skip
