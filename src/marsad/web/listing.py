"""The filters every listing takes (``/stories``, ``/quotes``, ``/entities``, ``/outlets``, ``/storylines``,
their ``/api`` twins and ``/api/export/{listing}``), read once from the query string.

Parameters arrive as text and are checked here, because the HTML forms send ``""`` for every field left
empty (a typed ``date`` parameter would refuse the form); a value that does not parse is the same 422 the
API gives for any bad parameter. ``period`` (``24h``, ``week``, ``month``) is a shortcut for ``since``: it
counts back from the newest publication day in the store when that is earlier than today, so an archive
shows its last day of coverage rather than nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Literal

from fastapi import Depends, Query
from fastapi.exceptions import RequestValidationError

from marsad.model import Stance

PERIODS: dict[str, int] = {"24h": 1, "week": 6, "month": 29}  # days counted back before the last one
PERIODS_AR = {"24h": "آخر 24 ساعة", "week": "هذا الأسبوع", "month": "هذا الشهر"}
STANCE_VALUES = frozenset(s.value for s in Stance)

_DAY = r"^(\d{4}-\d{2}-\d{2})?$"
_INT = r"^\d{0,6}$"
DayQ = Annotated[str | None, Query(pattern=_DAY, max_length=10, description="A day, YYYY-MM-DD.")]
TextQ = Annotated[str | None, Query(max_length=200)]


@dataclass(frozen=True)
class ListingForm:
    """What a listing was asked for, as typed (``None`` for a field left empty)."""

    since: date | None = None
    until: date | None = None
    period: str | None = None
    outlet: str | None = None
    entity: str | None = None
    speaker: str | None = None
    stance: str | None = None
    language: str | None = None
    min_size: int | None = None
    max_size: int | None = None

    def query(self) -> dict[str, str]:
        """The filled fields as query parameters (for the pager, the export links, the API twin)."""
        return {k: v.isoformat() if isinstance(v, date) else str(v) for k, v in asdict(self).items() if v}

    def any(self) -> bool:
        return bool(self.query())

    def resolved(self, last_day: date | None, today: date | None = None) -> ListingForm:
        """The form with ``period`` turned into ``since``/``until`` (see the module docstring)."""
        if not self.period:
            return self
        today = today or datetime.now(UTC).date()
        anchor = min(today, last_day) if last_day else today
        return replace(self, since=anchor - timedelta(days=PERIODS[self.period]), until=anchor)


def _bad(param: str, message: str) -> RequestValidationError:
    return RequestValidationError([{"loc": ("query", param), "msg": message, "type": "value_error"}])


def _day(param: str, value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _bad(param, "not a day (YYYY-MM-DD)") from None


def _int(value: str | None) -> int | None:
    return int(value) if value else None


def _text(value: str | None) -> str | None:
    return value.strip() or None if value else None


async def listing_form(
    since: DayQ = None,
    until: DayQ = None,
    period: Annotated[
        Literal["24h", "week", "month", ""] | None,
        Query(description="Shortcut for since/until: the last 24 hours, week or month of coverage."),
    ] = None,
    outlet: TextQ = None,
    entity: Annotated[str | None, Query(max_length=200, description="An entity id or name.")] = None,
    speaker: Annotated[
        str | None, Query(max_length=200, description="Quotes: a speaker's entity id or name.")
    ] = None,
    stance: Annotated[str | None, Query(max_length=20, description="Quotes: one stance.")] = None,
    language: Annotated[str | None, Query(max_length=10, description="Articles' language, e.g. ar.")] = None,
    min_size: Annotated[str | None, Query(pattern=_INT, description="Stories: articles at least.")] = None,
    max_size: Annotated[str | None, Query(pattern=_INT, description="Stories: articles at most.")] = None,
) -> ListingForm:
    """The form (``async``: it does no I/O, so FastAPI does not send it to the thread pool)."""
    stance = _text(stance)
    if stance and stance not in STANCE_VALUES:
        raise _bad("stance", f"unknown stance (use one of: {', '.join(sorted(STANCE_VALUES))})")
    form = ListingForm(
        since=_day("since", since),
        until=_day("until", until),
        period=period or None,
        outlet=_text(outlet),
        entity=_text(entity),
        speaker=_text(speaker),
        stance=stance,
        language=_text(language),
        min_size=_int(min_size),
        max_size=_int(max_size),
    )
    if form.since and form.until and form.since > form.until:
        raise _bad("until", "until is before since")
    return form


Form = Annotated[ListingForm, Depends(listing_form)]
