"""Compression of large text columns (store/packing.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from marsad.store.packing import pack, unpack


@given(st.one_of(st.none(), st.text(), st.text(alphabet="ابتثجحخ ،.\n\u064b", min_size=200)))
def test_pack_round_trips(text: str | None) -> None:
    assert unpack(pack(text)) == text


def test_long_text_is_compressed_and_short_or_random_text_is_not() -> None:
    long = "قال الرئيس إن المحادثات مستمرة. " * 20
    z = pack(long)
    assert isinstance(z, bytes) and len(z) < len(long.encode()) // 4
    assert pack("قال") == "قال"  # too short to gain anything
    assert unpack(memoryview(z)) == long  # what some drivers hand back for a BLOB
