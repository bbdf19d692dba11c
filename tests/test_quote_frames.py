"""Reporting frames, speakers and stance from the words (issue 11): one sentence of our own per rule."""

from __future__ import annotations

import pytest
import yaml

from marsad.errors import ConfigError
from marsad.model import Entity, EntityKind, Mention, MentionKind, QuoteKind, SpeakerKind, Stance
from marsad.normalize.arabic import normalize_text
from marsad.quotes import extract_quotes
from marsad.quotes.frames import DEFAULT_PATH as FRAMES_PATH
from marsad.quotes.frames import default_frames, parse_frames
from marsad.quotes.stance import default_stance_words, parse_stance_words

from .test_quotes import KB, run, who
from .test_quotes import mentions as mentions_of

KB_GET = KB.get


# ------------------------------------------------------------------------------------ cue lexicon
@pytest.mark.parametrize(
    ("body", "text", "stance"),
    [
        ("ووصف لافروف الاتفاق بأنه خطوة تاريخية نحو السلام.", "خطوة تاريخية نحو السلام", Stance.STATEMENT),
        ("ووصفت ميركل الخطة الجديدة بالطموحة.", "الخطة الجديدة بالطموحة", Stance.STATEMENT),
        ("وندد أردوغان بالهجوم على القافلة الإنسانية قرب الحدود.", "بالهجوم على القافلة الإنسانية قرب الحدود",
         Stance.REJECTION),
        ("واستبعدت ميركل أن تتوصل الأطراف إلى اتفاق قبل الصيف.", "تتوصل الأطراف إلى اتفاق قبل الصيف",
         Stance.REJECTION),
        ("وتوقع لافروف أن تستأنف المفاوضات خلال أيام.", "تستأنف المفاوضات خلال أيام", Stance.CLAIM),
        ("وكرر أردوغان أن بلاده لن تتراجع عن موقفها.", "بلاده لن تتراجع عن موقفها", Stance.STATEMENT),
        ("وأعرب لافروف عن قلقه من التصعيد الأخير في الشمال.", "قلقه من التصعيد الأخير في الشمال",
         Stance.STATEMENT),
        ("وأعلنت الأمم المتحدة عن تعليق المساعدات إلى المدينة.", "تعليق المساعدات إلى المدينة",
         Stance.STATEMENT),
        ("وأشادت ميركل بالدور الذي تلعبه المنظمات الإغاثية.", "بالدور الذي تلعبه المنظمات الإغاثية",
         Stance.STATEMENT),
    ],
)  # fmt: skip
def test_new_cues(body: str, text: str, stance: Stance) -> None:
    [q] = run(body)
    assert q.text == text and q.stance == stance and q.speaker is not None


def test_mid_participle_of_new_cue_continues_the_speaker() -> None:
    [_, q2] = run("وقال لافروف إن الحوار مستمر، معربا عن أمله في التوصل إلى حل قريب.")
    assert q2.cue == "معربا" and q2.text == "أمله في التوصل إلى حل قريب" and who(q2) == "Sergey Lavrov"


# ------------------------------------------------------------------------ role, gloss and apposed name
def test_role_with_quoted_gloss_and_apposed_name_denies_an_object() -> None:
    body = (
        "نفى المتحدث باسم المنظمة “الأمم المتحدة”، سيرغي لافروف، اليوم الأحد، الأنباء التي تحدثت عن "
        "انسحاب البعثة من المدينة، مؤكدا أنها لا تمت للواقع بصلة."
    )
    q1, q2 = run(body)
    assert q1.text == "الأنباء التي تحدثت عن انسحاب البعثة من المدينة"
    assert q1.stance == Stance.DENIAL and who(q1) == "Sergey Lavrov"
    assert q2.stance == Stance.DENIAL and who(q2) == "Sergey Lavrov"


# ---------------------------------------------------------------------------- stance from the words
@pytest.mark.parametrize(
    ("body", "stance"),
    [
        ('وقال لافروف للصحفيين: "هذا الكلام عار عن الصحة تماما".', Stance.DENIAL),
        ('وقالت ميركل: "ما نشر محض خيال ولا يستحق الرد".', Stance.DENIAL),
        ("وأضاف أردوغان أن هذه الرواية لا أساس لها على الإطلاق.", Stance.DENIAL),
        ('وقال لافروف: "لم يحدث أي اتصال من هذا النوع".', Stance.DENIAL),
        ('وقالت ميركل: "هذا أمر غير مقبول ولن نسمح به".', Stance.REJECTION),
        ('وقال أردوغان: "من يعتدي علينا سيدفع الثمن غاليا".', Stance.WARNING),
        ('وقال لافروف: "الحكومة مسؤولة عن الهجوم على المدنيين".', Stance.ACCUSATION),
        # a "will do" commitment in the first person is a promise (bench/devsets/README.md)
        ('وقال لافروف: "الاجتماع كان مثمرا وسنواصل الحوار".', Stance.PROMISE),
        ('وقال لافروف: "الاجتماع كان مثمرا ونأمل أن يستمر الحوار".', Stance.STATEMENT),
        # intensifiers between the words of a phrase, a conjunction glued to its first word
        ('وقال لافروف: "هذا الكلام عار تماما عن الصحة".', Stance.DENIAL),
        ('وقالت ميركل: "هذه المعلومات مغلوطة وكاذبة جملة وتفصيلا".', Stance.DENIAL),
        ("وأوضح أردوغان أن الصور المتداولة مفبركة ولا صحة لما تضمنته.", Stance.DENIAL),
        ('وقال لافروف: "لم تكن هناك أي مكالمة بين الرئيسين".', Stance.DENIAL),
        # a claim verb whose words deny, a statement verb whose words reject or demand
        ("وذكرت الوزارة أن الأنباء عن إغلاق الحدود عارية من الصحة.", Stance.DENIAL),
        ('وقال أردوغان: "هذه الشروط مرفوضة ولن نقبل بها".', Stance.REJECTION),
        ('وقال لافروف: "نطالب بوقف فوري لإطلاق النار".', Stance.DEMAND),
        ('وقالت ميركل: "نتعهد بتقديم المساعدة للمتضررين".', Stance.PROMISE),
        ('وقال لافروف: "يجب أن نواصل الحوار مع الجميع".', Stance.STATEMENT),
        # blaming words, threats, obligations, commitments and confirmations said with a plain verb
        ("وقال لافروف إن القوات قتلت المدنيين في القرية.", Stance.ACCUSATION),
        ("وأضاف أردوغان أن الميليشيات اختطفت الناشط قبل عام.", Stance.ACCUSATION),
        ("وقال أردوغان إن بلاده لن تسمح بأي تهديد على حدودها.", Stance.WARNING),
        ('وقال لافروف: "نحتفظ بحق الرد في الوقت المناسب".', Stance.WARNING),
        ("وقالت ميركل إن على الحكومة أن تفتح الحدود فورا.", Stance.DEMAND),
        ('وقال أردوغان: "ندعو المجتمع الدولي إلى التحرك".', Stance.DEMAND),
        ("وأكدت الوزارة أن اللجنة ستقوم بمراجعة الملف كاملا.", Stance.PROMISE),
        ('وقال لافروف: "سأتوجه غدا إلى المدينة لتفقد الوضع".', Stance.PROMISE),
        ("وقال لافروف إن هذا صحيح لكن التفاصيل لم تتضح بعد.", Stance.CONFIRMATION),
        ('وقال لافروف: "ليس هناك مثل هذا الاتصال بين الرئيسين".', Stance.DENIAL),
        # ... and what stays a statement or a claim
        ("وقال لافروف إنه يجب تقديم ضمانات للطرفين.", Stance.STATEMENT),
        ("وقالت ميركل إن على الطاولة خيارات كثيرة.", Stance.STATEMENT),  # no "أن": no obligation
        ("وذكرت فرانس برس أن ميركل تعتزم زيارة المدينة.", Stance.CLAIM),
        # an institution's report verb states (a claim is a report's, or a partisan's)
        ("وذكرت الأمم المتحدة أن المساعدات وصلت إلى المدينة.", Stance.STATEMENT),
        ("وقال لافروف إن الطريق الصحيح هو الحوار.", Stance.STATEMENT),
        # "is a mirage", "a witch hunt": rejections (bench/devsets/README.md)
        ('وأضاف أردوغان: "الفكرة بأن المدينة ليست لنا سراب".', Stance.REJECTION),
        ('وقال لافروف إن التحقيق "ملاحقة ساحرات" لا أكثر.', Stance.REJECTION),
        # "never" after a negated past denies; not after لن (what will never be)
        ('وقال لافروف: "موسكو لم تعرض أبدا مثل هذه الصفقة على أحد".', Stance.DENIAL),
        ("وأكد أردوغان أن بلاده لم تستخدم مطلقا هذه الأسلحة في الشمال.", Stance.DENIAL),
        ('وقال لافروف: "لن ننسى أبدا موقف أصدقائنا".', Stance.STATEMENT),
        ('وقال لافروف: "الحوار لم يتوقف والوفود تلتقي كل أسبوع".', Stance.STATEMENT),
        # what sources, reports and newspapers say is claimed, not vouched for; a source speaking for a
        # body states, and words that deny still deny
        ("وقالت مصادر مطلعة إن الوفد سيصل إلى العاصمة قبل نهاية الأسبوع.", Stance.CLAIM),
        ("وأشارت تقارير صحفية إلى أن المفاوضات توقفت منذ أيام.", Stance.CLAIM),
        ("وقالت الصحيفة إن الوزير قدم استقالته إلى رئيس الحكومة.", Stance.CLAIM),
        ("وقال المصدر إن الوفد سيصل إلى العاصمة قبل نهاية الأسبوع.", Stance.STATEMENT),
        ("وقالت مصادر مطلعة إن الأنباء عن استقالة الوزير غير صحيحة.", Stance.DENIAL),
        # blame said with a plain verb: a weapon used, a theft, torture, condemnation by a third party
        ("وقالت ميركل إن هناك أدلة على أن القوات استخدمت أسلحة كيميائية في القرية.", Stance.ACCUSATION),
        ('وقال أردوغان: "المعتقلون تعرضوا للتعذيب طوال أشهر".', Stance.ACCUSATION),
        ('وقال لافروف: "الجنود نهبوا المتاجر قبل انسحابهم".', Stance.ACCUSATION),
        ("وقالت ميركل إن الاتحاد يدين الهجوم على القافلة.", Stance.ACCUSATION),
        # insisting that something is not so denies; insisting on what is, or stating a negation, does not
        ("وأصرت الوزارة على أن قواتها في المدينة ليست محاصرة.", Stance.DENIAL),
        ("ويصر أردوغان على أن الطائرات التركية لم تعبر الحدود.", Stance.DENIAL),
        ("وأصر لافروف على أن المحادثات ستستمر حتى نهاية الشهر.", Stance.STATEMENT),
        ("وأكد لافروف أن الوزارة لم تتلق أي طلب بهذا الشأن.", Stance.STATEMENT),
        # a person reports with ذكر / أفاد / نقل and states; an outlet or a claim verb claims
        ("وذكر لافروف أن الوفد وصل إلى العاصمة صباح اليوم.", Stance.STATEMENT),
        ("ونقلت فرانس برس عن لافروف قوله إن الوفد سيصل غدا.", Stance.STATEMENT),
        ("وزعم لافروف أن الوفد وصل إلى العاصمة صباح اليوم.", Stance.CLAIM),
        # a guess is a claim
        ("وقال لافروف إن المسلحين ربما عبروا الحدود ليلا.", Stance.CLAIM),
    ],
)
def test_stance_from_the_words(body: str, stance: Stance) -> None:
    [q] = run(body)
    assert q.stance == stance


