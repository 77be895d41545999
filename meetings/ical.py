"""Calendar entries written as RFC 5545 iCalendar with the icalendar library."""

from datetime import UTC, datetime
from html.parser import HTMLParser

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


class _PlainText(HTMLParser):
    """Sanitized Markdown HTML as the plain text a calendar shows: paragraphs and headings
    on their own lines, list items as "- " (numbered in an ordered list), links as
    "words (address)", no markup."""

    BLOCKS = {"p", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "ul", "ol", "table"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self.depth = 0
        # One counter per open list: None for a bulleted one, the next number for another.
        self.lists: list[int | None] = []

    def handle_starttag(self, tag, attrs):
        # A list inside a list item starts no paragraph: its items follow on the next lines.
        nested_list = tag in {"ul", "ol"} and self.lists
        if tag in self.BLOCKS and not nested_list:
            self.parts.append("\n\n")
        elif tag == "li":
            number = self.lists[-1] if self.lists else None
            mark = "- " if number is None else f"{number}. "
            if number is not None:
                self.lists[-1] = number + 1
            self.parts.append("\n" + "  " * max(self.depth - 1, 0) + mark)
        elif tag == "br":
            self.parts.append("\n")
        elif tag in {"td", "th"}:
            self.parts.append(" | ")
        if tag in {"ul", "ol"}:
            self.depth += 1
            start = dict(attrs).get("start") or ""
            if tag == "ol":
                self.lists.append(int(start) if start.isdigit() else 1)
            else:
                self.lists.append(None)
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag):
        if tag in {"ul", "ol"}:
            self.depth -= 1
            if self.lists:
                self.lists.pop()
        if tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self.parts.append(f" ({href})")

    def handle_data(self, data):
        if self.lists:
            # The line breaks around list items: each item starts its own line anyway.
            data = data.rstrip("\n")
            if not data.strip():
                return
        self.parts.append(data)

    def text(self) -> str:
        lines = "".join(self.parts).splitlines()
        text = "\n".join(line.rstrip() for line in lines)
        while "\n\n\n" in text:
            text = text.replace("\n\n\n", "\n\n")
        return text.strip()


def plain_text(html: str) -> str:
    """The words of sanitized HTML (a ``*_html`` column), for a calendar's DESCRIPTION."""
    parser = _PlainText()
    parser.feed(html or "")
    parser.close()
    return parser.text()


def _address(name: str, email: str, **params) -> icalendar.vCalAddress:
    address = icalendar.vCalAddress(f"mailto:{email}")
    if name:
        address.params["cn"] = icalendar.vText(" ".join(name.split()))
    for key, value in params.items():
        address.params[key.replace("_", "-")] = value
    return address


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
        if entry.organizer:
            event.add("organizer", _address(*entry.organizer))
        for name, email, partstat in entry.attendees:
            event.add(
                "attendee",
                _address(name, email, role="REQ-PARTICIPANT", partstat=partstat, rsvp="TRUE"),
            )
        calendar.add_component(event)
    return calendar.to_ical()
