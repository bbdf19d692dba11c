"""Compression of large text columns (store/packing.py)."""

from __future__ import annotations

import zlib

from hypothesis import given
from hypothesis import strategies as st

from marsad.store.packing import news_dictionary, pack, unpack


@given(st.one_of(st.none(), st.text(), st.text(alphabet="ابتثجحخ ،.\n\u064b", min_size=200)))
def test_pack_round_trips(text: str | None) -> None:
    assert unpack(pack(text)) == text


def test_long_text_is_compressed_and_short_or_random_text_is_not() -> None:
    long = "قال الرئيس إن المحادثات مستمرة. " * 20
    z = pack(long)
    assert isinstance(z, bytes) and len(z) < len(long.encode()) // 4
    assert pack("قال") == "قال"  # too short to gain anything
    assert unpack(memoryview(z)) == long  # what some drivers hand back for a BLOB


def test_a_raw_text_packed_against_its_body_takes_a_few_bytes_and_needs_the_body() -> None:
    import pytest

    body = "قال المتحدث باسم الوزارة إن المحادثات مستمرة منذ أسبوعين، وإن الوفدين سيلتقيان مجددا. " * 8
    raw = body.replace("، ", "،\u00a0", 1) + "\n"
    z = pack(raw, like=body)
    assert isinstance(z, bytes) and len(z) < 40
    assert unpack(z, like=body) == raw
    with pytest.raises(ValueError, match="without it"):
        unpack(z)


def test_bodies_use_the_news_dictionary_and_old_values_still_read() -> None:
    import zlib

    text = "وأضاف الوزير في مؤتمر صحفي عقده اليوم الأحد أن الحكومة ستعلن خلال الأيام المقبلة عن خطة جديدة."
    text = text * 2
    z = pack(text)
    assert isinstance(z, bytes) and len(z) < len(zlib.compress(text.encode(), 6))
    assert unpack(z) == text
    old = zlib.compress(text.encode(), 6)  # what stores before schema version 11 hold
    assert unpack(old) == text


def test_pack_gives_the_bytes_of_a_fresh_compressor_every_time() -> None:
    texts = ["قال المتحدث إن الاجتماع سيعقد في موعده المحدد الأسبوع المقبل. " * k for k in (3, 7, 40)]
    for text in [*texts, *texts]:  # the second round reuses the template after it was copied
        z = zlib.compressobj(6, zdict=news_dictionary())
        assert pack(text) == z.compress(text.encode("utf-8")) + z.flush()
