"""Find entity mentions in an article body and link them to KB entities.

One pass of the phrase matcher gives names, surnames, role phrases and demonyms; this module decides
what each hit refers to, in reading order, so that context from earlier in the text is available:

* a full name makes its surname refer to that person for the rest of the text (``بيسكوف``);
* an ambiguous name prefers an entity already mentioned, then one holding an office on that date;
* role phrases resolve through the date, then :func:`roles.bind_roles` lets a name written next to the
  role override the KB;
* an optional NER tagger adds unknown people (``ner:<normalized name>`` ids) and their later surnames.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Protocol

from marsad.entities.kb import KnowledgeBase
from marsad.entities.lexicon import HAMZA, Entry, EntryKind, NameLexicon
from marsad.entities.matcher import Hit, SpanIndex, TokenLine, skip_letters
from marsad.entities.ner import NerTagger
from marsad.entities.roles import Draft, bind_roles, counterpart_office, offices_held
from marsad.entities.romanize import romanize_name
from marsad.model import EntityKind, Mention, MentionKind
from marsad.normalize.arabic import normalize_text
from marsad.normalize.tokens import clitic_variants

NER_PREFIX = "ner:"


def _no_check() -> None:
    pass


_SCORES = {
    MentionKind.NAME: 1.0,
    MentionKind.SURNAME: 0.9,
    MentionKind.ROLE: 0.8,
    MentionKind.NER: 0.6,
    MentionKind.DEMONYM: 0.8,
}
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
_SHORT_SURNAME = 3  # letters; shorter bare surnames count only after the full name in the same text
_LOOKAHEAD_DUAL = 12  # words searched after "الرئيسين الروسي" for "والأمريكي"
_MAX_PEOPLE = 64  # distinct people "نظيره" may refer back to (the latest ones)


class Tagger(Protocol):
    def tag_persons(self, text: str, known: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int, str]]: ...


class MentionFinder:
    """``MentionFinder(kb).find(body, on=article_date)`` → non-overlapping mentions sorted by start."""

    def __init__(self, kb: KnowledgeBase, ner: Tagger | None = None) -> None:
        self.kb = kb
        self.ner = ner
        self.lex: NameLexicon = kb.lexicon

    def find(
        self, text: str, on: date | None = None, *, check: Callable[[], None] | None = None
    ) -> list[Mention]:
        """Mentions of ``text``. ``check`` is called as the text is read (per candidate, hit and sentence)
        and may raise to stop the search (the analysis time budget); the exception propagates."""
        toks, hits = self.lex.matcher.scan(text, check)
        drafts = self._link_hits(toks, hits, on, check or _no_check)
        if self.ner is not None:
            drafts = self._add_ner(toks, drafts, check)
        drafts.sort(key=lambda d: d.start)
        bind_roles(text, drafts)
        return [
            Mention(
                start=d.start,
                end=d.end,
                text=text[d.start : d.end],
                kind=d.kind,
                entity_id=d.entity_id,
                entity_type=d.entity_type,
                score=d.score,
            )
            for d in drafts
        ]

    # -- KB hits -------------------------------------------------------------------------------------

    def _link_hits(
        self, toks: TokenLine, hits: list[Hit[Entry]], on: date | None, check: Callable[[], None]
    ) -> list[Draft]:
        drafts: list[Draft] = []
        seen: dict[str, int] = {}  # entity id → order of last mention
        by_surname: dict[str, str] = {}  # surname key → person named in full earlier
        # (office, entity id) of the people drafted so far, in order of their last draft: what
        # "نظيره الروسي" may refer back to, one entry per person however often the text names them (a
        # walk back over every draft for each counterpart made linking quadratic in the text)
        people: dict[tuple[str | None, str | None], None] = {}
        covered = {i for h in hits for i in range(h.first, h.last + 1)}
        for hit in hits:
            check()
            d = self._link_one(toks, hit, on, seen, by_surname, people)
            if d is None:
                continue
            drafts.append(d)
            _note_person(people, d)
            if d.entity_id is not None:
                seen[d.entity_id] = len(drafts)
                if d.kind is MentionKind.NAME and hit.n_words > 1:
                    for s in self.lex.surnames_of.get(d.entity_id, ()):
                        by_surname[s] = d.entity_id
            if hit.payloads[0].kind is EntryKind.DUAL:
                extra = self._dual_partner(toks, hit, on, covered)
                if extra is not None:
                    drafts.append(extra)
                    _note_person(people, extra)
        return drafts

    def _link_one(
        self,
        toks: TokenLine,
        hit: Hit[Entry],
        on: date | None,
        seen: dict[str, int],
        by_surname: dict[str, str],
        people: dict[tuple[str | None, str | None], None],
    ) -> Draft | None:
        kinds = {p.kind for p in hit.payloads}
        text = toks.text

        def draft(kind: MentionKind, eid: str | None, etype: EntityKind, office: str | None = None) -> Draft:
            return Draft(hit.start, hit.end, kind, eid, etype, _SCORES[kind], office, hit.first, hit.last)

        if EntryKind.NAME in kinds:
            ids = [p.ref for p in hit.payloads if p.kind is EntryKind.NAME]
            eid = self._choose(ids, on, seen) or ids[0]
            ent = self.kb.get(eid)
            return draft(MentionKind.NAME, eid, ent.kind if ent else EntityKind.PERSON)
        if EntryKind.SURNAME in kinds:
            eid_s: str | None = by_surname.get(hit.key)
            if eid_s is None and len(hit.key) <= _SHORT_SURNAME:
                return None  # راي, عون, بري: common words too; only after the full name
            one_word = " " not in hit.key
            if one_word and hit.key not in self.lex.hamza_words and HAMZA.search(text[hit.start : hit.end]):
                return None  # ترأس (chaired) is not تراس (Truss)
            if eid_s is None:
                cands = [p for p in hit.payloads if p.kind is EntryKind.SURNAME]
                explicit = [p.ref for p in cands if p.explicit]
                if not explicit and hit.key in self.lex.weak_surnames:
                    return None  # محمد, خطاب: a given name or a plain word; only after the full name
                pool = explicit if len(explicit) == 1 else [p.ref for p in cands]
                eid_s = self._choose(pool, on, seen, strict=True)
            if eid_s is None:
                return None
            return draft(MentionKind.SURNAME, eid_s, EntityKind.PERSON)
        if EntryKind.ROLE in kinds or EntryKind.DUAL in kinds:
            office = next(p.ref for p in hit.payloads if p.kind in (EntryKind.ROLE, EntryKind.DUAL))
            holder = self.kb.resolve_office(office, on)
            return draft(MentionKind.ROLE, holder.id if holder else None, EntityKind.PERSON, office)
        if EntryKind.COUNTERPART in kinds:
            country = next(p.ref for p in hit.payloads if p.kind is EntryKind.COUNTERPART)
            other = self._counterpart(country, on, people)
            holder = self.kb.resolve_office(other, on) if other else None
            return draft(MentionKind.ROLE, holder.id if holder else None, EntityKind.PERSON, other)
        place = next(p.ref for p in hit.payloads if p.kind is EntryKind.DEMONYM)
        return draft(MentionKind.DEMONYM, place, EntityKind.PLACE)

    def _choose(
        self, ids: list[str], on: date | None, seen: dict[str, int], *, strict: bool = False
    ) -> str | None:
        """Pick among entities sharing a name: already mentioned, else holding an office on the date.
        ``strict``: return None rather than guess when nothing tells them apart."""
        if len(ids) == 1:
            return ids[0]
        mentioned = [i for i in ids if i in seen]
        if mentioned:
            return max(mentioned, key=lambda i: seen[i])
        active = [i for i in ids if any(r.holds_on(on) for r in self.kb.offices_of(i))]
        if len(active) == 1:
            return active[0]
        return None if strict else ids[0]

    def _counterpart(
        self, country: str, on: date | None, people: dict[tuple[str | None, str | None], None]
    ) -> str | None:
        """Office in ``country`` of the same kind as the one held by the latest person drafted who has one."""
        for office_key, entity_id in reversed(people):
            if office_key is not None:
                refs = [office_key]
            elif entity_id is not None:
                refs = offices_held(self.kb, entity_id, on)
            else:
                continue
            office = counterpart_office(self.kb, refs, country)
            if office is not None:
                return office
        return None

    def _dual_partner(
        self, toks: TokenLine, hit: Hit[Entry], on: date | None, covered: set[int]
    ) -> Draft | None:
        """ "الرئيسين الروسي ... والأميركي": the second adjacive names the same office in its country."""
        template = self.kb.office(hit.payloads[0].ref)
        if template is None or template.template is None:
            return None
        for i in range(hit.last + 1, min(len(toks), hit.last + 1 + _LOOKAHEAD_DUAL)):
            if i in toks.breaks:
                return None
            w = toks.words[i]
            if i in covered or not w.startswith("و"):
                continue
            cc = self.lex.demonyms_m.get(w[1:])
            if cc is None:
                continue
            office = f"{template.template}:{cc.lower()}"
            if self.kb.office(office) is None:
                return None
            holder = self.kb.resolve_office(office, on)
            start = toks.starts[i] + skip_letters(toks.text[toks.starts[i] : toks.ends[i]], 1)
            return Draft(
                start,
                toks.ends[i],
                MentionKind.ROLE,
                holder.id if holder else None,
                EntityKind.PERSON,
                _SCORES[MentionKind.ROLE],
                office,
                i,
                i,
            )
        return None

    # -- NER -----------------------------------------------------------------------------------------

    def _add_ner(self, toks: TokenLine, drafts: list[Draft], check: Callable[[], None] | None) -> list[Draft]:
        assert self.ner is not None
        text = toks.text
        taken = sorted((d.start, d.end) for d in drafts)
        if check is not None and isinstance(self.ner, NerTagger):  # test doubles take no check
            tagged = self.ner.tag_persons(text, taken, check=check)
        else:
            tagged = self.ner.tag_persons(text, taken)
        spans = sorted((s, e) for s, e, label in tagged if label == "PER")
        tick = check or _no_check
        out = list(drafts)
        full_by_last: dict[str, str] = {}  # last word of an unknown full name → its ner id
        known = SpanIndex(taken)
        added = SpanIndex()  # NER spans kept so far (they come in order of their start)
        for s, e in spans:
            tick()
            if known.overlaps(s, e) or added.overlaps(s, e):
                continue
            key = normalize_text(text[s:e])
            words = key.split()
            if not words:
                continue
            if not _ARABIC_LETTER.search(key):
                continue  # Latin spans in Arabic text are titles and brands more often than people
            if len(words) == 1:
                # a lone unknown word is a person only as the surname of a full name tagged earlier
                eid = next((full_by_last[v] for v in clitic_variants(words[0]) if v in full_by_last), None)
                if eid is None:
                    continue
                kind = MentionKind.SURNAME
            else:
                kind, eid = MentionKind.NER, NER_PREFIX + key
                full_by_last.setdefault(words[-1], eid)
            out.append(Draft(s, e, kind, eid, EntityKind.PERSON, _SCORES[kind]))
            added.add(s, e)
        if full_by_last:
            out.extend(self._unknown_surnames(toks, out, full_by_last, tick))
        return out

    def _unknown_surnames(
        self, toks: TokenLine, drafts: list[Draft], full_by_last: dict[str, str], check: Callable[[], None]
    ) -> Iterable[Draft]:
        """Later bare repetitions of an unknown person's last name that NER did not tag."""
        first_seen: dict[str, int] = {}
        ner_ids = set(full_by_last.values())
        for d in drafts:
            if d.entity_id is not None and d.entity_id in ner_ids and d.kind is MentionKind.NER:
                first_seen.setdefault(d.entity_id, d.end)
        taken = SpanIndex((d.start, d.end) for d in drafts)
        # every reading of a word is one of its endings: a word ending in none of the names is skipped
        # with one C call instead of looking up each of its readings
        lasts = tuple(full_by_last)
        for i, w in enumerate(toks.words):
            check()
            if not w.endswith(lasts):
                continue
            s, e = toks.starts[i], toks.ends[i]
            for v in clitic_variants(w):
                eid = full_by_last.get(v)
                if eid is None or s < first_seen.get(eid, len(toks.text)):
                    continue
                if taken.overlaps(s, e):
                    break
                cut = skip_letters(toks.text[s:e], len(w) - len(v))
                yield Draft(
                    s + cut,
                    e,
                    MentionKind.SURNAME,
                    eid,
                    EntityKind.PERSON,
                    _SCORES[MentionKind.SURNAME],
                    None,
                    i,
                    i,
                )
                break


