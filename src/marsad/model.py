"""Core records of Marsad.

Records are frozen, slotted, keyword-only dataclasses passed by value between pipeline stages.
Two rules hold everywhere:

* character offsets (``start``/``end``) of mentions and quotes point into ``Article.body``, never into
  normalized text; normalization only produces keys and ``search_text``;
* every record can say where it came from (``SourceRef``), so errors and exports can be audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class EntityKind(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"
    PLACE = "place"
    MEDIA = "media"
    GROUP = "group"  # armed groups, parties, movements


class MentionKind(StrEnum):
    NAME = "name"  # full or partial proper name found in the KB
    ROLE = "role"  # a role phrase resolved through the date ("المتحدث باسم الكرملين")
    SURNAME = "surname"  # a last name linked to a full name in the same article
    NER = "ner"  # found by the statistical tagger, not in the KB
    DEMONYM = "demonym"


class QuoteKind(StrEnum):
    DIRECT = "direct"
    INDIRECT = "indirect"


class Stance(StrEnum):
    STATEMENT = "statement"
    CONFIRMATION = "confirmation"
    DENIAL = "denial"
    CLAIM = "claim"  # claim / report
    REJECTION = "rejection"
    WARNING = "warning"
    ACCUSATION = "accusation"
    DEMAND = "demand"
    PROMISE = "promise"


class AnalysisState(StrEnum):
    """How far the per-article analysis (entities, quotes) got for a stored article."""

    PENDING = "pending"  # stored without it (``--no-analyze``, or a store from before the state was kept)
    DONE = "done"
    FAILED = "failed"  # a stage raised: what could be computed is stored, the error beside it


class SpeakerKind(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"
    UNNAMED = "unnamed"  # "مسؤول في البيت الأبيض"
    MEDIA = "media"


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceRef:
    """Where an article came from: enough to find it again and to name it in an error."""

    origin: str  # file path or URL given by the user (or found in a folder)
    member: str | None = None  # file inside a container: zip member path, WARC record URL
    record: str | None = None  # record inside that file: JSON array index, JSONL line, feed entry id
    part: int = 0  # 0 main article, 1.. articles split off after a "read also" marker
    char_start: int = 0  # offsets of this part inside the decoded document text
    char_end: int = 0
    byte_start: int | None = None  # offsets inside the raw bytes when known (plain-text inputs)
    byte_end: int | None = None
    media_type: str = "text/plain"
    encoding: str | None = None

    @property
    def key(self) -> str:
        """Identity of the source location, stable across runs."""
        m = f"#{self.member}" if self.member else ""
        r = f"#{self.record}" if self.record else ""
        return f"{self.origin}{m}{r}@{self.part}"

    @property
    def label(self) -> str:
        """Human-readable location for messages: path#member#record."""
        return self.key.rsplit("@", 1)[0]

    @property
    def file_name(self) -> str:
        """Base name of the file the article was in (what score.py's ``source_file`` expects)."""
        name = (
            self.member
            if self.member and not self.member.startswith(("http://", "https://"))
            else self.origin
        )
        return name.rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True, kw_only=True)
