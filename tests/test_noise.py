"""Noise of scraped pages (issue 11): hard-wrapped lines, glued bylines and datelines, glued quote marks,
furniture, cut-off ends. Each rule is checked on sentences of our own."""

from __future__ import annotations

from marsad.model import EntityKind, Mention, MentionKind
from marsad.parse.scraped_text import split_parts, unwrap
from marsad.quotes import extract_quotes
from marsad.quotes.cues import default_lexicon
from marsad.quotes.dateline import lead_dateline
from marsad.quotes.spans import find_marked_spans

from .test_quotes import KB, mentions, run, who

WRAPPED = """وزارة الزراعة تطمئن المزارعين
قال وزير الزراعة سليم الحداد إن "موسم القمح هذا العام
سيكون أفضل من سابقه بفضل الأمطار الغزيرة التي هطلت في
الشتاء"، مضيفا أن الوزارة ستشتري المحصول بسعر مجز من
جميع المزارعين دون استثناء.
وأكد الحداد أن مخازن الحبوب جاهزة لاستقبال الكميات.
وأشار إلى أن فرق الوزارة ستزور القرى البعيدة خلال الأسبوع
المقبل لتسجيل المزارعين الذين لم يسجلوا بعد في البرنامج.
"""


def test_hard_wrapped_lines_are_joined_into_paragraphs() -> None:
    (p,) = split_parts(WRAPPED)
    paras = p.body.split("\n")
    assert len(paras) == 3, paras
    assert "هطلت في الشتاء" in paras[0] and paras[0].endswith("دون استثناء.")
    assert paras[2].startswith("وأشار") and "الأسبوع المقبل" in paras[2]


def test_a_blank_line_marks_the_paragraphs_of_a_wrapped_page() -> None:
    text = """عنوان الخبر هنا
قال مدير المدرسة إن الامتحانات النهائية ستبدأ في
موعدها المحدد.
وأضاف أن النتائج ستعلن بعد شهر من انتهاء الامتحانات.

وأكد المدير أن المدرسة أعدت القاعات وجهزت المراقبين
لجميع المواد.

ويرى أولياء الأمور أن الموعد مناسب لأبنائهم هذا العام
بعد تأخر الموسم الماضي.
"""
    (p,) = split_parts(text)
    paras = p.body.split("\n")
    assert paras[0].startswith("قال مدير") and paras[0].endswith("بعد شهر من انتهاء الامتحانات.")
    assert len(paras) == 3, paras


def test_text_with_long_lines_is_left_alone() -> None:
    long = "قال المتحدث باسم البلدية إن أعمال الصيانة في الشارع الرئيسي ستستمر حتى نهاية الشهر الجاري دون توقف أو تأخير"
    lines = [long, long + " تماما", long, "سطر قصير"]
    assert unwrap(lines, [False] * 4) == lines


def test_short_lines_and_sentence_ends_keep_their_breaks() -> None:
    lines = [
        "أعلنت الشركة عن أرباح قياسية هذا العام بلغت",
        "مليون دينار.",
        "وقال مديرها إن الخطة الخمسية نجحت في رفع",
        "المبيعات.",
        "وسيستمر العمل على توسيع الفروع في المدن.",
        "وتوقع محللون أن ترتفع أسهم الشركة في السوق",
    ]
    out = unwrap(lines, [False] * len(lines))
    assert out[0] == "أعلنت الشركة عن أرباح قياسية هذا العام بلغت مليون دينار."
    assert out[1] == "وقال مديرها إن الخطة الخمسية نجحت في رفع المبيعات."
    assert out[2] == "وسيستمر العمل على توسيع الفروع في المدن."  # ends a sentence
    assert out[3] == lines[5]


# ---- a byline and dateline glued to the lead -----------------------------------------------------


def _place_mentions(text: str, places: tuple[str, ...]) -> list[Mention]:
    out = []
    for name in places:
        k = text.find(name)
        if k >= 0:
            out.append(
                Mention(start=k, end=k + len(name), text=name, kind=MentionKind.NAME, entity_id=f"g:{name}",
                        entity_type=EntityKind.PLACE)
            )  # fmt: skip
    return out


def test_a_glued_dateline_ends_at_its_last_dash() -> None:
    lex = default_lexicon()
    body = "كريم السعدي - عمان في الأحد 6 يوليو 2025 11:20 صباحاً - قال مدير الميناء إن الحركة عادت."
    end = lead_dateline(body, [], lex)
    assert body[end:].startswith("قال مدير الميناء")
    body = "طرابلس – أوضح رئيس البلدية أن المياه ستعود غدا."
    assert body[lead_dateline(body, _place_mentions(body, ("طرابلس",)), lex) :].startswith("أوضح")