def test_words_do_not_override_a_verb_with_its_own_stance() -> None:
    [q] = run("وحذر لافروف من أن الأنباء الكاذبة تهدد الاستقرار في المنطقة.")
    assert q.stance == Stance.WARNING


def test_stance_words_file_is_validated() -> None:
    assert default_stance_words().phrases
    with pytest.raises(ConfigError, match="stance"):
        parse_stance_words({"phrases": {"shouting": ["كذب"]}})
    with pytest.raises(ConfigError, match="phrases"):
        parse_stance_words({"phrases": {"denial": "كذب"}})
    with pytest.raises(ConfigError, match="fillers"):
        parse_stance_words({"phrases": {"denial": ["كذب"]}, "fillers": "تماما"})
    with pytest.raises(ConfigError, match="unknown"):
        parse_stance_words({"phrases": {"denial": ["كذب"]}, "words": []})
    with pytest.raises(ConfigError, match="claim_sources"):
        parse_stance_words({"phrases": {"denial": ["كذب"]}, "claim_sources": "مصادر"})


def _words(text: str) -> list[str]:
    return normalize_text(text).split()


def test_stance_words_match_whole_words_without_fillers() -> None:
    sw = parse_stance_words(
        {"override": ["statement"], "fillers": ["تماما"], "phrases": {"denial": ["غير صحيح"]}}
    )
    assert sw.of_words(_words("هذا غير صحيح تماما")) == Stance.DENIAL
    assert sw.of_words(_words("هذا غير تماما صحيح")) == Stance.DENIAL  # the filler is dropped
    assert sw.of_words(_words("وغير صحيح")) == Stance.DENIAL
    assert sw.of_words(_words("هذا غير صحيحي")) is None  # whole words only
    assert sw.stance(Stance.WARNING, _words("هذا غير صحيح")) == Stance.WARNING  # not an overridable cue


def test_a_headline_quote_takes_its_stance_from_the_words() -> None:
    [q] = extract_quotes("", [], title="وزارة الصحة: لا صحة لإغلاق المستشفيات في العاصمة")
    assert q.in_headline and q.stance == Stance.DENIAL
    [q] = extract_quotes("", [], title="وزارة الصحة: افتتاح مستشفى جديد في العاصمة")
    assert q.stance == Stance.STATEMENT


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ("ونفت الوزارة صحة ما نشرته الصحيفة عن إغلاق الحدود.", "ما نشرته الصحيفة عن إغلاق الحدود"),
        ("وفندت الحكومة الادعاءات التي روجتها حسابات على مواقع التواصل.",
         "الادعاءات التي روجتها حسابات على مواقع التواصل"),
        ("وكذبت الشرطة الرواية المتداولة عن الحادث.", "الرواية المتداولة عن الحادث"),
    ],
)  # fmt: skip
def test_a_denial_of_an_object_keeps_what_is_denied(body: str, text: str) -> None:
    [q] = run(body)
    assert q.text == text and q.stance == Stance.DENIAL and q.speaker is not None


