"""Speaker resolution: who a quote is credited to when the phrase before the cue is more than a name
(quotes/extract.py ``_Reader._apposed``, quotes/speakers.py)."""

from __future__ import annotations

from marsad.model import EntityKind, Mention, MentionKind
from marsad.quotes import extract_quotes


def _person(body: str, name: str) -> Mention:
    s = body.index(name)
    return Mention(start=s, end=s + len(name), text=name, kind=MentionKind.NER,
                   entity_id="ner:" + name, entity_type=EntityKind.PERSON)  # fmt: skip


def test_a_nationality_before_the_apposed_name_still_names_the_speaker() -> None:
    # "مدير النادي، الألماني يورغن كلوب،": the role's holder, whose nationality opens the apposition
    body = (
        "وقال مدير النادي، الألماني يورغن كلوب، بعد التدريب إن الفريق جاهز للموسم. وأضاف أن الإصابات تراجعت."
    )
    quotes = extract_quotes(body, [_person(body, "يورغن كلوب")])
    assert [q.speaker.name_ar if q.speaker else None for q in quotes] == ["يورغن كلوب"] * 2


def test_fighters_of_a_group_are_the_subject_not_the_last_source() -> None:
    # "مسلحو X" (the construct plural) heads the subject: the report before is not who speaks
    body = (
        "ونقلت صحف محلية أن زعيم الجماعة قتل في غارة. "
        "وأكد مسلحو الجماعة أن زعيمهم لم يصب بأذى. وأضافوا أن الأنباء عن مقتله كاذبة."
    )
    quotes = extract_quotes(body, [])
    by_text = {q.text: q.speaker.name_ar if q.speaker else None for q in quotes}
    assert by_text.get("زعيمهم لم يصب بأذى") == "مسلحو الجماعة"
    assert by_text.get("الأنباء عن مقتله كاذبة") == "مسلحو الجماعة"


def test_a_relay_after_the_day_in_commas_credits_the_source() -> None:
    body = "وقالت الجريدة، الخميس، نقلا عن مصادر دبلوماسية، إن المفاوضات ستستأنف الشهر المقبل."
    [q] = extract_quotes(body, [])
    assert q.speaker is not None and q.speaker.name_ar == "مصادر دبلوماسية"


def test_said_with_no_subject_after_a_narrated_sentence_means_its_subject() -> None:
    # the body that acted in the sentence before speaks, not the last person quoted
    body = (
        "قال المتحدث باسم البلدية إن الطرق مفتوحة. "
        "ونشرت جمعية المزارعين صورا للحقول المتضررة أمس. وقالت إن الأضرار جسيمة."
    )
    quotes = extract_quotes(body, [])
    by_text = {q.text: q.speaker.name_ar if q.speaker else None for q in quotes}
    assert by_text.get("الأضرار جسيمة") == "جمعية المزارعين"


def test_added_with_no_subject_goes_on_with_the_speaker_quoted() -> None:
    # "وأضاف" continues a quoted speaker: a narrated sentence between does not change who speaks
    body = (
        "قال المتحدث باسم البلدية إن الطرق مفتوحة. "
        "ونشر اتحاد المزارعين صورا للحقول المتضررة أمس. وأضاف أن الفرق تعمل ليلا."
    )
    quotes = extract_quotes(body, [])
    by_text = {q.text: q.speaker.name_ar if q.speaker else None for q in quotes}
    assert by_text.get("الفرق تعمل ليلا") == "المتحدث باسم البلدية"


def test_the_army_alone_means_the_army_named_before() -> None:
    from marsad.model import Entity

    army = Entity(id="o:ja", kind=EntityKind.ORGANIZATION, name_ar="الجيش الأردني", name_en="Jordanian Army")
    body = "أعلن الجيش الأردني أن دورية اعترضت مهربين على الحدود. وقال الجيش إن التحقيق مستمر."
    s = body.index("الجيش الأردني")
    m = Mention(start=s, end=s + len("الجيش الأردني"), text="الجيش الأردني", kind=MentionKind.NAME,
                entity_id="o:ja", entity_type=EntityKind.ORGANIZATION)  # fmt: skip
    quotes = extract_quotes(body, [m], entities={"o:ja": army}.get)
    assert [q.speaker.entity_id if q.speaker else None for q in quotes] == ["o:ja", "o:ja"]


def test_a_headline_title_of_someone_is_not_that_someone() -> None:
    # "مستشار أردوغان: …": the adviser speaks; "أردوغان: …" alone is Erdogan
    for title, expected in (
        ("محامي ميسي: اللاعب لم يوقع أي عقد جديد", "محامي ميسي"),
        ("ميسي: اللاعب لم يوقع أي عقد جديد", "ميسي"),
    ):
        s = title.index("ميسي")
        m = Mention(start=s, end=s + 4, text="ميسي", kind=MentionKind.NER, entity_id="ner:ميسي",
                    entity_type=EntityKind.PERSON)  # fmt: skip
        [q] = extract_quotes("", [], title=title, title_mentions=[m])
        assert q.speaker is not None and q.speaker.name_ar == expected
