"""Calendar entries written as RFC 5545 iCalendar with the icalendar library."""

from datetime import UTC, datetime

import icalendar
from django.utils import timezone

from meetings.selectors import CalendarEntry

PRODID = "-//STEM Partnership Portal//Meetings//EN"


def _utc(value):
    return value.astimezone(UTC) if isinstance(value, datetime) else value


def calendar_render(*, entries: list[CalendarEntry], name: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(UTC).replace(microsecond=0)
    for entry in entries:
        event = icalendar.Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", _utc(entry.start))
        event.add("dtend", _utc(entry.end))
        event.add("summary", entry.summary)
        if entry.description:
            event.add("description", entry.description)
        if entry.location:
            event.add("location", entry.location)
        if entry.url:
            event.add("url", entry.url)
        if entry.modified:
            event.add("last-modified", _utc(entry.modified).replace(microsecond=0))
        calendar.add_component(event)
    return calendar.to_ical()