def test_a_dash_aside_is_no_dateline() -> None:
    lex = default_lexicon()
    for body in (
        "أعلن الجيش - في بيان صدر مساء أمس - أن القوات سيطرت على التلة.",
        "طرابلس مدينة جميلة. وقال الوزير - وهو يبتسم - إن السياحة تتحسن.",
        "الموعد: الخميس 3 أبريل.",
    ):
        assert lead_dateline(body, _place_mentions(body, ("طرابلس",)), lex) == 0, body


def test_a_glued_dateline_is_neither_subject_nor_speaker() -> None:
    # the place of the dateline is not the subject a following subjectless "وأكد" refers to
    body = "جنيف – فسر وزير الخارجية الروسي سيرغي لافروف سبب تأجيل الجولة. وأكد أن المحادثات كانت مثمرة."
    ms = sorted([*mentions(body), *_place_mentions(body, ("جنيف",))], key=lambda m: m.start)
    qs = extract_quotes(body, ms, entities=KB.get)
    assert [(q.text, who(q)) for q in qs] == [("المحادثات كانت مثمرة", "Sergey Lavrov")]
    # nor is the writer of a byline glued before it
    body = (
        "نادر الخياط - جنيف في الأحد 6 يوليو 2025 11:20 صباحاً - التقى وزير الخارجية نظيره الأمريكي. "
        "وأكد أن المحادثات كانت مثمرة."
    )
    writer = Mention(start=0, end=11, text="نادر الخياط", kind=MentionKind.NER, entity_type=EntityKind.PERSON)
    ms = sorted([*mentions(body), *_place_mentions(body, ("جنيف",)), writer], key=lambda m: m.start)
    qs = extract_quotes(body, ms, entities=KB.get)
    assert [q.text for q in qs] == ["المحادثات كانت مثمرة"]
    assert qs[0].speaker is not None and "الخياط" not in qs[0].speaker.text


# ---- quote marks glued to the word before -------------------------------------------------------


def test_an_opening_mark_glued_to_the_word_before_still_opens() -> None:
    text = 'وتابع قائلا" لن نتراجع عن القرار". وأضاف« العمل مستمر»، وأكد أن "الأمور بخير".'
    assert [text[s.start : s.end] for s in find_marked_spans(text)] == [
        "لن نتراجع عن القرار",
        "العمل مستمر",
        "الأمور بخير",
    ]
    # a closing mark with nothing after it to close opens nothing
    stray = 'قال "نعم" ثم" انتهى.'
    assert [stray[s.start : s.end] for s in find_marked_spans(stray)] == ["نعم"]


# ---- furniture ------------------------------------------------------------------------------------


def test_a_share_row_with_a_colon_is_furniture() -> None:
    (p,) = split_parts("عنوان الخبر هنا\nقال المدير إن المعرض يفتح غدا.\nشارك عبر: فيسبوك تويتر واتساب\n")
    assert p.body == "قال المدير إن المعرض يفتح غدا."


def test_a_dash_after_the_opening_mark_opens_the_quote() -> None:
    text = "وقال لافروف في كلمته:“- نحن مستعدون لكل الاحتمالات” مضيفا أن الخطة جاهزة."
    (span,) = find_marked_spans(text)
    assert text[span.start : span.end] == "- نحن مستعدون لكل الاحتمالات"
    assert [(q.text, who(q)) for q in run(text)] == [
        ("نحن مستعدون لكل الاحتمالات", "Sergey Lavrov"),
        ("الخطة جاهزة", "Sergey Lavrov"),
    ]


def test_short_paragraphs_wrapped_in_two_lines_are_joined() -> None:
    lines = [
        "قال رئيس الجامعة، سامي العطار، إن العام الدراسي يبدأ في موعده، مؤكدا",
        "أن الكليات جاهزة.",
        'وأضاف العطار في مؤتمر صحفي مساء الاثنين: "لن نؤجل الامتحانات، ولن',
        'نغير مواعيدها".',
        "وكان طلاب قد طالبوا بتأجيل الامتحانات أسبوعا بسبب الأحوال الجوية",
        "السيئة.",
        "ولم تعلق الوزارة.",
    ]
    out = unwrap(lines, [False] * len(lines))
    assert out[1] == 'وأضاف العطار في مؤتمر صحفي مساء الاثنين: "لن نؤجل الامتحانات، ولن نغير مواعيدها".'
    assert len(out) == 4
