"""Reporting frames that were not read at all (issue 11, class 1): one sentence of our own per shape."""

from __future__ import annotations

import pytest

from marsad.model import QuoteKind, Stance

from .test_quotes import run, who


def texts(body: str) -> list[str]:
    return [q.text for q in run(body)]


# ------------------------------------------------------------------ auxiliary and particle before the verb
def test_aux_and_particle_open_the_clause_before_the_verb() -> None:
    body = "وكانت قد أعلنت الأمم المتحدة في بيانها أنه تم توزيع المساعدات على ألف أسرة."
    [q] = run(body)
    assert q.text == "تم توزيع المساعدات على ألف أسرة"
    assert who(q) == "United Nations"


def test_aux_without_particle_still_needs_a_subject_before() -> None:
    # "كانت أعلنت" with no particle is not this shape: a mid-clause verb stays unread
    assert run("المساعدات التي كانت أعلنت أنها ستصل إلى المدينة قريبا.") == []


# ------------------------------------------------------------------------- participle after a full stop
@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        ("قال لافروف إن المحادثات كانت بناءة. مشيرا إلى أن الجولة المقبلة ستعقد في جنيف.", "Sergey Lavrov"),
        ("وأكدت ميركل أن الحكومة ستدعم المزارعين. مضيفة أن الخطة ستعرض على البرلمان قريبا.", "Angela Merkel"),
    ],
)
def test_participle_opening_a_sentence_goes_on_with_the_last_speaker(body: str, speaker: str) -> None:
    qs = run(body)
    assert len(qs) == 2 and qs[1].kind == QuoteKind.INDIRECT
    assert qs[1].text.startswith("الجولة المقبلة" if "الجولة" in body else "الخطة ستعرض")
    assert [who(q) for q in qs] == [speaker, speaker]


def test_participle_opening_a_sentence_keeps_its_gender() -> None:
    # a feminine participle does not go on with the man who spoke last
    body = "قال لافروف إن المحادثات كانت بناءة. مشيرة إلى أن الجولة المقبلة ستعقد في جنيف."
    assert [who(q) for q in run(body)] == ["Sergey Lavrov"]


# ------------------------------------------------------------------------------------ speaker heads
@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        # an indefinite head of a body the knowledge base does not know
        ("وأوضحت قيادة الحرس الساحلي أن الزورق غرق قبالة الجزيرة.", "قيادة الحرس الساحلي"),
        ("كشفت شرطة المدينة، الخميس، أن اللص اعترف بالسرقة.", "شرطة المدينة"),
        # a person by calling, then the name
        ("قالت الفنانة سلمى نور إن ألبومها الجديد سيصدر في الخريف.", "الفنانة سلمى نور"),
    ],
)
def test_heads_of_bodies_and_callings_are_speakers(body: str, speaker: str) -> None:
    [q] = run(body)
    assert q.speaker is not None and q.speaker.text == speaker


# ------------------------------------------------------------------------- what a newly read denial answers
def test_denied_statements_name_the_title_holder_in_apposition() -> None:
    body = "ونفت ميركل التصريحات التي أدلى بها السفير الروسي لدى برلين، سيرغي لافروف، حول الاتفاق."
    [q] = run(body)
    assert who(q) == "Angela Merkel"
    assert q.answers == "سيرغي لافروف"


# ------------------------------------------------------------- an occasion running on to the words' link
@pytest.mark.parametrize(
    ("body", "speaker", "text"),
    [
        # a relative and a day in commas after the occasion noun
        (
            'وقال لافروف، في تغريدة نشرها عبر حسابه الرسمي على تويتر، الأحد، إن "الحوار هو الطريق الوحيد للحل".',
            "Sergey Lavrov",
            "الحوار هو الطريق الوحيد للحل",
        ),
        # where the statement was put, before the complementizer
        ("وأكدت الأمم المتحدة في بيان على موقعها أن القافلة وصلت إلى المدينة.", "United Nations",
         "القافلة وصلت إلى المدينة"),
    ],
)  # fmt: skip
def test_occasion_runs_on_to_the_link_of_the_words(body: str, speaker: str, text: str) -> None:
    [q] = run(body)
    assert (who(q), q.text) == (speaker, text)