# ------------------------------------------------------------------ frames read from data/frames.yaml
@pytest.mark.parametrize(
    ("body", "text", "speaker", "cue"),
    [
        # attribution by a preposition before the words
        ("وفقا للأمم المتحدة، فإن أكثر من مليون شخص نزحوا من المدينة خلال الأسبوع الماضي.",
         "أكثر من مليون شخص نزحوا من المدينة خلال الأسبوع الماضي", "الأمم المتحدة", "وفقا"),
        ("وبحسب مصادر طبية، قتل عشرون شخصا في القصف على السوق.", "قتل عشرون شخصا في القصف على السوق",
         "مصادر طبية", "وبحسب"),
        ("حسبما أعلنت الأمم المتحدة، فإن المساعدات ستصل إلى المدينة غدا.", "المساعدات ستصل إلى المدينة غدا",
         "United Nations", "أعلنت"),
        # attribution after the words
        ("ستبدأ المفاوضات الأسبوع المقبل في جنيف، كما كتب لافروف على منصته.",
         "ستبدأ المفاوضات الأسبوع المقبل في جنيف", "Sergey Lavrov", "كتب"),
        # a cue inside a subordinate clause, and an SVO subject with "قد" and a quoted name
        ("وجاء ذلك بعد أن أعلن لافروف أمس أنه لن يحضر الاجتماع في جنيف.", "لن يحضر الاجتماع في جنيف",
         "Sergey Lavrov", "أعلن"),
        ('وكانت وكالة "فرانس برس" قد أفادت بأن القوات انسحبت من المدينة.', "القوات انسحبت من المدينة",
         "AFP", "أفادت"),
        # the object of a denial is not part of its subject; "ما" opens a denied object
        ("ونفت الأمم المتحدة التقارير عن تعليق عملياتها في المدينة.",
         "التقارير عن تعليق عملياتها في المدينة", "United Nations", "ونفت"),
        ("ونفى لافروف ما نقلته فرانس برس عن مصادر بشأن لقاء مع الوفد الأمريكي.",
         "ما نقلته فرانس برس عن مصادر بشأن لقاء مع الوفد الأمريكي", "Sergey Lavrov", "ونفى"),
    ],
)  # fmt: skip
def test_frames(body: str, text: str, speaker: str, cue: str) -> None:
    [q] = run(body)
    assert (q.text, who(q), q.cue) == (text, speaker, cue)


def test_a_cue_with_its_own_words_after_kama_is_not_attribution_after() -> None:
    [q] = run("ستبدأ المفاوضات الأسبوع المقبل، كما قال لافروف إن الوفد سيصل غدا.")
    assert q.text == "الوفد سيصل غدا" and q.cue == "قال"


def test_a_bare_prepositional_phrase_is_no_speaker() -> None:
    assert run("وبحسب الخطة الجديدة، تبدأ الدراسة في الأسبوع الأول من الشهر.") == []


def test_news_agency_name_is_not_cut_at_a_report_noun() -> None:
    [q] = run("وذكرت وكالة الأنباء الرسمية أن الرئيس سيزور المدينة غدا.")
    assert q.speaker is not None and q.speaker.text == "وكالة الأنباء الرسمية"


def test_second_quoted_span_after_one_cue() -> None:
    qs = run('وقال لافروف: "لن نقبل بهذه الشروط"، "الحوار هو الحل الوحيد أمامنا".')
    assert [q.text for q in qs] == ["لن نقبل بهذه الشروط", "الحوار هو الحل الوحيد أمامنا"]
    assert [who(q) for q in qs] == ["Sergey Lavrov", "Sergey Lavrov"] and qs[1].cue == "وقال"


def test_frames_file_is_validated() -> None:
    assert default_frames().subordinators
    good = yaml.safe_load(FRAMES_PATH.read_text(encoding="utf-8"))
    with pytest.raises(ConfigError, match="subordinators"):
        parse_frames({**good, "subordinators": "عندما"})
    with pytest.raises(ConfigError, match="unknown keys"):
        parse_frames({**good, "triggers": ["حسب"]})
    with pytest.raises(ConfigError, match="before_max_speaker"):
        parse_frames({**good, "before_max_speaker": 0})
    with pytest.raises(ConfigError, match="referring_heads"):
        parse_frames({**good, "referring_heads": {"people": ["الرجل"]}})


# ------------------------------------------------------------------ what a denial answers (Quote.answers)
@pytest.mark.parametrize(
    ("body", "answers"),
    [
        ("ونفى لافروف صحة ما نشرته صحيفة واشنطن بوست عن لقاء سري في فيينا.", "صحيفة واشنطن بوست"),
        ("ونفى المتحدث باسم الحكومة، سيرغي لافروف، اليوم، المزاعم التي أوردتها صحيفة التايمز.",
         "صحيفة التايمز"),
        ('وقال لافروف عن تقرير صحيفة واشنطن بوست: "هذا غير صحيح على الإطلاق".', "صحيفة واشنطن بوست"),
        ("ونفى لافروف ما نقلته فرانس برس عن مصادر بشأن لقاء مع الوفد.", "فرانس برس"),
        ("ورفضت ميركل تقرير وكالة فرانس برس عن خطة لتقليص المساعدات.", "فرانس برس"),
        ("ونفت ميركل أن تكون الحكومة قد وافقت على الخطة.", None),
        ("وقال لافروف إن الحوار مستمر مع الجميع.", None),
        # a source named by its kind, after "ما ورد في" / "ما أوردته"
        ("ونفت وزارة العمل صحة ما ورد في إحدى الصحف المحلية حول وقف التوظيف.", "إحدى الصحف المحلية"),
        ("ونفى لافروف ما أوردته وسائل إعلام محلية عن استقالته.", "وسائل إعلام محلية"),
        # a report or document noun between the relaying verb and its issuer
        ("ونفت الهيئة ما ورد ببيان هيئة الموانئ أمس.", "هيئة الموانئ"),
        ("ونفى لافروف ما جاء في تقرير لصحيفة التايمز عن المفاوضات.", "صحيفة التايمز"),
        ("ونفى الكرملين ما نشره موقع أكسيوس عن القمة.", "موقع أكسيوس"),
        # "ورد" is "and he replied" when no relative stands before it
        ('ورد لافروف على التقرير: "هذا غير صحيح".', None),
        # "التي تحدثت عن": the content, not a source
        ("ونفى لافروف المزاعم التي تحدثت عن لقاء سري في فيينا.", None),
    ],
)  # fmt: skip
def test_a_denial_records_the_report_it_answers(body: str, answers: str | None) -> None:
    [q] = run(body)
    assert q.answers == answers


def test_a_denial_of_that_answers_the_report_given_before() -> None:
    body = "وذكرت صحيفة الغارديان أن الوزير التقى بالوفد سرا. ونفى لافروف ذلك في مؤتمر صحفي."
    report, denial = run(body)
    assert report.answers is None and denial.stance == Stance.DENIAL
    assert denial.answers == "صحيفة الغارديان"


def test_a_denial_of_the_reports_answers_the_outlet_quoted_before() -> None:
    body = "وذكرت صحيفة الغارديان أن الوزير التقى بالوفد سرا. ونفى لافروف الأنباء في مؤتمر صحفي."
    _, denial = run(body)
    assert denial.stance == Stance.DENIAL and denial.answers == "صحيفة الغارديان"
    _, other = run("وقال أردوغان إن الوفد وصل. ونفى لافروف الأنباء في مؤتمر صحفي.")
    assert other.answers is None  # no outlet spoke before: nothing to answer


def test_what_he_published_is_the_words_of_the_speaker_quoted_before() -> None:
    body = "وقال أردوغان إن الحكومة الألمانية فاشلة. وردت ميركل واصفة ما قاله بأنه افتراء."
    first, reply = run(body)
    assert who(first) == "Recep Tayyip Erdogan" and reply.stance == Stance.DENIAL
    assert reply.answers == first.speaker.name_ar if first.speaker else False


# ------------------------------------------------------- one-word subjects that refer back (referring_heads)
def test_the_agency_is_the_outlet_named_before() -> None:
    body = "وذكرت وكالة فرانس برس أن الوفد وصل إلى المدينة. وأوضحت الوكالة أن المحادثات تبدأ غدا."
    first, second = run(body)
    assert who(first) == who(second) == "AFP"


def test_the_ministry_is_the_one_whose_name_has_the_word() -> None:
    mfa = Entity(
        id="o:mfa", kind=EntityKind.ORGANIZATION, name_ar="وزارة الخارجية", name_en="Foreign Ministry"
    )
    body = (
        "وقالت وزارة الخارجية إن السفير استدعي. وقالت المنظمة إن القوافل ستستمر. "
        "وأوضحت الوزارة أن الاستدعاء إجراء روتيني."
    )
    at = body.index("وزارة الخارجية")
    m = Mention(start=at, end=at + len("وزارة الخارجية"), text="وزارة الخارجية", kind=MentionKind.NAME,
                entity_id="o:mfa", entity_type=EntityKind.ORGANIZATION)  # fmt: skip
    first, other, ministry = extract_quotes(body, [m], entities={"o:mfa": mfa}.get)
    assert who(first) == who(ministry) == "Foreign Ministry"
    assert who(other) == "المنظمة"  # no organisation with that word named before: the word stays


