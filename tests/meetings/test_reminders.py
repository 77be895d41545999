"""Action item reminders through the one reminder engine, on a frozen clock."""

from datetime import date, datetime, timedelta

import pytest
import time_machine

from core.actor import Actor
from core.models import OutboxMessage, Reminder, ReminderPreference
from core.services import reminders as engine
from meetings import services
from meetings.models import ActionItem
from tests.meetings.conftest import TZ, child_of

pytestmark = pytest.mark.django_db


def at(month, day, hour=9):
    return datetime(2026, month, day, hour, 0, tzinfo=TZ)


def sweep(moment):
    with time_machine.travel(moment, tick=False):
        return engine.reminders_sweep()


def item_mail(to=None):
    mail = OutboxMessage.objects.filter(kind="reminder:meeting_item_reminder").order_by("id")
    return list(mail.filter(to_email=to) if to else mail)


def test_each_partners_lead_hears_at_each_stage_once_and_never_about_the_parent(
    homework, partner, other_partner, lead, other_lead, editor
):
    assert sweep(at(9, 30)).by_source.get("meetings.action_item", 0) == 0  # before 14 days
    moments = [at(10, 1), at(10, 8), at(10, 13), at(10, 15), at(10, 22)]
    for moment in moments:
        sweep(moment)
        sweep(moment + timedelta(minutes=15))  # the next beat finds it claimed
    stages = list(
        Reminder.objects.filter(source="meetings.action_item", recipient=lead)
        .order_by("claimed_at")
        .values_list("stage", flat=True)
    )
    assert stages == ["before-14", "before-7", "before-2", "before-0", "overdue-1"]
    assert len(item_mail(lead.email)) == 5 and len(item_mail(other_lead.email)) == 5
    assert item_mail(editor.email) == []  # editors only when they ask
    subject_ids = set(
        Reminder.objects.filter(source="meetings.action_item").values_list("subject_id", flat=True)
    )
    assert subject_ids == {child_of(homework, partner).pk, child_of(homework, other_partner).pk}


def test_the_words_fit_the_state_and_the_link_opens_the_item(homework, partner, lead):
    sweep(at(10, 13))
    (mail,) = item_mail(lead.email)
    assert mail.subject.startswith("Reminder, due October 15:")
    assert "in 2 days" in mail.body_text
    assert "Salem-Keizer School District has an open action item" in mail.body_text
    assert "/accounts/link/" in mail.body_text
    sweep(at(10, 15))
    assert item_mail(lead.email)[-1].subject.startswith("Due today:")
    sweep(at(10, 22))
    overdue = item_mail(lead.email)[-1]
    assert overdue.subject.startswith("Overdue:")
    assert "7 days ago" in overdue.body_text


def test_a_ticked_item_stops_its_reminders_at_once(
    homework, partner, other_partner, lead, other_lead
):
    sweep(at(10, 1))
    services.action_item_complete(item=child_of(homework, partner), actor=Actor.of(lead))
    sweep(at(10, 8))
    assert len(item_mail(lead.email)) == 1
    assert (
        Reminder.objects.filter(
            source="meetings.action_item", subject_id=child_of(homework, other_partner).pk
        ).count()
        == 2
    )


def test_a_late_sweep_sends_the_latest_stage_once_not_a_burst(homework, lead):
    sweep(at(10, 14))  # the worker was down from Sept 30 to Oct 14
    assert [m.subject.split(":")[0] for m in item_mail(lead.email)] == ["Reminder, due October 15"]
    assert Reminder.objects.get(recipient=lead).stage == "before-2"


def test_a_person_item_reminds_its_owner_and_their_delegate(coordinator, meeting, nobody):
    ReminderPreference.objects.create(user=nobody, delegate_email="assistant@example.org")
    services.action_item_create(
        actor=Actor.of(coordinator), meeting=meeting, description="Write the summary slide",
        owner_kind=ActionItem.OwnerKind.PERSON, owner_user=nobody, due_on=date(2026, 10, 15),
    )  # fmt: skip
    sweep(at(10, 15))
    assert {m.to_email for m in item_mail()} == {nobody.email, "assistant@example.org"}
    roles = set(Reminder.objects.values_list("role", flat=True))
    assert roles == {"owner", "delegate"}


def test_an_opted_in_editor_hears_too(homework, partner, lead, editor):
    ReminderPreference.objects.create(user=editor, editor_opt_in=True)
    sweep(at(10, 1))
    assert len(item_mail(editor.email)) == 1


def test_a_meetings_own_schedule_sets_the_stages(homework, coordinator, lead):
    engine.schedule_set(
        owner=homework.meeting,
        days_before=[3],
        overdue_every_days=2,
        overdue_max=1,
        actor=Actor.of(coordinator),
    )
    sweep(at(10, 1))
    assert item_mail(lead.email) == []
    sweep(at(10, 12))
    sweep(at(10, 17))
    stages = list(
        Reminder.objects.filter(recipient=lead).order_by("id").values_list("stage", flat=True)
    )
    assert stages == ["before-3", "overdue-1"]


def test_remind_now_for_one_item(homework, partner, lead, coordinator):
    with time_machine.travel(at(9, 20), tick=False):
        sent = engine.reminder_send_now(
            source="meetings.action_item",
            subject=child_of(homework, partner),
            actor=Actor.of(coordinator),
        )
    assert sent == 1
    assert "network coordinator" in item_mail(lead.email)[0].body_text