# ------------------------------------------------------------------------ contrasts and fronted subjects
def test_contrast_with_a_speaker_by_title_ends_the_quote_before_it() -> None:
    body = "قال لافروف إن المفاوضات فشلت، لكن متحدث باسم الخارجية الألمانية قال في وقت لاحق إن الباب لا يزال مفتوحا."
    qs = run(body)
    assert [q.text for q in qs] == ["المفاوضات فشلت", "الباب لا يزال مفتوحا"]
    assert who(qs[1]) == "متحدث باسم الخارجية الألمانية"


@pytest.mark.parametrize(
    ("body", "speaker", "text"),
    [
        # an office after the name, no commas, then the verb
        ("وكان سيرغي لافروف وزير الخارجية الروسي قال، في مقابلة مع قناة محلية، إن الحوار مستمر.",
         "Sergey Lavrov", "الحوار مستمر"),
        # an aside whose closing comma is missing
        ("لكن الأمم المتحدة، التي تشرف على توزيع المساعدات قالت إن القوافل توقفت منذ أسبوع.",
         "United Nations", "القوافل توقفت منذ أسبوع"),
        # an aside closed by its comma, then the particle before the verb
        ("وكانت ميركل، التي التقت الوفد أمس، قد قالت إن الحكومة لن تتراجع.", "Angela Merkel",
         "الحكومة لن تتراجع"),
    ],
)  # fmt: skip
def test_fronted_subject_before_its_verb(body: str, speaker: str, text: str) -> None:
    [q] = run(body)
    assert (who(q), q.text) == (speaker, text)


# ---------------------------------------------------------------------------------- a report's source
def test_report_named_before_the_verb_speaks_for_its_outlet() -> None:
    [q] = run("وجاء القرار بعد تقرير لوكالة فرانس برس، أفاد بأن الشحنة وصلت إلى الميناء.")
    assert (who(q), q.text) == ("AFP", "الشحنة وصلت إلى الميناء")


# ------------------------------------------------------------------------- what a contrast's denial answers
def test_denial_after_a_contrast_answers_what_was_said_before_it_in_its_sentence() -> None:
    body = (
        "قال أردوغان إن المعارضة تلقت أموالا من الخارج، لكن محامي المعارضة قال إن موكليه ينفون تلقي أي أموال."
    )
    qs = run(body)
    assert [who(q) for q in qs] == ["Recep Tayyip Erdogan", "محامي المعارضة"]
    assert qs[1].answers == "رجب طيب أردوغان"


def test_denial_opening_with_a_contrast_answers_the_report_before_it() -> None:
    body = "وأثار الأمر جدلا بعد تقرير لوكالة فرانس برس، أفاد بأن الوزير قدم استقالته.\nلكن الوزير أصدر بيانا نفى فيه أي استقالة."
    qs = run(body)
    assert [who(q) for q in qs] == ["AFP", "الوزير"]
    assert qs[1].answers == "فرانس برس"


# ---------------------------------------------------- after the words: a verb with the pronoun of "ما"
@pytest.mark.parametrize(
    "body",
    [
        "وارتفع عدد الجرحى في الحادث إلى عشرين شخصا، حسب ما قاله لافروف للصحفيين.",
        "وتراجعت الصادرات الزراعية بنسبة كبيرة خلال العام الماضي، وفق ما ذكرته ميركل.",
    ],
)
def test_after_frame_with_a_resumptive_pronoun_on_the_verb(body: str) -> None:
    [q] = run(body)
    assert q.text == body.split("،")[0]
    assert who(q) in ("Sergey Lavrov", "Angela Merkel")


# ------------------------------------------------------------- unnamed sources with a relative clause
@pytest.mark.parametrize(
    "body",
    [
        "وقال المسؤول الذي رفض الكشف عن هويته إن المحادثات تعثرت في يومها الثاني.",
        "المسؤول الذي رفض الكشف عن هويته قال إن المحادثات تعثرت في يومها الثاني.",
    ],
)
def test_anonymity_relative_after_the_subject(body: str) -> None:
    [q] = run(body)
    assert (who(q), q.text) == ("المسؤول", "المحادثات تعثرت في يومها الثاني")


