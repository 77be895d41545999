"""The demo meetings load once, from the seed notes, and show a live checklist."""

import pytest

from meetings import demo, selectors
from meetings.models import ActionItem, Meeting
from tests import factories

pytestmark = pytest.mark.django_db


def test_demo_meetings_load_once_with_the_homework_as_a_live_checklist(
    coordinator, partner, other_partner, lead, other_lead
):
    assert demo.load_demo_meetings() == 3
    assert demo.load_demo_meetings() == 0
    assert Meeting.objects.count() == 3

    held = Meeting.objects.get(title=demo.PARTNERSHIP_MEETING)
    assert held.notes_published_at is not None and "FIRST" in held.notes
    homework = ActionItem.objects.get(meeting=held, owner_kind="all_partners")
    assert "leader in your organization who would sign" in homework.description
    assert homework.children.count() == 2
    done = homework.children.get(status="done")
    assert done.owner_partner == other_partner and done.completed_by == other_lead
    assert held.attendances.filter(partner=partner).exists()

    breakout = Meeting.objects.get(title=demo.BREAKOUT)
    assert breakout.kind == "breakout" and "The pitch" in breakout.notes

    upcoming = Meeting.objects.get(title=demo.NEXT_MEETING)
    context = selectors.meeting_detail(meeting=upcoming, user=lead)
    assert context["previous"] == held
    assert homework in context["previous_items"]


def test_missing_partners_and_people_are_skipped(db):
    factories.PartnerFactory(name="Woodburn School District")
    assert demo.load_demo_meetings() == 3
    assert not ActionItem.objects.filter(owner_kind="person").exists()  # no coordinator
