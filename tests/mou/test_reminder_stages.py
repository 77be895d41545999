"""The coordinator changes a version's reminder stages; bad input is refused."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.actor import Actor
from core.models import ReminderSchedule
from core.services import reminders
from mou import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(coordinator, partner, lead):
    version = services.version_create(
        actor=Actor.of(coordinator),
        title="MOU",
        shared_text="Purpose",
        deadline=timezone.now() + timedelta(days=30),
    )
    services.version_open(version=version, actor=Actor.of(coordinator))
    return version


def url(version):
    return reverse("mou:version_reminders", args=[version.pk])


def test_the_page_shows_the_default_stages_and_their_dates(client_for, coordinator, version):
    content = client_for(coordinator).get(url(version)).content.decode()
    assert 'value="14, 7, 2, 0"' in content
    assert "14 days before the deadline" in content and "Overdue (4)" in content


def test_saving_changes_what_the_engine_uses(client_for, coordinator, version):
    response = client_for(coordinator).post(
        url(version), {"days_before": "10, 3, 3", "overdue_every_days": "5", "overdue_max": "2"}
    )
    assert response.status_code == 302
    spec = reminders.schedule_spec(version)
    assert spec == reminders.ScheduleSpec(days_before=(10, 3), overdue_every_days=5, overdue_max=2)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"days_before": "seven", "overdue_every_days": "7", "overdue_max": "4"}, "whole numbers"),
        (
            {"days_before": "7, -1", "overdue_every_days": "7", "overdue_max": "4"},
            "between 0 and 365",
        ),
        (
            {"days_before": "", "overdue_every_days": "7", "overdue_max": "4"},
            "This field is required",
        ),
        (
            {"days_before": "7", "overdue_every_days": "0", "overdue_max": "4"},
            "greater than or equal to 1",
        ),
        (
            {"days_before": "7", "overdue_every_days": "7", "overdue_max": "99"},
            "less than or equal to 12",
        ),
        (
            {"days_before": "7", "overdue_every_days": "x" * 5000, "overdue_max": "4"},
            "Enter a whole number",
        ),
    ],
)
def test_bad_stages_are_refused_and_nothing_saved(client_for, coordinator, version, data, message):
    response = client_for(coordinator).post(url(version), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReminderSchedule.objects.exists()


def test_a_frozen_version_keeps_its_stages(client_for, coordinator, version):
    version.status = "frozen"
    version.save()
    response = client_for(coordinator).post(
        url(version), {"days_before": "3", "overdue_every_days": "7", "overdue_max": "4"}
    )
    assert response.status_code == 409
    assert not ReminderSchedule.objects.exists()
