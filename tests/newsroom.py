"""Small synthetic articles for the newsroom features (exports, alerts, name-aware search): a speaker
quoted with a stance, mentions of KB entities, a story over several outlets. Built as records, so the
tests need no analysis run and say exactly what the store holds."""

from __future__ import annotations

from datetime import datetime

from marsad.model import (
    AnalysisState,
    Article,
    Mention,
    MentionKind,
    Quote,
    QuoteKind,
    SourceRef,
    Speaker,
    SpeakerKind,
    Stance,
    Story,
)

PESKOV = ("person:dmitry-peskov", "دميتري بيسكوف", "Dmitry Peskov")
TRUMP = ("person:donald-trump", "ترمب", "Donald Trump")


def quote_article(
    n: int,
    said: str,
    *,
    speaker: tuple[str, str, str] = PESKOV,
    stance: Stance = Stance.DENIAL,
    cue: str = "نفى",
    outlet: str = "وكالة الاختبار",
    day: int = 5,
    story_id: str | None = None,
    url: str | None = None,
) -> Article:
    eid, name, name_en = speaker
    body = f"{cue} {name} أن «{said}» في تصريح للصحفيين.\nوأضاف أن الحوار مستمر."
    q0 = body.index(said)
    s0 = body.index(name)
    return Article(
        id=f"art{n:04d}",
        source=SourceRef(origin=f"/tmp/newsroom/{n}.txt"),
        title=f"{name} يعلق على الأنباء {n}",
        body=body,
        published=datetime(2025, 9, day, 10, 0),
        outlet=outlet,
        url=url,
        content_hash=f"hash{n:04d}",
        story_id=story_id,
        mentions=(Mention(start=s0, end=s0 + len(name), text=name, kind=MentionKind.NAME, entity_id=eid),),
        quotes=(
            Quote(
                start=q0,
                end=q0 + len(said),
                text=said,
                kind=QuoteKind.DIRECT,
                cue=cue,
                stance=stance,
                speaker=Speaker(
                    text=name,
                    kind=SpeakerKind.PERSON,
                    entity_id=eid,
                    name_ar=name,
                    name_en=name_en,
                    start=s0,
                    end=s0 + len(name),
                ),
            ),
        ),
        analysis=AnalysisState.DONE,
    )


def story_of(story_id: str, arts: list[Article], *, title: str = "قصة اختبار", independent: int = 1) -> Story:
    return Story(
        id=story_id,
        title=title,
        article_ids=tuple(a.id for a in arts),
        first_seen=min(a.published for a in arts if a.published),
        last_seen=max(a.published for a in arts if a.published),
        outlets=tuple(dict.fromkeys(a.outlet for a in arts if a.outlet)),
        independent_sources=independent,
        top_entities=tuple(dict.fromkeys(m.entity_id for a in arts for m in a.mentions if m.entity_id)),
    )
