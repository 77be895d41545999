"""Dates at the ends of the calendar.

Typed: every form refuses a date outside 2000–2100 with a message naming the range and
saves nothing; services refuse them too (full_clean). Stored: a row written before that
rule (9999-12-31 23:00 in the network's zone, which PostgreSQL keeps as year 10000, or year
1) never makes a page, a feed, an export or the reminder sweep fail.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.actor import Actor
from core.services.reminders import reminders_sweep
from core.validators import DATE_RANGE_MESSAGE
from meetings import services as meeting_services
from meetings.models import ActionItem, Meeting
from mou import services as mou_services
from mou.models import FrozenMou, MouVersion, RoleBlock
from tests.security.conftest import World

pytestmark = pytest.mark.django_db

ZONE = ZoneInfo(settings.TIME_ZONE)
UTC = ZoneInfo("UTC")
FAR_FUTURE_LOCAL = datetime(9999, 12, 31, 23, 0, tzinfo=ZONE)


def _store_year_10000(world: World) -> None:
    """9999-12-31 23:00 in the network's zone, as the database holds it: year 10000 UTC.
    SQLite's adapter cannot even write it (it converts to UTC first), so it is written
    as the text PostgreSQL would hand over."""
    meeting, version, block = world.meeting.pk, world.version.pk, world.block.pk
    items = [world.person_item.pk, world.item.pk]
    frozen = FrozenMou.objects.get(version=world.frozen_version).pk
    if connection.vendor == "postgresql":
        Meeting.objects.filter(pk=meeting).update(
            starts_at=FAR_FUTURE_LOCAL, ends_at=FAR_FUTURE_LOCAL.replace(minute=30)
        )
        MouVersion.objects.filter(pk=version).update(deadline=FAR_FUTURE_LOCAL)
        RoleBlock.objects.filter(pk=block).update(extension_until=FAR_FUTURE_LOCAL)
        with connection.cursor() as cursor:
            # A frozen record refuses changes through the ORM.
            cursor.execute(
                "UPDATE mou_frozenmou SET signing_deadline = %s WHERE id = %s",
                [FAR_FUTURE_LOCAL, frozen],
            )
            cursor.execute(
                "UPDATE meetings_actionitem SET due_on = '10000-01-01' WHERE id IN (%s, %s)",
                items,
            )
        return
    moment = "10000-01-01 07:00:00"
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE meetings_meeting SET starts_at = %s, ends_at = %s WHERE id = %s",
            [moment, "10000-01-01 07:30:00", meeting],
        )
        cursor.execute("UPDATE mou_mouversion SET deadline = %s WHERE id = %s", [moment, version])
        cursor.execute(
            "UPDATE mou_roleblock SET extension_until = %s WHERE id = %s", [moment, block]
        )
        cursor.execute(
            "UPDATE mou_frozenmou SET signing_deadline = %s WHERE id = %s", [moment, frozen]
        )
        cursor.execute(
            "UPDATE meetings_actionitem SET due_on = '10000-01-01' WHERE id IN (%s, %s)", items
        )


def _store(world: World, moment: datetime, day: date) -> None:
    end = moment + timedelta(minutes=30) if moment.year == 1 else moment
    start = moment if moment.year == 1 else moment - timedelta(minutes=30)
    Meeting.objects.filter(pk=world.meeting.pk).update(starts_at=start, ends_at=end)
    MouVersion.objects.filter(pk=world.version.pk).update(deadline=moment)
    RoleBlock.objects.filter(pk=world.block.pk).update(extension_until=moment)
    frozen = FrozenMou.objects.get(version=world.frozen_version).pk
    with connection.cursor() as cursor:
        # A frozen record refuses changes through the ORM.
        cursor.execute(
            "UPDATE mou_frozenmou SET signing_deadline = %s WHERE id = %s",
            [connection.ops.adapt_datetimefield_value(moment), frozen],
        )
    ActionItem.objects.filter(pk__in=[world.person_item.pk, world.item.pk]).update(due_on=day)


STORED = {
    "9999-12-31 23:00 network time": _store_year_10000,
    "9999-12-31 23:00 UTC": lambda w: _store(
        w, datetime(9999, 12, 31, 23, 0, tzinfo=UTC), date(9999, 12, 31)
    ),
    "0001-01-01 UTC": lambda w: _store(w, datetime(1, 1, 1, tzinfo=UTC), date(1, 1, 1)),
    "0001-01-01 network time": lambda w: _store(w, datetime(1, 1, 1, tzinfo=ZONE), date(1, 1, 1)),
}


def _pages(world: World) -> list[tuple[str, str]]:
    block = {"version_pk": world.version.pk, "pk": world.block.pk}
    return [
        ("lead", reverse("meetings:list")),
        ("coordinator", reverse("meetings:list")),
        ("lead", reverse("meetings:detail", args=[world.meeting.pk])),
        ("coordinator", reverse("meetings:edit", args=[world.meeting.pk])),
        ("lead", reverse("meetings:ics", args=[world.meeting.pk])),
        ("lead", reverse("meetings:calendar_feed", kwargs={"token": world.calendar_token})),
        ("lead", reverse("meetings:my_items")),
        ("lead", reverse("meetings:item_detail", args=[world.person_item.pk])),
        ("coordinator", reverse("meetings:item_edit", args=[world.person_item.pk])),
        ("lead", reverse("mou:version_list")),
        ("coordinator", reverse("mou:version_list")),
        ("coordinator", reverse("mou:version_detail", args=[world.version.pk])),
        ("coordinator", reverse("mou:version_edit", args=[world.version.pk])),
        ("coordinator", reverse("mou:version_reminders", args=[world.version.pk])),
        ("lead", reverse("mou:block", kwargs=block)),
        ("coordinator", reverse("mou:block", kwargs=block)),
        ("lead", reverse("mou:document", args=[world.version.pk])),
        ("coordinator", reverse("mou:signatures", args=[world.frozen_version.pk])),
        ("signer", reverse("mou:sign", kwargs={"token": world.signing_token})),
        ("coordinator", reverse("dashboard:index")),
        ("coordinator", reverse("dashboard:index") + f"?version={world.version.pk}"),
        ("coordinator", reverse("dashboard:export_csv") + f"?version={world.version.pk}"),
        ("coordinator", reverse("dashboard:export_xlsx") + f"?version={world.version.pk}"),
        ("lead", reverse("home")),
    ]


@pytest.mark.parametrize("stored", list(STORED), ids=list(STORED))
def test_stored_extreme_dates_never_break_a_page_a_feed_or_the_sweep(world, stored):
    STORED[stored](world)
    problems = []
    for role, path in _pages(world):
        client = Client(raise_request_exception=False)
        if world.people[role] is not None:
            client.force_login(world.people[role])
        response = client.get(path)
        if response.status_code >= 500:
            problems.append(f"{path} as {role}: {response.status_code}")
    assert not problems, "\n".join(problems)
    # The sweep reads every open version, block and item: it goes through, twice.
    reminders_sweep(now=timezone.now())
    reminders_sweep(now=timezone.now() + timedelta(days=1))


def test_a_year_10000_moment_is_read_saturated(world):
    _store_year_10000(world)
    meeting = Meeting.objects.get(pk=world.meeting.pk)
    assert meeting.starts_at.year == 9999
    # Shown in the network's zone, and in any other, without overflowing.
    assert timezone.localtime(meeting.starts_at).year == 9999
    assert timezone.localtime(meeting.starts_at, ZoneInfo("Pacific/Kiritimati")).year == 9999
    assert ActionItem.objects.get(pk=world.person_item.pk).due_on == date.max


def test_the_calendar_feed_lists_a_stored_far_future_item(world):
    _store(world, datetime(9999, 12, 31, 23, 0, tzinfo=UTC), date(9999, 12, 31))
    client = Client()
    response = client.get(reverse("meetings:calendar_feed", kwargs={"token": world.calendar_token}))
    assert response.status_code == 200
    assert b"DTSTART;VALUE=DATE:99991231" in response.content


# --- typed -------------------------------------------------------------------------------


def _signed_in(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.people[role])
    return client


@pytest.mark.parametrize("typed", ["9999-12-31T23:00", "0001-01-01T00:00", "2101-01-01T00:00"])
def test_forms_refuse_moments_outside_the_range(world, typed):
    coordinator = _signed_in(world, "coordinator")
    block = {"version_pk": world.version.pk, "pk": world.block.pk}
    before = (Meeting.objects.count(), MouVersion.objects.count())
    cases = [
        (
            reverse("meetings:create"),
            {"title": "Steering group", "kind": "network", "starts_at": typed,
             "ends_at": "2026-12-01T10:00"},
        ),
        (
            reverse("meetings:create"),
            {"title": "Steering group", "kind": "network", "starts_at": "2026-12-01T10:00",
             "ends_at": typed},
        ),
        (
            reverse("mou:version_create"),
            {"title": "MOU 2099", "shared_text": "## Terms", "deadline": typed},
        ),
        (reverse("mou:version_edit", args=[world.version.pk]),
         {"title": world.version.title, "shared_text": "x", "deadline": typed}),
        (reverse("mou:block_extension", kwargs=block), {"extension-until": typed}),
    ]  # fmt: skip
    for path, data in cases:
        response = coordinator.post(path, data)
        assert response.status_code == 400, (path, response.status_code)
        assert DATE_RANGE_MESSAGE in response.content.decode(), path
    assert (Meeting.objects.count(), MouVersion.objects.count()) == before
    world.version.refresh_from_db()
    assert world.version.deadline.year < 2100
    assert RoleBlock.objects.get(pk=world.block.pk).extension_until is None


@pytest.mark.parametrize("typed", ["9999-12-31", "0001-01-01", "1999-12-31"])
def test_action_item_forms_refuse_days_outside_the_range(world, typed):
    coordinator = _signed_in(world, "coordinator")
    due_before = world.person_item.due_on
    count = ActionItem.objects.count()
    create = coordinator.post(
        reverse("meetings:item_create", args=[world.meeting.pk]),
        {
            "description": "Share the robotics calendar",
            "owner_kind": "person",
            "owner_email": world.people["lead"].email,
            "due_on": typed,
        },
    )
    edit = coordinator.post(
        reverse("meetings:item_edit", args=[world.person_item.pk]),
        {"description": "Bring the calendar", "owner_kind": "person",
         "owner_email": world.people["lead"].email, "due_on": typed, "status": "open"},
    )  # fmt: skip
    for response in (create, edit):
        assert response.status_code == 400
        assert DATE_RANGE_MESSAGE in response.content.decode()
    assert ActionItem.objects.count() == count
    world.person_item.refresh_from_db()
    assert world.person_item.due_on == due_before


def test_services_refuse_dates_outside_the_range(world):
    coordinator = world.people["coordinator"]
    with pytest.raises(ValidationError) as error:
        meeting_services.meeting_create(
            actor=Actor.of(coordinator),
            title="Far away",
            kind="network",
            starts_at=FAR_FUTURE_LOCAL,
            ends_at=FAR_FUTURE_LOCAL.replace(minute=30),
        )
    assert DATE_RANGE_MESSAGE in str(error.value)
    with pytest.raises(ValidationError):
        meeting_services.action_item_create(
            actor=Actor.of(coordinator),
            meeting=world.meeting,
            description="Far away",
            owner_kind=ActionItem.OwnerKind.PERSON,
            owner_user=world.people["lead"],
            due_on=date(9999, 12, 31),
        )
    with pytest.raises(ValidationError):
        mou_services.version_create(
            actor=Actor.of(coordinator),
            title="MOU 9999",
            shared_text="x",
            deadline=FAR_FUTURE_LOCAL,
        )
    assert not Meeting.objects.filter(title="Far away").exists()
    assert not ActionItem.objects.filter(description="Far away").exists()