def test_the_statement_alone_is_not_the_newspaper_of_that_name() -> None:
    bayan = Entity(id="m:bayan", kind=EntityKind.MEDIA, name_ar="البيان", name_en="Al Bayan")
    body = "وأضاف البيان أن اللجنة ستجتمع الأسبوع المقبل."
    m = Mention(start=5, end=11, text="البيان", kind=MentionKind.NAME, entity_id="m:bayan",
                entity_type=EntityKind.MEDIA)  # fmt: skip
    [q] = extract_quotes(body, [m], entities={"m:bayan": bayan}.get)
    assert q.speaker is not None and q.speaker.kind == SpeakerKind.ORGANIZATION
    assert q.speaker.entity_id is None and q.speaker.text == "البيان"


# ------------------------------------------------------------------- documents and marked cues
@pytest.mark.parametrize(
    ("body", "text", "speaker"),
    [
        ('وجاء في بيان للأمم المتحدة أن "المساعدات ستصل إلى المدينة خلال الأسبوع المقبل".',
         "المساعدات ستصل إلى المدينة خلال الأسبوع المقبل", "الأمم المتحدة"),
        ('وجاء في بيان رسمي أصدرته النقابة "من غير المعقول أن تطالب الإدارة العمال بتضحيات كبيرة في هذا الوقت".',
         "من غير المعقول أن تطالب الإدارة العمال بتضحيات كبيرة في هذا الوقت", "النقابة"),
        ("وقال لافروف إن الحوار مستمر. وجاء في بيانه أن الوفد سيصل غدا.", "الوفد سيصل غدا", "Sergey Lavrov"),
        ('وكتب لافروف على تويتر "لا يخفى على المراقب أن العلاقات ليست في أحسن حالاتها".',
         "لا يخفى على المراقب أن العلاقات ليست في أحسن حالاتها", "Sergey Lavrov"),
    ],
)  # fmt: skip
def test_document_frames_and_marked_cues(body: str, text: str, speaker: str) -> None:
    q = run(body)[-1]
    assert (q.text, who(q)) == (text, speaker)


def test_a_document_of_nobody_named_and_a_short_quote_after_kataba_are_no_quotes() -> None:
    assert run("وجاء ذلك في بيان للحكومة.") == []
    assert run('وكتب لافروف على الجدار "لا للحرب".') == []


def test_rejecting_reports_is_denying_them() -> None:
    [q] = run("ورفضت ميركل التقارير التي نشرتها صحيفة التايمز عن الصفقة.")
    assert q.stance == Stance.DENIAL and q.answers == "صحيفة التايمز"
    [q] = run("ورفضت ميركل الخطة الجديدة للمدينة.")
    assert q.stance == Stance.REJECTION and q.answers is None


# ------------------------------------------------------------------------------------------- noise
def test_a_dateline_dash_opens_the_clause_and_the_city_is_no_speaker() -> None:
    for body in (
        "موسكو - قال لافروف إن الحوار مستمر.",
        "خالد الحربي - موسكو في الخميس 3 أبريل 2025 - قال لافروف إن الحوار مستمر.",
    ):
        [q] = run(body)
        assert (q.text, who(q)) == ("الحوار مستمر", "Sergey Lavrov")


def test_a_dash_after_the_opening_mark_and_a_cut_off_fragment() -> None:
    [q] = run('وقال لافروف: "- لن نقبل بهذه الشروط أبدا".')
    assert q.text == "لن نقبل بهذه الشروط أبدا"
    assert [q.text for q in run("وقال لافروف إن الحوار مستمر. وأضاف أن ال")] == ["الحوار مستمر"]


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        ("وقالت السفيرة الأمريكية إن المحادثات مستمرة.", "السفيرة الأمريكية"),
        ("وقالت خبيرة في الاقتصاد إن الأسعار سترتفع.", "خبيرة في الاقتصاد"),
        ("وذكرت وكالات الأنباء أن الوفد وصل.", "وكالات الأنباء"),
        ("وقالت فصائل المعارضة إنها سترد على الهجوم.", "فصائل المعارضة"),
    ],
)
def test_female_professions_and_plural_heads_are_speakers(body: str, speaker: str) -> None:
    [q] = run(body)
    assert q.speaker is not None and q.speaker.text == speaker


# ------------------------------------------------------------------ denials: where the object starts
def _place(body: str, name: str) -> list[Mention]:
    at = body.index(name)
    return [Mention(start=at, end=at + len(name), text=name, kind=MentionKind.NAME, entity_id="g:" + name,
                    entity_type=EntityKind.PLACE)]  # fmt: skip


@pytest.mark.parametrize(
    ("body", "text", "speaker"),
    [
        # a place after the subject, an adverb after the verb
        ("ونفت البعثة في فيينا الاتهامات الموجهة إليها بقتل مدنيين.", "الاتهامات الموجهة إليها بقتل مدنيين",
         "البعثة"),
        ("إلا أن وسائل الإعلام في فيينا نفت الخبر جملة وتفصيلا.", "الخبر جملة وتفصيلا", "وسائل الإعلام"),
    ],
)  # fmt: skip
def test_a_place_beside_the_subject_is_not_what_is_denied(body: str, text: str, speaker: str) -> None:
    [q] = extract_quotes(body, _place(body, "فيينا"))
    assert (q.text, q.stance, q.speaker.text if q.speaker else None) == (text, Stance.DENIAL, speaker)


@pytest.mark.parametrize(
    ("body", "texts"),
    [
        ("ونفت ميركل علنا وجود أي اتفاق سري.", ["وجود أي اتفاق سري"]),
        ("ونفى لافروف هذه المعلومات في مؤتمر صحفي.", ["هذه المعلومات في مؤتمر صحفي"]),
        ("ونفت ميركل احتجازه قائلة إنه غادر البلاد.", ["احتجازه", "غادر البلاد"]),
        # a report noun, past a subject phrase the grammar does not read to its end
        ("نفى المتحدث الرسمي للاتحاد الأوروبي لكرة القدم الأنباء التي نشرتها الصحف.",
         ["الأنباء التي نشرتها الصحف"]),
    ],
)  # fmt: skip
def test_the_object_of_a_denial(body: str, texts: list[str]) -> None:
    qs = run(body)
    assert [q.text for q in qs] == texts and all(q.stance == Stance.DENIAL for q in qs)


def test_a_denial_reported_by_its_noun() -> None:
    [q] = run("ونقلت فرانس برس عن مصدر مسؤول نفيه للادعاءات.")
    assert (q.text, q.stance, q.via) == ("للادعاءات", Stance.DENIAL, "فرانس برس")
    assert q.speaker is not None and q.speaker.text == "مصدر مسؤول"


def test_the_same_speaker_goes_on_denying_in_the_sentence() -> None:
    denial, said = run('ونفى لافروف هذه المعلومات، وقال: "لم نلتق بأي وفد".')
    assert denial.stance == said.stance == Stance.DENIAL and who(said) == "Sergey Lavrov"
    _, other = run("ونفى لافروف هذه المعلومات. وقال لافروف إن الحوار مستمر.")
    assert other.stance == Stance.STATEMENT  # a new sentence is a new statement


