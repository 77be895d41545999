"""People's calendar feeds: the entry type and the registry of sources.

The feed itself is the meetings app's (``meetings.selectors.calendar_entries``); other
apps add their deadlines by registering a source in their ``hooks`` module, which
``core.apps`` discovers at start-up::

    calendar_source_register(mou.selectors.mou_calendar_entries)

A source is called as ``source(user=user, now=now)`` and returns ``CalendarEntry`` objects
(all-day entries for deadlines), with a fixed number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class CalendarEntry:
    """One VEVENT. ``start``/``end`` are aware datetimes, or dates for all-day entries
    (``end`` is then the day after, as RFC 5545 wants)."""

    uid: str
    summary: str
    start: datetime | date
    end: datetime | date
    description: str = ""
    location: str = ""
    url: str = ""
    modified: datetime | None = None
    # (name, e-mail address) of who calls the meeting, or None.
    organizer: tuple[str, str] | None = None
    # (name, e-mail address, PARTSTAT: NEEDS-ACTION, ACCEPTED or DECLINED) per attendee.
    attendees: tuple[tuple[str, str, str], ...] = ()


CalendarSource = Callable[..., list[CalendarEntry]]
_SOURCES: list[CalendarSource] = []


def calendar_source_register(source: CalendarSource) -> CalendarSource:
    """Add a source of entries to every person's feed. Usable as a decorator."""
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def calendar_sources() -> tuple[CalendarSource, ...]:
    return tuple(_SOURCES)
