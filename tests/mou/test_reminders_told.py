"""An e-mail that already told the leads counts as a stage coming due within a day of it:
opening a version whose 14-day stage is due sends the invitation, not also a "Reminder:";
a reminder by hand is not followed by the sweep's an hour later."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from core.actor import Actor
from core.models import OutboxMessage, Reminder, ReminderPreference
from core.services import reminders as engine
from mou import services
from mou.models import RoleBlock

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("America/Los_Angeles")
# Stages: 14 days before on Oct 1 at 08:00, 7 days before on Oct 8, 2 days before on Oct 13.
DEADLINE = datetime(2026, 10, 15, 17, 0, tzinfo=TZ)


def at(month, day, hour=9, minute=0):
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


def opened_at(moment, coordinator):
    with time_machine.travel(moment, tick=False):
        version = services.version_create(
            actor=Actor.of(coordinator), title="Partnership MOU 2026", shared_text="Purpose",
            deadline=DEADLINE,
        )  # fmt: skip
        services.version_open(version=version, actor=Actor.of(coordinator))
    return RoleBlock.objects.select_related("version", "partner").get(version=version)


def sweep(moment):
    with time_machine.travel(moment, tick=False):
        return engine.reminders_sweep()


def reminders_to(email):
    return list(
        OutboxMessage.objects.filter(kind="reminder:reminder_block", to_email=email).order_by("id")
    )


def test_opening_when_the_first_stage_is_due_sends_the_invitation_and_no_reminder(
    coordinator, partner, lead
):
    opened_at(at(10, 1, 10), coordinator)  # two hours after the 14-day stage's moment
    assert OutboxMessage.objects.filter(kind="mou_opened", to_email=lead.email).count() == 1
    for moment in (at(10, 1, 10, 5), at(10, 1, 18), at(10, 2, 9), at(10, 7, 23)):
        sweep(moment)
    assert reminders_to(lead.email) == []
    assert not Reminder.objects.filter(source="mou.block").exists()
    sweep(at(10, 8, 8, 5))  # the 7-day stage is a week later: it is sent
    (reminder,) = reminders_to(lead.email)
    assert reminder.subject.startswith("Reminder:")


def test_a_stage_coming_due_within_a_day_after_the_invitation_counts_as_sent(
    coordinator, partner, lead
):
    opened_at(at(9, 30, 10), coordinator)  # the 14-day stage comes 22 hours later
    sweep(at(10, 1, 8, 5))
    assert reminders_to(lead.email) == []


def test_an_invitation_the_outbox_gave_up_on_told_nobody(coordinator, partner, lead):
    opened_at(at(10, 1, 10), coordinator)
    OutboxMessage.objects.filter(kind="mou_opened").update(status=OutboxMessage.Status.GAVE_UP)
    sweep(at(10, 1, 10, 5))
    assert len(reminders_to(lead.email)) == 1


def test_a_stage_more_than_a_day_after_the_invitation_is_sent(coordinator, partner, lead):
    opened_at(at(9, 29, 7), coordinator)  # 49 hours before the 14-day stage
    sweep(at(10, 1, 8, 5))
    assert len(reminders_to(lead.email)) == 1


def test_people_the_invitation_did_not_reach_still_get_the_stage(
    coordinator, partner, lead, editor
):
    ReminderPreference.objects.create(user=editor, editor_opt_in=True)
    ReminderPreference.objects.create(user=lead, delegate_email="assistant@example.org")
    opened_at(at(10, 1, 10), coordinator)
    sweep(at(10, 1, 10, 5))
    assert reminders_to(lead.email) == []
    assert len(reminders_to(editor.email)) == 1  # invitations go to leads only
    assert len(reminders_to("assistant@example.org")) == 1


def test_after_a_reminder_by_hand_the_sweep_sends_no_stage_within_a_day(coordinator, partner, lead):
    block = opened_at(at(9, 1, 10), coordinator)
    sweep(at(10, 1, 8, 5))  # the 14-day stage, long after the invitation
    assert len(reminders_to(lead.email)) == 1
    with time_machine.travel(at(10, 7, 15), tick=False):
        assert (
            engine.reminder_send_now(source="mou.block", subject=block, actor=Actor.of(coordinator))
            == 1
        )
    for moment in (at(10, 8, 8, 5), at(10, 8, 14), at(10, 9, 9)):
        sweep(moment)  # the 7-day stage came 17 hours after the reminder by hand
    assert len(reminders_to(lead.email)) == 2
    sweep(at(10, 13, 8, 5))  # the 2-day stage, days later, is sent
    assert len(reminders_to(lead.email)) == 3


def test_changes_requested_counts_as_the_stage_that_follows_within_a_day(
    coordinator, partner, lead
):
    block = opened_at(at(9, 1, 10), coordinator)
    with time_machine.travel(at(10, 7, 20), tick=False):
        RoleBlock.objects.filter(pk=block.pk).update(status=RoleBlock.Status.SUBMITTED)
        block.refresh_from_db()
        services.block_request_changes(
            block=block, actor=Actor.of(coordinator), comment="Name the signing leader."
        )
    sweep(at(10, 8, 8, 5))
    assert reminders_to(lead.email) == []


def test_the_dry_run_agrees_with_the_sweep(coordinator, partner, lead):
    opened_at(at(10, 1, 10), coordinator)
    with time_machine.travel(at(10, 1, 10, 5), tick=False):
        preview = engine.reminders_sweep(dry_run=True)
    assert [line for line in preview.lines if line.source == "mou.block"] == []
