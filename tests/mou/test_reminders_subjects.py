"""Subject lines worked out in Python: they count what the body lists, say whose block
with a proper possessive, and stay short whatever the names."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from core.models import OutboxMessage, Reminder
from core.services import reminders as engine
from mou.models import MouVersion, RoleBlock
from mou.reminders import block_reminder_subject, digest_subject
from tests import factories

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("America/Los_Angeles")
DEADLINE = datetime(2026, 10, 15, 17, 0, tzinfo=TZ)
SUBJECT_MAX = 78
LONG_NAME = (
    "The Mid-Willamette Valley Regional Science, Technology, Engineering and Mathematics Partners"
)


def at(month, day, hour=9):
    return datetime(2026, month, day, hour, 0, tzinfo=TZ)


@pytest.fixture
def version(db):
    return MouVersion.objects.create(
        number=1, title="Partnership MOU 2026", deadline=DEADLINE, status=MouVersion.Status.OPEN
    )


def sweep(moment):
    with time_machine.travel(moment, tick=False):
        return engine.reminders_sweep()


def test_the_digest_subject_counts_what_its_body_lists(version, coordinator):
    statuses = [RoleBlock.Status.NOT_STARTED] * 9 + [
        RoleBlock.Status.DRAFT,
        RoleBlock.Status.CHANGES_REQUESTED,
        RoleBlock.Status.SUBMITTED,
    ]
    for status in statuses:
        RoleBlock.objects.create(version=version, partner=factories.PartnerFactory(), status=status)
    sweep(at(10, 5, 7))
    digest = OutboxMessage.objects.get(kind="reminder:reminder_digest")
    assert digest.subject == "Partnership MOU 2026: 11 blocks pending, 1 to review (Oct 5)"
    assert "Not started (9)" in digest.body_text
    assert "Draft in progress (1)" in digest.body_text
    assert "Changes requested (1)" in digest.body_text
    assert "waiting for your review (1)" in digest.body_text


def test_the_digest_subject_says_one_block_and_stays_short():
    subject = digest_subject(title="T" * 200, day=at(10, 5).date(), pending=1, to_review=0)
    assert "1 block pending, 0 to review (Oct 5)" in subject
    assert len(subject) <= SUBJECT_MAX


@pytest.mark.parametrize(
    ("name", "possessive"),
    [("Partners", "Partners'"), ("Lincoln High", "Lincoln High's"), ("Schools", "Schools'")],
)
def test_a_block_reminder_names_the_partner_with_a_proper_possessive(version, name, possessive):
    partner = factories.PartnerFactory(name=name)
    factories.MembershipFactory(partner=partner, role="lead")
    RoleBlock.objects.create(version=version, partner=partner, status=RoleBlock.Status.DRAFT)
    sweep(at(10, 1))
    message = OutboxMessage.objects.get(kind="reminder:reminder_block")
    assert message.subject == f"Reminder: {possessive} MOU block is due Oct 15"
    assert f"{possessive} block" in message.body_text
    assert "s's" not in message.subject + message.body_text


@pytest.mark.parametrize(
    ("role", "overdue", "state", "days_before", "start"),
    [
        (Reminder.Role.SIGNER, False, RoleBlock.Status.NOT_STARTED, 2, "Due Oct 15:"),
        (Reminder.Role.LEAD, True, RoleBlock.Status.DRAFT, None, "Overdue:"),
        (Reminder.Role.LEAD, False, RoleBlock.Status.CHANGES_REQUESTED, 7, "Changes requested:"),
        (Reminder.Role.LEAD, False, RoleBlock.Status.DRAFT, 0, "Due today:"),
        (Reminder.Role.LEAD, False, RoleBlock.Status.DRAFT, 7, "Reminder:"),
    ],
)
def test_block_reminder_subjects_stay_short_with_long_names(
    role, overdue, state, days_before, start
):
    subject = block_reminder_subject(
        partner_name=LONG_NAME,
        deadline=DEADLINE,
        role=role,
        overdue=overdue,
        state=state,
        days_before=days_before,
    )
    assert subject.startswith(start)
    assert len(subject) <= SUBJECT_MAX, subject
    assert "America/" not in subject


def test_the_invitation_subject_is_short_and_shows_the_zone_abbreviation(
    coordinator, partner, lead
):
    from core.actor import Actor
    from mou import services

    partner.name = LONG_NAME
    partner.save()
    with time_machine.travel(at(9, 1), tick=False):
        version = services.version_create(
            actor=Actor.of(coordinator),
            title="Mid-Valley STEM Partnership Memorandum of Understanding, 2026-2027 edition",
            shared_text="Purpose",
            deadline=DEADLINE,
        )
        services.version_open(version=version, actor=Actor.of(coordinator))
    subject = OutboxMessage.objects.get(kind="mou_opened").subject
    assert len(subject) <= SUBJECT_MAX, subject
    assert "America/Los_Angeles" not in subject
    assert subject.endswith("due Oct 15, 5:00 PM PDT")
