"""Who said what: direct and indirect quotes with speaker, cue, stance, provenance and day.

One left-to-right pass over the body's tokens. At a reporting cue in clause-initial position the
reader finds the subject (after the verb, before it, or implied by the previous speaker), then scans
the rest of the clause for where the reported content starts: a colon, quote marks, a complementizer
(إن/أن/بأنه...), a cue preposition (أشار إلى، شدد على) or a bare object (نفى التقارير). Indirect
content runs to the end of the sentence or to the next clause that opens a new cue ("، مشيرا إلى
أن"). Quoted spans that no cue introduces are matched to a cue right after them ("“…”، قال ترامب"),
or carried to the previous speaker when they fill a paragraph; short scare quotes are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import islice

from marsad.model import EntityKind, Mention, MentionKind, Quote, QuoteKind, Speaker, SpeakerKind, Stance
from marsad.normalize.arabic import QUOTE_MARKS, normalize_text, normalize_word
from marsad.quotes.answers import (
    answer_words,
    aside_before,
    find_answered,
    find_background,
    find_reported_near,
    refers_to_report,
    rejected_author,
    reported_before,
    same_topic,
)
from marsad.quotes.cues import Cue, Lexicon, default_lexicon
from marsad.quotes.dateline import blank_dateline
from marsad.quotes.frames import default_frames
from marsad.quotes.provenance import find_via, medium_at
from marsad.quotes.spans import MarkedSpan
from marsad.quotes.speakers import (
    COMPLEMENTIZERS,
    STOP_WORDS,
    TIME_WORDS,
    EntityLookup,
    History,
    Subject,
    carried,
    is_cnn,
    is_nisba,
    name_before,
    speaker_from_mention,
    subject_at,
)
from marsad.quotes.stance import default_stance_words
from marsad.quotes.text import COLON, COMMA, Doc, word_set
from marsad.quotes.when import said_on

_N = normalize_word
_WORD = re.compile(r"\w+")
# Words that may stand between a clause boundary and its verb ("، غير أنه أكد", "بدوره قال").
_PRE_VERB = (
    word_set(
        "كما بدوره بدورها ثم لكن لكنه لكنها ولكن ولكنه غير أنه إلا انه أنها وقد فقد قد من جهته جهتها "
        "جانبه جانبها أيضا كذلك بينما فيما حين في"
    )
    | TIME_WORDS
)
# Clause openers that end an indirect quote ("، وذلك بعد", "، بينما").
_AGO = word_set("قبل منذ")
_TIME_UNITS = word_set("أشهر شهور أيام أسابيع سنوات ساعات شهر يوم أسبوع عام سنة ساعة يومين شهرين عامين")
_NEGATIONS = word_set("لم لا ليس ليست لن ولم ولا ولن وليس ولست لست لسنا")
_DESPITE = word_set("رغم ورغم برغم وبرغم مع ومع")
_CONTRAST = word_set("لكن ولكن لكنه لكنها ولكنه ولكنها رغم ورغم إلا")
_CLAUSE_BREAKS = word_set("بينما فيما وفق وفقا حسب بحسب طبقا نقلا إذ")
_SENT_END = ".!?؟\n"
_DASHES = "-–—"  # "الرياض - قال …": a dateline's dash ends it as a comma would
_MIN_LETTERS = 3  # fewer letters than this is a fragment cut off at the end of a page ("وأضاف أن ال")
_MIN_DIRECT = 3  # tokens a quoted span needs to count as a quote without a colon or complementizer
_MAX_QUOTED_CUE = 2  # words of a quoted denying verb and its adverb ("«نفت بشدة»")
_MIN_STANDALONE = 6  # ... and to be carried to the previous speaker with no cue at all
_SCAN = 30  # how far after a cue its content may start
_MAX_NAME_SPAN = 8  # a quoted span after an outlet word longer than this is words, not the outlet's name
# A reporting frame (searched for the medium and the day) is the sentence, but never more than this many
# tokens before the cue and after the content. Sentences are unbounded (no full stop in a whole page,
# or every full stop inside quote marks: « "…." وأضاف: "…." » is one sentence), and reading the whole
# sentence for each of its quotes made extraction quadratic in the paragraph.
_FRAME = 60
_LOOKBACK = 16  # quotes of the sentence searched back for a participle's speaker
_MAX_APPOSED = 6  # words of a subject phrase the grammar did not read, before a comma and an apposed name
_STOP_APPOSED = COLON + QUOTE_MARKS + _SENT_END
# "جاء في بيان للجيش أن …": the document frame reads like a cue with this stance and nothing else.
_DOCUMENT_CUE = Cue(lemma=_N("جاء"), stance=Stance.STATEMENT, participle=False, feminine=False,
                    preps=frozenset(), links=frozenset(), takes_object=False, marked=False)  # fmt: skip
# Words after which a verb opens a relative clause with its own subject ("الذي قالت فيه روسيا إنها");
# subordinators ("عندما", "بعد أن") are in data/frames.yaml.
_RELATIVES = word_set("الذي التي الذين اللذين اللتين")
# Adverbs between a verb and its object or subject ("نفت قطر علنا وجود …", "نفى بشدة الاتهامات").
_BLAME_REACH = 5  # "حمّل" + whom (up to four words) + "المسؤولية"
_ADVERBS = word_set("علنا بشدة قطعيا قطعا بقوة مجددا تماما")
# "نفت موسكو هذه المعلومات": a demonstrative opens the object of a denial.
_DEMONSTRATIVES = word_set("هذه هذا تلك هذين هاتين هؤلاء")
# Report nouns after "نقل عن X" that carry the stance of what X said ("نقلت سانا عن مصدر نفيه للادعاءات").
_NOUN_STANCE = {normalize_word(w): Stance.DENIAL for w in ("نفيه", "نفيها", "نفيهم")} | {
    normalize_word(w): Stance.WARNING for w in ("تحذيره", "تحذيرها")
}
_RESUMPTIVE = word_set("فيه فيها فيهم عنه عنها")
# "وكان X قد قال": the auxiliary before an SVO subject, and the particle between subject and verb.
_ISSUED = word_set("الصادر الصادرة صادر صادرة")  # "البيان الصادر عن …"
_MAX_FRONTED = 18  # tokens from a fronting particle to its verb
_MAX_ANTECEDENT = 7  # tokens of a speaker phrase before a relative pronoun
_AUX = word_set("كان وكان فكان كانت وكانت فكانت كانوا وكانوا")
_PARTICLES = word_set("قد لقد وقد")


@dataclass(slots=True)
class _Found:
    start: int
    end: int
    kind: QuoteKind
    speaker: Speaker | None
    cue: str | None
    stance: Stance
    via: str | None
    frame: tuple[int, int]  # token range of the reporting sentence, for the day
    skip: tuple[int, int]  # token range of the content inside the frame
    cue_tok: int = -1  # token of the cue verb, when there is one


def _no_check() -> None:
    pass


class _Reader:
    def __init__(
        self,
        doc: Doc,
        lex: Lexicon,
        entities: EntityLookup | None,
        published: date | None,
        check: Callable[[], None] = _no_check,
    ) -> None:
        self.doc = doc
        self.check = check
        self.lex = lex
        self.stance_words = default_stance_words()
        self.frames = default_frames()
        self.entities = entities
        self.published = published
        self.history = History()
        self.found: list[_Found] = []
        self.answered: dict[int, str | None] = {}  # found index -> what that denial or rejection answers
        self.covered = 0  # offset up to which text already belongs to a quote's content
        self.claimed: set[int] = set()  # starts of marked spans already used as quotes
        # the outlet of a relaying frame whose inner verb is read next, with that sentence's range
        self.pending_via: tuple[str, tuple[int, int]] | None = None
        self.aside_via: str | None = None  # the medium of a relaying aside inside the last frame read
        self._mention_ends: dict[int, tuple[int, Mention]] | None = None  # end token -> mention, when asked
        f = self.frames
        self._said_things = f.content_nouns | f.report_words | f.document_nouns | f.denied_reports
        for _, m in sorted(doc.mention_at.items()):
            if m[0].kind == MentionKind.NER and m[0].entity_type == EntityKind.PERSON:
                # in text order, the first person named with a word keeps it ("الشيخ راشد بن حمد"
                # before a tagger's "راشد على" in "وجود الشيخ راشد على أراضيها")
                self._learn(speaker_from_mention(m[0], entities, ner_names=doc.ner_names), first=True)

    # ---- helpers -------------------------------------------------------------------------------

    def _clause_start(self, i: int) -> int | None:
        """Token where the clause holding verb ``i`` starts, if only pre-verb words come between."""
        doc = self.doc
        sent_lo, _ = doc.sentence(i)
        k = i
        while k > sent_lo:
            gap = doc.gap(k)
            if any(c in gap for c in COMMA + COLON + _SENT_END + QUOTE_MARKS + _DASHES):
                return k
            w = doc.word(k - 1)
            if w in _PRE_VERB or (w.startswith("و") and w[1:] in _PRE_VERB):
                k -= 1
                continue
            if w == "ذلك" and doc.word(k - 2) in _DESPITE:
                k -= 2  # "ورغم ذلك ذكر مصدر"
                continue
            if w in _AUX and doc.word(k) in _PARTICLES:
                k -= 1  # "وكانت قد أعلنت الوزارة": the auxiliary opens the clause, its subject follows
                continue
            return self._after_adverbial(k, i)
        return k

    def _past_addressee(self, k: int) -> int:
        """The token after an outlet the words were said to, at ``k`` ("لـ«عكاظ»", "لـ "الشرق الأوسط"",
        "لرويترز"), else ``k``."""
        doc = self.doc
        if k + 1 >= len(doc):
            return k
        if doc.word(k) == "ل":
            span = doc.span_starting_at(k + 1) if doc.gap_has(k + 1, QUOTE_MARKS) else None
            if span is not None and span.closed and doc.tokens_between(span.start, span.end) <= 3:
                return doc.first_from(span.end)
            k += 1
        elif not doc.word(k).startswith("ل"):
            return k
        hit = doc.mention_at.get(k)
        return hit[1] if hit is not None and hit[0].entity_type == EntityKind.MEDIA else k

    def _after_adverbial(self, k: int, i: int) -> int | None:
        """ "وفي محافظة مأرب أوضحت مصادر", "وقبيل الزيارة قال كارتر": the sentence opens with a short
        phrase of where or when, and verb ``i`` after it opens the clause; its sentence start, else None."""
        doc = self.doc
        lo, _ = doc.sentence(i)
        if doc.word(lo) not in self.frames.leading_adverbials or i - lo - 1 > self.frames.adverbial_max:
            return None
        for t in range(lo + 1, i):
            w = doc.word(t)
            hit = doc.mention_at.get(t)
            if (
                doc.gap_has(t, COMMA + COLON + _SENT_END + QUOTE_MARKS)
                or w in COMPLEMENTIZERS
                or w in _RELATIVES
                or self.lex.cue(w) is not None
                or (hit is not None and hit[0].entity_type == EntityKind.PERSON)
            ):
                return None  # a clause, or a person who may be the subject ("وفي رده قال لافروف")
        return lo if k > lo else None

    def _after_subordinator(self, i: int) -> bool:
        """Does verb ``i`` follow a subordinator ("عندما", "بعد أن", "في وقت") that gives it its own subject?"""
        doc = self.doc
        return any(
            len(seq) <= i and all(doc.word(i - len(seq) + n) == w for n, w in enumerate(seq))
            for seq in self.frames.subordinators
        )

    def _subject_before(self, i: int) -> Subject | None:
        """SVO order: "بيسكوف قال …", "زيلنسكي سابقا رفض …"."""
        doc = self.doc
        sent_lo, _ = doc.sentence(i)
        k = i - 1
        while k > sent_lo and k > i - 14:
            gap = doc.gap(k)
            if any(c in gap for c in COMMA + COLON + _SENT_END):
                break
            k -= 1
        starts = [k, k + 1, k + 2] if doc.word(k) in _AUX or doc.word(k + 1) in _AUX else [k, k + 1]
        # "نقلت المجلة أن ميلفيل أوضح": the subject of a verb inside a reported clause
        starts += [m + 1 for m in range(k, i - 1) if doc.word(m) in COMPLEMENTIZERS]
        for start in starts:
            if start >= i:
                break
            subj = subject_at(doc, start, self.lex, self.entities, limit=i)
            if subj is None:
                continue
            tail = subj.last
            while tail < i:
                w = doc.word(tail)
                if w in TIME_WORDS or w in _PARTICLES or w in _ADVERBS:
                    tail += 1
                elif w in _AUX and tail + 1 < i and doc.word(tail + 1) in _PARTICLES:
                    tail += 1  # "يذكر أن السفير السابق كان قد اتهم": the auxiliary after its subject
                elif (past := self._place_adjunct(tail)) > tail:
                    tail = past  # "وسائل الإعلام السورية في دمشق نفت"
                elif tail > subj.last or not (
                    subj.named or any(t in doc.mention_at for t in range(subj.first, subj.last))
                ):
                    break
                elif (office := subject_at(doc, tail, self.lex, self.entities, limit=i)) is not None and (
                    office.speaker.kind == SpeakerKind.PERSON and office.title and office.last == i
                ):
                    tail = i  # "وكان العقيد تركي المالكي المتحدث باسم التحالف قال": his office after the name
                else:
                    break
            if tail == i:
                return subj
        return None

    def _fronted_subject(self, i: int) -> Subject | None:
        """A subject fronted by كان or a contrast particle, the verb after one or two asides in commas:
        "وكانت المستشارة الألمانية، أنغيلا ميركل، أقرت …", "إلا أن مسؤولا محليا، طلب عدم ذكر اسمه، قال"."""
        doc = self.doc
        lo, _ = doc.sentence(i)
        for s in range(i - 2, max(lo - 1, i - _MAX_FRONTED), -1):
            seq = next((q for q in self.frames.fronting if self._ends_at(q, s)), None)
            if seq is None:
                continue
            first = s - len(seq) + 1
            if first > lo and not doc.gap_has(first, COMMA + _SENT_END + COLON):
                return None  # the particle opens no clause here
            subj = subject_at(doc, s + 1, self.lex, self.entities, limit=i)
            if subj is None:
                return None
            tail = subj.last
            while tail < i and (past := self._place_adjunct(tail)) > tail:
                tail = past  # "القيادة العسكرية الأميركية في أفريقيا"
            if tail + 2 <= i and doc.word(tail) in ("في", "من") and not doc.gap_has(tail, COMMA):
                # a place the mention finder does not know, of one or two words, closed by the comma
                tail = next((m for m in (tail + 2, tail + 3) if doc.gap_has(m, COMMA)), tail)
            if tail > i or not doc.gap_has(tail, COMMA):
                return None
            for k in range(self._past_anonymity(tail), i):
                w = doc.word(k)
                if (
                    w in COMPLEMENTIZERS
                    or self.lex.cue(w) is not None
                    or doc.gap_has(k, _SENT_END + COLON + QUOTE_MARKS)
                ):
                    return None  # an aside holds no reporting verb or reported words
            return self._apposed(subj, tail)[0] if tail < i else subj
        return None

    def _contrast_subject(self, i: int) -> Subject | None:
        """The subject of the sentence's first verb, when a contrast with a pronoun stands right before
        verb ``i`` ("ولم يؤكد البيت الأبيض الاستقالة، ولكنه قال"); None when a quote of this sentence
        already has a speaker (the pronoun is that speaker, whom the history gives)."""
        doc = self.doc
        lo, _ = doc.sentence(i)
        if not any(self._ends_at(q, i - 1) for q in self.frames.pronoun_contrasts):
            return None
        if self.found and self.found[-1].start >= doc.toks[lo].start:
            return None
        for k in (lo + 1, lo + 2):  # after the first verb, or after a negation and the verb ("ولم يؤكد")
            subj = subject_at(doc, k, self.lex, self.entities, limit=i - 1) if k < i - 1 else None
            if subj is not None:
                return subj
        return None

    def _report_source(self, i: int) -> Subject | None:
        """The outlet or body of a report named right before verb ``i`` ("بعد تقرير لصحيفة وول ستريت
        جورنال، أفاد بأن", "تقرير للأمم المتحدة ذكر أن"): the report says what its source says."""
        doc = self.doc
        lo, _ = doc.sentence(i)
        for r in range(i - 2, max(lo - 1, i - 8), -1):
            if doc.gap_has(r + 1, COLON + _SENT_END + QUOTE_MARKS):
                return None
            if doc.word(r) not in self.frames.report_words or not doc.word(r + 1).startswith("ل"):
                continue
            for t in range(r + 1, i):
                w = doc.word(t)
                if t == r + 1 and self.lex.head(w[1:]) is not None:
                    continue  # "لصحيفة": the head word with its ل; the name follows
                src = subject_at(doc, t, self.lex, self.entities, limit=i)
                if (
                    src is None
                    or src.last != i
                    or src.speaker.kind
                    not in (
                        SpeakerKind.MEDIA,
                        SpeakerKind.ORGANIZATION,
                    )
                ):
                    continue
                return src
            return None
        return None

    def _ends_at(self, seq: tuple[str, ...], s: int) -> bool:
        # one slice compare (the words of a sequence are never empty, so running off either end of the
        # text fails as doc.word's '' did)
        lo = s - len(seq) + 1
        return lo >= 0 and tuple(self.doc.words[lo : s + 1]) == seq

    def _issued_document(self, k: int) -> bool:
        """Is token ``k`` a document or occasion noun ("بيانا", "بتصريح") a cue's resumptive points to?"""
        w = self.doc.word(k)
        docs = self.frames.issued_documents
        return w in docs or (w.startswith("ب") and w[1:] in docs)

    def _issuer(self, k: int) -> Subject | None:
        """Who issued the document at token ``k``: the subject right before it ("وأصدرت ميركل بيانا"),
        else the subject opening its sentence ("لكن الممثلة …، أصدرت في يناير بيانا")."""
        subj = self._subject_before(k)
        if subj is None:
            lo, _ = self.doc.sentence(k)
            subj = subject_at(self.doc, lo + 1, self.lex, self.entities, limit=k) or subject_at(
                self.doc, lo, self.lex, self.entities, limit=k
            )
        return subj

    def _sentence_speaker(self, i: int) -> Speaker | None:
        """Speaker of a participle clause: the last quote's speaker in the same sentence, else the
        subject of the sentence's first verb."""
        lo, _ = self.doc.sentence(i)
        lo_off = self.doc.toks[lo].start
        for f in islice(reversed(self.found), _LOOKBACK):
            if f.start < lo_off:
                break
            if f.speaker is not None:
                return f.speaker
        subj = subject_at(self.doc, lo + 1, self.lex, self.entities, limit=i)
        return self.history.resolve(subj) if subj else None

    def _opens_sentence(self, i: int) -> bool:
        """Is token ``i`` the first word of its sentence (past a conjunction-less start)?"""
        lo, _ = self.doc.sentence(i)
        return i == lo

    def _clause_end(self, c: int, denial: bool = False) -> int:
        """Offset where an indirect quote starting at token ``c`` ends; ``denial``: what a denial denies
        ends before "، وذلك ردا على …" (what it answers or when, not what is denied)."""
        doc = self.doc
        end_off = doc.sentence_end_offset(doc.toks[c].start)
        para_end = doc.line_end(doc.toks[c].start)
        k = c + 1
        last = c
        n = len(doc)
        while k < n and doc.toks[k].start < end_off:
            tok = doc.toks[k]
            span = doc.span_containing(tok.start)
            if span is not None:
                # an embedded partial quote belongs to the clause, even across a full stop
                end_off = min(para_end, max(end_off, doc.sentence_end_offset(span.end)))
                last = doc.first_from(span.end) - 1
                k = last + 1
                continue
            if doc.gap_has(k, COMMA) and self._opens_clause(k):
                break
            if denial and doc.word(k) in self.frames.denial_breaks and doc.gap_has(k, COMMA):
                break
            if denial and k > c + 1 and _imperfect_after_and(doc.word(k)) and doc.gap_has(k, COMMA):
                break  # "نفى وجود أي علاقة، ويعد محاموه دعوى": a new verb's clause, not what is denied
            if self._participle_frame(k):
                break
            if (
                doc.word(k) in _RELATIVES
                and doc.gap_has(k, COMMA)
                and (nxt := self.lex.cue(doc.word(k + 1))) is not None
                and not nxt.participle
                and self._antecedent(k) is not None
            ):
                break  # "…، الملك سلمان، الذي نفى بدوره …": the antecedent's own words  # "نفت السلطات احتجازه قائلة إنه غادر": the participle reports words of its own
            last = k
            k += 1
        hi = doc.toks[last].end
        span = doc.span_containing(hi - 1)
        if span is not None and span.end == hi and span.closed:
            hi = span.close
        return hi

    def _participle_frame(self, k: int) -> bool:
        """Is token ``k`` a participle cue followed by a complementizer or colon ("قائلة إنه", "مؤكدا أن")?"""
        doc = self.doc
        cue = self.lex.cue(doc.word(k))
        if cue is None or not cue.participle:
            return False
        nxt = doc.word(k + 1)
        if nxt in cue.links or nxt in cue.preps:
            nxt = doc.word(k + 2)  # "… مشيرا إلى أن": no comma before it, still a clause of its own
            return nxt in COMPLEMENTIZERS
        return nxt in COMPLEMENTIZERS or doc.gap_has(k + 1, COLON)

    def _opens_clause(self, k: int) -> bool:
        """After a comma: does token ``k`` open a clause that is no longer the reported content?"""
        w = self.doc.word(k)
        cue = self.lex.cue(w)
        if cue is not None and (cue.participle or w.startswith("و")):
            return True
        if w in _CLAUSE_BREAKS:
            return True
        if w in _PRE_VERB and self.lex.cue(self.doc.word(k + 1)) is not None:
            return True
        if w in _CONTRAST:
            # "…، لكن سالفيني نفى ذلك", "…، ورغم ذلك ذكر مصدر": a named speaker's clause (not "…، لكن
            # الأطباء رفضوا …", which may still be the reported words)
            m = k + 1
            if self.doc.word(m) == "ذلك":
                m += 1
            hit = self.doc.mention_at.get(m)
            if hit is not None and hit[0].entity_type != EntityKind.MEDIA:
                m = hit[1]
            elif (subj := subject_at(self.doc, m, self.lex, self.entities, limit=m + 8)) is not None and (
                subj.speaker.kind == SpeakerKind.PERSON and subj.title
            ):
                m = subj.last  # "…، لكن محامي ترامب قال": a person by title is a named speaker too
            nxt = self.lex.cue(self.doc.word(m))
            if nxt is not None and not nxt.participle and not self.doc.gap_has(m, COMMA + _SENT_END):
                return True
        # circumstantial participles that are not cues ("، معربا عن أمله", "، متوعدا")
        return len(w) >= 5 and w[0] == "م" and w.endswith("ا") and not w.endswith("ها")

    # ---- content -------------------------------------------------------------------------------

    def _content(self, i: int, j: int, cue: Cue) -> tuple[int, int, QuoteKind, MarkedSpan | None] | None:
        """Where the words reported by cue ``i`` start, scanning from token ``j``."""
        doc = self.doc
        _, sent_hi = doc.sentence(i)
        first_real = True
        after_link = True  # right after the verb, its subject, a colon or a complementizer
        k = j
        while k < len(doc) and k < sent_hi and k - j < _SCAN:
            gap = doc.gap(k)
            if "(" in gap:
                # a parenthesis (an acronym, a gloss) is neither frame nor content
                close = doc.next_closer(doc.toks[k].start)
                if close > 0:
                    k = doc.first_from(close)
                    continue
            if any(c in gap for c in COMMA) and (past := self._relay_aside(k)) > k:
                k = past  # "أوضح المتحدث، وفقا لما نقلت عنه صحيفة "الرياض"، بأن …"
                continue
            colon = any(c in gap for c in COLON)
            span = doc.span_starting_at(k) if any(c in gap for c in QUOTE_MARKS) else None
            if span is not None and span.start not in self.claimed:
                size = doc.tokens_between(span.start, span.end)
                if (
                    cue.takes_object
                    and first_real
                    and size < _MIN_DIRECT
                    and not colon
                    and not self._whole(span)
                ):
                    return k, -1, QuoteKind.INDIRECT, None  # "نفت الحركة «الشائعات» حول وفاته": the object
                nxt = doc.first_from(span.close)
                if not colon and size <= _MAX_NAME_SPAN // 2 and nxt < sent_hi and doc.gap_has(nxt, COLON):
                    k = nxt  # "لبرنامج على محطة "إن تي في": "…"": a quoted name before the colon of the words
                    continue
                opens = colon or (after_link and k > j) or (size >= _MIN_DIRECT and not cue.marked)
                # "وكتب X على تويتر "…"": a marked cue takes a long quoted span that ends its clause
                opens = opens or (cue.marked and size >= _MIN_STANDALONE and self._whole(span))
                if opens and (colon or size > _MAX_NAME_SPAN or not self._names_outlet(k)):
                    return k, doc.first_from(span.end), QuoteKind.DIRECT, span
                k = doc.first_from(span.end)
                first_real = after_link = False
                continue
            if colon and not cue.participle:
                return k, -1, QuoteKind.INDIRECT, None
            if cue.marked:
                if first_real and cue.lemma in self.frames.blame_cues and self._blame_follows(k, sent_hi):
                    return k, -1, QuoteKind.INDIRECT, None  # "وحمّل الوزير الفصائل مسؤولية انهيار الهدنة"
                first_real = after_link = False
                k += 1
                continue
            w = doc.word(k)
            if is_cnn(doc, k):
                k += 1
                continue
            if (past := self._occasion(k, sent_hi)) > k:
                k = past  # "في تصريح له عقب اللقاء،", "بتصريح لـ CNN": when and to whom, not what
                continue
            if w in COMPLEMENTIZERS or (w.startswith("و") and w[1:] in COMPLEMENTIZERS and k == j):
                if k + 1 < sent_hi:
                    nxt_span = doc.span_starting_at(k + 1)
                    if nxt_span is not None and nxt_span.start not in self.claimed and self._whole(nxt_span):
                        return k + 1, doc.first_from(nxt_span.end), QuoteKind.DIRECT, nxt_span
                    return k + 1, -1, QuoteKind.INDIRECT, None
                return None
            if (w in cue.preps or w in cue.links) and doc.word(k + 1) in COMPLEMENTIZERS:
                k += 1  # "أشار إلى أن": the complementizer comes next
                continue
            if w in cue.preps and k + 1 < sent_hi:
                return k + 1, -1, QuoteKind.INDIRECT, None
            if w in cue.links and k == j and k + 1 < sent_hi and self._noun_content(k + 1, i, cue):
                return k + 1, -1, QuoteKind.INDIRECT, None  # "، مشيرا إلى ارتفاع عدد القتلى"
            if (
                "ب" in cue.preps
                and w[0] == "ب"
                and len(w) > 3
                and w not in STOP_WORDS
                and k not in doc.mention_at
            ):
                return k, -1, QuoteKind.INDIRECT, None  # "طالب بوقف", "تعهد بعدم"
            if w in TIME_WORDS or (w.startswith("و") and w[1:] in TIME_WORDS) or w in _ADVERBS:
                k += 1
                continue
            when = self.frames.time_phrase_at(doc.word, k) if w == "في" else 0
            if when and k + when < sent_hi and not doc.gap_has(k + when, COMMA):
                k += when  # "نفت الوزارة في وقت سابق وجود …"
                continue
            if w in _AGO and doc.word(k + 1) in _TIME_UNITS and not doc.gap_has(k + 1, COMMA):
                k += 2  # "نفى قبل أشهر الأمر"
                continue
            if cue.takes_object and w in self.frames.content_nouns and k + 1 < sent_hi:
                # "نفى المتحدث الرسمي للاتحاد … الأنباء التي …": the report denied, past a subject phrase
                # the grammar did not read to its end
                return k, -1, QuoteKind.INDIRECT, None
            if first_real and cue.takes_object:
                past = self._place_adjunct(k)
                if past > k:
                    k = past  # "نفت البعثة في الصومال الاتهامات": where the subject is, not what it denies
                    continue
                if w in _DEMONSTRATIVES and k + 1 < sent_hi:
                    return k, -1, QuoteKind.INDIRECT, None  # "نفت موسكو هذه المعلومات"
            if first_real and cue.takes_object and w in self.frames.object_openers and k + 1 < sent_hi:
                # "نفى ما نقلته رويترز"; "نفى صحة ما نشرته": what is denied is what was published
                at = (
                    k + 1
                    if w in self.frames.truth_words and doc.word(k + 1) in self.frames.object_openers
                    else k
                )
                return at, -1, QuoteKind.INDIRECT, None
            if (
                first_real
                and cue.takes_object
                and w not in STOP_WORDS
                and not self._addressee(k)
                and not self._complementizer_soon(k)
            ):
                hit = doc.mention_at.get(k)
                if not (hit and hit[0].entity_type == EntityKind.PERSON):
                    return k, -1, QuoteKind.INDIRECT, None
            if k > j and self.lex.cue(w) is not None:
                return None  # another verb: this one reported nothing we can delimit
            first_real = after_link = False
            k += 1
        return None

    def _blame_follows(self, k: int, hi: int) -> bool:
        """Does "المسؤولية" come within a few words of ``k``, in the same clause ("حمّل الوزير الفصائل
        المسلحة مسؤولية …")? Only then is "حمّل" putting blame, not carrying."""
        doc = self.doc
        for m in range(k + 1, min(hi, k + _BLAME_REACH)):
            if doc.gap_has(m, COMMA + COLON + QUOTE_MARKS + _SENT_END):
                return False
            if doc.word(m) in self.frames.blame_words:
                return True
        return False

    def _charge_follows(self, subj: Subject) -> bool:
        """Is ``subj`` one noun phrase (its names joined by و) with the charge in بـ right after it, past at
        most a conjunct ("وحلفاءها", "وحزب الله")? "اتهم ترامب الصين بـ": two phrases, subject and accused."""
        doc = self.doc
        m = subj.first
        while m < subj.last:  # names only, joined by و
            hit = doc.mention_at.get(m)
            if hit is None or (m > subj.first and doc.word(m)[:1] != "و"):
                return False
            m = max(hit[1], m + 1)
        conjunct = 0  # words of a conjunct still allowed
        for m in range(subj.last, min(subj.last + 4, len(doc))):
            if doc.gap_has(m, COMMA + COLON + QUOTE_MARKS + _SENT_END):
                return False
            w = doc.word(m)
            if w == "ب" or (w[0] == "ب" and len(w) > 3 and w not in STOP_WORDS):
                return True
            if w[0] == "و" and len(w) > 2:
                conjunct = 1
            elif conjunct:
                conjunct -= 1
            else:
                return False
        return False

    def _predicate_follows(self, subj: Subject) -> bool:
        """Does an indefinite word right after ``subj`` open a predicate ("اعتبر القدس عاصمة لها")? A
        judgement's subject is followed by a definite object ("اعتبر الوزير القرار خطوة"), a demonstrative
        or "ما"; an indefinite noun right after the phrase makes that phrase the object."""
        doc = self.doc
        k = subj.last
        if k >= len(doc) or doc.gap_has(k, COMMA + COLON + QUOTE_MARKS + _SENT_END + "("):
            return False
        w = doc.word(k)
        return (
            not self._complementizer_soon(k - 1)  # "اعتبرت الوزيرة أنك بيليفيد أن": her name, then "أن"
            and len(w) > 2
            and not w.startswith("ال")
            and w not in STOP_WORDS
            and w not in TIME_WORDS
            and w not in COMPLEMENTIZERS
            and w not in _DEMONSTRATIVES
            and w not in self.frames.object_openers
            and k not in doc.mention_at
            and self.lex.cue(w) is None
        )

    def _noun_content(self, k: int, i: int, cue: Cue) -> bool:
        """A link preposition ("إلى") of a participle or a past verb (cue ``i``) before a noun phrase of two
        words or more ("وأشارت الحكومة إلى إنقاذ الآلاف", "، مشيرا إلى ارتفاع عدد القتلى") takes it as what
        was said; a present verb ("كان ترامب يشير إلى القوة …": was referring to) and a phrase pointing at a
        person, a place or a body ("مشيرا إلى الرئيس …", "إلى واشنطن") stay unread."""
        doc = self.doc
        if not cue.participle and doc.word(i).lstrip("وف")[:1] in ("ي", "ت"):
            return False
        ends = COMMA + COLON + QUOTE_MARKS + _SENT_END
        if k + 1 >= len(doc) or any(c in doc.gap(k) or c in doc.gap(k + 1) for c in ends):
            return False
        w = doc.word(k)
        return len(w) > 2 and w not in STOP_WORDS and k not in doc.mention_at and self.lex.head(w) is None

    def _place_adjunct(self, k: int) -> int:
        """Token after "في/من + a place" at ``k`` ("في الصومال", "في دمشق") or after "أمام + whom" ("أمام
        البرلمان", "أمام مجلس النواب"), else ``k``."""
        doc = self.doc
        w = doc.word(k)
        if doc.gap_has(k + 1, COMMA + COLON + _SENT_END):
            return k
        if w in self.frames.audience_preps:
            hit = doc.mention_at.get(k + 1)
            if hit is not None:
                return hit[1]
            if doc.word(k + 1).startswith("ال"):
                return k + 2
            glued = not doc.gap_has(k + 2, COMMA + COLON + _SENT_END)
            return k + 3 if glued and doc.word(k + 2).startswith("ال") else k
        if w not in ("في", "من"):
            return k
        hit = doc.mention_at.get(k + 1)
        if hit is None or hit[0].entity_type != EntityKind.PLACE:
            return k
        return hit[1]

    def _complementizer_soon(self, k: int) -> bool:
        """ "أكد مصدر … بجدة أن": a complementizer a few words on means these words are not the object."""
        doc = self.doc
        for m in range(k + 1, min(k + 5, len(doc))):
            if doc.gap_has(m, COMMA + COLON + _SENT_END + QUOTE_MARKS):
                return False
            if doc.word(m) in COMPLEMENTIZERS:
                return True
            if self.lex.cue(doc.word(m)) is not None:
                return False  # "نفى تقريرا أفاد بأن": the complementizer is the report's
        return False

    def _names_outlet(self, k: int) -> bool:
        """A quoted name after an outlet or institution word ("لوكالة "تاس"", "باسم "ائتلاف …""), not
        words after a document ("في بيان "…"") or opening with a complementizer ("ذكرت الوكالة "أنه …"")."""
        prev = self.doc.word(k - 1)
        if prev in self.frames.document_nouns or self.doc.word(k) in COMPLEMENTIZERS:
            return False
        if prev in ("ل", "مع"):
            span = self.doc.span_starting_at(k)
            if span is not None and self.doc.tokens_between(span.start, span.end) <= _MAX_NAME_SPAN // 2:
                return True  # "قال لـ"سكاي نيوز عربية"", "في مقابلة مع "…"": the addressee
        base = prev[1:] if prev.startswith("ل") and not prev.startswith("لل") else prev
        return prev == "باسم" or self.lex.head(base) in ("media", "organization")

    def _whole(self, span: MarkedSpan) -> bool:
        """Does the quoted span end its clause? ("إن "…" منذ 2004 "…"" is a partial quote inside an
        indirect one, and the reported clause is the whole sentence.)"""
        doc = self.doc
        k = doc.first_from(span.close)
        if k >= len(doc):
            return True
        gap = doc.gap(k)
        return (
            any(c in gap for c in COMMA + _SENT_END) or doc.sentence_end_offset(span.end) <= doc.toks[k].start
        )

    # ---- cues ----------------------------------------------------------------------------------

    def read_document(self, i: int) -> None:
        """ "وجاء في بيان للجيش أن "…"", "وجاء في تغريدة لمانشستر سيتي على تويتر "…"", "وجاء في بيان رسمي
        أصدرته النقابة "…"": the issuer after the document noun speaks; "في بيانه" is the last speaker's."""
        doc = self.doc
        if doc.word(i + 1) != "في" or doc.word(i + 2) not in self.frames.document_nouns:
            return
        if self._clause_start(i) is None:
            return
        k = m = i + 3
        while m < len(doc) and m - k < 6:
            gap = doc.gap(m)
            if any(c in gap for c in COLON + QUOTE_MARKS + _SENT_END) or (
                m > k and any(c in gap for c in COMMA)
            ):
                break
            if doc.word(m) in COMPLEMENTIZERS or doc.word(m) in STOP_WORDS:
                break
            m += 1
        subj = None
        for s in range(k, m):
            sp = self._phrase_speaker(s, m)
            if sp is not None:
                subj = Subject(sp, s, m)
                break
        if subj is None:
            last = self.history.last()
            if last is None or doc.word(i + 2) in ("بيان", "البيان", "تغريدة", "رسالة", "كلمة"):
                return  # "جاء في بيان" of nobody named
            subj = Subject(carried(last), m, m)
        self.read_cue(i, _DOCUMENT_CUE, subject=subj)

    def read_cue(self, i: int, cue: Cue, subject: Subject | None = None) -> None:
        """The quote reported by cue ``i``; ``subject``: its speaker when a frame already read it."""
        doc = self.doc
        if doc.word(i) == "ورد" and doc.word(i + 1).startswith("في"):
            return  # "ورد فيه أن": "it says in it", not "and he replied"
        subj: Subject | None = subject
        relative: Subject | None = None  # a subject read from a relative pronoun's antecedent
        aside: Subject | None = None  # the same, read from a title or unnamed phrase: its clause only
        after = doc.gap(i + 1) if i + 1 < len(doc) else "."
        skip = 1  # tokens from the verb to where its subject may start
        if subject is None and not cue.participle:
            before = doc.word(i - 1)
            if i + 1 < len(doc) and doc.word(i + 1) in _RESUMPTIVE and not any(c in after for c in _SENT_END):
                skip = 2  # "الذي قالت فيه روسيا"
            elif not any(c in after for c in COMMA + COLON + _SENT_END):
                skip = self._past_addressee(i + 1) - i  # "أكد لـ«عكاظ» رئيس الجالية": to whom, then who
            if self._clause_start(i) is not None or self._after_subordinator(i):
                quoted = doc.span_starting_at(i + 1) if any(c in after for c in QUOTE_MARKS) else None
                if quoted is not None and quoted.closed and doc.tokens_between(quoted.start, quoted.end) <= 3:
                    after = " "  # a quoted name is the subject ("ونقلت "رويترز" عن")
                if not any(c in after for c in COLON + QUOTE_MARKS + _SENT_END):
                    subj = subject_at(doc, i + skip, self.lex, self.entities)
                if subj is None and before in _PARTICLES:
                    subj = self._subject_before(i)  # "وكانت وكالة "X" قد أفادت بأن"
                if subj is None and (
                    doc.gap_has(i, COMMA) or (before in _PARTICLES and doc.gap_has(i - 1, COMMA))
                ):
                    subj = self._fronted_subject(i)  # "وكانت X، …، أقرت", "وكانت X، …، قد قالت"
                if subj is None:
                    subj = self._contrast_subject(i)  # "ولم يؤكد البيت الأبيض الاستقالة، ولكنه قال"
                if subj is None and skip == 1:
                    subj = self._report_source(i)  # "بعد تقرير لصحيفة X، أفاد بأن"
                if subj is None and skip == 2 and doc.word(i)[:1] not in "وف" and doc.gap_has(i, COMMA):
                    # "تصريحات نسبها إلى القيادي في الحركة، محمود الزهار، قال فيها إن": the person named
                    # right before the comma said the words the resumptive points to
                    subj = relative = self._antecedent(i) or name_before(doc, i, self.lex, self.entities)
            elif before in _RELATIVES and not doc.gap_has(i, COMMA + _SENT_END):
                subj = subject_at(doc, i + skip, self.lex, self.entities) if skip == 2 else None
                if subj is None:
                    subj = relative = self._antecedent(i - 1)  # "الملك سلمان، الذي نفى بدوره علمه"
                if subj is None and not self._anonymity_clause(i):
                    subj = relative = aside = self._phrase_antecedent(i - 1)  # "مدير المستشفى الذي أشار إلى"
                if subj is None:
                    return  # "التقارير التي قالت": the antecedent speaks, and it is no subject we can read
            else:
                subj = (
                    self._subject_before(i)
                    or self._report_source(i)
                    or self._subject_past_relative(i)
                    or self._indefinite_subject(i)
                )
                if subj is None and before in _AUX and doc.word(i - 2) in _RELATIVES:
                    subj = relative = self._antecedent(i - 2)  # "حسام حبيب، الذي كان نفى الأمر"
                if subj is None and skip == 2 and self._issued_document(i - 1):
                    subj = self._issuer(i - 1)  # "أصدرت الممثلة بيانا نفت فيه …"
                if subj is None and before not in _RELATIVES:
                    # "لكن مركز X، التابع لوزارة Y قال إن": an aside whose closing comma is missing
                    subj = self._fronted_subject(i)
                if subj is None and not any(c in after for c in COLON):
                    return  # mid-clause verb ("التقارير التي قالت"): not a reporting frame
        if (
            subj is not None
            and cue.takes_object
            and subj.first > i
            and doc.word(subj.first) in self.frames.content_nouns
        ):
            subj = None  # "ورفضت التقارير": what a denial or rejection takes as object is not its subject
        if (
            subject is None
            and subj is not None
            and subj.first > i
            and (
                (cue.lemma in self.frames.charge_cues and self._charge_follows(subj))
                or (cue.lemma in self.frames.predicate_cues and self._predicate_follows(subj))
            )
        ):
            # "وكان قد اتهم إيران وحلفاءها بعرقلة الحل": the accused, then the charge; "بعد أن اعتبر
            # القدس عاصمة لها": the object, then its predicate
            subj = None
        if (
            subject is None
            and subj is not None
            and subj.first > i
            and not cue.feminine
            and self._feminine_thing(subj)
        ):
            subj = None  # "وحث أنقرة على", "واتهم أجهزة الاستخبارات": a masculine verb's object
        if subj is not None and subj.first > i and doc.word(subj.first) in self.frames.document_nouns:
            subj = self._document_issuer(subj)  # "واتهم البيان الصادر عن البيت الأبيض": the issuer speaks
        j = subj.last if subj is not None and subj.first > i else i + skip if subj is not None else i + 1
        via: str | None = None
        t = j
        while t < len(doc) and doc.word(t) in TIME_WORDS and t - j < 3:
            t += 1  # "وقالت الصحيفة، الأربعاء، نقلا عن": the day in commas before the relay
        if t > j and doc.word(t) == "نقلا" and doc.word(t + 1) == "عن":
            j = t
        if doc.word(j) == "نقلا" and doc.word(j + 1) == "عن":
            # "وأضافت نقلا عن ثلاثة مسؤولين": the sentence's subject relays, the source speaks
            relay = subj.speaker if subj is not None else self.history.last()
            src = subject_at(doc, j + 2, self.lex, self.entities) or self._relayed_source(j + 2)
            if src is not None:
                if relay is not None:
                    via = relay.name_ar or relay.text
                subj, j = src, src.last
        if cue.lemma == _N("نقل") and doc.word(j) in _RESUMPTIVE and doc.word(j + 1) == "عن":
            j += 1  # "تقرير نشرته وكالة "أسواق" نقلت فيه عن أشخاص …": in it, from whom
        if cue.lemma == _N("نقل") and doc.word(j) != "عن":
            j = self._reach_an(j)  # "نقلت وكالة الإعلام الروسية، الأحد، عن …", "نقلت قناة "الخليج 24" عن"
        if cue.lemma == _N("نقل") and doc.word(j) == "عن":
            # "نقلت بلومبرج عن شخصين مقربين …": the outlet relays, the source speaks
            src = subject_at(doc, j + 1, self.lex, self.entities)
            if subj is not None:
                via = subj.speaker.name_ar or subj.speaker.text
            if src is None:
                src = self._relayed_source(j + 1)
            if src is not None:
                subj, j = src, src.last
            else:
                j += 1
        noun_stance = None
        if doc.word(j) in self.lex.report_nouns:
            noun_stance = _NOUN_STANCE.get(doc.word(j))
            j += 1
        if subj is not None and subj.first > i:
            subj, j = self._apposed(subj, j)
            j = self._apposed_office(subj, j)
        if subj is not None:
            j = self._past_anonymity(j)
        named: Speaker | None = None
        self.aside_via = None
        got = self._content(i, j, cue)
        if self.aside_via is not None:
            via = self.aside_via
        if (
            got is None
            and noun_stance is not None
            and j < doc.sentence(i)[1]
            and (doc.word(j).startswith("ل") or not doc.gap_has(j, COMMA + COLON + _SENT_END))
        ):
            got = (j, -1, QuoteKind.INDIRECT, None)  # "نقلت سانا عن مصدر نفيه للادعاءات": what is denied
        if aside is not None and got is not None and not self._clause_of_words(i, got, cue):
            return
        if got is not None and got[2] == QuoteKind.INDIRECT and self._reported_frame(got[0]):
            # "نقلت المجلة أن ميلفيل أوضح أن …": the outlet relays; the inner verb reports the words
            if subj is not None and subj.speaker.kind == SpeakerKind.MEDIA:
                self.pending_via = (subj.speaker.name_ar or subj.speaker.text, doc.sentence(i))
            return
        if subj is not None and subj is relative:
            named = subj.speaker  # a relative clause's speaker is not who the next "وأشار" refers to
        elif subj is not None:
            named = self.history.push_subject(subj, cue.feminine)
            self._learn(named)
        if got is None:
            return
        c, c_end, kind, span = got
        if span is not None:
            start, end = span.start, span.end
            while start < end and doc.text[start] in _DASHES + " ":
                start += 1  # "قال: "- إن …"": a dash after the opening mark is no part of the words
            self.claimed.add(span.start)
            self.covered = span.close
        else:
            start = doc.toks[c].start
            end = self._clause_end(c, denial=cue.stance == Stance.DENIAL)
            self.covered = end
            c_end = doc.first_from(end)
        speaker = named
        stance = noun_stance or cue.stance
        if speaker is None:
            if cue.participle:
                speaker = self._sentence_speaker(i)
                if speaker is None and self._opens_sentence(i):
                    # ". مشيرا إلى أن …": a full stop where a comma belongs; a participle has no subject
                    # of its own, so it goes on with the last speaker of its gender
                    speaker = self.history.pick(cue.feminine)
                prev = self.found[-1] if self.found else None
                same = prev is not None and doc.sentence(i)[0] <= doc.token_at(prev.start)
                if (
                    same
                    and prev is not None
                    and cue.stance == Stance.STATEMENT
                    and not self._words_say(c, c_end)
                ):
                    stance = prev.stance  # "نفى …، مؤكدا أن …" goes on denying
            else:
                speaker = self._narrated_subject(i, cue) or self.history.pick(cue.feminine)
            if speaker is not None:
                speaker = carried(speaker)
                self.history.push(speaker, cue.feminine or None)
        if (
            stance == Stance.STATEMENT
            and not cue.participle
            and self._goes_on_denying(i, speaker, (c, c_end))
        ):
            stance = Stance.DENIAL  # "نفى اللاعب تناوله مادة منشطة، وقال: "لم أتناول …""
        lo, hi = doc.sentence(i)
        if via is None and self.pending_via is not None and self.pending_via[1] == (lo, hi):
            via = self.pending_via[0]
        lo, hi = _window(lo, hi, min(i, c), max(i + 1, c_end))
        if via is None:
            via = find_via(doc, lo, hi, self.lex, self.entities, (c, c_end))
        self.found.append(
            _Found(start, end, kind, speaker, doc.text[doc.toks[i].start : doc.toks[i].end], stance, via,
                   (lo, hi), (c, c_end), i)
        )  # fmt: skip
        if speaker is not None and self._in_document(i, c):
            self.history.issuer = speaker  # "اتهم البيت الأبيض، في بيان، إيران": "وقال البيان" is his

    def _narrated_subject(self, i: int, cue: Cue) -> Speaker | None:
        """ "وأصدر مكتب الرئيس تحذيرا. وقال في تغريدة إن …": a "said" opening its sentence with no subject
        of its own, right after a sentence that quotes nobody and opens with a verb of the same gender
        and its subject, means that subject, not the last speaker quoted before it. Other cues ("وأضاف")
        go on with a speaker already quoted."""
        doc = self.doc
        lo, _ = doc.sentence(i)
        if cue.lemma not in self.frames.new_speaker_cues or i != lo or lo == 0:
            return None
        plo, _ = doc.sentence(lo - 1)
        if plo + 1 >= lo or doc.gap(lo).count("\n") > 1:
            return None  # no sentence before it in its paragraph
        if self.found and self.found[-1].start >= doc.toks[plo].start:
            return None  # the sentence before quotes someone: the history has them
        verb = doc.word(plo).removeprefix("و")
        if self.lex.cue(doc.word(plo)) is not None or verb.endswith("ت") != cue.feminine:
            return None
        subj = subject_at(doc, plo + 1, self.lex, self.entities, limit=lo)
        if subj is None or subj.speaker.kind == SpeakerKind.UNNAMED:
            return None  # "ووقع الانفجار" has no subject phrase; unnamed people are not a narrated actor
        return self.history.resolve(subj)

    def _feminine_thing(self, subj: Subject) -> bool:
        """Is the phrase after a masculine verb a feminine place or body ("أنقرة", "أجهزة الاستخبارات",
        "الحكومة")? Such a subject takes a feminine verb in news Arabic, so it is the verb's object and
        the verb's subject is implied."""
        sp = subj.speaker
        if sp.kind not in (SpeakerKind.ORGANIZATION, SpeakerKind.UNNAMED) or subj.named:
            return False
        head = self.doc.word(subj.first)
        fr = self.frames
        return (
            head.endswith("ه")
            and self.lex.head(head) != "title"
            and head not in fr.document_nouns
            and head not in fr.human_plurals
        )

    def _document_issuer(self, subj: Subject) -> Subject:
        """A statement as subject speaks for its issuer: "بيان وزارة النقل", "البيان الصادر عن X"."""
        doc = self.doc
        k = subj.first + 1
        if subj.last - subj.first == 1:
            if doc.word(k) in _ISSUED:
                k += 1
            if doc.word(k) not in ("عن", "من") or doc.gap_has(k, COMMA + COLON + _SENT_END):
                return subj
            k += 1
        src = subject_at(doc, k, self.lex, self.entities)
        if src is None or (subj.last - subj.first > 1 and src.last < subj.last):
            return subj
        self.history.issuer = src.speaker
        return Subject(src.speaker, subj.first, src.last, src.feminine, src.title, src.named)

    def _in_document(self, i: int, c: int) -> bool:
        """Were the words of verb ``i`` (content at ``c``) given in a statement ("في بيان", "ببيان")?"""
        docs = self.frames.document_nouns
        for k in range(i, min(c, i + 12)):
            w = self.doc.word(k)
            if w in docs or (w[:1] == "ب" and w[1:] in docs) or (w == "في" and self.doc.word(k + 1) in docs):
                return True
        return False

    def _addressee(self, k: int) -> bool:
        """Is token ``k`` a ل-phrase naming whom the words were said to ("للصحفيين", "لوكالة", "لرويترز",
        "لنا") rather than a noun that starts with ل ("لقاءه")?"""
        w = self.doc.word(k)
        if not w.startswith("ل"):
            return False
        return (
            w.startswith("لل") or len(w) < 4 or self.lex.head(w[1:]) is not None or k in self.doc.mention_at
        )

    def _occasion(self, k: int, hi: int) -> int:
        """Token after the occasion of the words at ``k`` ("في تصريح له", "بتصريح لـ CNN", "خلال مؤتمر
        صحفي"), or after its comma when a short tail ends there ("في تصريح له عقب اللقاء،"); else ``k``."""
        doc = self.doc
        fr = self.frames
        w = doc.word(k)
        if w in fr.occasion_openers and doc.word(k + 1) in fr.occasion_nouns:
            m = k + 2
        elif w[:1] == "ب" and w[1:] in fr.occasion_nouns:
            m = k + 1
        else:
            return k
        while m < hi and m - k < 8:
            gap = doc.gap(m)
            if any(c in gap for c in COLON + _SENT_END) or any(c in gap for c in COMMA):
                break
            nw = doc.word(m)
            hit = doc.mention_at.get(m)
            if hit is not None and hit[0].entity_type == EntityKind.MEDIA:
                m = hit[1]
            elif nw == "ل":  # "لـ CNN", "لـ"العربية.نت"": to whom
                span = doc.span_starting_at(m + 1) if doc.gap_has(m + 1, QUOTE_MARKS) else None
                if span is not None and doc.tokens_between(span.start, span.end) <= 3:
                    m = doc.first_from(span.end)
                elif span is None and not doc.gap_has(m + 1, COMMA + COLON + _SENT_END):
                    m += 2
                else:
                    break
            elif nw in fr.occasion_words or (nw[:1] == "ل" and self.lex.head(nw[1:]) == "media"):
                m += 1
            else:
                break
        if (link := self._occasion_link(m, hi)) is not None:
            return link
        # a short tail up to a comma ("عقب اللقاء،") with no words of a clause in it
        for t in range(m, min(hi, m + 4)):
            if t > m and doc.gap_has(t, COMMA):
                return t
            tw = doc.word(t)
            if tw in COMPLEMENTIZERS or self.lex.cue(tw) is not None or doc.gap_has(t, _STOP_APPOSED):
                break
        return m

    def _occasion_link(self, m: int, hi: int) -> int | None:
        """The token that links the words after the rest of an occasion read up to ``m`` ("نشرها عبر
        حسابه الرسمي على تويتر، الجمعة، إن …", "على تويتر أن …"): a complementizer, or a colon or quote
        marks opening the words; None when a sentence end or a reporting verb comes first."""
        doc = self.doc
        for t in range(m, min(hi, m + self.frames.occasion_reach)):
            gap = doc.gap(t)
            if t > m and any(c in gap for c in _SENT_END):
                return None
            w = doc.word(t)
            if w in COMPLEMENTIZERS or any(c in gap for c in COLON):
                return t
            if any(c in gap for c in QUOTE_MARKS):
                span = doc.span_starting_at(t)
                if span is None or not self._names_outlet(t):
                    return t  # the quoted words, not a quoted name ("على قناة "الحرة"")
            if self.lex.cue(w) is not None and w not in self.frames.occasion_openers:
                return None  # ("عبر حسابه" is where, not the cue "عبر عن")
        return None

    def _relay_aside(self, k: int) -> int:
        """ "، وفقا لما نقلت عنه صحيفة X،" / "، كما نقلت عنها وكالة X،": an aside at token ``k`` naming the
        medium that relays the speaker's words; the token after its closing comma (the medium kept as
        :attr:`aside_via`), else ``k``."""
        doc = self.doc
        w = doc.word(k)
        if w not in self.frames.before_triggers and w not in self.frames.after_direct_triggers:
            return k
        m = k + 1
        if doc.word(m) in ("ل", "لما", "ما"):
            m += 1 + (doc.word(m) == "ل" and doc.word(m + 1) == "ما")
        cue = self.lex.cue(doc.word(m))
        if cue is not None and not cue.participle and doc.word(m + 1) in _RESUMPTIVE:
            at = m + 2  # "وفقا لما نقلت عنه صحيفة X،"
        elif doc.word(m) in self.frames.relay_verbs and doc.word(m - 1) in ("ما", "لما"):
            at = m + 1  # "وفقا لما نقلته وكالة X،"
        else:
            return k
        for e in range(at, min(at + 7, len(doc))):
            gap = doc.gap(e)
            if any(c in gap for c in COLON + _SENT_END):
                return k
            if any(c in gap for c in COMMA):
                self.aside_via = medium_at(doc, at, self.lex, self.entities, strict=False)
                return e
        return k

    def _past_anonymity(self, j: int) -> int:
        """Token after an aside on the source's anonymity that opens at ``j`` ("، رفضت الكشف عن اسمها،"),
        else ``j``."""
        doc = self.doc
        if j < len(doc) and doc.word(j) in _RELATIVES:
            # "وقال المسؤول الذي طلب عدم ذكر اسمه إن": the same aside as a relative, without commas
            for t in range(j + 1, min(j + 8, len(doc))):
                if doc.gap_has(t, _STOP_APPOSED + COMMA):
                    break
                if doc.word(t) in self.frames.anonymity_words:
                    return t + 1
            return j
        if j >= len(doc) or not doc.gap_has(j, COMMA):
            return j
        m = self._aside_close(j, 8)
        return m if m is not None and doc.word(m - 1) in self.frames.anonymity_words else j

    def _subject_past_relative(self, i: int) -> Subject | None:
        """ "المسؤول الذي طلب عدم ذكر اسمه قال": the subject before a relative on the source's anonymity
        that ends right before verb ``i``."""
        doc = self.doc
        if doc.word(i - 1) not in self.frames.anonymity_words:
            return None
        for r in range(i - 2, max(-1, i - 9), -1):
            if doc.gap_has(r + 1, _STOP_APPOSED + COMMA):
                return None
            if doc.word(r) in _RELATIVES:
                return self._subject_before(r) if self._past_anonymity(r) == i else None
        return None

    def _indefinite_subject(self, i: int) -> Subject | None:
        """ "عرضت سوريا 22 شاهد عيان قالوا إنهم": an unnamed source with no article, whose relative clause
        (an indefinite takes no relative pronoun) is verb ``i``."""
        doc = self.doc
        if doc.word(i)[:1] in "وف":
            return None  # "… نظيره الروسي وقال": a verb after "و" has the sentence's subject
        best = None  # the longest phrase ending at the verb ("مصدر كويتي مسؤول", not "مسؤول")
        for m in range(i - 1, max(-1, i - 5), -1):
            if doc.gap_has(m + 1, _STOP_APPOSED + COMMA):
                break
            w = doc.word(m)
            if w[:1] == "ل" and self.lex.head(w[1:]) is not None:
                return None  # "لمصدر كويتي مسؤول نفى": a head behind ل, whose phrase we cannot read
            subj = subject_at(doc, m, self.lex, self.entities, limit=i)
            if (
                subj is not None
                and subj.last == i
                and subj.speaker.kind == SpeakerKind.UNNAMED
                and not w.startswith("ال")
                and self.lex.head(w) == "unnamed"
            ):
                best = subj
        return best

    def _aside_close(self, j: int, limit: int, stop: Callable[[str], bool] | None = None) -> int | None:
        """The token after the comma that closes an aside opened before token ``j`` (within ``limit``
        tokens); None when a colon, quote mark or sentence end comes first, or a word ``stop`` accepts."""
        doc = self.doc
        for m in range(j + 1, min(j + limit, len(doc))):
            gap = doc.gap(m)
            if any(c in gap for c in _STOP_APPOSED):
                return None
            if any(c in gap for c in COMMA):
                return m
            if stop is not None and stop(doc.word(m)):
                return None
        return None

    def _reach_an(self, j: int) -> int:
        """The "عن" of a relaying verb a few tokens after its subject, past a day or a number in commas
        or the rest of a quoted name; ``j`` when none."""
        doc = self.doc
        for m in range(j, min(j + 4, len(doc))):
            w = doc.word(m)
            if w == "عن":
                return m
            if doc.gap_has(m, COLON + _SENT_END) or not (
                w in TIME_WORDS or w.isdigit() or doc.span_containing(doc.toks[m].start) is not None
            ):
                return j
        return j

    def _antecedent(self, rel: int) -> Subject | None:
        """The named person or body that the relative pronoun at token ``rel`` refers to: a mention
        ending right before it ("الملك سلمان بن عبد العزيز، الذي")."""
        if self._mention_ends is None:
            self._mention_ends = {end: (start, m) for start, (m, end) in self.doc.mention_at.items()}
        hit = self._mention_ends.get(rel)
        if hit is None or self.doc.gap_has(rel, COLON + _SENT_END + QUOTE_MARKS):
            return None
        start, m = hit
        if m.entity_type not in (EntityKind.PERSON, EntityKind.ORGANIZATION, EntityKind.GROUP):
            return None
        return Subject(speaker_from_mention(m, self.entities, ner_names=self.doc.ner_names), start, rel)

    def _clause_of_words(self, i: int, got: tuple[int, int, QuoteKind, MarkedSpan | None], cue: Cue) -> bool:
        """Does the relative clause of verb ``i`` report words right after it: marked ones, or a clause
        after "أن" or a link ("الذي أشار إلى أن")? A bare object is an act ("السلطات التي رفضت كشف
        التفاصيل"), words after another subject are its words ("الوزارة التي أكدت مصادر أنها"), and words
        past a comma belong to the main verb ("وذكر الداعية، الذي يعتبر الأب الروحي للجماعة، أنه")."""
        doc = self.doc
        c, _, kind, _ = got
        if any(doc.gap_has(t, COMMA) for t in range(i + 1, c)):
            return False
        frame = COMPLEMENTIZERS | cue.links | cue.preps
        if any(doc.word(t) not in frame and doc.word(t) not in TIME_WORDS for t in range(i + 1, c)):
            return False  # a subject of its own between the verb and the words
        return kind == QuoteKind.DIRECT or doc.word(c - 1) in frame

    def _anonymity_clause(self, i: int) -> bool:
        """Is verb ``i`` the source's refusal to be named ("المسؤول الذي رفض الكشف عن هويته")?"""
        doc = self.doc
        return any(doc.word(t) in self.frames.anonymity_words for t in range(i + 1, min(i + 5, len(doc))))

    def _phrase_antecedent(self, rel: int) -> Subject | None:
        """The speaker phrase (a title, an unnamed source, a body) ending right before the relative pronoun
        at token ``rel``, past a place after it ("مدير عام مستشفى عفرين في شمال سوريا، الذي"): the longest
        such phrase that starts after the sentence's last punctuation."""
        doc = self.doc
        if doc.gap_has(rel, COLON + _SENT_END + QUOTE_MARKS):
            return None
        lo, _ = doc.sentence(rel)
        best: Subject | None = None
        for m in range(rel - 1, max(lo - 1, rel - _MAX_ANTECEDENT - 1), -1):
            if m < rel - 1 and doc.gap_has(m + 1, COMMA + COLON + _SENT_END + QUOTE_MARKS):
                break
            subj = subject_at(doc, m, self.lex, self.entities, limit=rel)
            if subj is None or (subj.speaker.kind == SpeakerKind.PERSON and not subj.title):
                continue  # a bare name is a mention _antecedent reads, or no name at all
            if doc.word(m) in self._said_things:
                continue  # "التقارير التي قالت", "بيان الوزارة التي": a report or document, not who speaks
            tail = subj.last
            while tail < rel and (past := self._place_adjunct(tail)) > tail:
                tail = past
            if tail == rel:
                best = subj
        return best

    def _goes_on_denying(self, i: int, speaker: Speaker | None, content: tuple[int, int]) -> bool:
        """Does a statement cue ``i`` continue a denial by the same speaker: the quote just before, in
        the same sentence ("ونفى …، وقال: …"), or in the same paragraph when these words negate too
        ("ونفى المصرف وجود أي مفاوضات. وقال إنه "لم يدخل في أي مفاوضات"")?"""
        if speaker is None or not self.found:
            return False
        doc = self.doc
        prev = self.found[-1]
        # "نفى المصرف …، وذلك بعد تقرير نقلت فيه الوكالة عن أشخاص أن "…". وقال المصرف …": a report
        # quoted inside the denial's own sentence stands between the denial and its continuation
        if (
            (prev.speaker is None or not _same_speaker(prev.speaker, speaker))
            and len(self.found) > 1
            and self._nested(prev, self.found[-2])
        ):
            prev = self.found[-2]
        if prev.speaker is None or not _same_or_head(speaker, prev.speaker):
            return False
        here = doc.toks[i].start
        if prev.start < doc.toks[doc.sentence(i)[0]].start:
            c0, c1 = content
            negates = any(doc.word(k) in _NEGATIONS for k in range(c0, min(c1, c0 + _SCAN)))
            if not negates or not self._next_line(prev, here):
                return False
        return self._final_stance(prev) == Stance.DENIAL

    def _nested(self, g: _Found, outer: _Found) -> bool:
        """Does ``g`` stand in the sentence of the quote ``outer`` found before it?"""
        doc = self.doc
        return doc.sentence(doc.token_at(g.start))[0] == doc.sentence(doc.token_at(outer.start))[0]

    def _next_line(self, prev: _Found, here: int) -> bool:
        """Does offset ``here`` stand in the paragraph ``prev`` ends in or the next one (no whole
        paragraph between)?"""
        between = self.doc.text[prev.end : here].split("\n")[1:-1]
        return not any(line.strip() for line in between)

    def _final_stance(self, f: _Found) -> Stance:
        """The stance of ``f`` once its words are read (what :meth:`_quote` records)."""
        return self._full_stance(f, self._content_words(f))

    def _content_words(self, f: _Found) -> list[str]:
        doc = self.doc
        c0, c1 = f.skip
        if c1 > c0:
            return [t.text for t in doc.toks[c0:c1]]
        return [t.text for t in doc.toks[doc.token_at(f.start) : doc.first_from(f.end)]]

    def _full_stance(self, f: _Found, words: list[str]) -> Stance:
        """The stance :meth:`_quote` records for ``f`` with content ``words``: the words' stance, then who
        says it (an institution or person states what a report claims; sources claim)."""
        stance = self._word_stance(f, words)
        lemma = self._cue_lemma(f)
        if (
            stance == Stance.STATEMENT
            and lemma in self.stance_words.confirming
            and words[:1]
            and words[0] in self.frames.truth_words
        ):
            stance = Stance.CONFIRMATION  # "وأكدت الشرطة صحة الأنباء عن …"
        if (
            stance == Stance.CLAIM == f.stance
            and f.speaker is not None
            and lemma not in self.stance_words.alleging
            and (
                f.speaker.kind == SpeakerKind.ORGANIZATION
                or (f.speaker.kind == SpeakerKind.PERSON and lemma in self.stance_words.stated_reports)
            )
        ):
            # "وذكرت الوزارة أن …", "وذكر المتحدث أن …", "ونقلت الوكالة عن الوزير قوله": an institution or
            # a person states; a report, an outlet or a source claims
            stance = Stance.STATEMENT
        if f.speaker is not None:
            stance = self.stance_words.of_source(f.stance, stance, f.speaker.text)  # "قالت مصادر إن …"
        if (
            stance == Stance.REJECTION
            and f.kind == QuoteKind.INDIRECT
            and words[:1]
            and (words[0] in self.frames.denied_reports or words[0] in self.frames.truth_words)
        ):
            stance = Stance.DENIAL  # "رفضت الوزارة التقارير …": rejecting reports is denying them
        return stance

    def _word_stance(self, f: _Found, words: list[str]) -> Stance:
        """The stance the normalized ``words`` of ``f`` give its cue's (an insisting verb's negated
        words deny)."""
        stance = self.stance_words.stance(f.stance, words)
        return self.stance_words.insisted(self._cue_lemma(f), stance, words)

    def _cue_lemma(self, f: _Found) -> str | None:
        if f.cue_tok < 0:
            return None
        cue = self.lex.cue(self.doc.word(f.cue_tok))
        return cue.lemma if cue is not None else None

    def _apposed(self, subj: Subject, j: int) -> tuple[Subject, int]:
        """What stands between the subject and the content without being either: a quoted gloss and a
        name in commas ("نفى المتحدث باسم الرئاسة “الكرملين”، دميتري بيسكوف، اليوم، المزاعم"). The
        apposed person is the speaker; the reader goes on after it."""
        doc = self.doc
        k = j
        if doc.gap_has(k, QUOTE_MARKS):
            span = doc.span_starting_at(k)
            if span is not None and span.closed and doc.tokens_between(span.start, span.end) <= 3:
                after = doc.first_from(span.close)
                if doc.gap_has(after, COMMA):
                    k = after
        role = doc.mention_at.get(k)
        if (
            role is not None
            and role[0].kind == MentionKind.ROLE
            and not doc.gap_has(k, COMMA + COLON + QUOTE_MARKS + _SENT_END)
        ):
            # "نفى حمادي الجبالي رئيس الحكومة التونسية السابق، الاتهامات": the office after the name
            m = role[1]
            while m < len(doc) and m - role[1] < 2 and not doc.gap_has(m, COMMA + _SENT_END):
                m += 1  # "السابق"
            if m < len(doc) and doc.gap_has(m, COMMA):
                return subj, m
        if subj.speaker.kind == SpeakerKind.MEDIA:
            return subj, k
        comma = k
        n = len(doc)
        while comma < n and comma - k < _MAX_APPOSED:
            gap = doc.gap(comma)
            if gap != " ":
                if any(c in gap for c in COMMA):
                    break
                if any(c in gap for c in _STOP_APPOSED):
                    return subj, k
            w = doc.word(comma)
            if w in COMPLEMENTIZERS or w in self.frames.content_nouns or self.lex.cue(w) is not None:
                return subj, k
            comma += 1  # "قائد المركز الروسي لمصالحة الأطراف في سوريا، اللواء …": the subject's rest
        if comma < len(doc) and doc.gap_has(comma, COMMA):
            m = comma
            if self.lex.head(doc.word(m)) == "title" and (m + 1) in doc.mention_at:
                m += 1  # "، اللواء يوري يفتوشينكو،"
            elif (
                m not in doc.mention_at
                and doc.word(m).startswith("ال")
                and is_nisba(doc.word(m))
                and doc.gap(m + 1) == " "
                and (m + 1) in doc.mention_at
            ):
                m += 1  # "مدرب الفريق، الألماني يورغن كلوب،": a nationality before the name
            hit = doc.mention_at.get(m)
            if hit is not None and hit[0].entity_type == EntityKind.PERSON:
                end = hit[1]
                if end < len(doc) and doc.gap_has(end, COMMA):
                    sp = speaker_from_mention(hit[0], self.entities, ner_names=doc.ner_names)
                    return Subject(sp, subj.first, end, title=subj.title, named=True), end
            elif hit is None and subj.speaker.entity_id is None and not subj.named:
                # "، العميد سامي الحربي،": a rank and a name the finder missed
                name = subject_at(doc, comma, self.lex, self.entities)
                end = name.last if name is not None else 0
                if name is not None and name.named and end < len(doc) and doc.gap_has(end, COMMA):
                    return Subject(name.speaker, subj.first, end, title=subj.title, named=True), end
        return subj, k

    def _apposed_office(self, subj: Subject, k: int) -> int:
        """ "نفى تركي المالكي، المتحدث باسم التحالف الذي تقوده السعودية، أن …": the office of a named
        speaker in commas, relative clause and all; the token after its closing comma, else ``k``."""
        doc = self.doc
        sp = subj.speaker
        if sp.kind != SpeakerKind.PERSON or (sp.entity_id is None and not subj.named):
            return k
        if k >= len(doc) or not doc.gap_has(k, COMMA) or self.lex.head(doc.word(k)) != "title":
            return k
        m = self._aside_close(k, 16, stop=lambda w: w in COMPLEMENTIZERS or self.lex.cue(w) is not None)
        return k if m is None else m

    def _reported_frame(self, c: int) -> bool:
        """Does the clause at token ``c`` open with "subject + reporting verb + complementizer"?"""
        doc = self.doc
        subj = subject_at(doc, c, self.lex, self.entities)
        if subj is None:
            return False
        k = subj.last
        n = len(doc)
        while k < n and (doc.word(k) in TIME_WORDS or doc.word(k) in _PARTICLES):
            k += 1
        if k >= n:
            return False  # the text ends before any verb
        cue = self.lex.cue(doc.word(k))
        if cue is None or cue.participle or doc.gap_has(k, COMMA + _SENT_END):
            return False
        # the complementizer or colon must come within the next words (the gap after the last one counts)
        return any(
            doc.word(m) in COMPLEMENTIZERS or doc.gap_has(m, COLON) for m in range(k + 1, min(k + 8, n + 1))
        )

    def _learn(self, sp: Speaker, first: bool = False) -> None:
        """Remember the first and last word of a person's name the KB does not know, so that
        "وأضاف العصيمي" finds "مبارك العصيمي" again."""
        if sp.kind != SpeakerKind.PERSON or not sp.name_ar:
            return
        if sp.entity_id is not None and not sp.entity_id.startswith("ner:"):
            return
        words = _N(sp.name_ar).split()
        if len(words) < 2:
            return
        for w in (words[0], words[-1]):
            if len(w) > 2 and w not in STOP_WORDS and not (first and w in self.doc.known):
                self.doc.known[w] = carried(sp)

    def _relayed_source(self, j: int) -> Subject | None:
        """ "عن الطلاب المنظمين للمسيرة قولهم إن": a source the head lexicon does not know, ending at
        the report noun or complementizer."""
        doc = self.doc
        for m in range(j + 1, min(j + 8, len(doc))):
            w = doc.word(m)
            if doc.gap_has(m, COLON + _SENT_END) or (
                doc.gap_has(m, COMMA) and w not in self.lex.report_nouns
            ):
                return None
            if w in self.lex.report_nouns or w in COMPLEMENTIZERS:
                lo, hi = doc.toks[j].start, doc.toks[m - 1].end
                phrase = doc.text[lo:hi]
                return Subject(
                    Speaker(text=phrase, kind=SpeakerKind.UNNAMED, name_ar=phrase, start=lo, end=hi), j, m
                )
        return None

    def read_after(self, t: int) -> bool:
        """ "…، حسبما أعلن العميد أحمد سمير" / "…، وفق ما ذكرت تقارير إعلامية": the speaker comes after
        the words, which run from the start of the sentence to the trigger."""
        doc = self.doc
        k = t + 1
        resuming = doc.word(t) in self.frames.resuming_triggers
        if doc.word(t) in self.frames.after_ma_triggers or resuming:
            if doc.word(k) != "ما" and not (resuming and doc.word(k) == "الذي"):
                return False  # "وفق ما ذكرته X", "، الأمر الذي نفاه X"
            k += 1
        cue = self.lex.cue(doc.word(k)) or self._resumed_cue(doc.word(k))
        if cue is None or cue.participle or not doc.gap_has(t, COMMA):
            return False
        if doc.word(t) in self.frames.after_direct_triggers and self._reports_after(k):
            return False  # "، كما قال X إن …": a cue with words of its own
        lo, hi = doc.sentence(t)
        if lo >= t - _MIN_DIRECT or doc.toks[lo].start < self.covered:
            return False
        if any(doc.span_containing(doc.toks[m].start) for m in (lo, t - 1)):
            return False  # quoted words are read as such
        m = k + 1
        while m < hi and doc.word(m) in TIME_WORDS:
            m += 1
        subj = subject_at(doc, m, self.lex, self.entities)
        if subj is None:
            return False
        if cue.takes_object and self._object_after(subj.last, hi):
            return False  # "، كما نفى متحدث …، الكولونيل …، علاقة فرنسا بالهجوم": its own object
        if resuming and subj.last < hi and not doc.gap_has(subj.last, COMMA):
            return False  # "، وهو ما تعتبره كييف "تدخلا" في شؤونها": words of its own follow
        speaker = self.history.push_subject(subj, cue.feminine)
        self._learn(speaker)
        start, end = doc.toks[lo].start, doc.toks[t - 1].end
        self.covered = max(self.covered, doc.toks[subj.last - 1].end)
        lo, hi = _window(lo, hi, lo, subj.last)
        self.found.append(
            _Found(start, end, QuoteKind.INDIRECT, speaker, doc.text[doc.toks[k].start : doc.toks[k].end],
                   cue.stance, None, (lo, hi), (lo, t), k)
        )  # fmt: skip
        return True

    def _resumed_cue(self, w: str) -> Cue | None:
        """The cue of a verb with the pronoun that resumes "ما" ("حسب ما قاله X", "وفق ما ذكرته X")."""
        for suffix in self.frames.resumptive_suffixes:
            if w.endswith(suffix) and len(w) > len(suffix) + 2:
                stem = w[: -len(suffix)]
                # "نفاه": a final alef maqsura is written alef before the pronoun (نفى + ه)
                cue = self.lex.cue(stem) or (self.lex.cue(stem[:-1] + "ي") if stem[-1] == "ا" else None)
                if cue is not None:
                    return cue
        return None

    def _object_after(self, k: int, hi: int) -> bool:
        """Do words of an object follow token ``k`` in the sentence ending at ``hi``, past an apposed
        name in commas, a day and an addressee ("بتصريح لـ CNN")?"""
        doc = self.doc
        words = 0
        for m in range(k, min(hi, k + _SCAN)):
            w = doc.word(m)
            if m > k and doc.gap_has(m, COMMA) and words:
                words = 0  # the words so far were an apposition
            if w in TIME_WORDS or w.startswith("ل") or w in _ADVERBS or m in doc.mention_at:
                continue
            words += 1
            if words >= _MIN_DIRECT:
                return True
        return False

    def _reports_after(self, k: int) -> bool:
        """Does the rest of cue ``k``'s sentence hold its own words (a complementizer, colon or quote)?"""
        doc = self.doc
        _, hi = doc.sentence(k)
        for m in range(k + 1, min(hi, k + _SCAN)):
            gap = doc.gap(m)
            if any(c in gap for c in COLON + QUOTE_MARKS) or doc.word(m) in COMPLEMENTIZERS:
                return True
        return False

    def read_before(self, t: int) -> bool:
        """ "وفقا للأمم المتحدة، فإن …" / "بحسب مصادر طبية، قتل …": the speaker stands between the trigger
        and a comma at the start of the sentence; the words are the rest of it."""
        doc = self.doc
        lo, hi = doc.sentence(t)
        if t != lo and not doc.gap_has(t, COMMA + "\n"):
            return False
        k = t + 1
        if doc.word(k) == "ل":
            k += 1  # "وفقا لـ X" with the ل written apart
        cue = self.lex.cue(doc.word(k))
        verb = None
        if cue is not None and not cue.participle:
            verb, k = k, k + 1  # "حسبما أعلنت الأمم المتحدة، …"
        elif cue is not None:
            return False
        m = k + 1
        while m < hi and m - k <= self.frames.before_max_speaker:
            gap = doc.gap(m)
            if any(c in gap for c in COLON + QUOTE_MARKS + _SENT_END):
                return False
            if any(c in gap for c in COMMA):
                break
            m += 1
        else:
            return False
        c = m + 1 if doc.word(m) in self.frames.content_openers else m
        if c >= hi or hi - c < _MIN_DIRECT or doc.toks[lo].start < self.covered:
            return False
        speaker = self._phrase_speaker(k, m)
        if speaker is None:
            return False
        start, end = doc.toks[c].start, self._clause_end(c)
        self.covered = max(self.covered, end, doc.toks[t].end)
        c_end = doc.first_from(end)
        lo, hi = _window(lo, hi, t, c_end)
        said = t if verb is None else verb
        cue_text = doc.text[doc.toks[said].start : doc.toks[said].end]
        stance = Stance.STATEMENT if cue is None else cue.stance
        self.found.append(
            _Found(start, end, QuoteKind.INDIRECT, speaker, cue_text, stance, None, (lo, hi), (c, c_end))
        )
        return True

    def _phrase_speaker(self, k: int, m: int) -> Speaker | None:
        """The speaker phrase of tokens [k, m) behind a preposition: a mention, a subject the grammar
        reads, or a head word with the ل glued to it ("لوزارة الصحة", "للأمم المتحدة")."""
        doc = self.doc
        subj = subject_at(doc, k, self.lex, self.entities, limit=m)
        if subj is not None and subj.last == m:
            return subj.speaker
        hit = doc.mention_at.get(k)
        if hit is not None and hit[1] == m:
            return speaker_from_mention(hit[0], self.entities, ner_names=doc.ner_names)
        w = doc.word(k)
        base = "ال" + w[2:] if w.startswith("لل") else w[1:] if w.startswith("ل") else w
        cls = self.lex.head(base)
        if cls is None:
            return None
        lo = doc.toks[k].start + (1 if base != w else 0)
        hi = doc.toks[m - 1].end
        text = ("ا" if w.startswith("لل") else "") + doc.text[lo:hi]
        kind = {"unnamed": SpeakerKind.UNNAMED, "media": SpeakerKind.MEDIA, "title": SpeakerKind.UNNAMED}
        return Speaker(
            text=text, kind=kind.get(cls, SpeakerKind.ORGANIZATION), name_ar=text, start=lo, end=hi
        )

    # ---- quoted spans without a cue before them ------------------------------------------------

    def read_span(self, span: MarkedSpan) -> None:
        doc = self.doc
        first = doc.token_at(span.start)
        inner = self.lex.cue(doc.word(first))
        if (
            inner is not None
            and inner.takes_object
            and not inner.participle
            and inner.stance in (Stance.DENIAL, Stance.REJECTION)
            and doc.tokens_between(span.start, span.end) <= _MAX_QUOTED_CUE
            and (subj := self._subject_before(first)) is not None
        ):
            self.read_cue(first, inner, subj)  # "إلا أن البعثة «نفت بشدة» مزاعم قتل مدنيين": the verb quoted
            return
        after = doc.token_at(span.close)
        k = after
        if doc.word(k) in ("كما", "وكما"):
            k += 1
        between = doc.text[span.close : doc.toks[k].start] if k < len(doc) else ""
        cue = self.lex.cue(doc.word(k)) if k < len(doc) else None
        if doc.word(k) == "ورد" and doc.word(k + 1).startswith("في"):
            cue = None  # "ورد فيه": "it says in it"
        size = doc.tokens_between(span.start, span.end)
        speaker: Speaker | None = None
        cue_text: str | None = None
        stance = Stance.STATEMENT
        frame_lo, frame_hi = doc.sentence(doc.token_at(span.start))
        subj = None
        subject_follows = k + 1 < len(doc) and not doc.gap_has(k + 1, _SENT_END)
        if cue is not None and not cue.participle and subject_follows:
            subj = subject_at(doc, k + 1, self.lex, self.entities)
        first = doc.token_at(span.start)
        opens_sentence = first == 0 or doc.gap_has(first, _SENT_END)
        # "“…” قال X" is one sentence; "“…”. وقال X: …" credits X only when the quote stands alone
        attached = cue is not None and size >= 2 and not any(c in between for c in _SENT_END)
        attached = attached or (
            subj is not None and opens_sentence and size >= _MIN_DIRECT and "\n" not in between
        )
        if cue is not None and attached:
            if subj is not None:
                speaker = self.history.push_subject(subj, cue.feminine)
                self._learn(speaker)
            else:
                sp = self.history.pick(cue.feminine)
                speaker = carried(sp) if sp is not None else None
            cue_text = doc.text[doc.toks[k].start : doc.toks[k].end]
            stance = cue.stance
            frame_hi = max(frame_hi, doc.sentence(k)[1])
        elif size >= _MIN_STANDALONE and self._fills_paragraph(span) and self.history.last() is not None:
            last = self.history.last()
            speaker = carried(last) if last is not None else None
        elif size >= _MIN_DIRECT and (prev := self._quote_before(span)) is not None:
            speaker, cue_text, stance = prev.speaker, prev.cue, prev.stance  # "قال: "…"، "…""
        else:
            return  # a scare quote or a title
        self.claimed.add(span.start)
        self.covered = max(self.covered, span.close)
        c0, c1 = doc.token_at(span.start), doc.first_from(span.end)
        frame_lo, frame_hi = _window(frame_lo, frame_hi, c0, max(c1, k + 1) if cue_text else c1)
        via = find_via(doc, frame_lo, frame_hi, self.lex, self.entities, (c0, c1))
        self.found.append(
            _Found(span.start, span.end, QuoteKind.DIRECT, speaker, cue_text, stance, via,
                   (frame_lo, frame_hi), (c0, c1), k if cue_text else -1)
        )  # fmt: skip

    def _quote_before(self, span: MarkedSpan) -> _Found | None:
        """The direct quote that this span follows with only a comma or و between, in one sentence."""
        if not self.found:
            return None
        prev = self.found[-1]
        if prev.kind != QuoteKind.DIRECT or prev.end > span.open:
            return None
        between = self.doc.text[prev.end : span.open]
        rest = between.strip(QUOTE_MARKS + COMMA + " \t.")
        if rest not in ("", "و") or not any(c in between for c in COMMA) or "\n" in between:
            return None
        return prev

    def _fills_paragraph(self, span: MarkedSpan) -> bool:
        """Only spaces stand between the start of the line and the opening mark."""
        text = self.doc.text
        line_lo = self.doc.line_start(span.open)
        k = span.open
        while k > line_lo and text[k - 1].isspace():
            k -= 1  # the spaces before a span lie after the previous span: each is read once
        return k == line_lo

    # ---- the pass ------------------------------------------------------------------------------

    def run(self) -> list[Quote]:
        doc = self.doc
        spans = doc.spans
        p = 0  # next span that could contain the current token
        i = 0
        n = len(doc)
        check = self.check
        while i < n:
            check()  # the caller's time budget (every step below costs a bounded window of tokens)
            tok = doc.toks[i]
            if tok.start < self.covered:
                i += 1
                continue
            while p < len(spans) and spans[p].end <= tok.start:
                p += 1
            if p < len(spans) and spans[p].start <= tok.start:
                span = spans[p]
                if span.start not in self.claimed and doc.token_at(span.start) == i:
                    self.read_span(span)
                i = max(i + 1, doc.first_from(span.end))
                continue
            if tok.text in self.frames.after_triggers and self.read_after(i):
                i += 1
                continue
            if tok.text in self.frames.before_triggers and self.read_before(i):
                continue
            cue = self.lex.cue(tok.text)
            if cue is not None:
                self.read_cue(i, cue)
            elif tok.text in self.frames.document_verbs:
                self.read_document(i)
            elif i in doc.sent_starts:
                self._note_topic(i)
            i += 1
        # a quote nobody can be credited with is noise for monitoring (and usually a misread frame)
        out = []
        for at, f in enumerate(self.found):
            if f.speaker is not None and _has_letters(doc.text, f.start, f.end):
                check()
                out.append(self._quote(f, at))
        return out

    def _note_topic(self, i: int) -> None:
        """A sentence opening "وأصدر الرئيس الأوكراني …" makes its subject the one a following
        subjectless "وقال" refers to."""
        subj = subject_at(self.doc, i, self.lex, self.entities, names=False) or subject_at(
            self.doc, i + 1, self.lex, self.entities, names=False
        )
        if subj is not None and subj.speaker.kind == SpeakerKind.PERSON:
            self.history.push_subject(subj, None)

    def _quote(self, f: _Found, at: int) -> Quote:
        """The quote of ``f``, the ``at``-th found."""
        doc = self.doc
        frame_text = " ".join(
            doc.text[doc.toks[k].start : doc.toks[k].end] for k in _outside(f.frame, f.skip)
        )
        words = self._content_words(f)
        stance = self._full_stance(f, words)
        answers = None
        if stance in (Stance.DENIAL, Stance.REJECTION):
            lo, hi = f.frame
            earlier = (g.speaker for g in reversed(self.found[max(0, at - _LOOKBACK) : at]))
            first = words[0] if f.kind == QuoteKind.INDIRECT and words else None
            answers = find_answered(
                doc, range(lo, hi), self.lex, self.frames, self.entities, earlier, speaker=f.speaker,
                object_first=first, via=f.via,
                cue_tok=f.cue_tok, content=f.skip,
            )  # fmt: skip
            if answers is None and stance == Stance.REJECTION and f.kind == QuoteKind.INDIRECT:
                answers = rejected_author(doc, doc.token_at(f.start), self.entities)
            if answers is None:
                answers = self._answered_before(f, at)
            if answers is None:
                answers = self._answered_back(f, at, words)
            if answers is None and doc.sentence(lo)[0] == lo:
                answers = aside_before(  # "…، كما تقول لندن. ونفت موسكو ذلك"
                    doc, lo, self.lex, self.frames, self.entities, f.speaker, words
                )
            if answers is None:
                answers = self._answered_by_same(f, at)
            if answers is None and doc.word(doc.sentence(lo)[0]) in answer_words().contrasts:
                answers = reported_before(  # "لكن الكرملين نفى …": the report just before
                    doc, doc.sentence(lo)[0], self.lex, self.frames, self.entities, f.speaker
                )
            if answers is None:
                after = doc.first_from(doc.sentence_end_offset(max(f.start, f.end - 1)))
                answers = find_background(
                    doc, after, self.lex, self.frames, self.entities, f.speaker, words=words
                )
            if answers is None and refers_to_report(doc, range(lo, hi), self.frames, f.skip, first):
                own = [
                    doc.token_at(g.start)
                    for g in self.found[at + 1 :]
                    if g.speaker is not None and _same_speaker(g.speaker, f.speaker)
                ] if f.speaker is not None else []  # fmt: skip
                answers = find_reported_near(
                    doc, f.frame, self.lex, self.frames, self.entities, f.speaker, own
                ) or self._answered_latest(at)
            self.answered[at] = answers
        return Quote(
            start=f.start,
            end=f.end,
            text=doc.text[f.start : f.end],
            kind=f.kind,
            cue=f.cue,
            stance=stance,
            speaker=f.speaker,
            via=f.via,
            said_on=said_on(frame_text, self.published),
            answers=answers,
        )

    def _words_say(self, c0: int, c1: int) -> bool:
        """Do the words of tokens [c0, c1) have a stance of their own ("…، واصفا ما نشره بأنه "افتراء""
        after a demand denies, whatever the verb before)?"""
        words = [t.text for t in self.doc.toks[c0:c1]] if c1 > c0 else []
        return self.stance_words.of_words(words) is not None

    def _answered_before(self, f: _Found, at: int) -> str | None:
        """What the same speaker's denial just before ``f`` answers, when ``f`` goes on with it ("نفت
        الوزارة ما ورد في الصحف، مؤكدة أن …", "… وقال المصرف إنه "لم يدخل في أي مفاوضات""): the quotes
        before it are by that speaker back to the denial, which stands in the same or the previous
        paragraph."""
        if f.speaker is None:
            return None
        for k in range(at - 1, max(-1, at - _LOOKBACK), -1):
            g = self.found[k]
            if (
                k > 0
                and self._nested(g, self.found[k - 1])
                and (g.speaker is None or not _same_or_head(f.speaker, g.speaker))
            ):
                continue  # a report quoted inside the denial's sentence ("…، بعد تقرير نقل عن أشخاص أن …")
            if (
                g.speaker is None
                or not _same_or_head(f.speaker, g.speaker)
                or not self._next_line(g, f.start)
            ):
                return None
            hit = self.answered.get(k)
            if hit is not None:
                return hit
        return None

    def _answered_by_same(self, f: _Found, at: int) -> str | None:
        """What the same speaker's earlier denial in the article answers, when the text comes back to
        that speaker ("نفى مصدر دبلوماسي تركي … ردا على اتهامات X" … "وقال المصدر التركي … معتبرا أن
        اتهامها … لا أساس له"): a speaker keeps answering the same accusation."""
        if f.speaker is None or self.doc.word(f.cue_tok - 1) in answer_words().also:
            return None  # "كما نفت الحركة …": another denial, of another claim
        for k in range(at - 1, max(-1, at - _LOOKBACK), -1):
            g = self.found[k]
            hit = self.answered.get(k)
            if hit is not None and g.speaker is not None and _refers_to(f.speaker, g.speaker):
                return hit
        return None

    def _answered_latest(self, at: int) -> str | None:
        """What the latest denial before the ``at``-th found answers (a denial pointing back, "هذا
        هراء", whose report the text named further back than the sentences searched)."""
        for k in range(at - 1, max(-1, at - _LOOKBACK), -1):
            hit = self.answered.get(k)
            if hit is not None:
                return hit
        return None

    def _answered_back(self, f: _Found, at: int, words: list[str]) -> str | None:
        """ "اتهم X الرئيس بإصدار أوامر بقتله؛ لكن الكرملين ينفي تورطه في ذلك": a denial whose words
        point back (an anaphor, or the reports as object) answers the accusation or claim quoted just
        before it, in its sentence or the one before, by someone else; so does a denial that opens the
        sentence right after that claim ("قالت الشرطة إنها وجدت أدلة لاتهامه بالرشوة. ونفى نتنياهو
        ارتكاب أي مخالفات")."""
        if at == 0 or f.speaker is None:
            return None
        fr = self.frames
        doc = self.doc
        here = doc.sentence(doc.token_at(f.start))[0]
        g = self.found[at - 1]
        pointing = any(w in fr.anaphors for w in words) or (words and words[0] in fr.content_nouns)
        opened = self._contrast_clause(f.cue_tok)  # None, "comma" or "sentence"
        # "…، لكن محامي ترامب قال": the claim of its own sentence; "لكن الممثلة … نفت": or the one before
        contrast = opened == "sentence" or (opened == "comma" and doc.token_at(g.start) >= here)
        if (
            not pointing
            and not contrast
            and not (
                f.cue_tok == here  # "ونفى نتنياهو …" opens its sentence
                and doc.token_at(g.start) < here
                # in one paragraph: the claim it answers; in the paragraph before, only when the two speak
                # of the same thing ("… تثبت أن خاشقجي قتل" / "وتنفي السعودية مسؤوليتها عن قتل خاشقجي")
                and (
                    "\n" not in doc.text[g.end : f.start]
                    or (self._next_line(g, f.start) and same_topic(words, self._content_words(g)))
                )
            )
        ):
            return None  # neither pointing back nor a denial opening the sentence after the claim
        if g.speaker is None or _same_speaker(g.speaker, f.speaker):
            return None
        if doc.token_at(g.start) < doc.sentence(max(0, here - 1))[0]:
            return None  # further back than the sentence before
        said = self._final_stance(g)
        # "قالت X إنها …، لكن محامي Y قال إن Y ينفي …": what a contrast answers in its sentence is
        # what was said before it, a plain statement too
        if said not in (Stance.ACCUSATION, Stance.CLAIM) and not (
            opened == "comma" and said == Stance.STATEMENT
        ):
            return None
        return g.speaker.name_ar or g.speaker.text

    def _contrast_clause(self, i: int) -> str | None:
        """Does verb ``i`` stand in a clause a contrast opens: after a comma ("…، لكن محامي ترامب قال":
        "comma") or at the start of its sentence ("لكن الممثلة …، أصدرت بيانا نفت فيه": "sentence")?"""
        doc = self.doc
        contrasts = answer_words().contrasts
        lo, _ = doc.sentence(i)
        if doc.word(lo) in contrasts:
            return "sentence"
        for k in range(i - 1, max(lo - 1, i - 6), -1):
            if doc.word(k) in contrasts:
                return "comma" if doc.gap_has(k, COMMA) else None
            if doc.gap_has(k + 1, COMMA + COLON + _SENT_END + QUOTE_MARKS):
                return None
        return None


def _imperfect_after_and(w: str) -> bool:
    """ "ويعد", "وتقول": و and an imperfect verb's prefix (a noun so spelled is rare after a comma)."""
    return len(w) >= 4 and w[0] == "و" and w[1] in "يت"


def _refers_to(later: Speaker, earlier: Speaker) -> bool:
    """Is ``later`` the same speaker as ``earlier``, or a definite mention of it ("المصدر التركي" after
    "مصدر دبلوماسي تركي": each word, without ال, among the earlier one's)?"""
    if _same_speaker(later, earlier):
        return True
    if later.entity_id is not None or earlier.entity_id is not None:
        return False
    bare = [normalize_text(w).removeprefix("ال") for w in (later.name_ar or later.text).split()]
    before = {normalize_text(w) for w in (earlier.name_ar or earlier.text).split()}  # "ألماني" reads "الماني"
    return len(bare) > 1 and all(w in before for w in bare)


def _same_speaker(a: Speaker, b: Speaker) -> bool:
    if a.entity_id is not None and a.entity_id == b.entity_id:
        return True
    return (a.name_ar or a.text) == (b.name_ar or b.text)


def _same_or_head(later: Speaker, earlier: Speaker) -> bool:
    """Is ``later`` the same speaker as ``earlier``, or its head noun made definite ("المصرف" after
    "مصرف الاتحاد", "الوزارة" after "وزارة الخارجية"), as a text goes on naming a body?"""
    if _same_speaker(later, earlier):
        return True
    words = normalize_text(later.name_ar or later.text).split()
    name = normalize_text(earlier.name_ar or earlier.text).split()
    return (
        len(words) == 1
        and len(name) > 1
        and later.kind == earlier.kind == SpeakerKind.ORGANIZATION
        and words[0] == "ال" + name[0]
    )


def _has_letters(text: str, start: int, end: int) -> bool:
    """Does text[start:end] hold at least ``_MIN_LETTERS`` letters or digits? (stops as soon as it does)"""
    n = 0
    for k in range(start, end):
        n += text[k].isalnum()
        if n >= _MIN_LETTERS:
            return True
    return False


def _window(lo: int, hi: int, first: int, last: int) -> tuple[int, int]:
    """The sentence [lo, hi) cut to at most ``_FRAME`` tokens around [first, last) (cue and content)."""
    return max(lo, first - _FRAME), min(hi, max(last, first) + _FRAME)


def _outside(frame: tuple[int, int], skip: tuple[int, int]) -> Iterator[int]:
    """Token indexes of ``frame`` outside ``skip``, without walking the skipped ones."""
    lo, hi = frame
    s, e = skip
    if s >= e:
        yield from range(lo, hi)
        return
    yield from range(lo, min(hi, s))
    yield from range(max(lo, e), hi)


def headline_quotes(
    title: str, mentions: Sequence[Mention], lex: Lexicon, entities: EntityLookup | None
) -> list[Quote]:
    """ "بيسكوف: …", "الكرملين: …": a name or institution and a colon at the start of the title; "الكويت
    تنفي القبض على …": a name or institution and a verb that denies, rejects, warns or accuses."""
    colon = min((title.find(c) for c in COLON if c in title), default=-1)
    if colon <= 0:
        return _headline_verb(title, mentions, lex, entities)
    prefix = title[:colon].strip()
    words = prefix.split()
    said_end = colon  # where the speaker's phrase ends
    asides = default_frames().headline_asides
    cut = next((k for k, w in enumerate(words) if k and _N(w) in asides), None)
    replied: str | None = None  # "ردا على سفير روسي": whom a denying headline answers
    if cut is not None:  # "القرضاوي ردا على سفير روسي: …": the speaker is who replies
        if [_N(w) for w in words[cut + 1 : cut + 2]] == [_N("على")] and cut + 2 < len(words):
            replied = " ".join("".join(c for c in w if c not in QUOTE_MARKS) for w in words[cut + 2 :])
        words = words[:cut]
        prefix = " ".join(words)
        said_end = title.find(prefix) + len(prefix)
    rest_lo = colon + 1
    while rest_lo < len(title) and (title[rest_lo].isspace() or title[rest_lo] in QUOTE_MARKS):
        rest_lo += 1
    rest_hi = len(title.rstrip().rstrip(QUOTE_MARKS).rstrip())
    if not 1 <= len(words) <= 5 or len(title[rest_lo:rest_hi].split()) < 3:
        return []
    inside = [m for m in mentions if m.start >= 0 and m.end <= said_end]
    persons = [m for m in inside if m.entity_type == EntityKind.PERSON]
    speaker: Speaker | None
    first = _N(words[0])
    lo = title.find(prefix)
    second = title.find(words[1], lo + len(words[0])) if len(words) > 1 else -1
    if (
        persons
        and len(words) > 1
        and not first.startswith("ال")
        and lex.head(first) in ("title", "unnamed")
        and persons[0].start == second
    ):
        # "مستشار أردوغان: …", "محامي ترامب: …": the person completes an idafa; the speaker is the
        # one the phrase describes, not the one it names
        kind = SpeakerKind.PERSON if lex.head(first) == "title" else SpeakerKind.UNNAMED
        speaker = Speaker(text=prefix, kind=kind, name_ar=prefix, start=lo, end=lo + len(prefix))
    elif persons or inside:
        speaker = speaker_from_mention((persons or inside)[-1], entities)
    else:
        head = lex.head(_N(words[0]))
        if head is None and len(words) > 2:
            return []
        default = SpeakerKind.ORGANIZATION if _N(words[0]).startswith("ال") else SpeakerKind.PERSON
        kind = {"unnamed": SpeakerKind.UNNAMED, "organization": SpeakerKind.ORGANIZATION,
                "media": SpeakerKind.MEDIA}.get(head or "", default)  # fmt: skip
        speaker = Speaker(text=prefix, kind=kind, name_ar=prefix, start=lo, end=lo + len(prefix))
    raw = _WORD.findall(title[rest_lo:rest_hi])
    sw = default_stance_words()
    # "الوزارة: لا صحة لـ…"; "الوزارة: لا زيادة في الرسوم", "رئيس النادي: لم نفاوض أي مدرب"
    stance = sw.stance(Stance.STATEMENT, [_N(w) for w in raw])
    if stance == Stance.STATEMENT and sw.headline_denies(raw):
        stance = Stance.DENIAL
    return [
        Quote(
            start=rest_lo,
            end=rest_hi,
            text=title[rest_lo:rest_hi],
            kind=QuoteKind.DIRECT,
            cue=None,
            stance=stance,
            answers=replied if stance in (Stance.DENIAL, Stance.REJECTION) else None,
            speaker=speaker,
            in_headline=True,
        )
    ]


_HEADLINE_STANCES = (Stance.DENIAL, Stance.REJECTION, Stance.WARNING, Stance.ACCUSATION)
_HEADLINE_MAX_SUBJECT = 4  # words before the verb of "X تنفي …"


def _headline_verb(
    title: str, mentions: Sequence[Mention], lex: Lexicon, entities: EntityLookup | None
) -> list[Quote]:
    """ "الكويت تنفي القبض على …", "«صحة حائل» تنفي …": the subject is a mention ending right before the
    verb or a phrase opened by a head word; the rest of the title is what is denied."""
    spans = [(m.start(), m.end()) for m in _WORD.finditer(title)]
    for v in range(1, min(len(spans), _HEADLINE_MAX_SUBJECT + 1)):
        cue = lex.cue(_N(title[spans[v][0] : spans[v][1]]))
        if cue is None or cue.participle:
            continue
        if cue.stance not in _HEADLINE_STANCES and not _words_take_stance(title, spans[v + 1 :], cue):
            continue  # "السعودية تعتبر التصريحات "غير صحيحة"": a plain verb whose words deny
        if len(spans) - v - 1 < 2:
            return []
        lo, hi = spans[0][0], spans[v - 1][1]
        inside = [m for m in mentions if m.start >= lo and m.end <= hi]
        speaker: Speaker | None = None
        if inside and inside[0].start <= lo and inside[-1].end >= hi:
            speaker = speaker_from_mention(inside[-1], entities)  # the mention is the whole subject
        elif inside or lex.head(_N(title[spans[0][0] : spans[0][1]])) is not None:
            text = " ".join("".join(c for c in title[lo:hi] if c not in QUOTE_MARKS).split())
            speaker = Speaker(text=text, kind=SpeakerKind.ORGANIZATION, name_ar=text, start=lo, end=hi)
        if speaker is None:
            return []
        rest_lo, rest_hi = spans[v + 1][0], len(title.rstrip().rstrip("."))
        words = _WORD.findall(normalize_text(title[rest_lo:rest_hi]))
        stance = default_stance_words().stance(cue.stance, words)
        answers = None
        if stance in (Stance.DENIAL, Stance.REJECTION):
            # "السعودية تعتبر تصريحات الرئيس الفرنسي "غير صحيحة"": the report the headline names
            doc = Doc(title, mentions)
            first = doc.token_at(rest_lo)
            answers = find_answered(doc, range(first, len(doc)), lex, default_frames(), entities,
                                    speaker=speaker, cue_tok=v)  # fmt: skip
        return [
            Quote(start=rest_lo, end=rest_hi, text=title[rest_lo:rest_hi], kind=QuoteKind.INDIRECT,
                  cue=title[spans[v][0] : spans[v][1]], stance=stance, speaker=speaker, in_headline=True,
                  answers=answers)
        ]  # fmt: skip
    return []


def _words_take_stance(title: str, spans: Sequence[tuple[int, int]], cue: Cue) -> bool:
    """Do the title's words in ``spans`` give a plain verb ``cue`` a headline stance of their own?"""
    sw = default_stance_words()
    if cue.stance not in sw.override:
        return False
    return sw.of_words([_N(title[a:b]) for a, b in spans]) in _HEADLINE_STANCES


def extract_quotes(
    body: str,
    mentions: Sequence[Mention],
    *,
    title: str | None = None,
    title_mentions: Sequence[Mention] = (),
    published: date | None = None,
    entities: EntityLookup | None = None,
    lexicon: Lexicon | None = None,
    check: Callable[[], None] | None = None,
) -> list[Quote]:
    """Quotes of an article: headline quotes first (offsets into ``title``), then body quotes in order.

    ``check`` is called as the body is read (about once per token); it may raise to stop the extraction
    (the analysis time budget of :mod:`marsad.pipeline`), and that exception propagates.
    """
    lex = lexicon or default_lexicon()
    body, mentions = blank_dateline(body, mentions, lex)  # a glued byline/dateline is no part of the lead
    reader = _Reader(Doc(body, mentions), lex, entities, published, check or _no_check) if body else None
    body_quotes = reader.run() if reader is not None else []
    heads = headline_quotes(title, title_mentions, lex, entities) if title else []
    # "بيسكوف: …" or "لافروف ينفي …" over the body's words: the headline's words are a statement of their
    # own, quoted in the headline (``in_headline``, which lets a listing fold the two), as the labelled
    # sets count them
    return [*heads, *body_quotes]