def test_an_office_and_an_apposed_name_stand_between_verb_and_object() -> None:
    body = "نفى لافروف وزير الخارجية السابق، الاتهامات الموجهة إليه."
    at = body.index("وزير الخارجية")
    role = Mention(start=at, end=at + len("وزير الخارجية"), text="وزير الخارجية", kind=MentionKind.ROLE,
                   entity_id="p:lavrov", entity_type=EntityKind.PERSON)  # fmt: skip
    [q] = extract_quotes(body, sorted([*mentions_of(body), role], key=lambda m: m.start), entities=KB_GET)
    assert q.text == "الاتهامات الموجهة إليه" and who(q) == "Sergey Lavrov"
    [q] = run("ونفى قائد البعثة الأممية في المدينة، الجنرال سيرغي لافروف، استخدام القوة ضد المحتجين.")
    assert q.text == "استخدام القوة ضد المحتجين" and who(q) == "Sergey Lavrov"


def test_a_named_speaker_after_but_opens_a_clause_of_its_own() -> None:
    said, denied = run("وقال أردوغان إن الاتفاق قريب، لكن لافروف نفى ذلك في اليوم التالي.")
    assert (
        said.text == "الاتفاق قريب"
        and denied.text == "ذلك في اليوم التالي"
        and who(denied) == "Sergey Lavrov"
    )
    [q] = run("وقال أردوغان إن الأطفال بخير، لكن الأطباء رفضوا زيارتهم.")
    assert q.text == "الأطفال بخير، لكن الأطباء رفضوا زيارتهم"  # still the reported words
    first, second = run("ونفت ميركل وجود أي اتفاق، ورغم ذلك ذكر مصدر مقرب من الحكومة أن الاتفاق جاهز.")
    assert first.text == "وجود أي اتفاق" and second.text == "الاتفاق جاهز" and second.stance == Stance.CLAIM


# ------------------------------------------------------------------ denials in headlines and after them
@pytest.mark.parametrize(
    ("title", "speaker", "text"),
    [
        ("ميركل تنفي وجود خطة لتقليص المساعدات", "Angela Merkel", "وجود خطة لتقليص المساعدات"),
        ("«وزارة الصحة» تنفي إغلاق المستشفيات في العاصمة", "وزارة الصحة", "إغلاق المستشفيات في العاصمة"),
        ("مصرف الاتحاد ينفي نيته الاندماج مع بنك آخر", "مصرف الاتحاد", "نيته الاندماج مع بنك آخر"),
    ],
)
def test_a_headline_with_a_denying_verb_is_a_denial(title: str, speaker: str, text: str) -> None:
    [q] = extract_quotes(
        "", mentions_of(title), title=title, title_mentions=mentions_of(title), entities=KB_GET
    )
    assert q.in_headline and q.stance == Stance.DENIAL and q.text == text and who(q) == speaker


def test_a_headline_with_another_verb_is_no_quote() -> None:
    assert extract_quotes("", [], title="ميركل تزور العاصمة الأسبوع المقبل") == []
    assert extract_quotes("", [], title="لماذا تنفي الحكومة كل شيء") == []


def test_the_words_that_follow_a_denial_and_negate_go_on_denying() -> None:
    body = (
        "وكذب لافروف الأنباء التي تحدثت عن لقاء سري مع الوفد.\n"
        'وقال لافروف في تصريح هاتفي: "لم نلتق بأي وفد في الأسابيع الماضية". وتابع أن الحوار مستمر.'
    )
    denial, said, then = run(body)
    assert denial.stance == said.stance == Stance.DENIAL  # the words negate: the denial goes on
    assert then.stance == Stance.STATEMENT  # they do not: a statement
    _, other = run('وكذب لافروف الأنباء. وقالت ميركل: "لم نلتق بأي وفد".')
    assert other.stance == Stance.STATEMENT  # another speaker


def test_a_denying_headline_over_the_same_speakers_denial_is_kept_as_a_headline_quote() -> None:
    title = "لافروف ينفي خطط نقل القوات"
    body = 'ونفى لافروف في مؤتمر صحفي أن تكون موسكو "تخطط لأي تصعيد على الحدود".'
    qs = extract_quotes(
        body, mentions_of(body), title=title, title_mentions=mentions_of(title), entities=KB_GET
    )
    assert [q.in_headline for q in qs] == [True, False]
    assert all(q.stance == Stance.DENIAL and who(q) == "Sergey Lavrov" for q in qs)


def test_what_a_denial_answers_is_no_pronoun_and_names_the_agency_in_full() -> None:
    [q] = run("ونفى لافروف الأنباء التي ذكرتها وكالة الأنباء الأرجنتينية عن لقاء سري.")
    assert q.answers == "وكالة الأنباء الأرجنتينية"
    [q] = run("ونفى لافروف ما جاء في تقرير بصحيفة التايمز عن المفاوضات.")
    assert q.answers == "صحيفة التايمز"  # not "بصحيفة"
    [q] = run("ونفى لافروف ما نشرت فيه الصحف أن اللقاء تم.")
    assert q.answers == "الصحف"  # not the pronoun "فيه"


def test_a_relative_pronoun_after_a_named_speaker_opens_their_own_words() -> None:
    body = (
        "وقال أردوغان إنه اتصل بالمستشارة الألمانية، أنغيلا ميركل، التي نفت بدورها علمها بالصفقة، "
        "وأشار إلى أنه سيزور برلين."
    )
    said, denied, then = run(body)
    assert said.text == "اتصل بالمستشارة الألمانية، أنغيلا ميركل" and who(said) == "Recep Tayyip Erdogan"
    assert (
        denied.text == "علمها بالصفقة" and denied.stance == Stance.DENIAL and who(denied) == "Angela Merkel"
    )
    assert who(then) == "Recep Tayyip Erdogan"  # the relative clause does not change who "وأشار" is
    [q] = run("وكانت ميركل، التي كانت نفت قبل أشهر الأمر، قد عادت إلى برلين.")
    assert q.text.startswith("الأمر") and who(q) == "Angela Merkel"


# ------------------------------------------------------------- honorifics, ranks and the office's body
def _name(q: object) -> str | None:
    sp = getattr(q, "speaker", None)
    return sp.name_ar if sp is not None else None


@pytest.mark.parametrize(
    ("body", "name"),
    [
        # an honorific before the title and another before the name
        ("أكد معالي وزير المالية الأستاذ خالد بن محمد العتيبي أن الميزانية ستعلن الشهر المقبل.",
         "خالد بن محمد العتيبي"),
        # a rank joined to the name, and a first name the gazetteer lacks but "بن" shows
        ("ونفى العقيد الركن سامي الحربي أن تكون القوات قد انسحبت من المعبر.", "سامي الحربي"),
        ("وأكد صاحب السمو الملكي الأمير عبدالعزيز بن ناصر أن المهرجان سيقام في موعده.", "عبدالعزيز بن ناصر"),
        # a place, then a rank, then the name
        ("وقال مدير الإعلام في الوزارة العميد سامي الحربي إن الطريق أعيد فتحه.", "سامي الحربي"),
        # the office's body by ل ("لوزارة", "للاتحاد … لكرة القدم") is part of the title
        ("وقال المتحدث الرسمي لوزارة النقل فهد السبيعي إن الرحلات ستستأنف غدا.", "فهد السبيعي"),
        ("ونفى المتحدث الرسمي للاتحاد الوطني لكرة السلة فهد السبيعي الأنباء عن إقالة المدرب.", "فهد السبيعي"),
    ],
)  # fmt: skip
def test_honorifics_ranks_and_the_offices_body_lead_to_the_name(body: str, name: str) -> None:
    [q] = run(body)
    assert _name(q) == name and q.speaker is not None and q.speaker.kind == SpeakerKind.PERSON


def test_a_name_is_not_read_into_the_object_of_a_denial() -> None:
    [q] = run("ونفى المتحدث باسم النادي فهد السبيعي الأنباء عن رحيل المدرب.")
    assert _name(q) == "فهد السبيعي" and q.text == "الأنباء عن رحيل المدرب"