def test_indefinite_source_takes_a_relative_verb() -> None:
    # an indefinite noun takes no relative pronoun: the verb after it is its clause
    [q] = run("والتقت اللجنة ثلاثة شهود عيان قالوا إنهم رأوا الشاحنة قبل الانفجار.")
    assert (who(q), q.text) == ("شهود عيان", "رأوا الشاحنة قبل الانفجار")


def test_verb_after_and_keeps_the_sentence_subject() -> None:
    # "و" before the verb: not a relative of the indefinite before it
    qs = run("التقى لافروف مصادر دبلوماسية وقال إن اللقاء كان مثمرا.")
    assert "مصادر دبلوماسية" not in [who(q) for q in qs]


# ------------------------------------------------------------ where or when before the verb, to whom
@pytest.mark.parametrize(
    ("body", "speaker", "text"),
    [
        ("وفي مدينة حلب أكدت مصادر طبية أن المستشفى استقبل عشرات الجرحى.", "مصادر طبية",
         "المستشفى استقبل عشرات الجرحى"),
        ("وقبيل الاجتماع قال لافروف للصحفيين «لن نتنازل عن مطالبنا».", "Sergey Lavrov", "لن نتنازل عن مطالبنا"),
    ],
)  # fmt: skip
def test_short_phrase_of_where_or_when_before_the_verb(body: str, speaker: str, text: str) -> None:
    [q] = run(body)
    assert (who(q), q.text) == (speaker, text)


@pytest.mark.parametrize(
    "body",
    [
        "أكد لـ«فرانس برس» مصدر أمني رفيع أن الهجوم أحبط قبل وقوعه.",
        "وأكد لفرانس برس مصدر أمني رفيع أن الهجوم أحبط قبل وقوعه.",
    ],
)
def test_outlet_addressed_between_the_verb_and_its_subject(body: str) -> None:
    [q] = run(body)
    assert (who(q), q.text) == ("مصدر أمني رفيع", "الهجوم أحبط قبل وقوعه")


def test_short_quoted_name_before_the_colon_of_the_words() -> None:
    # the programme's quoted name comes before the colon; the words follow it
    [q] = run('وقال لافروف لبرنامج على محطة "إن بي سي": "لن نقبل بأي شروط مسبقة في المحادثات".')
    assert (who(q), q.kind, q.text) == (
        "Sergey Lavrov",
        QuoteKind.DIRECT,
        "لن نقبل بأي شروط مسبقة في المحادثات",
    )


# ------------------------------------------------------------ a participle's link with a noun phrase
def test_participle_link_takes_a_noun_phrase_as_the_words() -> None:
    body = "قال لافروف إن المحادثات كانت بناءة، مشيرا إلى استمرار المشاورات مع الجانب الأمريكي."
    qs = run(body)
    assert [q.text for q in qs] == ["المحادثات كانت بناءة", "استمرار المشاورات مع الجانب الأمريكي"]
    assert [who(q) for q in qs] == ["Sergey Lavrov", "Sergey Lavrov"]


def test_finite_link_verb_after_its_subject_takes_a_noun_phrase() -> None:
    [q] = run("وأشارت الحكومة إلى إنقاذ آلاف السكان من المناطق المنكوبة.")
    assert q.text == "إنقاذ آلاف السكان من المناطق المنكوبة" and who(q) == "الحكومة"


@pytest.mark.parametrize("target", ["الرئيس الأمريكي دونالد ترامب", "واشنطن"])
def test_link_pointing_at_a_person_or_place_is_no_speech(target: str) -> None:
    body = f"قال لافروف إن المحادثات كانت بناءة، مشيرا إلى {target}."
    assert [q.text for q in run(body)] == ["المحادثات كانت بناءة"]


# ------------------------------------------------------------------ the accused before the charge
def test_one_phrase_before_the_charge_is_the_accused() -> None:
    body = 'قال سعد الحريري إن الحكومة ستتشكل قريبا. وكان قد اتهم إيران وحزب الله بـ"السيطرة" على لبنان.'
    qs = run(body)
    assert qs[-1].text.startswith("إيران وحزب الله") and qs[-1].stance == Stance.ACCUSATION
    assert who(qs[-1]) == "سعد الحريري"