def _note_person(people: dict[tuple[str | None, str | None], None], d: Draft) -> None:
    """Move the person of draft ``d`` to the end of ``people`` (no-op for places and nameless roles)."""
    if d.entity_type is EntityKind.PERSON and (d.office is not None or d.entity_id is not None):
        key = (d.office, d.entity_id)
        people.pop(key, None)
        people[key] = None
        if len(people) > _MAX_PEOPLE:
            del people[next(iter(people))]


def persons_in(mentions: Sequence[Mention], kb: KnowledgeBase) -> list[tuple[str, str | None]]:
    """Distinct people of an article as (Arabic canonical name, English name or None), first mention
    first. Unknown people found by NER are named by the text of their first NER mention, and in English
    by :func:`ner_name_en`."""
    out: list[tuple[str, str | None]] = []
    done: set[str] = set()
    ner_names: dict[str, str] = {}
    for m in mentions:
        if m.kind is MentionKind.NER and m.entity_id is not None:
            ner_names.setdefault(m.entity_id, m.text)
    for m in mentions:
        if m.entity_type is not EntityKind.PERSON or m.entity_id is None or m.entity_id in done:
            continue
        done.add(m.entity_id)
        ent = kb.get(m.entity_id)
        if ent is not None:
            if ent.kind is EntityKind.PERSON:
                out.append((ent.name_ar, ent.name_en))
        elif m.entity_id.startswith(NER_PREFIX):
            out.append((ner_names.get(m.entity_id, m.text), ner_name_en(m.entity_id)))
    return out


def ner_name_en(entity_id: str | None) -> str | None:
    """English name of a person the KB does not know, romanized from their ``ner:…`` id: the id is the
    normalized name, so every article naming them gives the same English name."""
    if entity_id and entity_id.startswith(NER_PREFIX):
        return romanize_name(entity_id[len(NER_PREFIX) :])
    return None
