"""What a denial answers when its own words do not name the source (marsad/quotes/answers.py,
data/answers.yaml): the report the nearby text names, its shapes, and no invented links."""

from __future__ import annotations

import pytest

from marsad.errors import ConfigError
from marsad.model import Stance
from marsad.quotes.answers import answer_words, parse_answer_words

from .test_quotes import run


def _denials(body: str) -> list[str | None]:
    return [q.answers for q in run(body) if q.stance in (Stance.DENIAL, Stance.REJECTION)]


def test_a_denial_of_those_reports_answers_the_report_sentence_before() -> None:
    body = "وتناقلت وسائل إعلام محلية صورا للوزير في المطعم. ونفى لافروف تلك الأنباء، واصفا إياها بالمفبركة."
    assert _denials(body) == ["وسائل إعلام محلية", "وسائل إعلام محلية"]


def test_a_denial_of_these_claims_answers_the_report_the_next_sentence_names() -> None:
    body = (
        "ونفت ميركل هذه المزاعم، واصفة إياها بأنها هراء. وطالب نواب بالتحقيق في المزاعم التي نشرتها "
        "صحيفة التايمز الشهر الماضي."
    )
    assert _denials(body) == ["صحيفة التايمز", "صحيفة التايمز"]  # not "… التايمز الشهر"


def test_the_deniers_own_words_after_it_are_no_report_it_answers() -> None:
    own = (
        "ونفى لافروف المزاعم التي تحدثت عن لقاء سري. وقال لافروف إن "
        '"المعلومات التي تنشرها صحيفة التايمز عن اللقاء كاذبة".'
    )
    assert _denials(own) == [None, "صحيفة التايمز"]  # his own words name it for themselves only
    other = (
        "ونفى لافروف المزاعم التي تحدثت عن لقاء سري. وقال نائب إن المعلومات التي تنشرها صحيفة "
        "التايمز عن اللقاء دقيقة."
    )
    assert _denials(other) == ["صحيفة التايمز"]


@pytest.mark.parametrize(
    ("body", "answers"),
    [
        # an auxiliary before the verbal noun, adverbs between it and the source
        ('وقال لافروف: "هذه المعلومات التي يتم نشرها الآن وحتى أحيانا في وسائل الإعلام الكبرى كاذبة".',
         "وسائل الإعلام الكبرى"),
        # "ما جاء على لسان": the person whose words are meant
        ("ونفت ميركل ما جاء على لسان لافروف بشأن الاتفاق.", "سيرغي لافروف"),
        # the press by its kind, a preposition glued ("بالإعلام")
        ("ونفى لافروف ما ذكر بالإعلام عن استقالته.", "الإعلام"),
    ],
)  # fmt: skip
def test_report_shapes_in_the_denials_own_sentence(body: str, answers: str) -> None:
    assert _denials(body) == [answers]


def test_nothing_is_answered_when_the_denial_points_to_no_report() -> None:
    # "هذا الأسبوع" is a time, not a report the denial points back to
    body = "وتناقلت وسائل إعلام صورا للوزير. ونفى لافروف أن يكون قد التقى الوفد هذا الأسبوع."
    assert _denials(body) == [None]
    # nothing pointing and nothing named: no link, whatever report the text gives nearby
    body = "ونفت ميركل أن تكون الحكومة قد وافقت على الخطة. وذكرت وكالة فرانس برس أن الخطة جاهزة."
    assert _denials(body) == [None]


def test_this_is_nonsense_answers_the_report_the_article_denied_further_back() -> None:
    filler = " ".join(
        f"و{verb} الوزير أن {what}."
        for verb, what in (("أضاف", "الفريق يعمل"), ("أوضح", "المشروع كبير"), ("تابع", "الموعد قريب"),
                           ("أشار إلى", "الخطة جاهزة"), ("أكد", "الكلفة معروفة"), ("بين", "العمل مستمر"))
    )  # fmt: skip
    body = f'ونفت الوزارة الأنباء التي نشرتها صحيفة التايمز عن الصفقة. {filler} وقال لافروف: "هذا هراء".'
    assert _denials(body)[-1] == "صحيفة التايمز"


def test_the_word_lists_are_checked() -> None:
    assert "تلك" in answer_words().demonstratives and answer_words().near_before > 0
    with pytest.raises(ConfigError, match="near_before"):
        parse_answer_words({"near_before": "five"})
    with pytest.raises(ConfigError, match="unknown keys"):
        parse_answer_words({"near_sentences": 3})
    with pytest.raises(ConfigError, match="relay_fillers"):
        parse_answer_words({"relay_fillers": "الآن"})
    with pytest.raises(ConfigError, match="expected a mapping"):
        parse_answer_words(["الآن"])


def test_a_denial_opening_the_sentence_after_an_accusation_answers_it() -> None:
    claim = "وقال أردوغان إن ميركل مسؤولة عن الانقلاب في بلاده."
    assert _denials(f"{claim} ونفت ميركل أي دور لها في الانقلاب.") == ["رجب طيب أردوغان"]
    # another paragraph, or a denial that does not open its sentence: no link without a pointer
    assert _denials(f"{claim}\nونفت ميركل أي دور لها في الانقلاب.") == [None]
    assert _denials(f"{claim} وفي برلين، نفت ميركل أي دور لها في الانقلاب.") == [None]