# ----------------------------------------------------------- a name in apposition to an unnamed person
def test_name_apposed_to_an_unnamed_person_is_read_with_it() -> None:
    [q] = run("وقال شقيق الضحية، سامر الحسن، إن المستشفى أهمل أخاه.")
    assert q.speaker is not None and "سامر الحسن" in (q.speaker.text or "")


def test_anonymity_aside_is_no_apposed_name() -> None:
    [q] = run("وقال مصدر، طلب عدم ذكر اسمه، إن المستشفى أهمل المريض.")
    assert who(q) == "مصدر"


def test_present_link_verb_before_a_noun_is_referring() -> None:
    # "كان … يشير إلى": was referring to, narration rather than speech
    body = "قال لافروف إن المحادثات كانت بناءة. وكان الوزير يشير إلى الاتفاق الموقع قبل عامين."
    assert [q.text for q in run(body)] == ["المحادثات كانت بناءة"]


# ------------------------------------------------------------------ a judgement: object and predicate
@pytest.mark.parametrize(
    ("body", "words", "speaker"),
    [
        ("واعتبرت الحكومة ما جرى في الميناء خرقا للاتفاق.", "ما جرى في الميناء خرقا للاتفاق", "الحكومة"),
        ("واعتبر الوزير القرار خطوة مهمة نحو السلام.", "القرار خطوة مهمة نحو السلام", "الوزير"),
    ],
)
def test_past_judgement_takes_its_object_and_predicate(body: str, words: str, speaker: str) -> None:
    [q] = run(body)
    assert q.text == words and who(q) == speaker


def test_present_judgement_is_no_speech_without_a_complementizer() -> None:
    # "يعتبر الملعب من أكبر …": is considered, a description
    assert run("ويعتبر الملعب من أكبر الملاعب في المنطقة.") == []


def test_phrase_before_an_indefinite_predicate_is_the_object() -> None:
    # "اعتبرت برلين عاصمة": the city is what she judged, not who speaks next
    body = (
        "قالت ميركل إن المحادثات مفيدة. وكانت المستشارة تمتنع دائما عن انتقاد الحكومة، هذا بعد أن اعتبرت "
        "برلين عاصمة للثقافة، وقالت إنها لن تكون موضوع تفاوض."
    )
    qs = run(body)
    assert [q.text for q in qs][-1] == "لن تكون موضوع تفاوض"
    assert {who(q) for q in qs} == {"Angela Merkel"}


def test_judgement_with_a_complementizer_after_an_unknown_name_reads_the_clause() -> None:
    [q] = run("واعتبرت وزيرة الدفاع الهولندية أنك بيليفيد الأحد أن البلاد تخوض حربا معلوماتية.")
    assert q.text == "البلاد تخوض حربا معلوماتية"


# ------------------------------------------------------------------ the speaker in a clause of its own
def test_title_phrase_before_a_relative_pronoun_speaks() -> None:
    [q] = run("وتأتي التصريحات بعد تقرير عن مدير المستشفى الذي أشار إلى أن الأطباء غادروا المدينة.")
    assert q.text == "الأطباء غادروا المدينة" and who(q) == "مدير المستشفى"


def test_relative_aside_that_describes_is_no_speech() -> None:
    # "الذي يعتبر الأب الروحي": is considered; the words are the main verb's, after the aside
    qs = run("وذكر الداعية، الذي يعتبر الأب الروحي للجماعة، أنه رفض العرض.")
    assert all(q.cue != "يعتبر" for q in qs)


def test_auxiliary_after_the_subject_before_the_verb() -> None:
    [q] = run("يذكر أن السفير الروسي السابق كان قد اتهم الحكومة بتمويل المعارضة.")
    assert q.text == "الحكومة بتمويل المعارضة" and who(q) == "السفير الروسي السابق"


