"""The calendar feed read back with the icalendar library: organizer, attendees with their
answers, the agenda as plain text and the meeting's address."""

import icalendar
import pytest
from django.conf import settings
from django.urls import reverse

from core.actor import Actor
from meetings import services
from meetings.ical import plain_text
from meetings.models import Meeting
from tests import factories

pytestmark = pytest.mark.django_db

AGENDA = """\
## Notes on the agenda

1. **What schools want** from the [partnership](https://example.org/p)
2. *Homework* for all partners
   - your `block`
"""


def _events(body: bytes) -> list:
    return [c for c in icalendar.Calendar.from_ical(body).walk() if c.name == "VEVENT"]


def _feed(client, user) -> list:
    token = services.calendar_feed_create(user=user, actor=Actor.of(user))
    response = client.get(reverse("meetings:calendar_feed", kwargs={"token": token}))
    assert response.status_code == 200
    return _events(response.content)


def test_the_feed_has_organizer_attendees_rsvp_plain_agenda_and_link(
    client, meeting, coordinator, lead, partner
):
    actor = Actor.of(coordinator)
    services.meeting_update(meeting=meeting, actor=actor, values={"agenda": AGENDA})
    services.attendance_add(meeting=meeting, user=lead, actor=actor, status="attended")
    services.attendance_add_guest(
        meeting=meeting, name="Ana Ruiz", email="ana@museum.example.org",
        organization="Gilbert House", status="absent", actor=actor,
    )  # fmt: skip
    services.attendance_add(meeting=meeting, user=coordinator, actor=actor)
    [event] = [e for e in _feed(client, coordinator) if str(e["summary"]) == meeting.title]

    organizer = event["organizer"]
    assert str(organizer) == f"mailto:{coordinator.email}"
    assert organizer.params["CN"] == str(coordinator)
    attendees = {str(a): a.params for a in event["attendee"]}
    assert attendees[f"mailto:{lead.email}"]["PARTSTAT"] == "ACCEPTED"
    assert attendees["mailto:ana@museum.example.org"]["PARTSTAT"] == "DECLINED"
    assert attendees["mailto:ana@museum.example.org"]["CN"] == "Ana Ruiz"
    assert attendees[f"mailto:{coordinator.email}"]["PARTSTAT"] == "NEEDS-ACTION"
    assert all(params["RSVP"] == "TRUE" for params in attendees.values())

    description = str(event["description"])
    for markup in ("##", "**", "*Homework*", "`", "](", "<"):
        assert markup not in description, markup
    assert "Notes on the agenda" in description
    assert (
        "1. What schools want from the partnership (https://example.org/p)\n"
        "2. Homework for all partners\n"
        "  - your block"
    ) in description
    url = settings.SITE_URL + meeting.get_absolute_url()
    assert str(event["url"]) == url and url in description

    # A partner's secret feed (whoever holds the address reads it) names the organizer but
    # no attendee's address, a guest's least of all: those are contact details.
    [theirs] = [e for e in _feed(client, lead) if str(e["summary"]) == meeting.title]
    assert str(theirs["organizer"]) == f"mailto:{coordinator.email}"
    assert "attendee" not in theirs
    assert b"ana@museum.example.org" not in theirs.to_ical()


def test_a_meeting_recorded_by_nobody_is_organized_by_the_portal_address(client, lead):
    meeting = factories.MeetingFactory(kind="network", created_by=None)
    [event] = [e for e in _feed(client, lead) if str(e["summary"]) == meeting.title]
    assert str(event["organizer"]).startswith("mailto:")
    assert "@" in str(event["organizer"])


def test_the_single_meeting_file_carries_the_same(client_for, meeting, coordinator, lead):
    services.attendance_add(meeting=meeting, user=lead, actor=Actor.of(coordinator))
    response = client_for(lead).get(reverse("meetings:ics", args=[meeting.pk]))
    [event] = _events(response.content)
    assert str(event["organizer"]) == f"mailto:{coordinator.email}"
    attendee = event["attendee"]
    assert str(attendee) == f"mailto:{lead.email}" and attendee.params["RSVP"] == "TRUE"


def test_hostile_names_do_not_break_the_file(client, meeting, coordinator, lead):
    services.attendance_add_guest(
        meeting=meeting, name='Eve "x"; ROLE=CHAIR:mailto:evil@example.org',
        email="eve@example.org", organization="=cmd|' /C calc'!A0", actor=Actor.of(coordinator),
    )  # fmt: skip
    Meeting.objects.filter(pk=meeting.pk).update(agenda="Line\x07one\n<b>bold</b> " + "x" * 20000)
    [event] = [e for e in _feed(client, coordinator) if str(e["summary"]) == meeting.title]
    [attendee] = (
        [event["attendee"]]
        if not isinstance(event["attendee"], list)
        else [a for a in event["attendee"] if "eve@" in str(a)]
    )
    assert str(attendee) == "mailto:eve@example.org"
    assert "<b>" not in str(event["description"]) and "\x07" not in str(event["description"])


def test_plain_text_keeps_words_and_drops_markup():
    html = "<h2>Goals</h2><p>A &amp; B <strong>now</strong></p><ul><li>one</li><li>two</li></ul>"
    assert plain_text(html) == "Goals\n\nA & B now\n\n- one\n- two"


def test_the_calendar_page_offers_subscribe_links_and_a_copy_button(client_for, lead):
    response = client_for(lead).post(reverse("meetings:calendar"), {"action": "create"})
    page = response.content.decode()
    https = settings.SITE_URL + "/meetings/calendar/"
    assert f'href="{https}' in page
    webcal = "webcal://" + https.split("://", 1)[1]
    assert f'href="{webcal}' in page and ".ics" in page
    assert "data-copy-button" in page and "js/meetings.js" in page