def test_the_relative_written_on_to_the_verb_relays_too() -> None:
    assert _denials("ونفت الوزارة ماتردد في وسائل إعلام محلية عن إغلاق المصنع.") == ["وسائل إعلام محلية"]


def test_the_same_source_coming_back_goes_on_answering_the_same_report() -> None:
    first = "ونفى مصدر دبلوماسي ألماني ما نشرته صحيفة التايمز عن الصفقة.\nوقال لافروف إن الصفقة قائمة.\n"
    back = "وقال المصدر الألماني إن برلين لم توقع أي اتفاق، نافيا وجود أي مفاوضات."
    assert _denials(first + back) == ["صحيفة التايمز", "صحيفة التايمز"]
    other = "وقال مصدر فرنسي إن باريس لم توقع أي اتفاق، نافيا وجود أي مفاوضات."
    assert _denials(first + other) == ["صحيفة التايمز", None]  # another source denies on its own


def test_a_background_admission_or_denial_is_no_report_a_denial_answers() -> None:
    body = "ونفى لافروف وجود أي مفاوضات سرية مع الوفد. وكانت ميركل قد أقرت بأن المحادثات صعبة."
    assert _denials(body) == [None]
    body = "ونفى لافروف وجود أي مفاوضات سرية مع الوفد. وكانت ميركل قد قالت إن المحادثات جارية سرا."
    assert _denials(body) == ["أنغيلا ميركل"]  # a claim made before: what the denial answers


def test_words_attributed_to_someone_answer_that_person() -> None:
    assert _denials("ونفت الوزارة التصريحات المنسوبة إلى لافروف حول الاتفاق.") == ["سيرغي لافروف"]
    assert _denials("ونفت الوزارة التصريحات المنسوبة للوزير الروسي، لافروف، حول الاتفاق.") == ["سيرغي لافروف"]
    assert _denials("ونفت الوزارة تصريحات منسوبة لها حول الاتفاق.") == [None]  # its own, so it says


def test_an_also_denial_is_another_denial() -> None:
    first = "ونفى مصدر دبلوماسي ألماني ما نشرته صحيفة التايمز عن الصفقة.\nوقال لافروف إن الصفقة قائمة.\n"
    again = "ونفى المصدر الألماني أن تكون برلين قد وقعت أي اتفاق."
    assert _denials(first + again) == ["صحيفة التايمز", "صحيفة التايمز"]
    assert _denials(first + "كما " + again.removeprefix("و")) == ["صحيفة التايمز", None]


def test_a_denial_opening_with_but_answers_the_report_just_before() -> None:
    report = "وبحسب وكالة فرانس برس، فإن الوزير التقى الوفد سرا."
    assert _denials(f"{report} لكن لافروف نفى أي لقاء مع الوفد.") == ["فرانس برس"]
    assert _denials(f"{report}\nلكن لافروف نفى أي لقاء مع الوفد.") == [None]  # another paragraph


def test_a_denial_opening_its_sentence_answers_the_source_of_an_aside_just_before() -> None:
    claim = "ويستعد الجيش الروسي لشن هجوم جديد على المدينة، كما تقول {}."
    denial = "ونفى لافروف وجود أي خطط للهجوم."
    assert _denials(f"{claim.format('الحكومة البريطانية')} {denial}") == ["الحكومة البريطانية"]
    assert _denials(f"{claim.format('الأمم المتحدة')} {denial}") == ["الأمم المتحدة"]
    assert _denials(f"{claim.format('الحكومة البريطانية')}\n{denial}") == [None]  # another paragraph


def test_an_aside_on_the_line_before_counts_when_it_speaks_of_what_is_denied() -> None:
    # pages that put every sentence on a line of its own: the line break is no paragraph break
    claim = "وكان عناصر من الجيش الروسي قد زرعوا ألغاما بحرية قرب ميناء أوديسا، كما ذكرت السلطات الأوكرانية."
    denial = "ونفت موسكو أن تكون زرعت أي ألغام بحرية قرب الميناء."
    assert _denials(f"{claim}\n{denial}") == ["السلطات الأوكرانية"]
    unrelated = "ونفت موسكو وجود أي خطط لإغلاق سفارتها في كييف."
    assert _denials(f"{claim}\n{unrelated}") == [None]  # another paragraph, another subject


def test_an_aside_just_before_wins_over_what_the_speakers_earlier_denial_answered() -> None:
    first = "ونفى الكرملين ما نشرته صحيفة التايمز عن الصفقة.\n"
    aside = "وتعرضت محطة الكهرباء لهجوم بطائرات مسيرة، كما تقول الحكومة الأوكرانية. "
    denial = "ونفى الكرملين أي مسؤولية عن الهجوم."
    assert _denials(first + aside + denial) == ["صحيفة التايمز", "الحكومة الأوكرانية"]