def test_an_honorific_title_later_means_the_person_named_with_it() -> None:
    body = (
        "التقى معالي وزير المالية الأستاذ خالد بن محمد العتيبي اليوم وفدا من المستثمرين.\n"
        "وقال وزير المالية إن الحوافز الجديدة ستعلن قريبا، مشيرا إلى أن الرسوم لن ترتفع."
    )
    q1, q2 = run(body)
    assert _name(q1) == _name(q2) == "خالد بن محمد العتيبي"


def test_a_place_then_a_person_mention_after_a_title() -> None:
    body = "وقال المتحدث باسم الحكومة في برلين سيرغي لافروف إن المحادثات ستستأنف."
    [q] = run(body)
    assert who(q) == "Sergey Lavrov"


def test_honorifics_file_entries_are_word_sequences() -> None:
    fr = default_frames()
    words = ["صاحب", "السمو", "الملكي", "الامير"]
    assert fr.honorific_at(lambda k: normalize_text(words[k]) if k < len(words) else "", 0) == 3
    assert "معالي" in {normalize_text(w) for w in fr.honorific_words}


# --------------------------------------------------------- a medium relays a source: the source speaks
def _place_mentions(body: str, *names: str) -> list[Mention]:
    out = mentions_of(body)
    for name in names:
        lo = body.find(name)
        out.append(Mention(entity_id=None, entity_type=EntityKind.PLACE, kind=MentionKind.NAME,
                           text=name, start=lo, end=lo + len(name)))  # fmt: skip
    return sorted(out, key=lambda m: m.start)


@pytest.mark.parametrize(
    ("body", "speaker", "via", "text"),
    [
        # a day in commas between the outlet and its "عن"
        ("نقلت وكالة فرانس برس، الأحد، عن مسؤول في الميناء قوله إن السفن ستغادر غدا.",
         "مسؤول في الميناء", "فرانس برس", "السفن ستغادر غدا"),
        # a quoted outlet name of two words
        ('ونقلت قناة "الشرق 24" عن موظفين في المصنع قولهم إنهم لم يتقاضوا رواتبهم.',
         "موظفين في المصنع", None, "لم يتقاضوا رواتبهم"),
        # an aside on the source's anonymity between the source and its words
        ('ونقلت صحيفة "النهار" عن ممرضة في المستشفى، رفضت الكشف عن اسمها، أن الأسرة ممتلئة منذ أيام.',
         "ممرضة في المستشفى", None, "الأسرة ممتلئة منذ أيام"),
    ],
)  # fmt: skip
def test_a_relayed_source_is_the_speaker(body: str, speaker: str, via: str | None, text: str) -> None:
    [q] = run(body)
    assert q.speaker is not None and q.speaker.text == speaker and q.text == text
    assert q.via is not None and (via is None or via in q.via)


def test_a_relaying_aside_names_the_medium_not_the_speaker() -> None:
    body = "وأوضح مدير المطار فهد السبيعي، وفقا لما نقلت عنه صحيفة الوطن، بأن الرحلات عادت إلى طبيعتها."
    [q] = run(body)
    assert _name(q) == "فهد السبيعي" and q.via == "صحيفة الوطن" and q.text == "الرحلات عادت إلى طبيعتها"


def test_a_place_inside_a_media_or_government_phrase_is_not_the_speaker() -> None:
    body = "وأفادت وسائل إعلام سورية بأن الدفاعات الجوية تصدت لصواريخ فوق حمص."
    [q] = extract_quotes(body, _place_mentions(body, "سورية", "حمص"), entities=KB_GET)
    assert q.speaker is not None and q.speaker.kind == SpeakerKind.MEDIA
    assert q.speaker.entity_id is None and q.speaker.text == "وسائل إعلام سورية"


# ------------------------------------------------------- what stands between a denial and its object
@pytest.mark.parametrize(
    ("body", "texts"),
    [
        # the occasion of the words, with an addressee, before the object
        ("ونفى لافروف بتصريح لـ CNN وجود أي اتصالات مع المعارضة.", ["وجود أي اتصالات مع المعارضة"]),
        ("ووصف لافروف في تصريح له عقب الاجتماع، المحادثات بالمثمرة.", ["المحادثات بالمثمرة"]),
        # a participle with its link and complementizer opens a clause even without a comma
        ("ونفى لافروف صحة التقارير عن انسحاب القوات مشيرا إلى أن الوحدات باقية في مواقعها.",
         ["صحة التقارير عن انسحاب القوات", "الوحدات باقية في مواقعها"]),
        # a relaying aside whose verb carries its object pronoun
        ("نفى لافروف، فجر الأحد، وفقا لما نقلته وكالة فرانس برس، الأنباء عن استقالته.", ["الأنباء عن استقالته"]),
    ],
)  # fmt: skip
def test_what_stands_between_a_denial_and_its_object(body: str, texts: list[str]) -> None:
    qs = run(body)
    assert [q.text for q in qs] == texts and all(who(q) == "Sergey Lavrov" for q in qs)


def test_a_short_quoted_word_opens_the_object_of_a_denial() -> None:
    [q] = run("نفت الأمم المتحدة «الشائعات» حول إغلاق مكتبها في العاصمة.")
    assert q.kind == QuoteKind.INDIRECT and "حول إغلاق مكتبها في العاصمة" in q.text
    assert q.stance == Stance.DENIAL and who(q) == "United Nations"


def test_kama_with_a_denial_of_its_own_object_is_not_attribution_after() -> None:
    body = (
        "ونفت الحكومة التقارير عن الهجوم، كما نفى متحدث باسم الجيش، العميد سامي الحربي، علاقة القوات بالحادث."
    )
    qs = run(body)
    assert [q.text for q in qs] == ["التقارير عن الهجوم", "علاقة القوات بالحادث"]
    assert _name(qs[1]) == "سامي الحربي"
    assert "الصحية" in run("وأكدت الشئون الصحية بالمنطقة أن الحالات مستقرة.")[0].speaker.text  # type: ignore[union-attr]


# ------------------------------------------- what a denial answers: carriers, continuations, background
@pytest.mark.parametrize(
    ("body", "answers"),
    [
        # the outlet that carries the denial is not the report it denies
        ("ونفى لافروف علمه بالاتفاقية، وفقا لما نقلته فرانس برس.", None),
        ("ونفى لافروف علمه بالاتفاقية، بحسب وكالة الأنباء السورية.", None),  # "الأنباء" in a name
        ("يأتي هذا في وقت نقلت فيه فرانس برس عن مصدر مسؤول قوله إن الوفد وصل، ونفى لافروف استخدام "
         "الأسلحة الكيماوية.", None),
        # an accusation made or attributed, by a body or an office
        ("ونفت الوزارة الاتهامات التي وجهتها منظمة العفو الدولية للحكومة.", "منظمة العفو الدولية"),
        ("ونفى لافروف استخدام الأسلحة الكيماوية، ردا على اتهامات مدير مستشفى المدينة.",
         "مدير مستشفى المدينة"),
        # a country's adjective after the report word names the state
        ("ونفت ميركل الاتهامات البريطانية بالتقصير في حماية الحدود.", "المملكة المتحدة"),
        # the agent of a passive in a denial of reports
        ('ورفضت الوزارة التقارير، ووصفتها بأنها "مفبركة من قبل وسائل إعلام معادية".', "وسائل إعلام معادية"),
        # a rejection of what a named person proposed
        ("ورفض لافروف مقترح ميركل لوقف إطلاق النار في المدينة.", "أنغيلا ميركل"),
    ],
)  # fmt: skip
def test_what_a_denial_answers_in_more_shapes(body: str, answers: str | None) -> None:
    denial = [q for q in run(body) if q.stance in (Stance.DENIAL, Stance.REJECTION)][-1]
    assert denial.answers == answers


def test_a_denial_goes_on_answering_the_same_report() -> None:
    body = "ونفت الوزارة ما ورد في إحدى الصحف المحلية عن وقف التوظيف، مؤكدة أن العمل في المشروع مستمر."
    first, second = run(body)
    assert first.answers == second.answers == "إحدى الصحف المحلية"
    assert second.stance == Stance.DENIAL


