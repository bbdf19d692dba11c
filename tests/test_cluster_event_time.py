"""Event time for undated articles: years and dates read from the text, times borrowed from dated twins,
and how the clusterer uses them (issue 12)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from marsad.clock import timestamp
from marsad.cluster import StoryClusterer
from marsad.cluster.event_time import (
    EventTime,
    estimate_event_times,
    event_order_key,
    explicit_years,
    text_date,
)
from marsad.model import Article, SourceRef
from marsad.normalize.arabic import normalize_text
from tests.test_cluster import article

T0 = datetime(2018, 3, 1, 6, tzinfo=UTC)


def page(aid: str, text: str, published: datetime | None = None, origin: str | None = None) -> Article:
    title, _, body = text.partition("\n")
    return Article(
        id=aid,
        source=SourceRef(origin=origin or aid),
        title=title,
        body=body,
        published=published,
        search_text=normalize_text(text),
    )


def test_years_in_western_and_eastern_digits() -> None:
    assert explicit_years("جرت الانتخابات في عام ٢٠١٩ ثم أعيدت في 2024") == {2019, 2024}


def test_a_year_after_a_horizon_word_is_a_target_not_a_time() -> None:
    assert explicit_years("فاز بولاية تمتد حتى 2030 ضمن رؤية 2035، بعد انتخابات 2024") == {2024}


def test_numbers_that_are_not_years() -> None:
    assert explicit_years("ارتفع المؤشر إلى 12019 نقطة، وبلغ السعر 3.2020 دولار") == set()


def test_latest_written_date_not_after_now() -> None:
    text = "قال الوزير يوم 3 مارس 2019 إن الاتفاق الموقع في 12 يناير 2017 ما زال ساريا"
    assert text_date(text) == timestamp(datetime(2019, 3, 3))
    assert text_date("الموعد المقرر 5 مايو 2031", now=datetime(2026, 1, 1)) is None
    assert text_date("جرت المحادثات في عام 2019") is None  # a year is not a day


def test_undated_copy_borrows_the_time_of_its_dated_twin() -> None:
    dated = article("d1", topic=1, hours=5, seed=11)
    other = article("d2", topic=2, hours=400, seed=12)
    undated = article("u1", topic=1, hours=None, seed=13)
    alone = article("u2", topic=9, hours=None, seed=14)
    times = estimate_event_times([dated, other, undated, alone], StoryClusterer().featurizer)
    assert times["u1"].source == "neighbour"
    assert times["u1"].ts == timestamp(dated.published)
    assert times["u2"] == EventTime(None, "none", 0.0)
    assert "d1" not in times  # a published article keeps its date


def test_a_read_also_part_does_not_borrow_from_its_own_page() -> None:
    main = article("m", topic=1, hours=5, seed=11)
    part = article("p", topic=1, hours=None, seed=13)
    same_page = [main, replace(part, source=SourceRef(origin=main.source.origin, part=1))]
    times = estimate_event_times(same_page, StoryClusterer().featurizer)
    assert times["p"].ts is None


def test_a_neighbour_older_than_the_years_in_the_text_is_skipped() -> None:
    words = "الرئاسة تنفي اتصالا هاتفيا بين الرئيسين وتصف تقرير الصحيفة بأنه عار عن الصحة"
    dated = page("d", f"{words}\n{words} {words}", published=datetime(2019, 5, 1, tzinfo=UTC))
    later = page("u", f"{words}\n{words} {words} بعد انتخابات 2024")
    times = estimate_event_times([dated, later], StoryClusterer().featurizer)
    assert times["u"].ts is None
    assert times["u"].year == 2024


def test_written_date_places_an_article_without_a_twin() -> None:
    a = page("u", "زلزال يضرب المدينة\nضرب زلزال قوي المدينة فجر السبت 9 سبتمبر 2023 وأوقع قتلى")
    times = estimate_event_times([a], StoryClusterer().featurizer)
    assert times["u"].source == "text"
    assert times["u"].ts == timestamp(datetime(2023, 9, 9))


def order(arts: list[Article], times: dict[str, EventTime]) -> list[Article]:
    def key(a: Article) -> tuple[bool, float, bool, str]:
        ts = timestamp(a.published)
        return event_order_key(ts if ts is not None else times[a.id].ts, ts is not None, a.id)

    return sorted(arts, key=key)


def test_estimates_order_the_stream_after_published_articles_of_their_time() -> None:
    dated = article("z", topic=1, hours=5, seed=11)
    undated = article("a", topic=1, hours=None, seed=13)
    times = estimate_event_times([dated, undated], StoryClusterer().featurizer)
    assert order([undated, dated], times) == [dated, undated]


def test_a_timed_undated_copy_joins_its_story_after_the_stream_moved_on() -> None:
    """The old failure: undated articles came last, when their dated story had long left the window."""
    arts = [article("d1", 1, hours=5, seed=11), article("d2", 1, hours=7, seed=12)]
    arts += [article(f"x{k}", 10 + k, hours=24 * (10 + k), seed=50 + k) for k in range(5)]
    undated = article("u1", 1, hours=None, seed=13)
    times = estimate_event_times([*arts, undated], StoryClusterer().featurizer)
    clus = StoryClusterer()
    got = {a.id: clus.add(a, event_time=times.get(a.id)).story_id for a in order([*arts, undated], times)}
    assert got["u1"] == got["d1"] == got["d2"]
    assert clus._clock == timestamp(T0 + timedelta(hours=24 * 14))  # the estimate never moved the clock


def test_an_estimated_time_is_no_publication_date() -> None:
    """Story spans may use estimates, but a story of undated articles has no published member."""
    undated = article("u1", 1, hours=None, seed=13)
    clus = StoryClusterer()
    clus.add(undated, event_time=EventTime(timestamp(T0), "text", 0.5))
    (st,) = clus.active_stories()
    assert st.published == 0 and st.first == timestamp(T0)
    dated = article("d1", 1, hours=0, seed=11)
    clus.add(dated)
    assert sum(s.published for s in clus.active_stories()) == 1