@pytest.mark.parametrize(
    "body",
    [
        "وزار الوفد الوزارة التي أكدت مصادر مطلعة أنها ستغلق.",  # the clause's own subject speaks
        "وقالت الشرطة إن المداهمات جرت بحسب السلطات التي رفضت كشف تفاصيل العملية.",  # an act, no words
    ],
)
def test_relative_clause_of_a_phrase_reads_only_words_right_after_it(body: str) -> None:
    assert all(q.cue not in ("أكدت", "رفضت") for q in run(body))


# ------------------------------------------------------------------ a role, an unknown place, a name
def test_state_after_a_title_is_its_genitive_not_an_adjective() -> None:
    # "ولاية" ends like a relative adjective ("…ية") but is a body: the phrase goes on to the name
    body = "وقال رئيس ولاية كارنا الجنوبية سانجاي راو إن الأمطار دمرت الجسور."
    [q] = run(body)
    assert q.speaker is not None and q.speaker.text.endswith("سانجاي راو")


# ------------------------------------------------------------------ reporting verbs the lexicon lacked
@pytest.mark.parametrize(
    ("body", "cue", "words"),
    [
        ("وحذرت السلطات من هطول أمطار غزيرة، داعية السكان إلى توخي الحذر.", "داعية", "توخي الحذر"),
        (
            "وقال الباحث إن النتائج مطمئنة، مستدركا أن بعض الأفراد أكثر حساسية.",
            "مستدركا",
            "بعض الأفراد أكثر حساسية",
        ),
        (
            'وقال المدرب إن الفريق لعب جيدا. وأكمل: "سنعود أقوى في المباراة المقبلة".',
            "وأكمل",
            "سنعود أقوى في المباراة المقبلة",
        ),
        ("وتذرع الوزير بأن الميزانية لا تكفي.", "وتذرع", "الميزانية لا تكفي"),
        ("وقال الرئيس إن القرار خاطئ، مناشدا النواب أن يرفضوه.", "مناشدا", "يرفضوه"),
    ],
)
def test_more_reporting_verbs(body: str, cue: str, words: str) -> None:
    assert (cue, words) in [(q.cue, q.text) for q in run(body)]


def test_completing_is_no_speech_without_marks() -> None:
    assert run("وأكمل الفريق المباراة بعشرة لاعبين.") == []


# ------------------------------------------------------------------ a fronted subject and its unknown place
def test_fronted_subject_with_a_place_the_finder_does_not_know() -> None:
    body = (
        "وأضافت الصحيفة نقلا عن ثلاثة مسؤولين أن القوات تعرضت لهجوم. وكانت بعثة المنظمة في جنوب كارنا، "
        "نفت الجمعة، الاتهامات بقتل مدنيين في الغارة."
    )
    qs = run(body)
    assert [q.speaker.text if q.speaker else None for q in qs][-1] == "بعثة المنظمة"


def test_relay_with_a_resumptive_before_its_source() -> None:
    body = 'وجاء النفي بعد تقرير بثته قناة "المدار" نقلت فيه عن مصادر مطلعة أن الشركتين ستندمجان قريبا.'
    [q] = run(body)
    assert q.text == "الشركتين ستندمجان قريبا" and who(q) == "مصادر مطلعة"


def test_foreign_name_after_a_title_is_the_speaker_its_title_refers_back_to() -> None:
    # two name words no gazetteer lists, closed by a time word after a definite title, the surname used again
    body = (
        "أعلنت وزيرة الزراعة الهولندية ماريكه بوسخما الأحد أن الحكومة ستدعم المزارعين. "
        "وقالت الوزيرة إن الدعم سيصل قبل الشتاء. وأضافت بوسخما أن الخطة ستعرض على البرلمان."
    )
    names = [q.speaker.name_ar if q.speaker else None for q in run(body)]
    assert names == ["ماريكه بوسخما"] * 3


def test_words_after_a_title_that_never_recur_are_not_a_name() -> None:
    # an object may follow a title, closed by a time word too; only a surname the article repeats is a name
    body = "وهاجم وزير الزراعة الهولندي مزارعين غاضبين أمس قائلا إن الحكومة لن تتراجع."
    assert [q.speaker.text if q.speaker else None for q in run(body)] == ["وزير الزراعة الهولندي"]
