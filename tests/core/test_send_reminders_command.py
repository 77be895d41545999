"""`manage.py send_reminders [--dry-run]`: the beat sweep by hand, saying what it sends."""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from core.models import OutboxMessage, Reminder
from mou.models import MouVersion, RoleBlock

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("America/Los_Angeles")
DEADLINE = datetime(2026, 10, 15, 17, 0, tzinfo=TZ)
SEVEN_DAYS_BEFORE = datetime(2026, 10, 8, 9, 0, tzinfo=TZ)


@pytest.fixture
def block(db, partner, lead):
    version = MouVersion.objects.create(
        number=1, title="Partnership MOU 2026", deadline=DEADLINE, status=MouVersion.Status.OPEN
    )
    return RoleBlock.objects.create(version=version, partner=partner)


def run(*args) -> str:
    out = StringIO()
    with time_machine.travel(SEVEN_DAYS_BEFORE, tick=False):
        call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_dry_run_lists_who_would_get_what_and_claims_nothing(block, lead):
    output = run("--dry-run")
    assert lead.email in output
    assert "7 days before the deadline" in output
    assert "Would send 1 reminder." in output
    assert "nothing was claimed or sent" in output
    assert not Reminder.objects.exists()
    assert not OutboxMessage.objects.filter(kind__startswith="reminder:").exists()


def test_a_run_sends_once_and_says_what_it_sent(block, lead):
    output = run()
    assert lead.email in output
    assert "Sent 1 reminder." in output
    assert Reminder.objects.filter(recipient_email=lead.email, stage="before-7").count() == 1
    again = run()
    assert "Sent 0 reminders; 1 already sent earlier." in again
    assert Reminder.objects.count() == 1


def test_a_dry_run_after_a_sweep_lists_nothing_more(block, lead):
    run()
    assert "Would send 0 reminders; 1 already sent earlier." in run("--dry-run")
