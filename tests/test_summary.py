"""Sentence splitting, extractive summaries and Story records."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from marsad.cluster import ClusterParams, StoryClusterer
from marsad.cluster.summary import build_story, split_sentences
from marsad.model import Article, EntityKind, Mention, MentionKind, SourceRef
from marsad.normalize.arabic import normalize_text

T0 = datetime(2018, 4, 14, 6, tzinfo=UTC)

A1 = (
    "شنت الولايات المتحدة وبريطانيا وفرنسا ضربات صاروخية على مواقع في سوريا فجر السبت. "
    "وقال الرئيس الأمريكي إن الضربات استهدفت منشآت للأسلحة الكيميائية قرب دمشق وحمص.\n"
    "وأعلنت وزارة الدفاع الروسية أن الدفاعات الجوية السورية اعترضت 71 صاروخا من أصل 103.\n"
    "كلمات دلالية: سوريا ضربات صواريخ دمشق"
)
A2 = (
    "استهدفت ضربات أمريكية بريطانية فرنسية منشآت للأسلحة الكيميائية في سوريا فجر السبت.\n"
    "وقالت رئيسة الوزراء البريطانية إن الضربات محدودة وتهدف إلى ردع استخدام الأسلحة الكيميائية!\n"
    "ودانت موسكو الضربات ووصفتها بأنها عدوان على دولة ذات سيادة، وطالبت بجلسة لمجلس الأمن؟"
)
A3 = "وقال د. أحمد، الخبير العسكري، إن نسبة الصواريخ التي أصابت أهدافها بلغت 3.5 ضعف التقديرات الأولى."


def art(aid: str, title: str, body: str, hours: float, outlet: str, **kw: object) -> Article:
    return Article(
        id=aid,
        source=SourceRef(origin=aid),
        title=title,
        body=body,
        published=T0 + timedelta(hours=hours),
        outlet=outlet,
        search_text=normalize_text(f"{title}\n{body}"),
        **kw,  # type: ignore[arg-type]
    )


def mention(eid: str) -> Mention:
    return Mention(
        start=0, end=1, text="x", kind=MentionKind.NAME, entity_id=eid, entity_type=EntityKind.PLACE
    )


ARTS = [
    art("a1", "ضربات غربية على سوريا", A1, 1, "bbc", mentions=(mention("Q858"), mention("Q30"))),
    art("a2", "واشنطن ولندن وباريس تضرب مواقع كيميائية في سوريا", A2, 2, "cnn", mentions=(mention("Q858"),)),
    art("a3", "خبير: الضربات أصابت أهدافها", A3, 3, "sky"),
    replace(art("a4", "ضربات على سوريا", A1, 4, "france24"), duplicate_of="a1"),
]


def test_split_sentences() -> None:
    text = "قال د. أحمد إن النمو بلغ 3.5 في المئة. وأضاف: «هذا جيد!» ثم سأل: لماذا؟ نعم\nسطر ثان U.S. forces left."
    assert split_sentences(text) == [
        "قال د. أحمد إن النمو بلغ 3.5 في المئة.",
        "وأضاف: «هذا جيد!»",
        "ثم سأل: لماذا؟",
        "نعم",
        "سطر ثان U.S. forces left.",
    ]
    for s in split_sentences(A1 + "\n" + A2):
        assert s in A1 + "\n" + A2


def _story() -> tuple[StoryClusterer, list[Article]]:
    c = StoryClusterer(ClusterParams(threshold=0.0))  # one story whatever the scores: this tests records
    for a in ARTS:
        c.add(a)
    return c, ARTS


def test_summary_sentences_come_from_the_story_articles() -> None:
    c, arts = _story()
    (snap,) = c.close_all()
    other = art("zz", "أخرى", "جملة لا علاقة لها بالقصة على الإطلاق في هذا الاختبار البسيط جدا.", 1, "x")
    story = build_story(snap, [*arts, other], stats=c.stats)
    assert 2 <= len(story.summary) <= 4
    bodies = [a.body for a in arts if a.id in story.article_ids]
    for s in story.summary:
        assert any(s in b for b in bodies), s
    assert len({normalize_text(s) for s in story.summary}) == len(story.summary)
    assert not any("كلمات دلالية" in s for s in story.summary)  # tag lines are not prose


def test_story_record() -> None:
    c, arts = _story()
    (snap,) = c.close_all()
    story = build_story(snap, arts, stats=c.stats, storyline_id="sl-1")
    assert story.article_ids == ("a1", "a2", "a3", "a4")
    assert story.title in {a.title for a in arts}
    assert story.first_seen == T0 + timedelta(hours=1) and story.last_seen == T0 + timedelta(hours=4)
    assert story.outlets == ("bbc", "cnn", "france24", "sky")
    assert story.independent_sources == 3  # france24 republished bbc's text
    assert story.top_entities == ("Q858", "Q30")
    assert story.storyline_id == "sl-1"
