"""Calendar entries written as RFC 5545 iCalendar with the icalendar library."""

from datetime import UTC, datetime

import icalendar
from django.utils import timezone

from core.calendar import CalendarEntry

PRODID = "-//STEM Partnership Portal//Meetings//EN"


def _text(value: str) -> icalendar.vText:
    """Text as iCalendar wants it: line breaks kept (vText escapes them as \\n), other
    control characters, which no calendar shows and some refuse, left out."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return icalendar.vText("".join(ch for ch in value if ch == "\n" or ch >= " " and ch != "\x7f"))


def _line(value: str) -> icalendar.vText:
    """A one-line property (a title, a place, the calendar's name). Titles are kept on one
    line when typed; one stored before that is shown with its breaks as spaces."""
    return _text(" ".join(value.splitlines()))


def _utc(value):
    return value.astimezone(UTC) if isinstance(value, datetime) else value


def calendar_render(*, entries: list[CalendarEntry], name: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # X- properties are written raw unless given as vText, which escapes them.
    calendar.add("x-wr-calname", _line(name))
    stamp = timezone.now().astimezone(UTC).replace(microsecond=0)
    for entry in entries:
        event = icalendar.Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", _utc(entry.start))
        event.add("dtend", _utc(entry.end))
        event.add("summary", _line(entry.summary))
        if entry.description:
            event.add("description", _text(entry.description))
        if entry.location:
            event.add("location", _line(entry.location))
        if entry.url:
            event.add("url", entry.url)
        if entry.modified:
            event.add("last-modified", _utc(entry.modified).replace(microsecond=0))
        calendar.add_component(event)
    return calendar.to_ical()