def test_a_denial_answers_the_report_the_next_sentence_gives() -> None:
    body = "ونفى لافروف وجود أي مفاوضات سرية مع الوفد. وكانت صحيفة الغارديان قد ذكرت أن الوزير التقى بالوفد."
    denial, report = run(body)
    assert denial.answers == "صحيفة الغارديان" and report.answers is None
    # not the denier's own earlier words, and not a plain next sentence
    [q, _] = run("ونفى لافروف وجود أي مفاوضات سرية. وقالت صحيفة الغارديان إن الوزير التقى بالوفد.")
    assert q.answers is None


def test_a_denial_of_that_answers_the_accusation_just_before() -> None:
    accusation, denial = run("وقال أردوغان إن ميركل مسؤولة عن الانقلاب في بلاده. ونفت ميركل ذلك.")
    assert accusation.stance == Stance.ACCUSATION and denial.answers == "رجب طيب أردوغان"
    # "ذلك" after the denied words ("ورغم ذلك") points to nothing (the report stands in the paragraph
    # before: in the same one, a denial opening the next sentence answers it, pointer or not)
    quotes = run(
        "وذكرت صحيفة الغارديان أن الوفد وصل إلى المدينة.\nونفت ميركل وجود الوفد على أراضيها، ورغم ذلك "
        "قال مصدر إنه باق."
    )
    assert [q.answers for q in quotes if q.stance == Stance.DENIAL] == [None]


def test_a_colon_headline_over_the_same_words_in_the_body_is_kept_as_a_headline_quote() -> None:
    title = "لافروف: لا حوار قبل رفع العقوبات"
    body = 'وقال لافروف للصحفيين: "لا حوار قبل رفع العقوبات عن بلادنا".'
    qs = extract_quotes(
        body, mentions_of(body), title=title, title_mentions=mentions_of(title), entities=KB_GET
    )
    assert [q.in_headline for q in qs] == [True, False]
    assert all(who(q) == "Sergey Lavrov" for q in qs)


def test_what_a_denial_denies_ends_before_the_occasion() -> None:
    [q] = run("ونفى لافروف وجود أي مفاوضات للاندماج، وذلك بعد يوم من تقرير نشرته وكالة أسواق.")
    assert q.text == "وجود أي مفاوضات للاندماج" and q.stance == Stance.DENIAL
    assert q.answers == "وكالة أسواق"  # the sentence still names what it answers
    [s] = run("وقال لافروف إن الاجتماع سيعقد غدا، وذلك لبحث الأزمة في المدينة.")
    assert s.text == "الاجتماع سيعقد غدا، وذلك لبحث الأزمة في المدينة"  # not a denial: the clause goes on


def test_a_participle_with_words_of_their_own_does_not_carry_the_stance_before() -> None:
    demand, described = run('ودعا أردوغان الوزير إلى "أن يعرف حدوده"، واصفا ما نشره بأنه "افتراء".')
    assert demand.stance == Stance.DEMAND and described.stance == Stance.DENIAL
    denial, goes_on = run("ونفى لافروف وجود أي اتفاق، مؤكدا أن المحادثات مستمرة مع الجميع.")
    assert denial.stance == goes_on.stance == Stance.DENIAL  # plain words: the denial goes on


# ---------------------------------------------------------------------- a resumptive "فيها" after a name
def test_a_resumptive_after_a_name_in_commas_points_to_that_person() -> None:
    body = (
        "ونشر الموقع تصريحات نسبها إلى القيادي في الحزب، سامي الحربي، قال فيها إن الانتخابات ستجرى في موعدها."
    )
    q = run(body)[-1]
    assert _name(q) == "سامي الحربي" and q.text == "الانتخابات ستجرى في موعدها"


# ------------------------------------------------------------------ a subject fronted before asides
@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        # كان + subject + an apposed name in commas + the verb
        ("قال لافروف إن الحوار مستمر. وكانت المستشارة الألمانية، ميركل، أكدت أن الخطة لن تتغير.",
         "Angela Merkel"),
        # a contrast particle + an unnamed source + an anonymity aside
        ('قال لافروف إن الهجوم أوقع ثلاثة قتلى. إلا أن مسؤولا محليا، طلب عدم ذكر اسمه، قال: "القتلى خمسة".',
         "مسؤولا محليا"),
        # كان + an institution, an aside on the occasion, the verb
        ("قال لافروف إن الوضع مستقر. وكانت وزارة الدفاع الفرنسية، في بيان لها، نفت أن تكون قواتها قد انسحبت.",
         "وزارة الدفاع الفرنسية"),
    ],
)  # fmt: skip
def test_fronted_subject_speaks_after_asides(body: str, speaker: str) -> None:
    quotes = run(body)
    assert len(quotes) == 2 and who(quotes[1]) == speaker


def test_fronted_particle_mid_clause_is_not_a_subject() -> None:
    # "لكن" is inside the reported clause: the verb after the comma is the same speaker's continuation
    [q1, q2] = run("وقال لافروف إن الحوار مستمر لكن الوضع صعب، وأضاف أن الاجتماع سيعقد غدا.")
    assert who(q2) == "Sergey Lavrov" == who(q1)


@pytest.mark.parametrize(
    ("body", "text", "speaker", "stance"),
    [
        ("وأصدرت ميركل بيانا نفت فيه أي اتصال مع الوفد.", "أي اتصال مع الوفد", "Angela Merkel", Stance.DENIAL),
        ("ونشر لافروف تغريدة قال فيها إن المفاوضات انتهت.", "المفاوضات انتهت", "Sergey Lavrov", Stance.STATEMENT),
        ("وأدلى أردوغان بتصريح أكد فيه أن بلاده لن تتراجع.", "بلاده لن تتراجع", "Recep Tayyip Erdogan",
         Stance.STATEMENT),
    ],
)  # fmt: skip
def test_the_issuer_of_a_document_speaks_in_it(body: str, text: str, speaker: str, stance: Stance) -> None:
    [q] = run(body)
    assert (q.text, who(q), q.stance) == (text, speaker, stance)


def test_a_reported_denial_noun_takes_its_object() -> None:
    [q] = run("ونقلت الوكالة عن لافروف نفيه أي لقاء بين الرئيسين.")
    assert (q.text, who(q), q.stance) == ("أي لقاء بين الرئيسين", "Sergey Lavrov", Stance.DENIAL)


def test_what_a_denial_denies_ends_before_a_new_verb_after_a_comma() -> None:
    [q] = run("ونفى لافروف وجود أية اتصالات مع الوفد، ويعد محاموه دعوى ضد الصحيفة.")
    assert q.text == "وجود أية اتصالات مع الوفد" and q.stance == Stance.DENIAL


# ------------------------------------------------------------------------- a statement and its issuer
@pytest.mark.parametrize(
    "body",
    [
        "وحذر البيان الصادر عن الأمم المتحدة من أن المجاعة تتسع. وأضاف البيان أن المساعدات لا تكفي.",
        "وقال لافروف إن الحوار مستمر. وأكد بيان الأمم المتحدة أن المساعدات لا تكفي، وأضاف أن المجاعة تتسع.",
    ],
)
def test_a_statement_speaks_for_its_issuer(body: str) -> None:
    quotes = run(body)
    assert [who(q) for q in quotes if "المساعدات" in q.text or "المجاعة" in q.text] == ["United Nations"] * 2


def test_the_statement_given_in_a_statement_is_its_speakers() -> None:
    # "في بيان" after the verb: a later "وقال البيان" is the same speaker's
    quotes = run("وقال لافروف، في بيان، إن الحوار مستمر. وقال البيان إن الاجتماع سيعقد غدا.")
    assert [who(q) for q in quotes] == ["Sergey Lavrov", "Sergey Lavrov"]


