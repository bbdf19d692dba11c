"""Reporting frames that were not read at all (issue 11, class 1): one sentence of our own per shape."""

from __future__ import annotations

import pytest

from marsad.model import QuoteKind

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