class RawDocument:
    """Bytes of one input document before parsing; readers produce these."""

    source: SourceRef
    data: bytes
    fetched_at: datetime | None = None
    # Metadata a container format already knows (feed entry title, JSON fields, TREC tags ...).
    meta: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Mention:
    start: int
    end: int
    text: str
    kind: MentionKind
    entity_id: str | None = None  # None for unknown names found by NER
    entity_type: EntityKind = EntityKind.PERSON
    score: float = 1.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Role:
    office: str  # stable office key, e.g. "president:us", "spokesperson:kremlin"
    title_ar: str = ""
    title_en: str = ""
    start: date | None = None  # inclusive
    end: date | None = None  # exclusive; None = still holds it

    def holds_on(self, day: date | None) -> bool:
        if day is None:
            return self.end is None
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True, slots=True, kw_only=True)
class Entity:
    id: str
    kind: EntityKind
    name_ar: str
    name_en: str | None = None
    aliases: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    wikidata: str | None = None
    country: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Speaker:
    text: str  # the surface phrase as written
    kind: SpeakerKind
    entity_id: str | None = None
    name_ar: str | None = None  # canonical Arabic name when linked
    name_en: str | None = None
    start: int | None = None  # offsets of the speaker phrase in the body, None when carried forward
    end: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Quote:
    start: int
    end: int
    text: str
    kind: QuoteKind
    cue: str | None
    stance: Stance
    speaker: Speaker | None = None
    via: str | None = None  # provenance credited in the text ("وكالة سبوتنيك")
    said_on: date | None = None  # when the words were said, if the text tells
    in_headline: bool = False
    # a denial's or rejection's target: the report or source it names ("صحيفة واشنطن بوست", "رويترز")
    answers: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Article:
    id: str  # stable: derived from content_hash
    source: SourceRef
    title: str | None
    body: str  # cleaned original text; every offset points here
    raw: str = ""  # the verbatim text of this part as it stood in the input
    published: datetime | None = None
    date_text: str | None = None  # the date expression as written
    date_precision: str | None = None  # day | month | year (None: no date)
    date_source: str | None = None  # header | byline | body | feed | url | file | crawl (None: no date)
    outlet: str | None = None
    wire: str | None = None  # wire agency the text came from ("رويترز")
    url: str | None = None
    author: str | None = None
    category: str | None = None
    tags: tuple[str, ...] = ()
    cited_media: tuple[str, ...] = ()  # media the text credits ("وكالة سبوتنيك")
    language: str | None = None
    parent_id: str | None = None  # set on articles split out of a "read also" block
    search_text: str = ""  # normalized title + body, derived
    content_hash: str = ""
    # filled by later stages
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    analysis: AnalysisState = AnalysisState.PENDING
    analysis_error: str | None = None  # "quotes: IndexError: list index out of range"
    story_id: str | None = None
    storyline_id: str | None = None
    duplicate_of: str | None = None

    @property
    def part(self) -> int:
        return self.source.part


@dataclass(frozen=True, slots=True, kw_only=True)
class Analysis:
    """What the analysis stages computed for one article: the unit the store writes and replaces."""

    article_id: str
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    state: AnalysisState = AnalysisState.DONE
    error: str | None = None

    @classmethod
    def of(cls, a: Article) -> Analysis:
        return cls(
            article_id=a.id, mentions=a.mentions, quotes=a.quotes, state=a.analysis, error=a.analysis_error
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryAssignment:
    """The story fields of one article, as the story stage decided them."""

    article_id: str
    story_id: str | None
    storyline_id: str | None = None
    duplicate_of: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceGroup:
    """One source of a story: who reported (the credited wire, else the outlet; None: unknown) and the
    outlets that carried its text (syndicated copies grouped under the one source)."""

    source: str | None
    outlets: tuple[str, ...]
    articles: int


@dataclass(frozen=True, slots=True, kw_only=True)
class FirstReport:
    """The story's earliest dated article: who had it first, when, and how sure that date is."""

    article_id: str
    outlet: str | None
    wire: str | None
    published: datetime
    precision: str | None  # day | month | year
    source: str | None  # where the date came from: header | byline | body | feed | url | file | crawl


@dataclass(frozen=True, slots=True, kw_only=True)
class Story:
    id: str
    title: str
    article_ids: tuple[str, ...]
    first_seen: datetime | None
    last_seen: datetime | None
    outlets: tuple[str, ...] = ()
    independent_sources: int = 0
    top_entities: tuple[str, ...] = ()
    summary: tuple[str, ...] = ()
    storyline_id: str | None = None
    unknown_sources: int = 0  # article groups with no known outlet or wire: not in independent_sources
    sources: tuple[SourceGroup, ...] = ()
    first_reported: FirstReport | None = None