@pytest.mark.parametrize(
    ("title", "stance"),
    [
        ("وزارة الصحة: لا زيادة في أسعار الأدوية هذا الشهر", Stance.DENIAL),
        ("وزير الداخلية: الموعد لم يتحدد بعد ولا اتفاق مع الجانب الآخر", Stance.DENIAL),
        ("مدرب المنتخب: لم نتلق أي عرض رسمي للاعب", Stance.DENIAL),
        # a verb after لا, "لا بد", a negated third person: what the headline states
        ("وزارة الصحة: لا نريد رفع أسعار الأدوية", Stance.STATEMENT),
        ("وزارة الصحة: لا بد من مراجعة أسعار الأدوية", Stance.STATEMENT),
        ("دراسة: الشاي لا يزيد خطر الأرق لدى الكبار", Stance.STATEMENT),
        ("وزير الداخلية: الموعد لم يتحدد بعد", Stance.STATEMENT),
    ],
)
def test_a_colon_headline_that_says_no(title: str, stance: Stance) -> None:
    [q] = extract_quotes("", [], title=title)
    assert q.in_headline and q.stance == stance


def test_a_headline_verb_whose_words_deny_is_a_denying_headline() -> None:
    title = 'وزارة الصحة تعتبر الأنباء عن إغلاق المستشفيات "غير صحيحة"'
    [q] = extract_quotes("", [], title=title, title_mentions=mentions_of(title), entities=KB_GET)
    assert q.in_headline and q.stance == Stance.DENIAL and q.cue == "تعتبر"
    title = "وزارة الصحة تعتبر الخطة الجديدة خطوة مهمة"  # words with no stance: no headline quote
    assert extract_quotes("", [], title=title, title_mentions=mentions_of(title), entities=KB_GET) == []


def test_a_denying_headline_names_the_report_it_answers() -> None:
    title = "وزارة الصحة تنفي تقرير فرانس برس عن إغلاق المستشفيات"
    [q] = extract_quotes("", [], title=title, title_mentions=mentions_of(title), entities=KB_GET)
    assert q.stance == Stance.DENIAL and q.answers == "فرانس برس"
    title = "وزارة الصحة تنفي إغلاق المستشفيات في العاصمة"  # no report named
    [q] = extract_quotes("", [], title=title, title_mentions=mentions_of(title), entities=KB_GET)
    assert q.stance == Stance.DENIAL and q.answers is None


# ------------------------------------------------ a masculine verb's feminine place or body is its object
@pytest.mark.parametrize(
    ("body", "text"),
    [
        ("وانتقد لافروف سياسة الحكومة، وحث أنقرة على أن تراعي مصالح جيرانها.", "تراعي مصالح جيرانها"),
        ("وقال لافروف إن الحوار مستمر. واتهم أجهزة الاستخبارات الغربية بالتجسس عليه.",
         "أجهزة الاستخبارات الغربية بالتجسس عليه"),
    ],
)  # fmt: skip
def test_a_masculine_verbs_feminine_body_is_its_object(body: str, text: str) -> None:
    quotes = run(body)
    assert [who(q) for q in quotes if q.text == text] == ["Sergey Lavrov"]


def test_a_feminine_verbs_body_is_its_subject() -> None:
    [_, q] = run("وقال لافروف إن الحوار مستمر. وأكدت الحكومة أن الاجتماع سيعقد.")
    assert who(q) == "الحكومة"


def test_a_colon_headline_speaker_ends_before_an_aside() -> None:
    title = "لافروف ردا على وزير بريطاني: تصريحاته أكاذيب لا تستحق الرد"
    [q] = extract_quotes("", [], title=title, title_mentions=mentions_of(title), entities=KB_GET)
    assert who(q) == "Sergey Lavrov" and q.stance == Stance.DENIAL and q.answers == "وزير بريطاني"
    title = "ميركل بعد لقاء الوفد: المفاوضات ستستأنف الشهر المقبل"
    [q] = extract_quotes("", [], title=title, title_mentions=mentions_of(title), entities=KB_GET)
    assert who(q) == "Angela Merkel" and q.answers is None


# ---------------------------------------------------------------- a contrast with a pronoun before the verb
def test_a_contrast_pronoun_is_the_sentences_first_subject() -> None:
    body = "وقال لافروف إن الحوار مستمر. ولم تؤكد الأمم المتحدة الخبر، ولكنها قالت إن الوفد سيصل غدا."
    assert [who(q) for q in run(body)] == ["Sergey Lavrov", "United Nations"]


def test_a_contrast_pronoun_after_a_quote_is_that_speaker() -> None:
    body = "وقال لافروف إن الحوار مستمر. وأشار إلى أن وفد الأمم المتحدة قد يصل، لكنه أوضح أن الموعد لم يحدد."
    assert {who(q) for q in run(body)} == {"Sergey Lavrov"}


def test_a_quoted_denying_verb_is_read_as_the_verb() -> None:
    [q] = run("إلا أن الأمم المتحدة «نفت بشدة» مزاعم إغلاق المعبر.")
    assert (q.text, who(q), q.stance) == ("مزاعم إغلاق المعبر", "United Nations", Stance.DENIAL)


def test_a_denial_opening_the_next_paragraph_answers_the_claim_of_the_same_thing() -> None:
    claim, denial = run(
        "وقالت مصادر تركية إن الشرطة عثرت على أدلة تثبت أن الوفد اختطف الصحفي داخل السفارة.\n"
        "وتنفي الحكومة أي علاقة لها باختطاف الصحفي من السفارة."
    )
    assert claim.stance == Stance.CLAIM and denial.answers == "مصادر تركية"
    # across a paragraph break, a denial of something else answers nothing
    _, other = run(
        "وقالت مصادر تركية إن الشرطة عثرت على أدلة تثبت أن الوفد اختطف الصحفي داخل السفارة.\n"
        "وتنفي الحكومة أي مسؤولية لها عن تأخير الرحلات في المطار."
    )
    assert other.stance == Stance.DENIAL and other.answers is None


def test_a_denial_answers_what_the_text_says_someone_told_earlier() -> None:
    body = (
        "نفى لافروف وجود أي اتفاق بين الجيشين على إعادة انتشار القوات في المناطق الحدودية.\n"
        "وفي وقت سابق، كشف أردوغان عن اتفاق بين الجيشين على إعادة انتشار القوات في المناطق الحدودية."
    )
    denial = run(body)[0]
    assert denial.answers == "رجب طيب أردوغان"
    # not when the earlier words are about something else
    body = (
        "نفى لافروف توسط الوزير لدى رئيس الحكومة في الخلاف على الرسوم.\n"
        "وفي وقت سابق، كشف أردوغان عن اتفاق بين الجيشين على إعادة انتشار القوات في المناطق الحدودية."
    )
    assert run(body)[0].answers is None


def test_words_opening_with_the_accusation_answered_reject_it() -> None:
    [q] = run("وقال لافروف إن الاتهامات البريطانية بأن موسكو مسؤولة عن الهجوم ترقى إلى أساليب العصابات.")
    assert q.stance == Stance.REJECTION and q.answers == "المملكة المتحدة"
    [q] = run("وقال لافروف إن الحكومة البريطانية مسؤولة عن الهجوم على المدنيين.")
    assert q.stance == Stance.ACCUSATION


def test_a_body_named_again_by_its_head_goes_on_denying_past_the_report_quoted_inside() -> None:
    quotes = run(
        "نفت شركة النفط الوطنية، الأحد، وجود أي خطة لبيع حصتها، وذلك بعد تقرير نشرته صحيفة الغارديان "
        'نقلت فيه عن مصادر مطلعة أن الشركة "تبحث عن مشترين".\n'
        'وقالت الشركة إنها "لم تتلق أي عرض ولم تناقش البيع".'
    )
    denial, later = quotes[0], quotes[-1]
    assert denial.stance == Stance.DENIAL and denial.answers is not None
    assert later.text == "لم تتلق أي عرض ولم تناقش البيع"
    assert later.stance == Stance.DENIAL and later.answers == denial.answers
