from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marsad.parse.dates import parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5th, September 2025 GMT", "2025-09-05"),
        ("2025-09-05", "2025-09-05"),
        ("الجمعة 26 يناير 2024", "2024-01-26"),
        ("5 أيلول 2025", "2025-09-05"),
        ("الاثنين 11 تشرين الثاني 2024", "2024-11-11"),
        ("الأحد 3 كانون الأول 2023", "2023-12-03"),
        ("١١ نوفمبر ٢٠٢٤", "2024-11-11"),
        ("الخميس، 5 سبتمبر 2025 - 03:15 م", "2025-09-05"),
        ("Sun, 15 Jul 2018 21:56:56 +0400", "2018-07-15"),
        ("2015-07-21 02:51:32", "2015-07-21"),
        ("September 5, 2025", "2025-09-05"),
        ("05/09/2025", "2025-09-05"),
        ("12 جويلية 2023", "2023-07-12"),
        ("1 مارس/آذار 2022", "2022-03-01"),
        ("٣ حزيران ٢٠٢٤", "2024-06-03"),
    ],
)
def test_forms(text: str, expected: str) -> None:
    dt = parse_date(text)
    assert dt is not None and dt.date().isoformat() == expected


def test_time_and_zone() -> None:
    assert parse_date("الخميس، 5 سبتمبر 2025 - 03:15 م") == datetime(2025, 9, 5, 15, 15)
    assert parse_date("5th, September 2025 GMT") == datetime(2025, 9, 5, tzinfo=UTC)


@pytest.mark.parametrize("text", ["", "مرحبا بكم", "الجمعة", "31 فبراير 2024", "99/99/2024", "1 يناير 3024"])
def test_not_dates(text: str) -> None:
    assert parse_date(text) is None


@given(
    st.dates(min_value=datetime(1950, 1, 1).date(), max_value=datetime.now(UTC).date() - timedelta(days=1)),
    st.sampled_from(["{d} {m} {y}", "{d}th, {me} {y} GMT", "{y}-{mm:02d}-{d:02d}", "{wd} {d} {m} {y}"]),
)
def test_roundtrip_generated_dates(day, fmt: str) -> None:  # type: ignore[no-untyped-def]
    months = [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ]
    en = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    text = fmt.format(
        d=day.day, m=months[day.month - 1], me=en[day.month - 1], y=day.year, mm=day.month, wd="الجمعة"
    )
    dt = parse_date(text)
    assert dt is not None and dt.date() == day


@given(st.text(max_size=120))
def test_never_raises(s: str) -> None:
    parse_date(s)
