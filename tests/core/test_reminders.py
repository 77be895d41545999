"""The reminder engine with the MOU block source, on a frozen clock."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from core.actor import Actor
from core.models import OutboxMessage, Reminder, ReminderPreference
from core.services import reminders as engine
from mou.models import MouVersion, RoleBlock
from partnership.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("America/Los_Angeles")
DEADLINE = datetime(2026, 10, 15, 17, 0, tzinfo=TZ)


def at(month, day, hour=9):
    return datetime(2026, month, day, hour, 0, tzinfo=TZ)


@pytest.fixture
def version(db):
    return MouVersion.objects.create(
        number=1, title="Partnership MOU 2026", deadline=DEADLINE, status=MouVersion.Status.OPEN
    )


@pytest.fixture
def block(version, partner, lead):
    return RoleBlock.objects.create(version=version, partner=partner)


def sweep(moment):
    with time_machine.travel(moment, tick=False):
        return engine.reminders_sweep()


def block_mail(to=None):
    qs = OutboxMessage.objects.filter(kind="reminder:reminder_block").order_by("id")
    return list(qs.filter(to_email=to) if to else qs)


def test_default_stages_fall_in_the_morning_in_the_network_time_zone():
    stages = engine.stages_for(deadline=DEADLINE, spec=engine.ScheduleSpec())
    assert [s.key for s in stages] == [
        "before-14",
        "before-7",
        "before-2",
        "before-0",
        "overdue-1",
        "overdue-2",
        "overdue-3",
        "overdue-4",
    ]
    assert stages[0].due_at == datetime(2026, 10, 1, 8, 0, tzinfo=TZ)
    assert stages[3].due_at == datetime(2026, 10, 15, 8, 0, tzinfo=TZ)
    assert stages[4].due_at == datetime(2026, 10, 22, 8, 0, tzinfo=TZ)
    assert stages[-1].due_at == datetime(2026, 11, 12, 8, 0, tzinfo=TZ)


def test_every_stage_is_sent_once_and_then_nothing(block, lead):
    moments = {
        "before-14": at(10, 1),
        "before-7": at(10, 8),
        "before-2": at(10, 13),
        "before-0": at(10, 15),
        "overdue-1": at(10, 22),
        "overdue-2": at(10, 29),
        "overdue-3": at(11, 5),
        "overdue-4": at(11, 12),
    }
    assert sweep(at(9, 30)).claimed == 0  # before the first stage
    for stage, moment in moments.items():
        sweep(moment)
        sweep(moment + timedelta(minutes=15))  # the next beat finds it claimed
        assert (
            list(
                Reminder.objects.filter(recipient_email=lead.email).values_list("stage", flat=True)
            ).count(stage)
            == 1
        )
    assert sweep(at(11, 19)).claimed == 0  # at most four overdue reminders
    assert sweep(at(12, 31)).claimed == 0
    assert len(block_mail(lead.email)) == 8


def test_a_late_sweep_sends_the_latest_due_stage_once_not_a_burst(block, lead):
    result = sweep(at(10, 14))  # no sweep ran since September
    assert result.claimed == 1
    assert list(Reminder.objects.values_list("stage", flat=True)) == ["before-2"]
    assert sweep(at(10, 14, 12)).claimed == 0


def test_wording_fits_the_block_state(block, lead):
    sweep(at(10, 1))
    assert "has not started its block" in block_mail()[-1].body_text
    block.status = RoleBlock.Status.DRAFT
    block.save()
    sweep(at(10, 8))
    assert "is a draft in progress" in block_mail()[-1].body_text
    block.status = RoleBlock.Status.CHANGES_REQUESTED
    block.review_comment = "Please name the signing leader's title & add the CTE contribution."
    block.save()
    sweep(at(10, 13))
    message = block_mail()[-1]
    assert "asked for changes" in message.subject.lower() or "Changes requested" in message.subject
    # Quoted as typed in the text part (no HTML escaping there), escaped in the HTML part.
    assert "signing leader's title & add the CTE contribution" in message.body_text
    assert "&amp; add the CTE" in message.body_html
    assert "October 15, 2026, 5:00 PM PDT" in message.body_text


def test_overdue_and_due_today_wording(block, lead):
    sweep(at(10, 15))
    assert block_mail()[-1].subject.startswith("Due today")
    sweep(at(10, 22))
    last = block_mail()[-1]
    assert last.subject.startswith("Overdue") and "It has passed" in last.body_text


@pytest.mark.parametrize("status", [RoleBlock.Status.SUBMITTED, RoleBlock.Status.ACCEPTED])
def test_submitted_and_accepted_blocks_get_nothing(block, status):
    block.status = status
    block.save()
    assert sweep(at(10, 22)).by_source.get("mou.block", 0) == 0


def test_editors_only_when_they_opt_in_and_delegates_get_a_copy(block, lead, editor):
    ReminderPreference.objects.create(user=lead, delegate_email="assistant@example.org")
    sweep(at(10, 1))
    assert {m.to_email for m in block_mail()} == {lead.email, "assistant@example.org"}
    ReminderPreference.objects.create(user=editor, editor_opt_in=True)
    sweep(at(10, 8))
    assert {m.to_email for m in block_mail()[-3:]} == {
        lead.email,
        editor.email,
        "assistant@example.org",
    }
    delegate_copy = block_mail("assistant@example.org")[-1]
    assert "as a delegate" in delegate_copy.body_text
    assert "/accounts/link/" not in delegate_copy.body_text  # no one else's personal link


def test_signing_leader_in_copy_at_the_two_day_stage(block, lead):
    block.signing_leader_name = "Dr. Christy Perry"
    block.signing_leader_email = "superintendent@example.org"
    block.save()
    sweep(at(10, 8))
    assert not block_mail("superintendent@example.org")
    sweep(at(10, 13))
    (message,) = block_mail("superintendent@example.org")
    assert "named as the leader" in message.body_text


def test_an_extension_moves_the_stages(block, lead):
    block.extension_until = DEADLINE + timedelta(days=10)
    block.save()
    sweep(at(10, 22))
    assert list(Reminder.objects.values_list("stage", flat=True)) == ["before-7"]


def test_coordinator_changes_the_stages_per_version(version, block, lead, coordinator):
    engine.schedule_set(
        owner=version,
        days_before=[3],
        overdue_every_days=2,
        overdue_max=1,
        actor=Actor.of(coordinator),
    )
    assert sweep(at(10, 8)).by_source["mou.block"] == 0
    sweep(at(10, 12))
    sweep(at(10, 17))
    sweep(at(10, 25))
    assert list(
        Reminder.objects.filter(source="mou.block").order_by("id").values_list("stage", flat=True)
    ) == [
        "before-3",
        "overdue-1",
    ]


def test_schedule_refuses_nonsense(version):
    with pytest.raises(ValueError):
        engine.schedule_set(
            owner=version,
            days_before=[-1],
            overdue_every_days=7,
            overdue_max=4,
            actor=Actor.system(),
        )
    with pytest.raises(ValueError):
        engine.schedule_set(
            owner=version,
            days_before=[7],
            overdue_every_days=0,
            overdue_max=4,
            actor=Actor.system(),
        )


def test_the_reminder_link_opens_the_block_signed_in_and_expires_a_week_after_the_deadline(
    client, block, lead
):
    sweep(at(10, 1))
    body = block_mail(lead.email)[-1].body_text
    link = next(w for w in body.split() if "/accounts/link/" in w)
    path = link.split("127.0.0.1:8000", 1)[1]
    with time_machine.travel(at(10, 2), tick=False):
        response = client.get(path)
    assert response.status_code == 302 and response["Location"] == block.get_absolute_url()
    client.logout()
    with time_machine.travel(DEADLINE + timedelta(days=7, minutes=1), tick=False):
        assert client.get(path).status_code == 410


def test_inactive_people_and_viewers_get_nothing(block, lead, viewer):
    lead.is_active = False
    lead.save()
    assert sweep(at(10, 1)).by_source.get("mou.block", 0) == 0


def test_daily_digest_once_a_day_per_coordinator(block, coordinator, lead):
    factories.UserFactory(is_coordinator=True, is_active=False)
    assert sweep(at(10, 5, 6)).by_source.get("mou.digest", 0) == 0  # before 7 in the morning
    assert sweep(at(10, 5, 7)).by_source["mou.digest"] == 1
    assert sweep(at(10, 5, 18)).by_source.get("mou.digest", 0) == 0
    assert sweep(at(10, 6, 7)).by_source["mou.digest"] == 1
    digest = OutboxMessage.objects.filter(kind="reminder:reminder_digest").last()
    assert digest.to_email == coordinator.email
    assert "Not started (1): Salem-Keizer School District" in digest.body_text


def test_manual_reminder_and_its_daily_limit(block, lead, coordinator):
    with time_machine.travel(at(9, 20), tick=False):
        assert (
            engine.reminder_send_now(source="mou.block", subject=block, actor=Actor.of(coordinator))
            == 1
        )
        # A second one within 24 hours only with the coordinator's yes...
        with pytest.raises(engine.RecentlyReminded):
            engine.reminder_send_now(source="mou.block", subject=block, actor=Actor.of(coordinator))
        assert (
            engine.reminder_send_now(
                source="mou.block", subject=block, actor=Actor.of(coordinator), confirmed=True
            )
            == 1
        )
        # ...and never a third by hand that day, confirmed or not.
        with pytest.raises(engine.ManualLimitReached):
            engine.reminder_send_now(
                source="mou.block", subject=block, actor=Actor.of(coordinator), confirmed=True
            )
    assert "coordinator asks you" in block_mail(lead.email)[-1].body_text
    with time_machine.travel(at(9, 21, 10), tick=False):
        assert (
            engine.reminder_send_now(source="mou.block", subject=block, actor=Actor.of(coordinator))
            == 1
        )
    with time_machine.travel(at(9, 21, 12), tick=False), pytest.raises(engine.RecentlyReminded):
        engine.reminder_send_now(source="mou.block", subject=block, actor=Actor.of(coordinator))
    # Manual reminders do not use up the scheduled stages.
    assert sweep(at(10, 1)).by_source["mou.block"] == 1


def test_a_sweep_reminder_counts_for_the_24_hours(block, lead, coordinator):
    assert sweep(at(10, 1)).by_source["mou.block"] == 1
    with time_machine.travel(at(10, 1, 15), tick=False):
        with pytest.raises(engine.RecentlyReminded) as recent:
            engine.reminder_send_now(source="mou.block", subject=block, actor=Actor.of(coordinator))
        assert recent.value.last_at == at(10, 1)
    with time_machine.travel(at(10, 2, 10), tick=False):
        assert (
            engine.reminder_send_now(source="mou.block", subject=block, actor=Actor.of(coordinator))
            == 1
        )


def test_manual_reminder_for_a_submitted_block_sends_nothing(block, coordinator):
    block.status = RoleBlock.Status.SUBMITTED
    block.save()
    with pytest.raises(engine.NotRemindable) as refused:
        engine.reminder_send_now(source="mou.block", subject=block, actor=Actor.of(coordinator))
    assert refused.value.reason.endswith(
        "'s block is submitted: there is nothing to remind them of."
    )
    assert not Reminder.objects.filter(subject_id=block.pk).exists()


@pytest.mark.parametrize(
    ("stage", "label"),
    [
        ("before-14", "14 days before"),
        ("before-1", "1 day before"),
        ("before-0", "on the deadline day"),
        ("overdue-2", "overdue (2)"),
        ("manual-3", "sent by hand"),
        ("manual", "sent by hand"),
        ("something-else", "something-else"),
    ],
)
def test_stage_labels(stage, label):
    assert engine.stage_label(stage) == label


def test_stage_keys_the_engine_makes_read_back_as_labels(block):
    spec = engine.ScheduleSpec(days_before=(7, 1, 0), overdue_every_days=7, overdue_max=2)
    stages = engine.stages_for(deadline=block.version.deadline, spec=spec)
    assert [engine.stage_label(s.key) for s in stages] == [
        "7 days before",
        "1 day before",
        "on the deadline day",
        "overdue (1)",
        "overdue (2)",
    ]


def test_a_sweep_with_nothing_to_send_runs_the_same_queries_at_any_size(version):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def build(n):
        for _ in range(n):
            m = factories.MembershipFactory(role=Membership.Role.LEAD)
            RoleBlock.objects.create(version=version, partner=m.partner)

    def queries_of_a_quiet_sweep(moment):
        sweep(moment)  # sends what is due
        with CaptureQueriesContext(connection) as ctx:
            assert sweep(moment + timedelta(minutes=15)).claimed == 0
        return len(ctx.captured_queries)

    build(3)
    small = queries_of_a_quiet_sweep(at(10, 1))
    build(40)
    assert queries_of_a_quiet_sweep(at(10, 8)) == small
